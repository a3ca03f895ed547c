"""Image references, image families, and the Astro Runtime tag grammar.

Reference grammar and normalisation follow Docker's `distribution/reference`: the first path
component is a registry when it holds a `.` or a `:` or is `localhost` (or has upper case);
otherwise the registry is `docker.io` and a single-name image gets `library/`. A reference
without a tag has tag None: it is not silently `latest`. Like Docker's (Go) grammar, this one is ASCII:
a tag with 'é' or '²' in it is not valid.

Runtime tags come in two eras (see `rules/RL102.md`):
- Airflow 2: `X.Y.Z`, e.g. `12.6.0`; support line: the major (`12`).
- Airflow 3: `X.Y-N`, e.g. `3.0-4`; support line: `X.Y` (`3.0`).
Each may carry the suffixes Astronomer publishes: `-python-M.m`, `-slim`, `-ubiN`, and
`-base` (last). Seen orders: `-python-3.11-slim-base`, `-slim-python-3.12`, `-ubi9-python-3.11`.
"""

from __future__ import annotations

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
    # Airflow 2 (X.Y.Z) tags are published here too (Astronomer image architecture docs, 2025-09)
    "astrocrpublic.azurecr.io/astronomer/astro-runtime": RUNTIME,
    "quay.io/astronomer/ap-airflow": CERTIFIED,
    "docker.io/astronomerinc/ap-airflow": CERTIFIED,
    "docker.io/apache/airflow": AIRFLOW,
}

# A speed device that pays: the grammar is matched by hand, without `re`. Importing `re` costs
# 6.0-6.2 ms of start-up (`python -X importtime -c "import re"`, 5 runs, 2026-12-03), more than
# linting a file, on every pre-commit run of a project whose configuration is cached or absent.
# The regular expressions these matchers implement are in tests/test_image_grammar.py, which
# checks each matcher against its expression. Docker's grammar (Go) is ASCII: so are these sets,
# and where `str.isdigit` or `str.isalnum` is used the text is known to be ASCII (`str.isascii` is O(1)).
_DIGITS = "0123456789"
_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what `str.split()` splits on, in ASCII
_ALNUM = "abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _DIGITS
# `[a-z0-9]` to spaces and ASCII white space to `!`: `.split()` then gives the runs of anything else
_PATH_RUNS = str.maketrans(
    dict.fromkeys("abcdefghijklmnopqrstuvwxyz" + _DIGITS, " ") | dict.fromkeys(_ASCII_SPACE, "!")
)
_PATH_SEPARATORS = frozenset({".", "_", "__", "/", "-", "--"})  # and longer runs of `-`
_HOST_CHARS = frozenset(_ALNUM + ".-")
_IP_CHARS = frozenset(_DIGITS + "abcdefABCDEF:.")
_TAG_CHARS = frozenset(_ALNUM + "_.-")
_HEX_CHARS = frozenset(_DIGITS + "abcdefABCDEF")
_DIGEST_SEPARATORS = str.maketrans("-_+", "...")
_NONZERO = frozenset("123456789")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _is_path(s: str) -> bool:
    """`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` components joined by `/`: the repository."""
    if not s.isascii():
        return False
    runs = s.translate(_PATH_RUNS).split()  # `astro-runtime` -> ["-"]; `Astro` -> ["A"]
    if not _PATH_SEPARATORS.issuperset(runs) and any(run not in _PATH_SEPARATORS and run.strip("-") for run in runs):
        return False
    return bool(s) and s[0] not in "._-/" and s[-1] not in "._-/"


def _is_domain(s: str) -> bool:
    """Host names (labels of letters, digits and inner `-`, joined by `.`) or `[IPv6]`, then `:port`."""
    if s[:1] == "[":
        end = s.find("]")
        if end < 2 or not _IP_CHARS.issuperset(s[1:end]):
            return False
        port = s[end + 1 :]
        if not port:
            return True
        if port[0] != ":":
            return False
        port = port[1:]
    else:
        host, colon, port = s.partition(":")
        if not (host and _HOST_CHARS.issuperset(host)):
            return False
        if host[0] in ".-" or host[-1] in ".-" or ".." in host or ".-" in host or "-." in host:
            return False
        if not colon:
            return True
    return port.isascii() and port.isdigit()


