r"""The hand-written image grammar of runtime_lint.image against the regular expressions it replaces.

runtime_lint.image does not use `re`: importing `re` costs about 6 ms of start-up, more than linting a
file, so the reference and Runtime tag grammars are matched by hand. The regular expressions below are
the grammar's documentation and the oracle. Each hand-written matcher, and parse_reference,
parse_runtime_tag, version_key and support_line as a whole (against a copy of the regex-based
functions they replace), must give the same answers on generated text that hits the edge cases.

One deliberate difference from the former regex version: Docker's grammar (Go's regexp) is ASCII-only,
so a tag is `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` (Python's `\w` also took 'é' or Arabic-Indic digits), and
the digits in the hints for non-Runtime tags are ASCII `[0-9]` (Python's `\d` took Arabic-Indic ones).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from conftest import COMPILED, PACKAGE_PARENT, ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from runtime_lint import image
from runtime_lint.image import (
    ImageRef,
    RuntimeTag,
    TagError,
    clip,
    parse_reference,
    parse_runtime_tag,
    support_line,
    version_key,
)

# RUNTIME_LINT_EXAMPLES (as in test_properties.py) raises it for a longer search
ORACLE = settings(
    max_examples=max(1000, int(os.environ.get("RUNTIME_LINT_EXAMPLES", "0"))),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# The grammar, as regular expressions (Docker's distribution/reference, and the Runtime tag forms) -------

NAME_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
DOMAIN = rf"(?:{DOMAIN_COMPONENT}(?:\.{DOMAIN_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
PATH = rf"{NAME_COMPONENT}(?:/{NAME_COMPONENT})*"
TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"  # was r"[\w][\w.-]{0,127}", Unicode in Python
DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

RUNTIME_VERSION = r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|-(0|[1-9][0-9]*))"
FLOATING = r"(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?"  # `3`, `3.1`: Airflow 3 only
PYTHON = r"[0-9]+\.[0-9]+"
UBI = r"ubi[0-9]+"
MIXED = r"([0-9]+)\.([0-9]+)\.([0-9]+)-([0-9]+)(.*)"  # hints; were `\d`, Unicode in Python
TWO_NUMBERS = r"([0-9]+)\.([0-9]+)(?=$|-[a-z])"


# The regex-based functions runtime_lint.image had, kept as the reference ------------------------------


def ref_parse_reference(text: str) -> ImageRef:
    ref = ImageRef(text)
    at = text.find("@")
    name = text if at < 0 else text[:at]
    if at >= 0:
        ref.digest = text[at + 1 :]
        if not re.fullmatch(DIGEST, ref.digest):
            ref.error = f"invalid digest '{clip(ref.digest)}'"
    colon = name.find(":", name.rfind("/") + 1)
    if colon >= 0:
        ref.tag = name[colon + 1 :]
        ref.tag_start, ref.tag_end = colon + 1, len(name)
        name = name[:colon]
        if not re.fullmatch(TAG, ref.tag):
            ref.error = ref.error or f"invalid tag '{clip(ref.tag)}'"
    slash = name.find("/")
    first = name[:slash]
    if slash >= 0 and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        ref.registry = "docker.io" if first.lower() == "index.docker.io" else first
        name = name[slash + 1 :]
        if not re.fullmatch(DOMAIN, first):
            ref.error = ref.error or f"invalid registry '{clip(first)}'"
    if ref.registry == "docker.io" and "/" not in name:  # distribution's splitDockerDomain
        name = "library/" + name
    ref.repository = name
    if not re.fullmatch(PATH, name):
        if re.fullmatch(PATH, name.lower()):
            ref.error = ref.error or f"repository name '{clip(name)}' must be lower case"
        else:
            ref.error = ref.error or f"invalid repository name '{clip(name)}'"
    elif len(ref.name) > 255:
        ref.error = ref.error or "repository name is longer than 255 characters"
    return ref


def ref_version_key(version: str) -> tuple[int, ...]:
    m = re.fullmatch(RUNTIME_VERSION, version)
    if m is None:
        raise TagError(f"'{version}' is not a Runtime version (X.Y.Z or X.Y-N)")
    major, minor, patch, build = m.groups()
    if patch is not None:
        return (2, int(major), int(minor), int(patch))
    return (3, int(major), int(minor), int(build))


def ref_support_line(version: str) -> str:
    key = ref_version_key(version)
    return str(key[1]) if key[0] == 2 else f"{key[1]}.{key[2]}"


def ref_parse_runtime_tag(tag: str) -> RuntimeTag:
    if len(tag) > 128:  # added after the regex version: Docker's limit, and int()'s 4,300 digits
        raise TagError(f"'{clip(tag, 32)}' is {len(tag):,} characters long: a tag has at most 128")
    out = RuntimeTag(tag)
    m = re.match(RUNTIME_VERSION, tag)
    if m is not None:
        out.version = m.group(0)
        out.key = ref_version_key(out.version)
        out.era = out.key[0]
        out.line = ref_support_line(out.version)
    else:
        floating = re.match(FLOATING, tag)
        rest = tag[floating.end() :] if floating is not None else ""
        if floating is None or floating.group(1) != "3" or (rest and not rest.startswith("-")):
            raise TagError(ref_why_not_runtime(tag))
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
            if k + 1 >= len(parts) or not re.fullmatch(PYTHON, parts[k + 1]):
                raise TagError(f"'{tag}': '-python-' must be followed by a Python version such as 3.11")
            out.python = parts[k + 1]
            k += 1
        elif part == "base":
            if k != len(parts) - 1:
                raise TagError(f"'{tag}': '-base' must come last")
            out.flavor = "base"
        elif part == "slim" or re.fullmatch(UBI, part):
            kind = "ubi" if part.startswith("ubi") else part
            variants.append(part)
        elif k == 0 and part.isdigit():
            raise TagError(ref_why_not_runtime(tag))
        else:
            raise TagError(f"'{tag}': unknown suffix '-{part}' (Runtime tags take -python-M.m, -slim, -ubiN, -base)")
        if kind in seen:
            raise TagError(f"'{tag}': '-{part}' appears twice")
        seen.add(kind)
        k += 1
    out.variants = tuple(variants)
    return out


def ref_why_not_runtime(tag: str) -> str:
    if tag[:1] in ("v", "V") and re.match(RUNTIME_VERSION, tag[1:]):
        return f"'{tag}': Runtime tags have no 'v' prefix; use '{tag[1:]}'"
    m = re.fullmatch(MIXED, tag)
    if m is not None:
        return f"'{tag}': mixes both tag forms; Runtime tags are X.Y.Z (Airflow 2) or X.Y-N (Airflow 3)"
    m = re.match(TWO_NUMBERS, tag)
    if m is not None and int(m.group(1)) >= 4:
        return f"'{tag}': Airflow 2 Runtime tags have three numbers; did you mean '{m.group(0)}.0{tag[m.end() :]}'?"
    return f"'{tag}' is not a Runtime tag: expected X.Y.Z or X.Y-N, with optional -python-M.m, -slim, -base"


# Generated text ---------------------------------------------------------------------------------------

# \u212a: Kelvin sign, lower-cases to an ASCII 'k'; \xa0, \u2003: white space `str.split()` splits on
UNICODE = ["é", "\u0661", "²", "ß", "İ", "\u212a", "\xa0", "\u2003"]
TOKENS = [
    "a", "b", "f", "g", "k", "v", "x", "z", "A", "F", "G", "V", "Z", "0", "1", "3", "4", "9",
    ".", "-", "_", "__", ":", "/", "@", "[", "]", "+", " ", "\t", "\n",
    "python", "base", "slim", "ubi", "sha256", "localhost", *UNICODE,
]  # fmt: skip
edge_text = st.lists(st.sampled_from(TOKENS), max_size=24).map("".join)


def joined(tokens: list[str], max_size: int, sep: str = "", min_size: int = 0) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens), min_size=min_size, max_size=max_size).map(sep.join)


def runs(alphabet: str, separators: list[str], max_runs: int = 3) -> st.SearchStrategy[str]:
    """Runs of `alphabet` joined by `separators`: `a-b.c`."""
    run = st.text(alphabet=alphabet, min_size=1, max_size=3)
    return st.lists(st.tuples(st.sampled_from(separators), run), min_size=1, max_size=max_runs).map(
        lambda pairs: "".join(sep + text for sep, text in pairs)[len(pairs[0][0]) :]
    )


FLAWS = ["-", ".", "_", "__", ":", "/", "@", "[", "]", "+", " ", "\n", "A", "a", "0", "", *UNICODE]


def _flaw(text: str, at: int, flaw: str, replace: bool) -> str:
    at %= len(text) + 1
    return text[:at] + flaw + text[at + replace :]


def flawed(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid text, and the same with one flaw put in or swapped in at some place."""
    return st.one_of(valid, st.builds(_flaw, valid, st.integers(0, 200), st.sampled_from(FLAWS), st.booleans()))


