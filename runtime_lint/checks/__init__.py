"""The rule registry and what a rule sees.

A rule is a small generator function registered with `@rule(...)`:

    @rule("RL204", "patch-not-latest", WARNING, "A newer release of the same support line exists")
    def patch_not_latest(image: Image, ctx: Context) -> Iterator[Hit]:
        ...
        yield Hit("message", image.operand_span, fix)

- `scope="image"` (the default): called once for every `FROM` that names an image (not an
  earlier stage); `image` holds the instruction, the resolved reference, its Runtime tag and
  catalog release.
- `scope="file"`: called once per file with `image=None`, for rules about the whole file.
- `scope="suppressions"`: like "file", but after every other rule, with `ctx.unused_suppressions`.
- `options={"warn-days": Option(int, 90, minimum=0, help="...")}`: the settings the rule owns
  (keys of `[tool.runtime-lint]`), with their defaults and checks; the rule reads them, checked
  and with defaults filled in, as `ctx.settings["warn-days"]`. An off-by-default rule runs once
  all its options are set. Rules may share an option if they declare it alike; `settings=(...)`
  names further settings a rule reads that another rule (or config.py) owns.
A rule is a pure function of what it is given: it reads no files, prints nothing, and knows no
output format. The user's documentation of a rule is its page in `rules/CODE.md`.

Built-in rules live in `checks/tags.py` (the image and its tag, RL0xx-RL1xx),
`checks/lifecycle.py` (the release against the catalog, RL2xx) and `checks/policy.py`
(team policies, off by default, RL3xx). Third-party rules are modules named in the
`runtime_lint.rules` entry-point group; importing them registers their rules.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.model import ERROR, INFO, WARNING, Fix, Span, UsageError
from runtime_lint.options import DATE, URL, VERSION, Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date
    from typing import Any, TypeVar

    from runtime_lint.catalog import Catalog
    from runtime_lint.dockerfile import Dockerfile, FromInstruction
    from runtime_lint.expand import Origin
    from runtime_lint.image import ImageRef, RuntimeTag
    from runtime_lint.release import Release
    from runtime_lint.suppressions import Pragma

    CheckFunction = Callable[..., Iterator["Hit"]]  # (Image, Context) or, for file rules, (None, Context)
    F = TypeVar("F", bound=CheckFunction)

__all__ = [
    "DATE", "ERROR", "INFO", "OFF", "URL", "VERSION", "WARNING", "Context", "Hit", "Image", "Option", "Rule", "rule",
]  # fmt: skip

OFF = 0
ENTRY_POINT_GROUP = "runtime_lint.rules"
BUILTIN_MODULES = ("runtime_lint.checks.tags", "runtime_lint.checks.lifecycle", "runtime_lint.checks.policy")


class Rule:
    """A registered rule: stable code, kebab-case name, default severity, one-line summary."""

    __slots__ = (
        "check",
        "code",
        "fixable",
        "module",
        "name",
        "options",
        "scope",
        "settings",
        "severity",
        "summary",
        "supersedes",
    )

    def __init__(
        self,
        code: str,
        name: str,
        severity: int,
        summary: str,
        check: CheckFunction,
        scope: str,
        settings: tuple[str, ...],
        fixable: str,
        supersedes: tuple[str, ...] = (),
        options: dict[str, Option] | None = None,
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity  # default; OFF means it runs only when enabled
        self.summary = summary
        self.check = check
        self.scope = scope
        self.options: dict[str, Option] = dict(options or {})  # the settings it owns, by key
        # the settings it reads: its own options, then others'; an OFF rule is enabled by setting them
        self.settings = (*self.options, *(s for s in settings if s not in self.options))
        self.fixable = fixable  # "", "safe", "unsafe" or "safe/unsafe"
        self.module = getattr(check, "__module__", "")
        # codes whose finding on the same image this rule's finding replaces (it says a worse state)
        self.supersedes = supersedes


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: int,
    summary: str,
    *,
    scope: str = "image",
    settings: tuple[str, ...] = (),
    fixable: str = "",
    supersedes: tuple[str, ...] = (),
    options: dict[str, Option] | None = None,
) -> Callable[[F], F]:
    """Register a rule function under a stable code."""

    def register(check: F) -> F:
        if code in REGISTRY and REGISTRY[code].check is not check:
            raise UsageError(f"rule {code} is defined twice ({REGISTRY[code].module} and {check.__module__})")
        new = Rule(code, name, severity, summary, check, scope, settings, fixable, supersedes, options)
        _check_shared(new)
        REGISTRY[code] = new
        return check

    return register


def _check_shared(new: Rule) -> None:
    """Two rules may own one option only if they declare it alike."""
    for other in REGISTRY.values():
        if other.code == new.code:
            continue
        for key, option in new.options.items():
            theirs = other.options.get(key)
            if theirs is not None and not option.same_as(theirs):
                raise UsageError(f"rule {new.code} declares option '{key}' unlike rule {other.code} does")


class Hit:
    """What a rule yields: a message, where, and maybe a fix. The engine adds code and severity."""

    __slots__ = ("fix", "message", "span")

    def __init__(self, message: str, span: Span, fix: Fix | None = None) -> None:
        self.message = message
        self.span = span
        self.fix = fix


class Image:
    """One `FROM` with everything known about its image."""

    __slots__ = ("deployed", "family", "final_family", "inst", "ref", "release", "tag", "tag_error")

    def __init__(self, inst: FromInstruction) -> None:
        self.inst = inst
        self.ref: ImageRef | None = None  # None when unresolved, scratch or an earlier stage
        self.family: str | None = None  # "runtime", "certified", "airflow" or None
        self.tag: RuntimeTag | None = None  # for Runtime images with a valid tag
        self.tag_error: str | None = None  # why a Runtime tag is invalid
        self.release: Release | None = None  # the catalog's release, if it has one on as_of
        self.deployed = False  # the image the last stage builds on (through stage references): what Astro runs
        self.final_family: str | None = None  # family of the image this stage builds on, through stage refs

    @property
    def span(self) -> Span:
        return self.inst.raw_span

    def edit(self, start: int, end: int, replacement: str, safe: bool, description: str) -> Fix | None:
        """A fix replacing resolved characters [start, end) of the image name, at the place in the
        file they come from (the FROM line or an ARG default); None when they do not come from
        one contiguous run of file text (built from several ARGs, or from a --build-arg)."""
        origins = self.inst.resolved_origins
        span = span_of(origins, start, end)
        if span is None:
            return None
        return Fix(span, replacement, safe, description)

    def tag_fix(self, new_tag: str, safe: bool, description: str) -> Fix | None:
        """Replace the tag (or add one) keeping the rest of the reference as written."""
        ref = self.ref
        if ref is None:
            return None
        if ref.digest is not None:
            return self.repin(new_tag, description)
        if ref.tag_start >= 0:
            return self.edit(ref.tag_start, ref.tag_end, new_tag, safe, description)
        name_end = len(ref.text) - (len(ref.digest) + 1 if ref.digest is not None else 0)
        return self.edit(name_end, name_end, ":" + new_tag, safe, description)

    def version_fix(self, new_version: str, safe: bool, description: str) -> Fix | None:
        """Replace only the version part of a Runtime tag (`12.6.0` in `12.6.0-python-3.11-base`),
        so that a version from an ARG is fixed in the ARG even when the suffix is on the FROM line."""
        ref, tag = self.ref, self.tag
        if ref is None or tag is None or ref.tag_start < 0:
            return None
        if ref.digest is not None:
            return self.repin(tag.with_version(new_version), description)
        start = ref.tag_start
        return self.edit(start, start + len(tag.version), new_version, safe, description)

    def unfixable(self, fix: Fix | None) -> str:
        """Why there is no fix, for the message, where the user could expect one: "" otherwise."""
        ref = self.ref
        if fix is not None or ref is None or ref.digest is None:
            return ""
        if ref.tag_start < 0:
            return "; no fix: the image is pinned by digest only, and which release that is cannot be told"
        return (
            "; no fix: the image is pinned by digest and its tag is not written in one place "
            "(an ARG and the FROM line): change the tag and pin the new digest by hand"
        )

    def repin(self, new_tag: str, description: str) -> Fix | None:
        """A digest-pinned image (`:12.6.0@sha256:...`): Docker pulls by the digest, so a new tag
        under the old digest would claim one release and run another. The catalog knows no
        digests: the fix writes the new tag without the digest, as an unsafe fix that says the
        image must be pinned again. None for a digest without a tag (which release it is, is unknown)."""
        ref = self.ref
        if ref is None or ref.tag_start < 0:
            return None
        return self.edit(
            ref.tag_start,
            len(ref.text),
            new_tag,
            False,
            f"{description} and drop the digest, which pins the old release: pin the new one again",
        )


def span_of(origins: list[Origin], start: int, end: int) -> Span | None:
    if start == end:  # an insertion: right after the previous character
        if start == 0 or start > len(origins):
            return None
        before = origins[start - 1]
        if before is None:
            return None
        return Span(before[0], before[1] + 1, before[0], before[1] + 1)
    if start < 0 or end > len(origins):
        return None
    run = origins[start:end]
    first = run[0]
    if first is None:
        return None
    for k, origin in enumerate(run):
        if origin is None or origin[0] != first[0] or origin[1] != first[1] + k:
            return None
    return Span(first[0], first[1], first[0], first[1] + len(run))


class Context:
    """What every rule may read: the file, the catalog, the day, the settings."""

    __slots__ = (
        "as_of",
        "astro_project",
        "catalog",
        "dockerfile",
        "images",
        "known_codes",
        "path",
        "settings",
        "unused_suppressions",
    )

    def __init__(
        self,
        path: str,
        dockerfile: Dockerfile,
        images: list[Image],
        catalog: Catalog,
        as_of: date,
        settings: dict[str, Any],
        astro_project: bool,
        known_codes: frozenset[str],
    ) -> None:
        self.path = path
        self.dockerfile = dockerfile
        self.images = images
        self.catalog = catalog
        self.as_of = as_of
        self.settings = settings  # rule settings by kebab-case key, defaults filled in
        self.astro_project = astro_project
        self.known_codes = known_codes
        # (pragma, code) pairs that silenced nothing; filled in by the engine before file rules run
        self.unused_suppressions: list[tuple[Pragma, str]] = []


_loaded = False


def all_rules() -> dict[str, Rule]:
    """Built-in rules plus those of installed plugins, by code."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN_MODULES:
            __import__(module)
        load_plugins()
    return REGISTRY


def load_plugins() -> None:
    """Import the modules named in the `runtime_lint.rules` entry-point group.

    `importlib.metadata` reads every installed distribution, which costs more than a whole lint
    run; so installed `entry_points.txt` files are first scanned for the group name, and
    `importlib.metadata` is only used when some distribution declares it.
    """
    if not _declares_group():
        return
    import importlib.metadata

    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry.load()
        except UsageError:
            raise
        except Exception as exc:  # a broken plugin is a clear error, not a traceback
            raise UsageError(f"plugin {entry.name} ({entry.value}) failed to load: {exc}") from None


def _declares_group() -> bool:
    marker = f"[{ENTRY_POINT_GROUP}]"
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                    if marker in handle.read():
                        return True
            except (OSError, UnicodeDecodeError):
                continue
    return False