def _is_tag(s: str) -> bool:
    """`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`."""
    return 0 < len(s) <= 128 and s[0] not in ".-" and _TAG_CHARS.issuperset(s)


def _is_digest(s: str) -> bool:
    """`algorithm:hex`: `[A-Za-z][A-Za-z0-9]*` components joined by one of `-_+.`, 32 hex digits or more."""
    algorithm, colon, digits = s.partition(":")
    if not colon or len(digits) < 32 or not _HEX_CHARS.issuperset(digits) or not algorithm.isascii():
        return False
    return all(part.isalnum() and part[0].isalpha() for part in algorithm.translate(_DIGEST_SEPARATORS).split("."))


def _digits_end(s: str, i: int) -> int:
    """Where the run of ASCII digits from `i` ends."""
    return len(s) - len(s[i:].lstrip(_DIGITS))


def _number_end(s: str, i: int) -> int:
    """Where `0|[1-9][0-9]*` matched at `i` ends (as `re.match` would), or -1."""
    c = s[i : i + 1]
    if c == "0":
        return i + 1
    if c not in _NONZERO:
        return -1
    return _digits_end(s, i + 1)


def _match_version(s: str) -> tuple[int, int, int] | None:
    """`re.match` of `X.Y.Z` or `X.Y-N` (numbers `0|[1-9][0-9]*`) at the start of `s`: where X, Y and the
    match end, or None. The separator after Y says which form it is."""
    major = _number_end(s, 0)
    if major < 0 or s[major : major + 1] != ".":
        return None
    minor = _number_end(s, major + 1)
    if minor < 0 or s[minor : minor + 1] not in (".", "-"):
        return None
    end = _number_end(s, minor + 1)
    return None if end < 0 else (major, minor, end)


def _version_key(s: str, match: tuple[int, int, int]) -> tuple[int, ...]:
    """The sort key (see version_key) of the version `_match_version` found at the start of `s`."""
    major, minor, end = match
    return (2 if s[minor] == "." else 3, int(s[:major]), int(s[major + 1 : minor]), int(s[minor + 1 : end]))


def _match_floating(s: str) -> tuple[int, int] | None:
    """`re.match` of `X` or `X.Y` (numbers `0|[1-9][0-9]*`): where X and the match end, or None."""
    major = _number_end(s, 0)
    if major < 0:
        return None
    if s[major : major + 1] == ".":
        minor = _number_end(s, major + 1)
        if minor >= 0:
            return major, minor
    return major, major


def _is_python(s: str) -> bool:
    """`[0-9]+\\.[0-9]+`."""
    major, _, minor = s.partition(".")
    return s.isascii() and major.isdigit() and minor.isdigit()


def _is_ubi(s: str) -> bool:
    """`ubi[0-9]+`."""
    return s.startswith("ubi") and s.isascii() and s[3:].isdigit()


def _is_mixed(s: str) -> bool:
    """`[0-9]+\\.[0-9]+\\.[0-9]+-[0-9]+.*` (`.` is not a newline): both tag forms at once, `X.Y.Z-N`."""
    i = 0
    for sep in ".", ".", "-":
        end = _digits_end(s, i)
        if end == i or s[end : end + 1] != sep:
            return False
        i = end + 1
    return _digits_end(s, i) > i and "\n" not in s


