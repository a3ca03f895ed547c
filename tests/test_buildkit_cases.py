"""FROM and ARG read as BuildKit reads them: a table of cases, each taken from BuildKit's source
or tests (moby/buildkit, `frontend/dockerfile/...`; the file is named in each case).

A case is a Dockerfile, its --build-arg values, and the FROMs BuildKit sees in it: (line,
image name after expansion or None when it cannot be known or is refused, AS alias, index of
the earlier stage it names).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from runtime_lint.dockerfile import parse
from runtime_lint.expand import (
    NO_DEFAULT,
    PLATFORM,
    POSITIONAL,
    REQUIRED,
    TARGET,
    UNDECLARED,
    UNDECLARED_DEFAULT,
    UNDECLARED_IN_ARG,
    UNDECLARED_UNUSED,
)
from runtime_lint.image import parse_reference

From = tuple[int, "str | None", "str | None", "int | None"]

PARSER = "parser/parser.go"
TRAILING = "parser/testfiles/trailing-backslash"
ESCAPE = "parser/testfiles/escape-after-comment, parser/directives"
HEREDOC = "parser/parser_heredoc_test.go TestParseExtractsHeredoc"
JSON_HEREDOC = "parser/parser_heredoc_test.go TestParseJSONHeredoc"
CAN_HEREDOC = "parser/parser.go canContainHeredoc"
META = "dockerfile2llb/convert.go buildMetaArgs"
DEFAULTS = "dockerfile2llb/platform.go defaultArgs"
STATES = "dockerfile2llb/convert.go addState, instructions/parse.go parseBuildStageName"
LEX = "shell/envVarTest"
FROM_TESTS = "dockerfile_test.go, instructions/parse.go parseFrom"
UNDECLARED_ARG = "dockerfile_test.go testUndeclaredArg"  # a variable without a value expands to ""
UNDEFINED_IN_FROM = "linter/ruleset.go UndefinedArgInFrom, dockerfile2llb/convert.go reportUnusedFromArgs"

DIGEST = "sha256:" + "a" * 64


class Case(NamedTuple):
    id: str
    source: str  # the BuildKit file the fact comes from
    text: str
    froms: list[From]
    build_args: dict[str, str] = {}  # noqa: RUF012 (a NamedTuple default, never mutated)


CASES: list[Case] = [
    # -- line continuation: an escape character not itself escaped (lineContinuationRegex) --
    Case("escaped-backslash-ends-line", TRAILING, "FROM a\nRUN echo trailing\\\\\nFROM b\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("escaped-backslash-blanks-after", TRAILING, "FROM a\nRUN echo x\\\\ \t\nFROM b\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("three-backslashes-not-continued", PARSER, "FROM a\nRUN echo x\\\\\\\nFROM b\n",
         [(1, "a", None, None), (3, "b", None, None)]),  # the regex's documented limitation
    Case("backslash-continues", TRAILING, "FROM a\nRUN echo \\\nFROM b\n", [(1, "a", None, None)]),
    Case("escaped-backslash-global-arg", TRAILING, "ARG X=a\\\\\nFROM img:${X}\n",
         [(2, "img:a\\", None, None)]),
    Case("escaped-backslash-in-from", TRAILING, "FROM a\\\\\nFROM b\n",
         [(1, "a\\", None, None), (2, "b", None, None)]),
    Case("lone-backslash-line", TRAILING, "FROM img:\\\n\\\n1\n", [(1, "img:1", None, None)]),
    Case("from-continued", PARSER, "FROM \\\n  img:1\n", [(1, "img:1", None, None)]),
    Case("continuation-comments-blanks", PARSER, "FROM \\\n# c\n\n  img:1 \\\n AS x\n",
         [(1, "img:1", "x", None)]),
    Case("backtick-escaped-backtick-ends", ESCAPE, "# escape=`\nFROM a\nRUN dir c:``\nFROM b\n",
         [(2, "a", None, None), (4, "b", None, None)]),
    Case("backtick-continues", ESCAPE, "# escape=`\nFROM a\nRUN echo `\nFROM b\n", [(2, "a", None, None)]),
    Case("backtick-backslash-plain", ESCAPE, "# escape=`\nFROM a\nRUN dir c:\\\nFROM b\n",
         [(2, "a", None, None), (4, "b", None, None)]),
    Case("escape-after-comment-ignored", ESCAPE, "# c\n# escape=`\nFROM a\nRUN echo `\nFROM b\n",
         [(3, "a", None, None), (5, "b", None, None)]),
    # -- heredocs --
    Case("heredoc-body-skipped", HEREDOC, "FROM a\nRUN <<EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-lower-case-run", HEREDOC, "FROM a\nrun <<EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-json-run", JSON_HEREDOC, 'FROM a\nRUN ["sh","-c","cat <<EOF"]\nFROM b\nEOF\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-json-only", JSON_HEREDOC, 'FROM a\nRUN ["<<EOF"]\nFROM b\nEOF\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-json-quoted", JSON_HEREDOC, "FROM a\nRUN [\"<<'EOF'\"]\nFROM b\nEOF\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-json-with-flag", CAN_HEREDOC, 'FROM a\nRUN --network=none ["cat", "<<EOF"]\nFROM b\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-json-copy", CAN_HEREDOC, 'FROM a\nCOPY ["<<EOF", "/dest"]\nFROM b\nEOF\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-not-json-is-shell", CAN_HEREDOC, "FROM a\nRUN [ <<EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-partly-quoted", HEREDOC, "FROM a\nRUN <<eo'f'\nFROM b\neof\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-partly-quoted-not-raw", HEREDOC, "FROM a\nRUN <<eo'f'\neo'f'\nFROM b\neof\nFROM c\n",
         [(1, "a", None, None), (6, "c", None, None)]),
    Case("heredoc-escaped-quote", HEREDOC, "FROM a\nRUN <<eo\\'f\nFROM b\neo'f\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-quoted-and-escaped", HEREDOC, "FROM a\nRUN <<'e'o\\'f\nFROM b\neo'f\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-quoted-space", HEREDOC, "FROM a\nRUN <<'one two'\nFROM b\none two\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-double-quoted", HEREDOC, 'FROM a\nRUN <<"EOF"\nFROM b\nEOF\nFROM c\n',
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-dollar-name", HEREDOC, "FROM a\nRUN <<$EOF\nFROM b\n$EOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-blanks-after-<<", HEREDOC, "FROM a\nRUN <<  EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-blanks-then-redirect", HEREDOC, "FROM a\nRUN <<  EOF  > foo\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-fd", HEREDOC, "FROM a\nRUN 3<<EMPTY2\nFROM b\nEMPTY2\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-quoted-word-not-heredoc", HEREDOC, 'FROM a\nRUN "<<NOHEREDOC"\nFROM b\nNOHEREDOC\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-single-quoted-word", HEREDOC, "FROM a\nRUN echo '<<EOF'\nFROM b\nEOF\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-user-not-allowed", HEREDOC, "FROM a\nUSER <<INVALID\nFROM b\nINVALID\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-onbuild-run", CAN_HEREDOC, "FROM a\nONBUILD RUN <<EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-onbuild-copy", CAN_HEREDOC, "FROM a\nonbuild copy <<F /f\nFROM b\nF\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-onbuild-json", CAN_HEREDOC, 'FROM a\nONBUILD RUN ["<<EOF"]\nFROM b\nEOF\n',
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-onbuild-user", CAN_HEREDOC, "FROM a\nONBUILD USER <<EOF\nFROM b\nEOF\n",
         [(1, "a", None, None), (3, "b", None, None)]),
    Case("heredoc-chomp-tab-terminator", HEREDOC, "FROM a\nRUN <<-U\n\tFROM b\n\tU\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-no-chomp-tab-terminator", HEREDOC, "FROM a\nRUN <<U\n\tU\nFROM b\nU\nFROM c\n",
         [(1, "a", None, None), (6, "c", None, None)]),
    Case("heredoc-two-files", HEREDOC, "FROM a\nCOPY <<F1 <<F2 /d\nFROM x\nF1\nFROM y\nF2\nFROM c\n",
         [(1, "a", None, None), (7, "c", None, None)]),
    Case("heredoc-crossed-names", HEREDOC, "FROM a\nCOPY <<X <<Y /d\nY\nX\nX\nY\nFROM c\n",
         [(1, "a", None, None), (7, "c", None, None)]),
    Case("heredoc-after-mount-flag", HEREDOC, "FROM a\nRUN --mount=type=cache,target=/foo <<M\nFROM b\nM\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-with-command", HEREDOC, "FROM a\nRUN <<C python3\nFROM b\nC\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-dotted-name", HEREDOC, "FROM a\nCOPY <<file.txt /dest\nFROM b\nfile.txt\nFROM c\n",
         [(1, "a", None, None), (5, "c", None, None)]),
    Case("heredoc-opened-on-continuation", PARSER, "FROM a\nRUN \\\n  cat <<EOF\nFROM b\nEOF\nFROM c\n",
         [(1, "a", None, None), (6, "c", None, None)]),
    Case("heredoc-body-comment", HEREDOC, "FROM a\nRUN <<C\n# FROM b\nFROM b\nC\nFROM c\n",
         [(1, "a", None, None), (6, "c", None, None)]),
    # -- global ARGs --
    Case("arg-redeclared-keeps-value", META, "ARG V=1\nARG V\nFROM img:$V\n", [(3, "img:1", None, None)]),
    Case("arg-redeclared-same-line", META, "ARG V=1 V\nFROM img:$V\n", [(2, "img:1", None, None)]),
    Case("arg-redeclared-with-value", META, "ARG V=1\nARG V=2\nFROM img:$V\n", [(3, "img:2", None, None)]),
    Case("arg-redeclared-build-arg", META, "ARG V=1\nARG V\nFROM img:$V\n", [(3, "img:3", None, None)], {"V": "3"}),
    Case("arg-both-without-value", META, "ARG V\nARG V\nFROM img:${V:-d}\n", [(3, "img:d", None, None)]),
    Case("arg-redeclared-after-use", META, "ARG A=1\nARG B=$A\nARG A\nFROM img:$B-$A\n",
         [(4, "img:1-1", None, None)]),
    Case("arg-refers-to-itself", META, "ARG V=1\nARG V=${V}2\nFROM img:$V\n", [(3, "img:12", None, None)]),
    Case("arg-build-arg-beats-default", META, "ARG V=1\nFROM img:$V\n", [(2, "img:9", None, None)], {"V": "9"}),
    Case("arg-default-uses-build-arg", META, "ARG A\nARG B=x$A\nFROM img:$B\n",
         [(3, "img:xy", None, None)], {"A": "y"}),
    Case("arg-in-stage-not-global", META, "ARG V=1\nFROM a\nARG V=2\nFROM img:$V\n",
         [(2, "a", None, None), (4, "img:1", None, None)]),
    Case("arg-quoted-default", META, "ARG V=\"1.0\"\nFROM img:$V\n", [(2, "img:1.0", None, None)]),
    # -- platform ARGs --
    Case("platform-build-arg-undeclared", DEFAULTS, "FROM img:$TARGETARCH\n", [(1, "img:arm64", None, None)],
         {"TARGETARCH": "arm64"}),
    Case("platform-build-arg-declared", DEFAULTS, "ARG TARGETARCH\nFROM img:$TARGETARCH\n",
         [(2, "img:arm64", None, None)], {"TARGETARCH": "arm64"}),
    Case("platform-build-arg-beats-default", DEFAULTS, "ARG TARGETOS=linux\nFROM img:$TARGETOS\n",
         [(2, "img:windows", None, None)], {"TARGETOS": "windows"}),
    Case("platform-default-replaces", DEFAULTS, "ARG BUILDPLATFORM=linux/amd64\nFROM img:${BUILDPLATFORM%/*}\n",
         [(2, "img:linux", None, None)]),
    Case("platform-default-kept-on-redeclare", META, "ARG BUILDARCH=amd64\nARG BUILDARCH\nFROM img:$BUILDARCH\n",
         [(3, "img:amd64", None, None)]),
    Case("platform-unknown", DEFAULTS, "FROM img:$TARGETOS\n", [(1, None, None, None)]),
    Case("platform-declared-unknown", DEFAULTS, "ARG TARGETOS\nFROM img:$TARGETOS\n", [(2, None, None, None)]),
    Case("platform-two-build-args", DEFAULTS, "FROM img:$BUILDOS-$TARGETVARIANT\n", [(1, "img:linux-v8", None, None)],
         {"BUILDOS": "linux", "TARGETVARIANT": "v8"}),
    Case("platform-build-arg-in-arg-default", DEFAULTS, "ARG T=x-$TARGETARCH\nFROM img:$T\n",
         [(2, "img:x-amd64", None, None)], {"TARGETARCH": "amd64"}),
    # defaultArgs predefines the OS versions and the target stage too ("default" without --target)
    Case("platform-os-version-unknown", DEFAULTS, "FROM img:1$TARGETOSVERSION\n", [(1, None, None, None)]),
    Case("platform-os-version-build-arg", DEFAULTS, "FROM img:1-$BUILDOSVERSION\n", [(1, "img:1-10.0", None, None)],
         {"BUILDOSVERSION": "10.0"}),
    Case("target-stage-unknown", DEFAULTS, "FROM img:$TARGETSTAGE\n", [(1, None, None, None)]),
    Case("target-stage-build-arg", DEFAULTS, "FROM img:$TARGETSTAGE\n", [(1, "img:prod", None, None)],
         {"TARGETSTAGE": "prod"}),
    Case("other-build-arg-needs-arg", META, "FROM img:$FOO\n", [(1, None, None, None)], {"FOO": "1"}),
    Case("platform-flag-kept-out", FROM_TESTS, "FROM --platform=$BUILDPLATFORM img:1 AS b\n",
         [(1, "img:1", "b", None)]),
    # -- stage references --
    Case("stage-upper-base-not-stage", STATES, "FROM img:1 AS build\nFROM Build\n",
         [(1, "img:1", "build", None), (2, "Build", None, None)]),
    Case("stage-lower-base-is-stage", STATES, "FROM img:1 AS Build\nFROM build\n",
         [(1, "img:1", "Build", None), (2, "build", None, 0)]),
    Case("stage-upper-both-not-stage", STATES, "FROM img:1 AS BUILD\nFROM BUILD\n",
         [(1, "img:1", "BUILD", None), (2, "BUILD", None, None)]),
    Case("stage-latest-of-one-name", STATES, "FROM a AS x\nFROM b AS x\nFROM x\n",
         [(1, "a", "x", None), (2, "b", "x", None), (3, "x", None, 1)]),
    Case("stage-latest-by-case", STATES, "FROM a AS x\nFROM b AS X\nFROM x\n",
         [(1, "a", "x", None), (2, "b", "X", None), (3, "x", None, 1)]),
    Case("stage-chain", STATES, "FROM a AS x\nFROM x AS y\nFROM y\n",
         [(1, "a", "x", None), (2, "x", "y", 0), (3, "y", None, 1)]),
    Case("stage-named-later", STATES, "FROM x\nFROM a AS x\n", [(1, "x", None, None), (2, "a", "x", None)]),
    Case("stage-self-not-stage", STATES, "FROM x AS x\n", [(1, "x", "x", None)]),
    Case("stage-from-expanded-arg", STATES, "ARG S=build\nFROM img AS build\nFROM ${S}\n",
         [(2, "img", "build", None), (3, "build", None, 0)]),
    Case("stage-from-scratch", FROM_TESTS, "FROM scratch AS base\nFROM base\n",
         [(1, "scratch", "base", None), (2, "base", None, 0)]),
    Case("stage-keywords-any-case", FROM_TESTS, "from img as b\nFrOm b aS c\n",
         [(1, "img", "b", None), (2, "b", "c", 0)]),
    Case("stage-tagged-not-stage", STATES, "FROM img AS b\nFROM b:1\n",
         [(1, "img", "b", None), (2, "b:1", None, None)]),
    Case("digest-kept", FROM_TESTS, f"FROM img:1@{DIGEST}\n", [(1, f"img:1@{DIGEST}", None, None)]),
    # -- variables without a value: BuildKit expands them to "" and builds the result --
    Case("no-default-suffix-empty", UNDECLARED_ARG, "ARG VARIANT\nFROM img:12.6.0${VARIANT}\n",
         [(2, "img:12.6.0", None, None)]),
    Case("undeclared-suffix-empty", UNDEFINED_IN_FROM, "FROM img:12.6.0${VARIANT}\n", [(1, "img:12.6.0", None, None)]),
    Case("undeclared-bare-suffix-empty", UNDEFINED_IN_FROM, "FROM img:1$V\n", [(1, "img:1", None, None)]),
    Case("undeclared-registry-empty", UNDEFINED_IN_FROM, "FROM ${REGISTRY}img:1\n", [(1, "img:1", None, None)]),
    Case("no-default-whole-tag-invalid", UNDECLARED_ARG, "ARG TAG\nFROM img:${TAG}\n", [(2, None, None, None)]),
    Case("undeclared-whole-tag-invalid", UNDEFINED_IN_FROM, "FROM img:$TAG\n", [(1, None, None, None)]),
    Case("undeclared-whole-name-invalid", UNDEFINED_IN_FROM, "FROM $IMAGE\n", [(1, None, None, None)]),
    Case("undeclared-build-arg-not-used", UNDEFINED_IN_FROM, "FROM img:1$FOO\n", [(1, "img:1", None, None)],
         {"FOO": "2"}),
    Case("no-default-alternative-left-out", LEX, "ARG V\nFROM img:1${V:+-x}\n", [(2, "img:1", None, None)]),
    Case("undeclared-alternative-left-out", LEX, "FROM img:1${V:+-x}\n", [(1, "img:1", None, None)]),
    Case("declared-alternative-used", LEX, "ARG V=y\nFROM img:1${V:+-x}\n", [(2, "img:1-x", None, None)]),
    Case("undeclared-default-used", LEX, "FROM img:${V:-1}\n", [(1, "img:1", None, None)]),
    Case("no-default-trim-empty", LEX, "ARG V\nFROM img:1${V%.0}\n", [(2, "img:1", None, None)]),
    Case("undeclared-replace-empty", LEX, "FROM img:1${V/a/b}\n", [(1, "img:1", None, None)]),
    Case("no-default-required-fails", LEX, "ARG V\nFROM img:1${V:?}\n", [(2, None, None, None)]),
    Case("positional-empty", LEX, "FROM img:1$1\n", [(1, "img:1", None, None)]),
    Case("positional-braced-empty", LEX, "FROM img:1${2}\n", [(1, "img:1", None, None)]),
    Case("positional-whole-tag-invalid", LEX, "FROM img:$1\n", [(1, None, None, None)]),
    Case("empty-arg-default-builds", META, "ARG A=x$B\nFROM img:$A\n", [(2, "img:x", None, None)]),
    Case("empty-arg-default-invalid", META, "ARG A=$B\nFROM img:$A\n", [(2, None, None, None)]),
    Case("empty-leaves-stage-name", STATES, "FROM img AS build\nFROM build${S}\n",
         [(1, "img", "build", None), (2, "build", None, 0)]),
    Case("empty-platform-arg-still-unknown", DEFAULTS, "ARG TARGETARCH\nFROM img:1-$TARGETARCH\n",
         [(2, None, None, None)]),
]  # fmt: skip

# shell/envVarTest lines (word | result), with its environment PWD=/home, SHELL=bash, NULL="";
# None where BuildKit reports an error (or, `?`, a required variable is unset)
LEX_WORDS: list[tuple[str, str | None]] = [
    ("hello", "hello"), ("he'll'o", "hello"), ("he'llo", None), ("he\\'llo", "he'llo"),
    ("abc\\tdef", "abctdef"), ('"abc\\tdef"', "abc\\tdef"), ('"abc\\\\tdef"', "abc\\tdef"),
    ("'abc\\tdef'", "abc\\tdef"), ('"hello', None), ('"hello\\"', None), ('"hel\'lo"', "hel'lo"),
    ("'hello", None), ("'hello\\there'", "hello\\there"), ("'hello\\\\there'", "hello\\\\there"),
    ('"\'\'"', "''"), ("$.", "$."), ("he$.x", "he$.x"), ("he$PWD", "he/home"), ("he\\$PWD", "he$PWD"),
    ("he\\\\$PWD", "he\\/home"), ('"he\\$PWD"', "he$PWD"), ('"he\\\\$PWD"', "he\\/home"),
    ("\\${}", "${}"), ("\\${}aaa", "${}aaa"), ("he\\${}xx", "he${}xx"), ("${}", None), ("${}aaa", None),
    ("he${}xx", None), ("he${PWD}", "he/home"), ("he${.}", None), ("he${XXX:-000}xx", "he000xx"),
    ("he${PWD:-000}xx", "he/homexx"), ("he${XXX:-$PWD}xx", "he/homexx"),
    ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"), ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"),
    ("he${XXX:YYY}", None), ("he${XXX?}", None), ("he${XXX:?}", None), ("he${PWD?}", "he/home"),
    ("he${PWD:?}", "he/home"), ("he${NULL?}", "he"), ("he${NULL:?}", None), ("he${XXX:+${PWD}}xx", "hexx"),
    ("he${PWD:+${SHELL}}xx", "hebashxx"), ("he${XXX:+000}xx", "hexx"), ("he${PWD:+000}xx", "he000xx"),
    ("'he${XX}'", "he${XX}"), ('"he${PWD}"', "he/home"), ('"he\'$PWD\'"', "he'/home'"), ('"$PWD"', "/home"),
    ("'$PWD'", "$PWD"), ("'\\$PWD'", "\\$PWD"), ("'\"hello\"'", '"hello"'), ("he${PWD", None),
    ("he${PWD:=000}xx", None), ("he${PWD:+${PWD}:}xx", "he/home:xx"), ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"),
    ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"), ("안'녕'하세요", "안녕하세요"), ("안녕\\'하세요", "안녕'하세요"),
    ("he$1x", "hex"), ("he$pwd.", "he."),  # positional and undeclared: empty
]  # fmt: skip

LEX_ENV = 'ARG PWD=/home\nARG SHELL=bash\nARG NULL=""\n'
CASES += [
    Case(f"lex-{k}", LEX, f"{LEX_ENV}FROM img:{word}\n", [(4, None if out is None else f"img:{out}", None, None)])
    for k, (word, out) in enumerate(LEX_WORDS)
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_froms_as_buildkit_reads_them(case: Case) -> None:
    df = parse(case.text, case.build_args)
    got = [(f.span.line, f.resolved, f.alias, f.stage_ref) for f in df.froms]
    assert got == case.froms, (case.source, df.problems)


def test_case_ids_are_unique_and_there_are_enough() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
    assert len(CASES) >= 80


@pytest.mark.parametrize(
    ("text", "empty", "unresolved", "expansion"),
    [  # what expanded to "" is kept, and why: RL104 warns about the undeclared (UNDEFINED_IN_FROM)
        ("ARG V\nFROM img:1$V\n", {"V": NO_DEFAULT}, {}, None),  # UNDECLARED_ARG: built, not reported
        ("FROM img:1$V\n", {"V": UNDECLARED}, {}, None),
        ("FROM img:1$1\n", {"1": POSITIONAL}, {}, None),
        ("ARG A=x$B\nFROM img:$A\n", {"B": UNDECLARED_IN_ARG}, {}, None),  # not in FROM: no warning
        # shell/lex.go: getEnv records every name it looks up and finds no value for, defaults or
        # not; UndefinedArgInFrom reports those of the FROM (dockerfile2llb/validations.go)
        ("FROM img:${V:-1}\n", {"V": UNDECLARED_DEFAULT}, {}, None),
        ("FROM img:${V-1}\n", {"V": UNDECLARED_DEFAULT}, {}, None),
        ("ARG V\nFROM img:${V:-1}\n", {}, {}, None),  # declared: no warning
        ("FROM img:${TARGETOS:-1}\n", {}, {"TARGETOS": PLATFORM}, None),  # predefined, by the platform
        ("ARG A=${B:-1}\nFROM img:$A\n", {}, {}, None),  # in an ARG, not in the FROM
        ("FROM ${V:-Img}\n", {"V": UNDECLARED_DEFAULT}, {}, None),  # invalid, but not from an empty value
        ("ARG V\nFROM img:$V\n", {"V": NO_DEFAULT}, {"V": NO_DEFAULT}, "img:"),
        ("FROM ${R}img:$V\n", {"R": UNDECLARED, "V": UNDECLARED}, {"R": UNDECLARED, "V": UNDECLARED}, "img:"),
        ("ARG V\nFROM img:$V${V:?}\n", {"V": NO_DEFAULT}, {"V": REQUIRED}, None),
        ("FROM img:$V$TARGETOS\n", {"V": UNDECLARED}, {"TARGETOS": PLATFORM}, None),
        ("FROM img:1$BUILDOSVERSION\n", {}, {"BUILDOSVERSION": PLATFORM}, None),  # DEFAULTS
        ("FROM img:$TARGETSTAGE\n", {}, {"TARGETSTAGE": TARGET}, None),
        ("FROM img:${TARGETSTAGE:-x}\n", {}, {"TARGETSTAGE": TARGET}, None),
        # shell/lex.go processDollar lexes the word of ${V:-word} (and +, ?) before it looks V up,
        # so an undeclared name in a word that is not used is unmatched too: BuildKit warns
        ("ARG V=1\nFROM img:${V:-$W}\n", {"W": UNDECLARED_UNUSED}, {}, None),
        ("ARG V=1\nFROM img:${V:-${W:-2}}\n", {"W": UNDECLARED_UNUSED}, {}, None),
        ("ARG V=1\nFROM img:${V:?$W}\n", {"W": UNDECLARED_UNUSED}, {}, None),
        ("FROM img:1${V:+$W}\n", {"V": UNDECLARED, "W": UNDECLARED_UNUSED}, {}, None),
        ("ARG V=1\nARG W\nFROM img:${V:-$W}\n", {}, {}, None),  # declared: no warning
        ("ARG V=1\nFROM img:${V:-$TARGETOS}\n", {}, {}, None),  # not used: the platform does not matter
        ("ARG V=1\nFROM img:${V:-$W}$W\n", {"W": UNDECLARED}, {}, None),  # used too: it is empty
        ("ARG V=1\nFROM img:$W${V:-$W}\n", {"W": UNDECLARED}, {}, None),
        ("FROM img:${W:-1}$W\n", {"W": UNDECLARED}, {}, None),  # the second use is empty
        ("ARG V=1\nARG A=${V:-$W}\nFROM img:$A\n", {}, {}, None),  # in an ARG, not in the FROM
    ],
)
def test_what_expanded_to_empty_is_recorded(
    text: str, empty: dict[str, str], unresolved: dict[str, str], expansion: str | None
) -> None:
    inst = parse(text).froms[-1]
    assert (inst.empty, inst.unresolved, inst.expansion) == (empty, unresolved, expansion)


def test_platform_args_without_a_value_are_reported_as_platform() -> None:
    (inst,) = parse("ARG TARGETOS\nARG TARGETOS\nFROM img:$TARGETOS\n").froms
    assert inst.unresolved == {"TARGETOS": PLATFORM}


@pytest.mark.parametrize(
    ("text", "registry", "repository"),
    [  # distribution/reference normalize.go splitDockerDomain, normalize_test.go
        ("ruby", "docker.io", "library/ruby"),
        ("docker.io/ruby", "docker.io", "library/ruby"),
        ("docker.io/ruby:3.3", "docker.io", "library/ruby"),
        ("index.docker.io/ruby", "docker.io", "library/ruby"),
        ("docker.io/library/ruby", "docker.io", "library/ruby"),
        ("docker.io/foo/bar", "docker.io", "foo/bar"),
        ("foo/bar", "docker.io", "foo/bar"),
        ("localhost/ruby", "localhost", "ruby"),
        ("localhost:5000/ruby", "localhost:5000", "ruby"),
        ("quay.io/ruby", "quay.io", "ruby"),
    ],
)
def test_reference_normalisation(text: str, registry: str, repository: str) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.error) == (registry, repository, None)


DISPATCH = "dockerfile2llb/convert.go buildDispatchStates"


@pytest.mark.parametrize(
    ("text", "build_args", "resolved", "unresolved"),
    [  # --platform is expanded with the global ARGs (and their quotes removed): DISPATCH
        ("FROM --platform=linux/amd64 img\n", {}, "linux/amd64", {}),
        ('FROM --platform="linux/amd64" img\n', {}, "linux/amd64", {}),
        ("ARG P=linux/arm64\nFROM --platform=$P img\n", {}, "linux/arm64", {}),
        ("ARG P=linux/arm64\nFROM --platform=${P%/*}/amd64 img\n", {}, "linux/amd64", {}),
        ("ARG P\nFROM --platform=${P:-linux/s390x} img\n", {}, "linux/s390x", {}),
        ("ARG P=linux/arm64\nFROM --platform=$P img\n", {"P": "linux/ppc64le"}, "linux/ppc64le", {}),
        ("FROM --platform=$BUILDPLATFORM img\n", {}, None, {"BUILDPLATFORM": PLATFORM}),
        ("FROM --platform=$BUILDPLATFORM img\n", {"BUILDPLATFORM": "linux/amd64"}, "linux/amd64", {}),
        ("ARG TARGETPLATFORM=linux/arm/v7\nFROM --platform=$TARGETPLATFORM img\n", {}, "linux/arm/v7", {}),
    ],
)
def test_platform_flag_is_expanded(
    text: str, build_args: dict[str, str], resolved: str | None, unresolved: dict[str, str]
) -> None:
    inst = parse(text, build_args).froms[-1]
    assert (inst.platform_resolved, inst.platform_unresolved) == (resolved, unresolved)
    assert inst.resolved == "img"


def test_an_empty_platform_is_refused() -> None:
    df = parse('ARG P=""\nFROM --platform=$P img\n')  # DISPATCH: "empty platform value from expression"
    assert [p.span.line for p in df.problems] == [2]
    assert "empty platform value" in df.problems[0].message
    assert df.froms[0].platform_resolved is None


# Which characters separate words. FROM's operands are split on BuildKit's `reWhitespace`,
# [\t\v\f\r ]+ (parser/parser.go, parseStringsWhitespaceDelimited); ARG's on Go's unicode.IsSpace
# (parser/line_parsers.go parseWords), which is Python's str.isspace but for \x1c-\x1f.
SEPARATES_FROM = ["\v", "\f"]
NOT_FROM = ["\u00a0", "\x85", "\u2003", "\u3000", "\x1c"]
SEPARATES_ARG = ["\v", "\f", "\u00a0", "\x85", "\u2003", "\u3000"]
NOT_ARG = ["\x1c", "\x1d", "\x1e", "\x1f"]


@pytest.mark.parametrize("blank", SEPARATES_FROM)
def test_from_operands_split_on_ascii_blanks(blank: str) -> None:
    df = parse(f"FROM img:1{blank}AS{blank}b\n")
    assert [(f.resolved, f.alias) for f in df.froms] == [("img:1", "b")]
    assert not df.problems


@pytest.mark.parametrize("blank", NOT_FROM)
def test_from_operands_do_not_split_on_other_blanks(blank: str) -> None:
    df = parse(f"FROM img:1{blank}AS b\n")  # two operands to BuildKit: `img:1<blank>AS` and `b`
    assert [(f.raw, f.alias) for f in df.froms] == [(f"img:1{blank}AS", None)]
    assert [p.message for p in df.problems] == ["FROM requires either one argument, or three: FROM <image> [AS <name>]"]


@pytest.mark.parametrize("blank", SEPARATES_ARG)
def test_arg_operands_split_on_go_spaces(blank: str) -> None:
    df = parse(f"ARG A=1{blank}B=2\nFROM img:$A-$B\n")
    assert list(df.args) == ["A", "B"]
    assert [f.resolved for f in df.froms] == ["img:1-2"]


@pytest.mark.parametrize("blank", NOT_ARG)
def test_arg_operands_do_not_split_on_separators_go_does_not_count(blank: str) -> None:
    df = parse(f"ARG A=1{blank}B=2\nFROM img:1\n")
    assert list(df.args) == ["A"]
    assert df.args["A"].default == f"1{blank}B=2"


BLANK_HINT = " (only spaces and tabs separate an instruction from its arguments)"


# A known keyword followed by a blank BuildKit does not split at (its splitCommand cuts at
# [\t\v\f\r ], reWhitespace) is an unknown instruction to BuildKit, which stops the build
# (instructions/parse.go: "unknown instruction: X"): `FROM<no-break space>img` is no FROM.
# Other unknown instructions are left alone: a custom frontend may define them.
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FROM img\nCPY a b\n", None),
        ("FROM\u00a0img\n", f"unknown instruction: FROM\u00a0img{BLANK_HINT}"),
        ("FROM img\nRUN\u00a0echo\n", f"unknown instruction: RUN\u00a0echo{BLANK_HINT}"),
        ("FROM img\nFOO\u00a0bar\n", None),
    ],
)
def test_a_keyword_glued_by_a_unicode_blank_is_refused(text: str, message: str | None) -> None:
    df = parse(text)
    assert [p.message for p in df.problems] == ([message] if message else [])
    assert [f.raw for f in df.froms] == (["img"] if text.startswith("FROM img") else [])


@pytest.mark.parametrize("keyword", ["from", "FROM", "Run", "onbuild", "MAINTAINER", "healthcheck", "shell"])
def test_known_instructions_in_any_case_are_not_refused(keyword: str) -> None:
    rest = "img" if keyword.lower() == "from" else "x"
    assert parse(f"FROM img\n{keyword}\v{rest}\n").problems == []


# instructions/parse.go parseBuildStageName: the AS name, lower-cased, must match
# ^[a-z][a-z0-9-_.]*$ (validStageName), or BuildKit stops: "invalid name for build stage"
@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("build", True), ("Build", True), ("a.b", True), ("x_y", True), ("x-1", True), ("a", True),
        ("1abc", False), ("-x", False), ("_x", False), (".x", False), ("a$b", False), ("a/b", False),
        ("a:b", False), ("caf\u00e9", False), ("a@b", False),
    ],
)  # fmt: skip
def test_stage_names_buildkit_accepts(name: str, valid: bool) -> None:
    df = parse(f"FROM img:1 AS {name}\nFROM {name.lower()}\n")
    messages = [p.message for p in df.problems]
    if valid:
        assert messages == []
        assert df.froms[1].stage_ref == 0
    else:
        assert messages == [
            f"invalid name for build stage: '{name}', name can't start with a number or contain symbols"
        ]
        assert df.problems[0].span.line == 1


# instructions/parse.go parseOnBuild, parse_test.go "ONBUILD forbidden FROM": an ONBUILD FROM
# stops the build; it is no FROM of this file either
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("FROM img:1\nONBUILD FROM scratch\n", 2),
        ("FROM img:1\nonbuild from img:2 AS b\n", 2),
        ("FROM img:1\nONBUILD \\\n  FROM img:2\n", 2),
        ("ONBUILD FROM scratch\nFROM img:1\n", 1),  # the trigger is refused first (ParseInstruction)
    ],
)
def test_onbuild_from_is_refused(text: str, line: int) -> None:
    df = parse(text)
    assert [(p.span.line, p.message) for p in df.problems] == [(line, "FROM isn't allowed as an ONBUILD trigger")]
    assert [f.raw for f in df.froms] == ["img:1"]


def test_other_onbuild_triggers_are_left_alone() -> None:
    assert parse("FROM img:1\nONBUILD RUN echo FROM x\nONBUILD COPY . .\n").problems == []
