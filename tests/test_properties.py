"""Properties of the parser, the image grammar and ARG expansion, over generated input (hypothesis).

- parse(text) never raises, for any text; every position it reports is inside the file; a FROM
  operand on one line is exactly the text its raw_span covers.
- parse_runtime_tag round-trips every valid tag (X.Y.Z or X.Y-N with the published suffixes) and
  raises nothing but TagError on anything else; parse_reference never raises.
  (RUNTIME_LINT_EXAMPLES=20000 pytest tests/test_properties.py for a longer search.)
- expand raises nothing but ExpandError, gives one origin per output character, and returns text
  without `$`, quotes or escapes unchanged, origins included.
"""

from __future__ import annotations

import os
import string

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from runtime_lint.dockerfile import Dockerfile, directive, parse
from runtime_lint.expand import Budget, BudgetError, ExpandError, Var, expand
from runtime_lint.image import TagError, parse_reference, parse_runtime_tag, support_line, version_key
from runtime_lint.lines import is_go_space, quoted_words, separated_words
from runtime_lint.model import Span

RT = "quay.io/astronomer/astro-runtime"
EXAMPLES = int(os.environ.get("RUNTIME_LINT_EXAMPLES", "300"))  # raise it for a long hunt
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Dockerfile-like text --------------------------------------------------------------------------------------


KEYWORDS = ["FROM"] * 4 + ["from", "From", "ARG", "ARG", "arg", "RUN", "COPY", "ADD", "ENV", "ONBUILD", "BOGUS"]
OPERANDS = [
    f"{RT}:12.6.0", f"{RT}:12.6.0-python-3.11-base", "astrocrpublic.azurecr.io/runtime:3.0-4", "scratch",
    "builder", "AS", "as", "stage", "--platform=linux/amd64", "--platform=$BUILDPLATFORM", "--bogus", "--platform",
    f"{RT}:$TAG", f"{RT}:${{TAG}}", f"{RT}:${{TAG:-12.6.0}}", "${REG}/${IMG}:${T#v}", "${A:-${B:-${C}}}",
    "TAG=12.8.0", "T=v12.6.0", 'A="x y"', "B='z'", "REG=quay.io", "IMG=astronomer/astro-runtime", "C", "=",
    "<<EOF", "<<-EOF", "<<'EOF'", "$", "${", "}", "'", '"', "é", "\\", "`", "@sha256:" + "a" * 64,
]  # fmt: skip
COMMENTS = [
    "#", "# c", "# syntax=docker/dockerfile:1", "# escape=`", "# escape=\\", "# escape=x", "# check=skip=all",
    "# runtime-lint: ignore=RL204", "# runtime-lint: ignore-file", "# runtime-lint: ignore=RL1,RL2 -- why",
    "# runtime-lint: bogus", "EOF", "\tEOF",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "\t", "  ", "\\\n", "\\ \n", "`\n", "\\\n# comment\n", "\\\n\n", "\\\n  "]


@st.composite
def instruction(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.one_of(st.sampled_from(OPERANDS), st.text(max_size=6)), max_size=6))
    text = draw(st.sampled_from(["", " ", "\t"])) + draw(st.sampled_from(KEYWORDS))
    for word in words:
        text += draw(st.sampled_from(SEPARATORS)) + word
    return text


line = st.one_of(
    instruction(), instruction(), instruction(), st.sampled_from(COMMENTS), st.just(""), st.text(max_size=20)
)
dockerfile_text = st.one_of(
    st.text(max_size=300),
    st.tuples(
        st.sampled_from(["", "\ufeff"]),
        st.lists(line, max_size=25),
        st.sampled_from(["\n", "\r\n"]),
        st.sampled_from(["", "\n"]),
    ).map(lambda t: t[0] + t[2].join(t[1]) + t[3]),
)


def _spans(df: Dockerfile) -> list[Span]:
    spans = [p.span for p in df.problems] + [p.span for p in df.pragmas] + [a.span for a in df.args.values()]
    for inst in df.froms:
        spans += [inst.span, inst.raw_span]
    return spans


def _inside(df: Dockerfile, span: Span) -> bool:
    lines = df.lines
    if not 1 <= span.line <= span.end_line <= len(lines):
        return False
    if span.line == span.end_line and span.column > span.end_column:
        return False
    return (
        1 <= span.column <= len(lines[span.line - 1]) + 1 and 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1
    )