def _match_two_numbers(s: str) -> tuple[int, int] | None:
    """`re.match` of `([0-9]+)\\.[0-9]+(?=$|-[a-z])`: where the first number and the match end, or None."""
    first = _digits_end(s, 0)
    if first == 0 or s[first : first + 1] != ".":
        return None
    end = _digits_end(s, first + 1)
    if end == first + 1:
        return None
    rest = s[end:]
    if rest in ("", "\n") or (rest[0] == "-" and rest[1:2] in _LOWER):  # `$` also matches before a last newline
        return first, end
    return None


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
        if not _is_digest(ref.digest):
            ref.error = f"invalid digest '{clip(ref.digest)}'"
    colon = name.find(":", name.rfind("/") + 1)
    if colon >= 0:
        ref.tag = name[colon + 1 :]
        ref.tag_start, ref.tag_end = colon + 1, len(name)
        name = name[:colon]
        if not _is_tag(ref.tag):
            ref.error = ref.error or f"invalid tag '{clip(ref.tag)}'"
    slash = name.find("/")
    first = name[:slash]
    if slash >= 0 and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        ref.registry = "docker.io" if first.lower() == "index.docker.io" else first
        name = name[slash + 1 :]
        if not _is_domain(first):
            ref.error = ref.error or f"invalid registry '{clip(first)}'"
    # distribution's `splitDockerDomain`: `ruby` and `docker.io/ruby` are both `library/ruby`
    if ref.registry == "docker.io" and "/" not in name:
        name = "library/" + name
    ref.repository = name
    if not _is_path(name):
        if _is_path(name.lower()):
            ref.error = ref.error or f"repository name '{clip(name)}' must be lower case"
        else:
            ref.error = ref.error or f"invalid repository name '{clip(name)}'"
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


MAX_TAG = 128  # Docker's limit


def clip(text: str, limit: int = 80) -> str:
    """`text` for a message: at most `limit` characters of it (an ARG can make a name of any length)."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


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
    match = _match_version(version)
    if match is None or match[2] != len(version):
        raise TagError(f"'{version}' is not a Runtime version (X.Y.Z or X.Y-N)")
    return _version_key(version, match)


def support_line(version: str) -> str:
    """The line a release belongs to: the major for `X.Y.Z`, `X.Y` for `X.Y-N`."""
    return _line(version_key(version))


def _line(key: tuple[int, ...]) -> str:
    return str(key[1]) if key[0] == 2 else f"{key[1]}.{key[2]}"


def parse_runtime_tag(tag: str) -> RuntimeTag:
    """Parse a Runtime tag or raise TagError with a message meant for the user."""
    if len(tag) > MAX_TAG:  # also keeps int() below Python's 4,300-digit limit
        raise TagError(f"'{clip(tag, 32)}' is {len(tag):,} characters long: a tag has at most {MAX_TAG}")
    out = RuntimeTag(tag)
    m = _match_version(tag)
    if m is not None:
        out.version = tag[: m[2]]
        out.key = _version_key(tag, m)
        out.era = out.key[0]
        out.line = _line(out.key)
    else:
        floating = _match_floating(tag)
        rest = tag[floating[1] :] if floating is not None else ""
        if floating is None or tag[: floating[0]] != "3" or (rest and not rest.startswith("-")):
            raise TagError(_why_not_runtime(tag))
        out.floating = True
        out.version = tag[: floating[1]]
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
            if k + 1 >= len(parts) or not _is_python(parts[k + 1]):
                raise TagError(f"'{tag}': '-python-' must be followed by a Python version such as 3.11")
            out.python = parts[k + 1]
            k += 1
        elif part == "base":
            if k != len(parts) - 1:
                raise TagError(f"'{tag}': '-base' must come last")
            out.flavor = "base"
        elif part == "slim" or _is_ubi(part):
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
    if tag[:1] in ("v", "V") and _match_version(tag[1:]) is not None:
        return f"'{tag}': Runtime tags have no 'v' prefix; use '{tag[1:]}'"
    if _is_mixed(tag):
        return f"'{tag}': mixes both tag forms; Runtime tags are X.Y.Z (Airflow 2) or X.Y-N (Airflow 3)"
    m = _match_two_numbers(tag)
    if m is not None and int(tag[: m[0]]) >= 4:
        return f"'{tag}': Airflow 2 Runtime tags have three numbers; did you mean '{tag[: m[1]]}.0{tag[m[1] :]}'?"
    return f"'{tag}' is not a Runtime tag: expected X.Y.Z or X.Y-N, with optional -python-M.m, -slim, -base"
