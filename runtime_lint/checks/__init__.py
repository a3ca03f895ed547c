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
- `scope="project"`: about an Astro project's other files (requirements.txt and what it
  includes: checks/project.py): called once per such file with `image=None` and a
  `checks.project.ProjectContext`; its hits are located in that file (project.py runs them).
- `options={"warn-days": Option(int, 90, minimum=0, help="...")}`: the settings the rule owns
  (keys of `[tool.runtime-lint]`), with their defaults and checks; the rule reads them, checked
  and with defaults filled in, as `ctx.settings["warn-days"]`. An off-by-default rule runs once
  all its options are set. Rules may share an option if they declare it alike; `settings=(...)`
  names further settings a rule reads that another rule (or config.py) owns.
A rule is a pure function of what it is given: it reads no files, prints nothing, and knows no
output format. The user's documentation of a rule is its page in `rules/CODE.md`.

Built-in rules live in `checks/tags.py` (the image and its tag, RL0xx-RL1xx),
`checks/lifecycle.py` (the release against the catalog, RL2xx), `checks/policy.py`
(team policies, off by default, RL3xx) and `checks/project.py` (the Astro project's
requirements files, RL4xx). Third-party rules are modules named in the
`runtime_lint.rules` entry-point group; importing them registers their rules.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.model import ERROR, INFO, WARNING, Fix, Span, UsageError
from runtime_lint.options import DATE, URL, VERSION, Option
from runtime_lint.resolve import Image

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date
    from typing import Any, TypeVar

    from runtime_lint.catalog import Catalog
    from runtime_lint.dockerfile import Dockerfile
    from runtime_lint.suppressions import Pragma

    CheckFunction = Callable[..., Iterator["Hit"]]  # (Image, Context) or, for file rules, (None, Context)
    F = TypeVar("F", bound=CheckFunction)

__all__ = [
    "DATE", "ERROR", "INFO", "OFF", "URL", "VERSION", "WARNING", "Context", "Hit", "Image", "Option", "Rule", "rule",
]  # fmt: skip

OFF = 0
ENTRY_POINT_GROUP = "runtime_lint.rules"
BUILTIN_MODULES = (
    "runtime_lint.checks.tags",
    "runtime_lint.checks.lifecycle",
    "runtime_lint.checks.policy",
    "runtime_lint.checks.project",
)


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
    """What a rule yields: a message, where, and maybe a fix. The engine adds code and severity;
    `severity` caps it for a lesser case of the rule (RL401's warnings under its default error):
    the finding gets the lower of it and the configured severity."""

    __slots__ = ("fix", "message", "severity", "span")

    def __init__(self, message: str, span: Span, fix: Fix | None = None, severity: int | None = None) -> None:
        self.message = message
        self.span = span
        self.fix = fix
        self.severity = severity


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
