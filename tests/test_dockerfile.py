"""The parser: every FROM, exactly where it is, resolved the way Docker resolves it."""

from __future__ import annotations

import pytest

from runtime_lint.dockerfile import parse
from runtime_lint.expand import NO_DEFAULT, PLATFORM, POSITIONAL, UNDECLARED, UNDECLARED_IN_ARG
from runtime_lint.model import Span

RUNTIME = "quay.io/astronomer/astro-runtime"


def operand_text(text: str, span: Span) -> str:
    """The file text a one-line span covers."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    assert span.line == span.end_line
    return lines[span.line - 1][span.column - 1 : span.end_column - 1]


def test_positions_of_instruction_and_operand() -> None:
    text = "# comment\n\nFROM quay.io/astronomer/astro-runtime:12.6.0 AS Build\n"
    df = parse(text)
    (inst,) = df.froms
    assert inst.span == Span(3, 1, 3, 54)
    assert inst.raw == f"{RUNTIME}:12.6.0"
    assert inst.raw_span == Span(3, 6, 3, 45)
    assert operand_text(text, inst.raw_span) == inst.raw
    assert inst.alias == "Build"  # case kept
    assert inst.resolved == inst.raw
    assert inst.stage_ref is None


def test_platform_flag_is_kept_as_written_and_not_part_of_the_operand() -> None:
    text = "FROM --platform=$BUILDPLATFORM quay.io/astronomer/astro-runtime:12.6.0-base as builder\n"
    (inst,) = parse(text).froms
    assert inst.platform == "$BUILDPLATFORM"
    assert inst.raw == f"{RUNTIME}:12.6.0-base"
    assert operand_text(text, inst.raw_span) == inst.raw
    assert inst.alias == "builder"


@pytest.mark.parametrize("keyword", ["FROM", "from", "From", "fRoM"])
def test_keywords_in_any_case(keyword: str) -> None:
    (inst,) = parse(f"{keyword} {RUNTIME}:12.6.0 As base\n").froms
    assert inst.keyword == keyword
    assert inst.alias == "base"


def test_stage_references_name_earlier_stages_case_insensitively() -> None:
    df = parse(f"FROM {RUNTIME}:12.6.0 AS Builder\nFROM builder\nFROM scratch\nFROM later\nFROM x AS later\n")
    assert [f.stage_ref for f in df.froms] == [None, 0, None, None, None]
    assert df.froms[2].is_scratch
    # a stage named later than its use is not a stage reference: Docker pulls an image `later`
    assert df.froms[3].resolved == "later"


def test_global_args_with_defaults_quotes_and_earlier_args() -> None:
    text = (
        'ARG REGISTRY="quay.io/astronomer"\n'
        "ARG IMAGE=astro-runtime VERSION='12.6.0'\n"
        "ARG REF=${REGISTRY}/${IMAGE}:$VERSION\n"
        "FROM ${REF}\n"
    )
    df = parse(text)
    assert df.froms[0].resolved == f"{RUNTIME}:12.6.0"
    assert df.args["VERSION"].default == "'12.6.0'"
    assert df.args["VERSION"].value.text == "12.6.0"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("${V}", "12.6.0"),
        ("$V", "12.6.0"),
        ("${V:-9.0.0}", "12.6.0"),
        ("${E:-12.7.0}", "12.7.0"),  # empty counts as unset with ':'
        ("${E-12.7.0}", ""),  # ... but not without it
        ("${U-12.7.0}", "12.7.0"),
        ("${U:-12.7.0}", "12.7.0"),
        ("${V:+12.8.0}", "12.8.0"),
        ("${E:+12.8.0}", ""),
        ("${E+12.8.0}", "12.8.0"),
        ("${U+12.8.0}", ""),
        ("${V%.0}", "12.6"),
        ("${V#12.}", "6.0"),
        ("${V/6/7}", "12.7.0"),
        ("${U:-${V:-x}}", "12.6.0"),
        ("${U:-${U2:-${V}}}", "12.6.0"),
    ],
)
def test_substitution_forms(word: str, expected: str) -> None:
    text = f'ARG V=12.6.0\nARG E=""\nARG U\nARG U2\nFROM img:x{word}\n'
    (inst,) = parse(text).froms
    assert not inst.unresolved, inst.unresolved
    assert inst.resolved == f"img:x{expected}"


def test_build_args_override_defaults_and_fill_args_without_default() -> None:
    text = "ARG VERSION=12.6.0\nARG FLAVOR\nFROM quay.io/astronomer/astro-runtime:${VERSION}${FLAVOR}\n"
    (inst,) = parse(text, {"VERSION": "12.8.0", "FLAVOR": "-base"}).froms
    assert inst.resolved == f"{RUNTIME}:12.8.0-base"
    assert inst.resolved_origins[-1] is None  # from --build-arg: no place in the file


def test_build_arg_applies_only_to_declared_args() -> None:
    (inst,) = parse("FROM img:${TAG}\n", {"TAG": "1"}).froms
    assert inst.resolved is None
    assert (inst.unresolved, inst.expansion) == ({"TAG": UNDECLARED}, "img:")


def test_unresolvable_images_are_reported_not_guessed() -> None:
    text = "ARG TAG\nFROM quay.io/astronomer/astro-runtime:${TAG}\nFROM img:$TARGETARCH\nFROM $NOPE\n"
    df = parse(text)
    assert [f.resolved for f in df.froms] == [None, None, None]
    assert df.froms[0].unresolved == {"TAG": NO_DEFAULT}
    assert df.froms[1].unresolved == {"TARGETARCH": PLATFORM}
    assert df.froms[2].unresolved == {"NOPE": UNDECLARED}


def test_args_after_the_first_from_do_not_reach_later_from_lines() -> None:
    text = f"FROM {RUNTIME}:12.6.0\nARG V=12.7.0\nFROM {RUNTIME}:${{V}}\n"
    df = parse(text)
    assert df.froms[1].unresolved == {"V": UNDECLARED}
    assert "V" not in df.args


def test_args_referring_to_each_other_resolve_in_order_without_looping() -> None:
    df = parse("ARG A=$B\nARG B=$A\nFROM img:x${B}\n")
    (inst,) = df.froms
    assert inst.resolved == "img:x"  # A took B's (undeclared, so empty) value; BuildKit builds img:x
    assert (inst.unresolved, inst.empty) == ({}, {"B": UNDECLARED_IN_ARG})


def test_variables_without_a_value_expand_to_empty_and_are_named() -> None:
    """BuildKit builds `12.6.0${VARIANT}` as `12.6.0` (testUndeclaredArg); `img:${TAG}` with TAG
    empty is `img:`, which is not a reference: unresolved, with what it expands to."""
    text = "ARG V\nFROM img:1$V\nFROM img:1$U\nFROM img:1$1\nFROM img:$V\nFROM img:${U:+x}\n"
    df = parse(text)
    got = [(f.resolved, f.unresolved, f.empty, f.expansion) for f in df.froms]
    assert got == [
        ("img:1", {}, {"V": NO_DEFAULT}, None),
        ("img:1", {}, {"U": UNDECLARED}, None),
        ("img:1", {}, {"1": POSITIONAL}, None),
        (None, {"V": NO_DEFAULT}, {"V": NO_DEFAULT}, "img:"),
        (None, {"U": UNDECLARED}, {"U": UNDECLARED}, "img:"),
    ]
    assert df.problems == []


def test_from_split_over_continuation_lines_with_comments_inside() -> None:
    text = (
        "FROM \\\n"
        "    # a comment inside the continuation is dropped\n"
        "\n"
        "    quay.io/astronomer/astro-runtime:12.6.0 \\\n"
        "    AS build\n"
        "RUN echo done\n"
    )
    (inst,) = parse(text).froms
    assert inst.raw == f"{RUNTIME}:12.6.0"
    assert inst.raw_span == Span(4, 5, 4, 44)
    assert inst.alias == "build"
    assert inst.span.line == 1 and inst.span.end_line == 5


def test_operand_split_in_the_middle_spans_two_lines() -> None:
    text = "FROM quay.io/astronomer/astro-runtime:\\\n12.6.0\n"
    (inst,) = parse(text).froms
    assert inst.raw == f"{RUNTIME}:12.6.0"
    assert inst.raw_span == Span(1, 6, 2, 7)
    # each character still knows where it is
    assert inst.resolved_origins[-6] == (2, 1)


def test_escape_directive_backtick() -> None:
    text = "# escape=`\nFROM `\n  quay.io/astronomer/astro-runtime:12.6.0\nRUN dir c:\\\n"
    df = parse(text)
    assert df.escape == "`"
    assert df.directives == {"escape": "`"}
    assert df.froms[0].raw == f"{RUNTIME}:12.6.0"
    assert df.froms[0].raw_span.line == 3


def test_syntax_directive_only_at_the_top() -> None:
    text = "# syntax=docker/dockerfile:1\n# check=error=true\nFROM img:1\n# syntax=other\n# escape=`\nFROM img:2\n"
    df = parse(text)
    assert df.directives == {"syntax": "docker/dockerfile:1", "check": "error=true"}
    assert df.escape == "\\"
    assert [f.raw for f in df.froms] == ["img:1", "img:2"]


def test_directives_end_at_the_first_comment_or_blank_line() -> None:
    df = parse("# hello\n# escape=`\nFROM img\n")
    assert df.directives == {}
    assert df.escape == "\\"


def test_heredoc_bodies_are_not_instructions() -> None:
    text = (
        f"FROM {RUNTIME}:12.6.0\n"
        "RUN <<EOF bash\n"
        "FROM this-is-not-an-instruction:1\n"
        "EOF\n"
        "COPY <<-'CONFIG' /etc/app.conf\n"
        "\tFROM also-not:2\n"
        "\tCONFIG\n"
        f"FROM {RUNTIME}:12.7.0\n"
    )
    df = parse(text)
    assert [f.raw for f in df.froms] == [f"{RUNTIME}:12.6.0", f"{RUNTIME}:12.7.0"]
    assert df.froms[1].raw_span.line == 8


def test_heredoc_after_a_tab() -> None:
    text = f"FROM {RUNTIME}:12.6.0\nRUN\t<<EOF\nFROM not-an-image:1\nEOF\n"
    assert [f.raw for f in parse(text).froms] == [f"{RUNTIME}:12.6.0"]


def test_heredoc_opened_on_a_continuation_line() -> None:
    # after the first FROM, other instructions are skipped without being joined; a heredoc opened
    # past a comment in the continuation must still have its body skipped
    text = (
        f"FROM {RUNTIME}:12.6.0\n"
        "RUN set -e; \\\n"
        "# a comment inside the continuation\n"
        "    bash <<EOF\n"
        "FROM not-an-image:1\n"
        "EOF\n"
        "COPY --chmod=755 \\\n"
        "  <<-'S' /s.sh\n"
        "\tFROM also-not:2\n"
        "\tS\n"
        "RUN echo '<' \\\n"
        "  && echo done\n"
        f"FROM {RUNTIME}:12.7.0\n"
    )
    df = parse(text)
    assert [(f.raw, f.span.line) for f in df.froms] == [(f"{RUNTIME}:12.6.0", 1), (f"{RUNTIME}:12.7.0", 13)]


def test_unknown_instructions_from_custom_frontends_are_ignored() -> None:
    df = parse(f"FROM {RUNTIME}:12.6.0\nFROBNICATE all the things\nFROM {RUNTIME}:12.7.0\n")
    assert len(df.froms) == 2
    assert df.problems == []


def test_crlf_bom_tabs_and_no_final_newline() -> None:
    text = f"\ufeffARG V=12.6.0\r\n\tFROM\t{RUNTIME}:${{V}}\tAS\tx\r\nRUN true"
    (inst,) = parse(text).froms
    assert inst.resolved == f"{RUNTIME}:12.6.0"
    assert inst.raw_span == Span(2, 7, 2, 7 + len(f"{RUNTIME}:${{V}}"))
    assert inst.alias == "x"
    assert inst.resolved_origins[-6:] == [(1, 7 + k) for k in range(6)]  # the ARG default's characters


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "RUN echo no from\n", "\ufeff"])
def test_files_without_from(text: str) -> None:
    df = parse(text)
    assert df.froms == []


def test_instruction_before_first_from_is_a_located_problem() -> None:
    df = parse("RUN echo hi\nFROM img:1\n")
    assert len(df.problems) == 1
    assert df.problems[0].span.line == 1
    assert len(df.froms) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("FROM", "FROM requires"),
        ("FROM a b", "FROM requires"),
        ("FROM a AS", "FROM requires"),
        ("FROM --platform linux/amd64 img", "missing a value"),
        ("FROM --pull=always img", "unknown flag"),
        ("FROM img:${V", "cannot expand"),
        ("FROM img:${V:x}", "cannot expand"),
        ("FROM img:${}", "cannot expand"),
        ("FROM 'img", "cannot expand"),
        ("ARG 1BAD=x", "invalid ARG name"),
    ],
)
def test_lines_it_cannot_parse_become_problems_and_parsing_goes_on(line: str, message: str) -> None:
    text = f"{line}\nFROM {RUNTIME}:12.6.0\n"
    df = parse(text)
    assert any(message in p.message for p in df.problems), df.problems
    assert all(p.span.line == 1 for p in df.problems)
    assert df.froms[-1].resolved == f"{RUNTIME}:12.6.0"


def test_pragmas_attach_to_the_next_from_only() -> None:
    text = (
        "# runtime-lint: ignore=RL204,rl103 -- pinned on purpose\n"
        "# an ordinary comment between\n"
        f"FROM {RUNTIME}:12.6.0\n"
        f"FROM {RUNTIME}:12.6.0\n"
        "# runtime-lint: ignore=RL204\n"
        "\n"
        f"FROM {RUNTIME}:12.6.0\n"
        "# runtime-lint: ignore-file=RL103\n"
        "# runtime-lint: disable=RL204\n"
    )
    df = parse(text)
    assert [[p.codes for p in f.pragmas] for f in df.froms] == [[("RL204", "RL103")], [], []]
    assert df.froms[0].pragmas[0].reason == "pinned on purpose"
    kinds = [p.kind for p in df.pragmas]
    assert kinds == ["ignore", "ignore", "ignore-file", "invalid"]


def test_digest_and_tag_are_kept_in_the_operand() -> None:
    digest = "sha256:" + "a" * 64
    (inst,) = parse(f"FROM {RUNTIME}:12.6.0@{digest}\n").froms
    assert inst.resolved == f"{RUNTIME}:12.6.0@{digest}"


@pytest.mark.parametrize("blank", ["\x0c", "\x0b", "\x1c", "\x85", "\u3000", "\t\x0c "])
def test_a_line_of_other_whitespace_after_a_from(blank: str) -> None:
    # found by atheris: after the first FROM, a line of whitespace other than spaces and tabs
    # (which BuildKit keeps as a line) must not stop the parser
    df = parse(f"FROM {RUNTIME}:12.6.0\n{blank}\nFROM {RUNTIME}:12.7.0\n")
    assert [f.raw for f in df.froms] == [f"{RUNTIME}:12.6.0", f"{RUNTIME}:12.7.0"]