@SETTINGS
@given(dockerfile_text)
@example("FROM \\\n\\\n  quay.io/x:1 AS b\n")
@example("FROM a\\\n")
@example("\ufeffFROM a:1\r\nFROM b AS c\r\n")
@example("# escape=`\nFROM a:`\n1 as x\n")
@example("FROM ${A:-${B:-${C:-" * 40 + "x" + "}" * 120 + "\n")
def test_parse_never_raises_and_positions_are_in_the_file(text: str) -> None:
    df = parse(text)
    for span in _spans(df):
        assert _inside(df, span), (span, df.lines)
    for inst in df.froms:
        span = inst.raw_span
        if span.line == span.end_line:
            assert df.lines[span.line - 1][span.column - 1 : span.end_column - 1] == inst.raw
        assert inst.resolved is None or inst.unresolved == {}
        if inst.resolved is not None:
            assert len(inst.resolved_origins) == len(inst.resolved)
            for origin in inst.resolved_origins:
                if origin is not None:
                    line, column = origin
                    assert 1 <= line <= len(df.lines) and 1 <= column <= len(df.lines[line - 1])


@SETTINGS
@given(dockerfile_text, st.dictionaries(st.sampled_from(["TAG", "A", "B", "T", "C"]), st.text(max_size=20)))
def test_parse_with_build_args_never_raises(text: str, build_args: dict[str, str]) -> None:
    parse(text, build_args)


@SETTINGS
@given(
    st.sampled_from(["", "  ", "\t"]),
    st.sampled_from(["FROM", "from"]),
    st.sampled_from(["", "--platform=linux/arm64 "]),
    st.from_regex(r"[a-z0-9][a-z0-9./:@${}_-]{0,60}", fullmatch=True),
    st.sampled_from(["", " AS stage", " as b"]),
)
def test_a_from_on_one_line_has_its_operand_exactly_under_raw_span(
    lead: str, keyword: str, flag: str, operand: str, alias: str
) -> None:
    text = f"ARG TAG=1\n{lead}{keyword} {flag}{operand}{alias}\n"
    (inst,) = parse(text).froms
    assert inst.raw == operand
    assert inst.raw_span == Span(
        2, len(lead) + len(keyword) + len(flag) + 2, 2, len(lead) + len(keyword) + len(flag) + 2 + len(operand)
    )


# Runtime tags and references ---------------------------------------------------------------------------------

number = st.integers(min_value=0, max_value=9999).map(str)


@st.composite
def runtime_tags(draw: st.DrawFn) -> tuple[str, str, str, str | None, tuple[str, ...]]:
    """(tag, version, flavor, python, variants) for a tag Astronomer could publish."""
    if draw(st.booleans()):
        version = f"{draw(number)}.{draw(number)}.{draw(number)}"
    else:
        version = f"{draw(number)}.{draw(number)}-{draw(number)}"
    python = draw(st.none() | st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True))
    variants = draw(st.lists(st.sampled_from(["slim", "ubi8", "ubi9"]), max_size=1, unique=True))
    parts = [f"python-{python}"] if python is not None else []
    parts += variants
    order = draw(st.permutations(parts))
    base = draw(st.booleans())
    suffix = "".join("-" + p for p in order) + ("-base" if base else "")
    return version + suffix, version, "base" if base else "non-base", python, tuple(v for v in order if v in variants)


@SETTINGS
@given(runtime_tags())
@example(("12.6.0", "12.6.0", "non-base", None, ()))
@example(("3.0-4-python-3.12-slim-base", "3.0-4", "base", "3.12", ("slim",)))
def test_valid_runtime_tags_round_trip(case: tuple[str, str, str, str | None, tuple[str, ...]]) -> None:
    tag, version, flavor, python, variants = case
    parsed = parse_runtime_tag(tag)
    assert (parsed.version, parsed.flavor, parsed.python, parsed.variants) == (version, flavor, python, variants)
    assert parsed.with_version(parsed.version) == tag
    assert parsed.era == (2 if version.count(".") == 2 else 3)
    assert parsed.line == support_line(version)
    assert parsed.key == version_key(version)
    assert not parsed.floating


@SETTINGS
@given(st.one_of(st.text(max_size=80), st.from_regex(r"v?[0-9.\-]{0,12}(-[a-z0-9.]{0,8}){0,4}", fullmatch=True)))
@example("3")
@example("3.1")
@example("12.6.0-python-")
@example("12.6.0-base-slim")
@example("12.6.0-slim-slim")
@example("12.6.0.1-4")
@example("0" * 5000 + ".1.2")
def test_any_string_is_a_tag_or_a_tag_error(text: str) -> None:
    try:
        parsed = parse_runtime_tag(text)
    except TagError as exc:
        assert str(exc)
        return
    assert parsed.tag == text
    if not parsed.floating:
        assert text.startswith(parsed.version) and parsed.with_version(parsed.version) == text