def near(pattern: str) -> st.SearchStrategy[str]:
    """Text a (small) pattern matches, with or without one flaw."""
    return flawed(st.from_regex(pattern, fullmatch=True))


name_component = joined(["a", "z", "0", "9", "ab", "x1", ".", "_", "__", "___", "-", "--", "A", *UNICODE], 6)
valid_paths = st.lists(runs("az09", [".", "_", "__", "-", "--", "---"]), min_size=1, max_size=3).map("/".join)
paths = st.one_of(st.lists(name_component, min_size=1, max_size=4).map("/".join), flawed(valid_paths))

ports = st.sampled_from(["", "", ":", ":5000", ":0", ":5a", ":\u0661", "::1", ":50:00", ":5000\n"])
domain_label = joined(["a", "z", "A", "Z", "0", "9", "ab", "-", "--", "_", *UNICODE], 4)
dashed_label = st.builds(  # a valid label, or one with a `-` at an end
    lambda head, label, tail: head + label + tail,
    st.sampled_from(["", "", "", "-"]),
    runs("azAZ09", ["-", "--"]),
    st.sampled_from(["", "", "", "-"]),
)
hosts = st.lists(st.one_of(domain_label, dashed_label), min_size=1, max_size=3).map(".".join)
brackets = joined(["0", "f", "F", "g", ":", ".", "::", "1", "]", "[", "é", "\u0661"], 6).map(lambda s: f"[{s}]")
valid_domains = st.builds(
    str.__add__,
    st.one_of(
        st.lists(runs("azAZ09", ["-", "--"]), min_size=1, max_size=3).map(".".join),
        st.text(alphabet="09afAF:.", min_size=1, max_size=8).map(lambda s: f"[{s}]"),
    ),
    st.sampled_from(["", ":5000", ":0"]),
)
domains = st.one_of(
    flawed(valid_domains),
    st.sampled_from(["localhost", "Localhost", "index.docker.io", "INDEX.docker.io", "quay.io", "Quay.io", "[::1]"]),
    st.builds(str.__add__, st.one_of(hosts, brackets), ports),
)

