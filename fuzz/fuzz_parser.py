#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris / libFuzzer) of the parser, ARG expansion and the image grammar.

    pip install atheris
    python fuzz/fuzz_parser.py -dict=fuzz/dockerfile.dict -max_total_time=600 \
        -artifact_prefix=/tmp/fuzz-artifacts/ /tmp/fuzz-corpus fuzz/seeds

Every input is read as UTF-8 (invalid bytes replaced, as engine.decode would refuse them) and:
- parsed as a Dockerfile, with and without --build-arg values: parse() must not raise, every
  position must lie inside the file, a one-line FROM operand must be exactly the text its
  raw_span covers, resolved names must have one origin per character;
- each resolved FROM goes through parse_reference / family / parse_runtime_tag (TagError only);
- the text itself is expanded as an ARG default (ExpandError only) and parsed as a reference
  and as a Runtime tag;
- for half of the inputs, engine.lint_text runs every rule on it (nothing may raise).
A crash, an unexpected exception, a unit slower than -timeout (default 1200 s; pass -timeout=10)
or memory over -rss_limit_mb (default 2048) is a finding: add the input as a regression test.
"""

from __future__ import annotations

import sys
from datetime import date

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports():
    from runtime_lint import catalog as catalog_module
    from runtime_lint.checks import all_rules
    from runtime_lint.config import Config, resolve
    from runtime_lint.dockerfile import Dockerfile, parse, snapshot
    from runtime_lint.engine import lint_text
    from runtime_lint.expand import ExpandError, Var, expand
    from runtime_lint.image import TagError, family, parse_reference, parse_runtime_tag
    from runtime_lint.model import Span

DAY = date(2026, 11, 28)
RULES = all_rules()
POLICY = {  # every rule on, the ones that need a setting included
    "select": ["ALL"],
    "allowed-registries": ["quay.io/astronomer", "astrocrpublic.azurecr.io"],
    "required-channel": "stable",
    "minimum-version": "12.0.0",
}
SETTINGS = resolve(Config(None, "/", POLICY), {"as-of": DAY}, RULES, "Dockerfile", DAY)
CATALOG = catalog_module.load(None, cache="/nonexistent/runtime-lint-fuzz-cache.json")

ENVS: tuple[dict[str, Var], ...] = (
    {},
    {"TAG": Var("12.6.0", [(1, k) for k in range(1, 7)]), "A": Var(None), "B": Var("")},
    {"REG": Var("quay.io"), "T": Var("v3.0-4-python-3.12-base"), "BUILDPLATFORM": Var(None)},
)


def _check_span(df: Dockerfile, span: Span, what: str) -> None:
    lines = df.lines
    ok = 1 <= span.line <= span.end_line <= len(lines) and 1 <= span.column <= len(lines[span.line - 1]) + 1
    ok = ok and 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1
    ok = ok and (span.line < span.end_line or span.column <= span.end_column)
    if not ok:
        raise AssertionError(f"{what} span {span} outside the file ({len(lines)} lines)")


def check_dockerfile(text: str, build_args: dict[str, str] | None) -> None:
    df = parse(text, build_args)
    if snapshot(parse(text, build_args)) != snapshot(df):
        raise AssertionError("parsing the same text twice gives different results")
    for problem in df.problems:
        _check_span(df, problem.span, "problem")
    for pragma in df.pragmas:
        _check_span(df, pragma.span, "pragma")
    for arg in df.args.values():
        _check_span(df, arg.span, "ARG")
    for inst in df.froms:
        _check_span(df, inst.span, "FROM")
        _check_span(df, inst.raw_span, "operand")
        span = inst.raw_span
        if span.line == span.end_line:
            under = df.lines[span.line - 1][span.column - 1 : span.end_column - 1]
            if under != inst.raw:
                raise AssertionError(f"raw_span covers {under!r}, operand is {inst.raw!r}")
        if inst.resolved is not None:
            if len(inst.resolved_origins) != len(inst.resolved):
                raise AssertionError("resolved_origins and resolved differ in length")
            check_reference(inst.resolved)


def check_reference(text: str) -> None:
    ref = parse_reference(text)
    if ref.tag is not None and text[ref.tag_start : ref.tag_end] != ref.tag:
        raise AssertionError("tag offsets do not point at the tag")
    family(ref, ["registry.example.com/runtime"])
    if ref.tag is not None:
        check_tag(ref.tag)


def check_tag(tag: str) -> None:
    try:
        parsed = parse_runtime_tag(tag)
    except TagError:
        return
    if not parsed.floating and parsed.with_version(parsed.version) != tag:
        raise AssertionError(f"{tag!r} does not round-trip")


def check_expand(text: str, env_index: int, escape: str) -> None:
    origins: list[tuple[int, int] | None] = [(1, k) for k in range(1, len(text) + 1)]
    try:
        result = expand(text, origins, ENVS[env_index], escape)
    except ExpandError:
        return
    if len(result.origins) != len(result.text):
        raise AssertionError("one origin per character")


def TestOneInput(data: bytes) -> None:  # the name atheris looks for
    if not data:
        return
    mode, body = data[0], data[1:]
    text = body.decode("utf-8", "replace")
    build_args = {"TAG": "3.1-2", "REG": "astrocrpublic.azurecr.io"} if mode & 1 else None
    check_dockerfile(text, build_args)
    if mode & 4:  # the whole engine: every rule on whatever the parser made of it
        lint_text("Dockerfile", text, SETTINGS, CATALOG, RULES, build_args)
    if len(text) <= 4096:  # the parser caps FROM operands there; ARG defaults are bounded by the budget
        check_expand(text, mode % len(ENVS), "`" if mode & 2 else "\\")
        check_reference(text)
        check_tag(text)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