@SETTINGS
@given(st.text(max_size=80))
def test_version_helpers_raise_only_tag_error(text: str) -> None:
    for helper in (version_key, support_line):
        try:
            helper(text)
        except TagError:
            pass


reference_text = st.one_of(
    st.text(max_size=120),
    st.from_regex(
        r"([a-zA-Z0-9.:\[\]-]{0,20}/)?[a-zA-Z0-9._/-]{0,40}(:[\w.-]{0,20})?(@[a-z0-9]+:[0-9a-f]{0,70})?", fullmatch=True
    ),
)


@SETTINGS
@given(reference_text)
@example("localhost:5000/a/b:1@sha256:" + "0" * 64)
@example("[::1]:5000/x")
@example("a" * 300)
@example(":")
@example("@")
@example("/")
def test_parse_reference_never_raises(text: str) -> None:
    ref = parse_reference(text)
    assert ref.text == text
    if ref.tag is not None:
        assert text[ref.tag_start : ref.tag_end] == ref.tag
    else:
        assert ref.tag_start == ref.tag_end == -1


# ARG expansion --------------------------------------------------------------------------------------------

names = st.sampled_from(["A", "B", "TAG", "T", "_x", "TARGETARCH", "BUILDPLATFORM", "UNSET"])
variables = st.dictionaries(
    names,
    st.one_of(st.none(), st.text(max_size=12)),
    max_size=6,
)
WORD_PIECES = [
    "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "'", '"', "\\", "`", "A", "B", "TAG", "x", "1",
    "${A}", "$B", "${TAG:-12.6.0}", "${A:+y}", "${B:?}", "${T##*-}", "${T%.*}", "${A//x/y}", "${A/x}",
    "*", "?", "[", "]", " ", "\n", "é",
]  # fmt: skip
word_text = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(WORD_PIECES), max_size=30).map("".join))


def _env(values: dict[str, str | None]) -> dict[str, Var]:
    env: dict[str, Var] = {}
    for k, (name, value) in enumerate(values.items()):
        origins: list[tuple[int, int] | None] | None = (
            [(1000 + k, column) for column in range(1, len(value) + 1)] if value is not None else None
        )
        env[name] = Var(value, origins)
    return env


@SETTINGS
@given(word_text, variables, st.sampled_from(["\\", "`"]))
@example("${" * 40 + "A" + "}" * 40, {}, "\\")
@example("${A:-" * 40 + "x" + "}" * 40, {}, "\\")
@example("$A" * 500, {"A": "x" * 500}, "\\")
def test_expand_raises_only_expand_error_and_keeps_one_origin_per_character(
    text: str, values: dict[str, str | None], escape: str
) -> None:
    origins: list[tuple[int, int] | None] = [(1, column) for column in range(1, len(text) + 1)]
    env = _env(values)
    try:
        result = expand(text, origins, env, escape)
    except ExpandError:
        return
    assert isinstance(result.text, str)
    assert len(result.origins) == len(result.text)
    allowed = set(origins) | {o for var in env.values() for o in var.origins}
    assert all(o is None or o in allowed for o in result.origins)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.unresolved.items())


plain_text = st.text(alphabet=st.characters(blacklist_characters="$'\"\\`"), max_size=80)


@SETTINGS
@given(plain_text, variables, st.sampled_from(["\\", "`"]))
def test_text_without_dollar_quotes_or_escapes_is_unchanged(
    text: str, values: dict[str, str | None], escape: str
) -> None:
    origins = [(7, column) for column in range(3, len(text) + 3)]
    result = expand(text, list(origins), _env(values), escape)
    assert result.text == text
    assert result.origins == origins
    assert result.unresolved == {}


@SETTINGS
@given(
    st.lists(st.one_of(plain_text, names), max_size=8),
    st.dictionaries(names, st.text(alphabet=string.ascii_letters + ".-", max_size=8), max_size=8),
)
def test_simple_references_are_substitution(pieces: list[str], values: dict[str, str]) -> None:
    """`${NAME}` is replaced by its value (or nothing when unknown), like str.replace would."""
    names_set = {"A", "B", "TAG", "T", "_x", "TARGETARCH", "BUILDPLATFORM", "UNSET"}
    text = "".join("${" + p + "}" if p in names_set else p for p in pieces)
    expected = "".join(values.get(p, "") if p in names_set else p for p in pieces)
    result = expand(text, [None] * len(text), _env(dict(values)))
    assert result.text == expected
    unknown = {p for p in pieces if p in names_set and p not in values}
    assert set(result.unresolved) | set(result.empty) == unknown  # platform ARGs unknown, the others empty
    assert not set(result.unresolved) & set(result.empty)