TAG_CHARS = "azAZ09_.-"
tags = st.one_of(
    flawed(st.builds(str.__add__, st.sampled_from("aZ0_"), st.text(alphabet=TAG_CHARS, max_size=12))),
    joined(["a", "Z", "0", "9", "_", ".", "-", "é", "\u0661", "²", "\u212a", " ", ":", "\n"], 10),
    st.builds(
        lambda head, n, tail: head + "a" * n + tail,
        st.sampled_from(["", ".", "-", "_", "é", "1"]),
        st.integers(min_value=120, max_value=130),
        st.sampled_from(["", "é", ".", "a", "-", "\n"]),
    ),
)

algorithms = joined(["sha256", "sha", "a", "Z", "a1", "1", "é", "-", "_", "+", ".", "..", ":"], 5)
hex_digits = st.text(alphabet="0123456789abcdefABCDEF", min_size=28, max_size=36)
algorithm_component = st.builds(str.__add__, st.sampled_from("azAZ"), st.text(alphabet="azAZ09", max_size=3))
valid_algorithms = st.lists(st.tuples(st.sampled_from("-_+."), algorithm_component), min_size=1, max_size=3).map(
    lambda pairs: "".join(sep + part for sep, part in pairs)[1:]
)
digests = st.one_of(
    flawed(
        st.builds(
            lambda algorithm, digits: f"{algorithm}:{digits}",
            valid_algorithms,
            st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=34),
        )
    ),
    st.builds(
        lambda algorithm, colon, digits, bad: algorithm + colon + digits + bad,
        algorithms,
        st.sampled_from([":", ":", ""]),
        hex_digits,
        st.sampled_from(["", "", "g", "é", "\u0661", ":", "\n", "0"]),
    ),
)


