"""Image references, image families, and the Astro Runtime tag grammar.

Reference grammar and normalisation follow Docker's `distribution/reference`: the first path
component is a registry when it holds a `.` or a `:` or is `localhost` (or has upper case);
otherwise the registry is `docker.io` and a single-name image gets `library/`. A reference
without a tag has tag None: it is not silently `latest`.

Runtime tags come in two eras (see `rules/RL102.md`):
- Airflow 2: `X.Y.Z`, e.g. `12.6.0`; support line: the major (`12`).
- Airflow 3: `X.Y-N`, e.g. `3.0-4`; support line: `X.Y` (`3.0`).
Each may carry the suffixes Astronomer publishes: `-python-M.m`, `-slim`, `-ubiN`, and
`-base` (last). Seen orders: `-python-3.11-slim-base`, `-slim-python-3.12`, `-ubi9-python-3.11`.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

RUNTIME = "runtime"
CERTIFIED = "certified"
AIRFLOW = "airflow"

# registry/repository (lower case) -> family
DEFAULT_REPOSITORIES = {
    "quay.io/astronomer/astro-runtime": RUNTIME,
    "astrocrpublic.azurecr.io/runtime": RUNTIME,
    "air.astronomer.io/runtime": RUNTIME,  # Airflow 3 images before 2025-04 (astro-cli #1827)
    "quay.io/astronomer/ap-airflow": CERTIFIED,
    "docker.io/astronomerinc/ap-airflow": CERTIFIED,
    "docker.io/apache/airflow": AIRFLOW,
}

# Patterns are kept as strings: `re` compiles one on first use and caches it, so a run pays only
# for the patterns it needs (compiling all of them at import costs about 1 ms of start-up).
_NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_PATH = rf"{_NAME_COMPONENT}(?:/{_NAME_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

_RUNTIME_VERSION = r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|-(0|[1-9][0-9]*))"
_FLOATING = r"(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?"  # `3`, `3.1`: Airflow 3 only
_PYTHON = r"[0-9]+\.[0-9]+"
_UBI = r"ubi[0-9]+"


class ImageRef:
    """A parsed image reference (`registry/repository:tag@digest`)."""

    __slots__ = ("digest", "error", "registry", "repository", "tag", "tag_end", "tag_start", "text")

    def __init__(self, text: str) -> None:
        self.text = text  # the resolved reference
        self.registry = "docker.io"
        self.repository = ""
        self.tag: str | None = None
        self.digest: str | None = None
        self.error: str | None = None  # why it is not a valid reference, if it is not
        self.tag_start = -1  # offsets of the tag in `text`, -1 when absent
        self.tag_end = -1

    @property
    def name(self) -> str:
        """`registry/repository`, normalised, lower case registry."""
        return f"{self.registry.lower()}/{self.repository}"

    def __repr__(self) -> str:
        return (
            f"ImageRef(registry={self.registry!r}, repository={self.repository!r}, "
            f"tag={self.tag!r}, digest={self.digest!r}, error={self.error!r})"
        )


def parse_reference(text: str) -> ImageRef:
    """Split and normalise a reference; `error` says what is wrong with an invalid one."""
    ref = ImageRef(text)
    at = text.find("@")
    name = text if at < 0 else text[:at]
    if at >= 0:
        ref.digest = text[at + 1 :]
        if not re.fullmatch(_DIGEST, ref.digest):
            ref.error = f"invalid digest '{ref.digest}'"
    colon = name.find(":", name.rfind("/") + 1)
    if colon >= 0:
        ref.tag = name[colon + 1 :]
        ref.tag_start, ref.tag_end = colon + 1, len(name)
        name = name[:colon]
        if not re.fullmatch(_TAG, ref.tag):
            ref.error = ref.error or f"invalid tag '{ref.tag}'"
    slash = name.find("/")
    first = name[:slash]
    if slash >= 0 and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        ref.registry = "docker.io" if first.lower() == "index.docker.io" else first
        name = name[slash + 1 :]
        if not re.fullmatch(_DOMAIN, first):
            ref.error = ref.error or f"invalid registry '{first}'"
    elif "/" not in name:
        name = "library/" + name
    ref.repository = name
    if not re.fullmatch(_PATH, name):
        if re.fullmatch(_PATH, name.lower()):
            ref.error = ref.error or f"repository name '{name}' must be lower case"
        else:
            ref.error = ref.error or f"invalid repository name '{name}'"
    elif len(ref.name) > 255:
        ref.error = ref.error or "repository name is longer than 255 characters"
    return ref


AIRFLOW3_REPOSITORIES = frozenset({"astrocrpublic.azurecr.io/runtime", "air.astronomer.io/runtime"})


def usual_era(ref: ImageRef) -> int:
    """The tag form a Runtime repository is known for: 3 (`X.Y-N`) for the Airflow 3 `runtime`
    repositories (and mirrors named `runtime`), else 2 (`X.Y.Z`, `astro-runtime`)."""
    if ref.name in AIRFLOW3_REPOSITORIES or ref.repository.rsplit("/", 1)[-1] == "runtime":
        return 3
    return 2


def family(ref: ImageRef, extra: Iterable[str] = ()) -> str | None:
    """Which family the image belongs to; `extra` are more `registry/repository` Runtime names."""
    name = ref.name
    found = DEFAULT_REPOSITORIES.get(name)
    if found is None and name.lower() in {e.lower().rstrip("/") for e in extra}:
        return RUNTIME
    return found


class RuntimeTag:
    """A Runtime tag split into its parts."""

    __slots__ = ("era", "flavor", "floating", "key", "line", "python", "suffix", "tag", "variants", "version")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.version = ""  # `12.6.0` or `3.0-4`
        self.era = 0  # 2: X.Y.Z (Airflow 2), 3: X.Y-N (Airflow 3)
        self.key: tuple[int, ...] = ()  # sort key, see `version_key`
        self.line = ""  # support line: `12`, `3.0`
        self.suffix = ""  # everything after the version, as written (`-python-3.11-base`)
        self.flavor = "non-base"  # or `base`
        self.python: str | None = None  # `3.11` from `-python-3.11`
        self.variants: tuple[str, ...] = ()  # `slim`, `ubi9`
        self.floating = False  # `3.1` or `3`: moves with every release

    def with_version(self, version: str) -> str:
        """This tag with another release's version, suffixes kept."""
        return version + self.suffix

    def __repr__(self) -> str:
        return (
            f"RuntimeTag(version={self.version!r}, flavor={self.flavor!r}, "
            f"python={self.python!r}, variants={self.variants!r}, floating={self.floating!r})"
        )