@pytest.mark.parametrize("escape", ["\\", "`"])
def test_escaped_dollar_is_literal(escape: str) -> None:
    result = expand(f"a{escape}$B", [(1, k) for k in range(1, 5)], {"B": Var("x")}, escape)
    assert result.text == "a$B"
    assert result.origins == [(1, 1), (1, 3), (1, 4)]


@SETTINGS
@given(word_text, st.dictionaries(names, st.text(max_size=40), max_size=6), st.integers(0, 200))
@example("$A$A$A$A$A$A", {"A": "x" * 40}, 100)
@example("${A//?/$A}", {"A": "x" * 40}, 100)
def test_expansion_never_outgrows_its_budget(text: str, values: dict[str, str], limit: int) -> None:
    """Whatever the word, the output is at most its own characters plus what the budget allows."""
    budget = Budget(chars=limit, steps=10_000)
    try:
        result = expand(text, [None] * len(text), _env(dict(values)), "\\", budget)
    except BudgetError:
        assert budget.chars < 0 or budget.steps < 0
        return
    except ExpandError:
        return
    assert len(result.text) <= len(text) + limit
    assert budget.chars >= 0 and budget.steps >= 0


# The parser's re-free helpers against the regexes they replace -------------------------------------------

DIRECTIVE_RE = r"#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*"
directive_text = st.one_of(
    st.text(max_size=30),
    st.lists(
        st.sampled_from(
            ["#", " ", "\t", "=", "syntax", "escape", "Check", "x1", "1x", "é", "`", "\\", "a", "\r", "\x0c"]
        ),
        max_size=10,
    ).map("".join),
)


@given(directive_text)
@SETTINGS
@example("# escape=`")
@example("#escape =  ")
@example("# syntax=docker/dockerfile:1 ")
@example("# 1x=y")
def test_directive_matches_the_grammar_regex(line: str) -> None:
    import re

    m = re.fullmatch(DIRECTIVE_RE, line)
    assert directive(line) == (None if m is None else (m.group(1), m.group(2)))


BLANKS = " \t\x0b\x0c\r\x1c\x1f\x85\xa0\u1680\u2003\u2028\u3000"


@given(st.text(alphabet=BLANKS + "ab=:é", max_size=40), st.integers(0, 45))
@SETTINGS
def test_from_words_are_the_runs_between_buildkit_separators(text: str, offset: int) -> None:
    import re

    expected = [(m.start(), m.end()) for m in re.finditer(r"[^\t\v\f\r ]+", text[offset:])]
    start = min(offset, len(text))
    assert separated_words(text, offset) == [(a + start, b + start) for a, b in expected]


# Go's unicode.IsSpace: these in Latin-1, and elsewhere Unicode's White_Space characters
GO_SPACES = {*"\t\n\v\f\r \x85\xa0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f"}
GO_SPACES |= {"\u205f", "\u3000"}


def test_go_space_is_gos_unicode_isspace() -> None:
    assert [chr(c) for c in range(0x3100) if is_go_space(chr(c))] == sorted(GO_SPACES)


def _buildkit_words(rest: str, escape: str) -> list[str]:
    """BuildKit's parseWords (parser/line_parsers.go), restated: words on Go spaces outside
    quotes, quotes and escapes kept in the word, an escape takes the next character along."""
    words: list[str] = []
    word: list[str] = []
    phase, quote, blank_ok, pos, n = "spaces", "", False, 0, len(rest)
    while pos <= n:
        ch = rest[pos] if pos < n else ""
        if phase == "spaces":
            if pos == n:
                break
            if is_go_space(ch):
                pos += 1
                continue
            phase = "word"
        if pos == n:
            if blank_ok or word:
                words.append("".join(word))
            break
        if phase == "word":
            if is_go_space(ch):
                if blank_ok or word:
                    words.append("".join(word))
                phase, word, blank_ok = "spaces", [], False
                pos += 1
                continue
            if ch in "'\"":
                quote, blank_ok, phase = ch, True, "quote"
            if ch == escape:
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        if ch == quote:
            phase = "word"
        if ch == escape and quote != "'":
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    return words