@st.composite
def references(draw: st.DrawFn) -> str:
    text = draw(domains) + "/" if draw(st.booleans()) else ""
    text += draw(paths)
    if draw(st.booleans()):
        text += ":" + draw(tags)
    if draw(st.booleans()):
        text += "@" + draw(digests)
    cases: list[Callable[[str], str]] = [str, str, str, str.upper, str.title]
    case = draw(st.sampled_from(cases))
    return case(text)


NUMBERS = ["0", "00", "01", "1", "3", "4", "9", "12", "10", "007", "\u0661", "²", ""]
SUFFIXES = [
    "python", "3.11", "3.1\u0661", "3", "11", "3.", "base", "slim", "ubi9", "ubi", "ubi²", "rc1", "x", "", "4",
    "\u0661",
]  # fmt: skip


@st.composite
def runtime_like(draw: st.DrawFn) -> str:
    """Near-Runtime tags: a few numbers with separators, suffixes, and some junk."""
    text = draw(st.sampled_from(["", "", "", "", "v", "V"])) + draw(st.sampled_from(NUMBERS))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        text += draw(st.sampled_from([".", ".", "-", "", ".-", "x"])) + draw(st.sampled_from(NUMBERS))
    text += "".join("-" + part for part in draw(st.lists(st.sampled_from(SUFFIXES), max_size=5)))
    return text + draw(st.sampled_from(["", "", "", "\n", "rc1", "-a", "-\n", "é", ".0", "-Base"]))


runtime_tags = st.one_of(
    runtime_like(),
    near(rf"{RUNTIME_VERSION}(-python-[0-9]{{1,2}}\.[0-9]{{1,2}})?(-slim|-ubi[0-9])?(-base)?"),
    near(r"v?[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?(-[0-9a-z]{1,3})?(-base)?"),  # hints, floating tags
)


# Each matcher against its regular expression ---------------------------------------------------------


def span_of(pattern: str, text: str, groups: int) -> tuple[int, ...] | None:
    """`re.match`: where each of the first `groups` groups ends, then where the match ends."""
    m = re.match(pattern, text)
    if m is None:
        return None
    return (*(m.end(k) for k in range(1, groups + 1)), m.end())


@ORACLE
@given(st.one_of(edge_text, paths, paths.map(str.upper)))
@example("a__b")
@example("a___b")
@example("a---b/c")
@example("a/-b")
@example("\u212a")
def test_path_matcher(text: str) -> None:
    assert image._is_path(text) == bool(re.fullmatch(PATH, text))


@ORACLE
@given(st.one_of(edge_text, domains))
@example("localhost:5000")
@example("a-.b")
@example("a.-b")
@example("a..b")
@example("-a")
@example("a-")
@example("[]")
@example("[::1]:")
@example("a:5000\n")
def test_domain_matcher(text: str) -> None:
    assert image._is_domain(text) == bool(re.fullmatch(DOMAIN, text))


@ORACLE
@given(st.one_of(edge_text, tags))
@example("a" * 128)
@example("a" * 129)
@example("_")
@example("é")
def test_tag_matcher(text: str) -> None:
    assert image._is_tag(text) == bool(re.fullmatch(TAG, text))


@ORACLE
@given(st.one_of(edge_text, digests))
@example("sha256:" + "0" * 32)
@example("sha256:" + "0" * 31)
@example("a+b.c_d-e:" + "F" * 40)
@example("a+1:" + "F" * 40)
def test_digest_matcher(text: str) -> None:
    assert image._is_digest(text) == bool(re.fullmatch(DIGEST, text))