class TagError(ValueError):
    """The tag fits neither Runtime tag form; the message says why and how to fix it."""


def version_key(version: str) -> tuple[int, ...]:
    """Order of Runtime versions: every `X.Y-N` is newer than every `X.Y.Z` (as astro-cli has it)."""
    m = re.fullmatch(_RUNTIME_VERSION, version)
    if m is None:
        raise TagError(f"'{version}' is not a Runtime version (X.Y.Z or X.Y-N)")
    major, minor, patch, build = m.groups()
    if patch is not None:
        return (2, int(major), int(minor), int(patch))
    return (3, int(major), int(minor), int(build))


def support_line(version: str) -> str:
    """The line a release belongs to: the major for `X.Y.Z`, `X.Y` for `X.Y-N`."""
    key = version_key(version)
    return str(key[1]) if key[0] == 2 else f"{key[1]}.{key[2]}"


def parse_runtime_tag(tag: str) -> RuntimeTag:
    """Parse a Runtime tag or raise TagError with a message meant for the user."""
    out = RuntimeTag(tag)
    m = re.match(_RUNTIME_VERSION, tag)
    if m is not None:
        out.version = m.group(0)
        out.key = version_key(out.version)
        out.era = out.key[0]
        out.line = support_line(out.version)
    else:
        floating = re.match(_FLOATING, tag)
        rest = tag[floating.end() :] if floating is not None else ""
        if floating is None or floating.group(1) != "3" or (rest and not rest.startswith("-")):
            raise TagError(_why_not_runtime(tag))
        out.floating = True
        out.version = floating.group(0)
        out.era = 3
        out.line = out.version if "." in out.version else ""
    out.suffix = tag[len(out.version) :]
    if out.suffix and not out.suffix.startswith("-"):
        raise TagError(f"'{tag}': unexpected '{out.suffix}' after the version {out.version}")
    parts = out.suffix.split("-")[1:]
    seen: set[str] = set()
    variants: list[str] = []
    k = 0
    while k < len(parts):
        part = parts[k]
        kind = part
        if part == "python":
            if k + 1 >= len(parts) or not re.fullmatch(_PYTHON, parts[k + 1]):
                raise TagError(f"'{tag}': '-python-' must be followed by a Python version such as 3.11")
            out.python = parts[k + 1]
            k += 1
        elif part == "base":
            if k != len(parts) - 1:
                raise TagError(f"'{tag}': '-base' must come last")
            out.flavor = "base"
        elif part == "slim" or re.fullmatch(_UBI, part):
            kind = "ubi" if part.startswith("ubi") else part
            variants.append(part)
        elif k == 0 and part.isdigit():
            raise TagError(_why_not_runtime(tag))
        else:
            raise TagError(f"'{tag}': unknown suffix '-{part}' (Runtime tags take -python-M.m, -slim, -ubiN, -base)")
        if kind in seen:
            raise TagError(f"'{tag}': '-{part}' appears twice")
        seen.add(kind)
        k += 1
    out.variants = tuple(variants)
    return out


def _why_not_runtime(tag: str) -> str:
    if tag[:1] in ("v", "V") and re.match(_RUNTIME_VERSION, tag[1:]):
        return f"'{tag}': Runtime tags have no 'v' prefix; use '{tag[1:]}'"
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)-(\d+)(.*)", tag)
    if m is not None:
        return f"'{tag}': mixes both tag forms; Runtime tags are X.Y.Z (Airflow 2) or X.Y-N (Airflow 3)"
    m = re.match(r"(\d+)\.(\d+)(?=$|-[a-z])", tag)
    if m is not None and int(m.group(1)) >= 4:
        return f"'{tag}': Airflow 2 Runtime tags have three numbers; did you mean '{m.group(0)}.0{tag[m.end() :]}'?"
    return f"'{tag}' is not a Runtime tag: expected X.Y.Z or X.Y-N, with optional -python-M.m, -slim, -base"