@given(st.text(alphabet=BLANKS + "ab=\"'\\`$", max_size=40), st.integers(0, 5), st.sampled_from(["\\", "`"]))
@SETTINGS
@example('A="x y" B=2', 0, "\\")
@example("A='x\\' B", 0, "\\")
@example("A=1\xa0B=2\x1cC", 0, "`")
def test_arg_words_are_buildkits_parse_words(text: str, offset: int, escape: str) -> None:
    assume(not text.endswith(escape))  # (BuildKit drops an escape that ends the input; a line cannot)
    words = quoted_words(text, offset, escape)
    assert [text[a:b] for a, b in words] == _buildkit_words(text[offset:], escape)
    for start, end in words:
        assert offset <= start < end <= len(text)


@given(st.text(alphabet=BLANKS + "ab\"'\\$", max_size=40))
@SETTINGS
def test_heredoc_words_without_heredocs_are_arg_words_with_a_backslash(text: str) -> None:
    assume("<<" not in text)
    assert quoted_words(text, 0, "\\", heredoc=True) == quoted_words(text, 0, "\\")


@given(st.text(alphabet="aZ_9\u00e9\u0661\u00b2- .", max_size=12))
@SETTINGS
def test_arg_names_are_letters_digits_and_underscores(name: str) -> None:
    from runtime_lint.dockerfile import _is_name

    assert _is_name(name) == (bool(name) and all(ch.isalnum() or ch == "_" for ch in name))


# Where the parser's old shortcuts and its full path once disagreed ---------------------------------------
# (The shortcuts were dropped: about 3% of a 2,000-file run, below what a second code path must pay.)


@pytest.mark.parametrize(
    ("text", "froms"),
    [
        ("FROM a\n\x0c\nRUN x\nFROM b\n", [(1, "a"), (4, "b")]),  # a line of form feeds is blank
        ("FROM a\nRUN set -e; \\\n# c\n  bash <<EOF\nFROM no\nEOF\nFROM b\n", [(1, "a"), (7, "b")]),
        ("FROM a\nCOPY <\\\n<EOF /x\nFROM no\nEOF\nFROM b\n", [(1, "a"), (6, "b")]),  # `<<` over a continuation
        ("ARG A=1\tB='2 3' C\nFROM img:$A$B\n", [(2, "img:12 3")]),  # a quoted ARG value keeps its blank
    ],
)
def test_froms_where_the_shortcuts_once_disagreed(text: str, froms: list[tuple[int, str]]) -> None:
    assert [(f.span.line, f.resolved) for f in parse(text).froms] == froms


# ---------------------------------------------------------------- RL104's "did you mean" (suggestion)

NAMES = st.text(alphabet="ABCDEFGHIJ_", max_size=8)


def _edits_by_recursion(a: str, b: str) -> int:
    """Levenshtein distance by its definition (exponential: short words only)."""
    if not a or not b:
        return len(a) + len(b)
    if a[0] == b[0]:
        return _edits_by_recursion(a[1:], b[1:])
    return 1 + min(_edits_by_recursion(a[1:], b), _edits_by_recursion(a, b[1:]), _edits_by_recursion(a[1:], b[1:]))


@SETTINGS
@given(st.text(alphabet="ABC", max_size=5), st.text(alphabet="ABC", max_size=5))
def test_edit_distance_is_levenshteins(a: str, b: str) -> None:
    from runtime_lint.checks.tags import _edits

    assert _edits(a, b) == _edits_by_recursion(a, b) == _edits(b, a)


@SETTINGS
@given(NAMES, st.lists(NAMES, max_size=6))
def test_suggestion_is_the_first_closest_name_under_three_edits(name: str, known: list[str]) -> None:
    from runtime_lint.checks.tags import _edits, suggestion

    got = suggestion(name, known)
    if name in known:
        assert got is None  # a known name: the problem lies elsewhere (util/suggest.Search)
        return
    close = [k for k in known if _edits(name, k) < 3]
    if not close:
        assert got is None
        return
    best = min(_edits(name, k) for k in close)
    assert got == next(k for k in close if _edits(name, k) == best)


@SETTINGS
@given(st.text(alphabet=string.ascii_letters + string.digits + "-_.$/:@\u00e9 ", max_size=8))
def test_stage_names_are_buildkits_valid_stage_names(name: str) -> None:
    import re

    from runtime_lint.dockerfile import _is_stage_name

    assert _is_stage_name(name) == (re.fullmatch(r"[a-z][a-z0-9\-_.]*", name) is not None)