@ORACLE
@given(st.one_of(edge_text, runtime_tags))
@example("12.6.01")
@example("0.0-0")
@example("01.2.3")
def test_version_matcher(text: str) -> None:
    assert image._match_version(text) == span_of(RUNTIME_VERSION, text, 2)


@ORACLE
@given(st.one_of(edge_text, runtime_tags))
@example("3.01")
@example("3.")
@example("30")
def test_floating_matcher(text: str) -> None:
    assert image._match_floating(text) == span_of(FLOATING, text, 1)


@ORACLE
@given(st.one_of(edge_text, st.sampled_from(SUFFIXES), joined(["0", "1", ".", "\u0661", "²", "ubi", "x"], 4)))
def test_python_and_ubi_matchers(text: str) -> None:
    assert image._is_python(text) == bool(re.fullmatch(PYTHON, text))
    assert image._is_ubi(text) == bool(re.fullmatch(UBI, text))


@ORACLE
@given(st.one_of(edge_text, runtime_tags))
@example("1.2.3-4\n")
@example("1.2.3-4x\ny")
@example("12.6\n")
@example("12.6\n\n")
@example("12.6-")
@example("12.6-a")
def test_hint_matchers(text: str) -> None:
    assert image._is_mixed(text) == bool(re.fullmatch(MIXED, text))
    assert image._match_two_numbers(text) == span_of(TWO_NUMBERS, text, 1)


# The functions as a whole against the regex-based reference -------------------------------------------


def outcome(func: Callable[[str], object], text: str) -> object:
    try:
        value = func(text)
    except ValueError as exc:  # TagError included
        return type(exc).__name__, str(exc)
    if isinstance(value, RuntimeTag):
        return {slot: getattr(value, slot) for slot in fields(RuntimeTag)}
    if isinstance(value, ImageRef):
        return {slot: getattr(value, slot) for slot in fields(ImageRef)} | {"name": value.name}
    return value


def fields(cls: type) -> tuple[str, ...]:
    """A class's attributes: its `__slots__`, or, compiled by mypyc (which drops `__slots__`), the
    attribute list mypyc keeps."""
    names: tuple[str, ...] = getattr(cls, "__slots__", None) or cls.__mypyc_attrs__  # type: ignore[attr-defined]
    assert names, cls
    return names


@ORACLE
@given(st.one_of(edge_text, references()))
@example("quay.io/astronomer/astro-runtime:12.6.0-python-3.11-base")
@example("img:café")
@example("\u212a/x:1")
@example("İ/x")
@example("localhost:5000/a/b:1@sha256:" + "0" * 64)
@example("a" * 300)
def test_parse_reference_matches_the_regex_version(text: str) -> None:
    assert outcome(parse_reference, text) == outcome(ref_parse_reference, text)


@ORACLE
@given(st.one_of(edge_text, runtime_tags))
@example("12.6.0-python-3.11-base")
@example("3")
@example("3.1-base")
@example("3-x")
@example("v12.6.0")
@example("12.6\n")
@example("12.6-a")
@example("\u0661\u0662.6")
@example("\u0661\u0662.\u0666.\u0660-\u0664")
@example("12.6.0-\u0661")
def test_parse_runtime_tag_matches_the_regex_version(text: str) -> None:
    assert outcome(parse_runtime_tag, text) == outcome(ref_parse_runtime_tag, text)


@ORACLE
@given(st.one_of(edge_text, runtime_tags))
@example("3.10-1")
@example("0.0.0")
def test_version_helpers_match_the_regex_version(text: str) -> None:
    assert outcome(version_key, text) == outcome(ref_version_key, text)
    assert outcome(support_line, text) == outcome(ref_support_line, text)


# The deliberate change: the grammar is ASCII, as in Docker ---------------------------------------------


@pytest.mark.parametrize("tag", ["café", "\u0661", "x²", "ß", "\u212a", "12.6.0-é"])
def test_a_tag_with_non_ascii_letters_or_digits_is_invalid(tag: str) -> None:
    assert re.fullmatch(r"[\w][\w.-]{0,127}", tag)  # what the Python regex wrongly accepted
    ref = parse_reference(f"quay.io/astronomer/astro-runtime:{tag}")
    assert ref.error == f"invalid tag '{tag}'"
    assert ref.tag == tag


def test_ascii_tags_stay_valid() -> None:
    assert parse_reference("img:_A-z.0").error is None
    assert parse_reference("img:" + "a" * 128).error is None
    assert parse_reference("img:" + "a" * 129).error == f"invalid tag '{'a' * 77}...'"  # clipped at 80


@pytest.mark.parametrize("tag", ["\u0661\u0662.\u0666.\u0660-\u0664", "\u0661\u0662.6.0-4"])
def test_non_ascii_digits_do_not_make_a_mixed_form_hint(tag: str) -> None:
    with pytest.raises(TagError) as exc:
        parse_runtime_tag(tag)
    assert "is not a Runtime tag" in str(exc.value)
    assert "mixes both" not in str(exc.value)


def test_non_ascii_digits_do_not_make_a_three_numbers_hint() -> None:
    with pytest.raises(TagError) as exc:
        parse_runtime_tag("\u0661\u0662.6")
    assert "is not a Runtime tag" in str(exc.value)
    assert "did you mean" not in str(exc.value)
    with pytest.raises(TagError, match=r"did you mean '12\.6\.0-slim'"):
        parse_runtime_tag("12.6-slim")


def test_the_white_space_a_path_matcher_hides_is_all_the_ascii_white_space() -> None:
    assert set(image._ASCII_SPACE) == {c for c in map(chr, range(128)) if c.isspace()}


# Start-up: no `re`, on any path ------------------------------------------------------------------------

NO_RE = textwrap.dedent(
    """
    import sys
    before = set(sys.modules)
    from runtime_lint.image import (
        TagError, family, parse_reference, parse_runtime_tag, support_line, usual_era, version_key,
    )
    imported = sorted(set(sys.modules) - before)
    refs = [
        "quay.io/astronomer/astro-runtime:12.6.0-python-3.11-base", "ubuntu", "Quay.io/X/y:é@sha256:zz",
        "[::1]:5000/a/b:1@sha256:" + "0" * 64, "localhost/a--b/c__d", "a/B", "İ/x:1", "a" * 300, ":", "@", "/",
    ]
    for text in refs:
        ref = parse_reference(text)
        family(ref, ["mirror/x"])
        usual_era(ref)
    tags = [
        "12.6.0-python-3.11-slim-base", "3.1-1-ubi9", "3", "3.1-base", "v12.6.0", "12.6.0-4", "12.6",
        "12.6-slim", "12.6.0-x", "12.6.0-1", "12.6.0-python-x", "12.6.0-base-slim", "12.6.0-slim-slim",
        "12.6.0rc1", "latest", "\u0661\u0662.\u0666.\u0660-\u0664", "",
    ]
    for tag in tags:
        try:
            parse_runtime_tag(tag)
        except TagError:
            pass
    for version in ["12.6.0", "3.0-4", "x"]:
        try:
            version_key(version)
            support_line(version)
        except TagError:
            pass
    print(" ".join(imported))
    print("re" in sys.modules, sorted(m for m in sys.modules if m.startswith("re.") or m == "sre_compile"))
    """
)


def test_image_module_never_imports_re() -> None:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_PARENT)}
    proc = subprocess.run(
        [sys.executable, "-c", NO_RE], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    imported, uses_re = proc.stdout.splitlines()
    assert uses_re == "False []"
    # nothing heavy either: the package, the module, and `__future__` (for annotations); compiled,
    # also mypyc's shared library and what its loader uses (about 0.3 ms, paid once)
    allowed = {"__future__", "runtime_lint", "runtime_lint.image"}
    if COMPILED:
        allowed |= {"runtime_lint__mypyc", "importlib", "importlib._bootstrap", "importlib._bootstrap_external"}
        allowed |= {"importlib.machinery", "warnings"}
    assert set(imported.split()) <= allowed
