"""Dockerfile text to `FROM` instructions with exact positions, the way BuildKit reads them.

What this module does, in BuildKit's order (`frontend/dockerfile/parser/parser.go`):
- parser directives (`# syntax=`, `# escape=`, `# check=`) only at the very top;
- logical lines: a line ending in the escape character continues on the next one; comment lines
  and blank lines inside a continuation are dropped; heredoc bodies (`RUN <<EOF`) are skipped;
- instructions are matched in any case; unknown ones (custom frontends) are kept and ignored;
- global `ARG`s (before the first `FROM`) are evaluated in order, with `--build-arg` overrides;
- each `FROM` gets its flags, its image operand with the exact span it occupies in the file
  (across continuation lines), its `AS` alias, whether it names an earlier stage, and the image
  name after ARG expansion, with the variables that have no value expanded to the empty string
  as BuildKit does (and named, for RL104), or the names of the ARGs that keep it from being
  resolved;
- `# runtime-lint:` pragmas are collected for the engine.
A line it cannot read becomes a `SyntaxProblem` with its span; parsing always goes on.
"""

from __future__ import annotations

from runtime_lint.expand import PREDEFINED_ARGS, WARN_ONLY, Budget, BudgetError, ExpandError, Var, expand
from runtime_lint.heredoc import skip_heredocs
from runtime_lint.image import parse_reference
from runtime_lint.lines import SEPARATORS, Logical, cut_continuation, quoted_words, separated_words, split_lines
from runtime_lint.model import Span
from runtime_lint.suppressions import Pragma, read_pragma

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from runtime_lint.expand import Origin

KNOWN_DIRECTIVES = ("syntax", "escape", "check")
FROM_FLAGS = frozenset({"platform"})
MAX_OPERAND = 4096  # longer than any valid image reference (255 + 1 + 128 + digest)

_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class SyntaxProblem:
    """Something BuildKit would refuse, at a place in the file."""

    __slots__ = ("message", "span")

    def __init__(self, span: Span, message: str) -> None:
        self.span = span
        self.message = message

    def __repr__(self) -> str:
        return f"SyntaxProblem({self.span!r}, {self.message!r})"


class FromInstruction:
    """One `FROM`, as written and as resolved."""

    __slots__ = (
        "alias",
        "empty",
        "expansion",
        "index",
        "keyword",
        "logical",
        "platform",
        "platform_resolved",
        "platform_unresolved",
        "pragmas",
        "raw",
        "raw_span",
        "resolved",
        "resolved_origins",
        "span",
        "stage_ref",
        "unresolved",
    )

    def __init__(self, index: int, span: Span, keyword: str, logical: str) -> None:
        self.index = index  # 0-based stage number
        self.span = span  # the whole instruction
        self.keyword = keyword  # "FROM" as written
        self.raw = ""  # the image operand as written (continuations joined)
        self.raw_span = span  # where the operand is
        self.platform: str | None = None  # --platform value as written
        self.platform_resolved: str | None = None  # after global ARG expansion, quotes removed
        self.platform_unresolved: dict[str, str] = {}  # ARG name -> why the platform is unknown
        self.alias: str | None = None  # AS name, case kept
        self.stage_ref: int | None = None  # index of the earlier stage it names
        self.resolved: str | None = None  # after ARG expansion; None when unresolved
        self.resolved_origins: list[Origin] = []  # where each character of `resolved` comes from (expand.py)
        self.unresolved: dict[str, str] = {}  # ARG name -> why its value is unknown
        self.empty: dict[str, str] = {}  # variable -> why BuildKit expands it to "" (expand.py)
        # what BuildKit expands the image to when that is not a valid reference because of `empty`
        self.expansion: str | None = None
        self.pragmas: list[Pragma] = []  # ignore pragmas right above it
        self.logical = logical  # the logical line, for messages

    @property
    def is_scratch(self) -> bool:
        return self.resolved is not None and self.resolved.lower() == "scratch"


class GlobalArg:
    """An ARG declared before the first FROM."""

    __slots__ = ("default", "name", "span", "value")

    def __init__(self, name: str, span: Span, default: str | None, value: Var) -> None:
        self.name = name
        self.span = span
        self.default = default  # as written, None when declared without a default
        self.value = value  # after expansion and --build-arg


class Dockerfile:
    """Everything the rules need to know about one file."""

    __slots__ = ("args", "directives", "escape", "froms", "lines", "pragmas", "problems")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines  # physical lines without line endings (BOM removed)
        self.froms: list[FromInstruction] = []
        self.args: dict[str, GlobalArg] = {}
        self.directives: dict[str, str] = {}
        self.problems: list[SyntaxProblem] = []
        self.pragmas: list[Pragma] = []
        self.escape = "\\"


def snapshot(df: Dockerfile) -> tuple[object, ...]:
    """Everything parse() found, as plain values (to compare two parses: tests, the fuzzer)."""
    froms = [
        (i.index, i.span, i.keyword, i.raw, i.raw_span, i.platform, i.platform_resolved,
         dict(i.platform_unresolved), i.alias, i.stage_ref, i.resolved,
         list(i.resolved_origins), dict(i.unresolved), dict(i.empty), i.expansion, [p.span for p in i.pragmas],
         i.logical)
        for i in df.froms
    ]  # fmt: skip
    args = [
        (a.name, a.span, a.default, a.value.text, a.value.origins, a.value.unresolved, a.value.empty)
        for a in df.args.values()
    ]
    problems = [(p.span, p.message) for p in df.problems]
    pragmas = [(p.span, p.kind, p.codes, p.reason, p.text) for p in df.pragmas]
    return froms, args, problems, pragmas, df.directives, df.escape, df.lines


def parse(text: str, build_args: Mapping[str, str] | None = None) -> Dockerfile:
    """Parse Dockerfile text (already decoded) into a `Dockerfile`."""
    lines = split_lines(text)
    df = Dockerfile(lines)
    build_args = build_args or {}
    n = len(lines)
    i = _read_directives(df)
    escape = df.escape
    pending_pragmas: list[Pragma] = []
    # BuildKit's `defaultArgs`: the platform ARGs and TARGETSTAGE are predefined, and --build-arg
    # overrides them even where no ARG declares them
    env: dict[str, Var] = {name: Var(build_args[name]) for name in PREDEFINED_ARGS if name in build_args}
    aliases: dict[str, int] = {}
    budget = Budget()  # what ARG expansion may cost in this file: bounded time and memory
    while i < n:
        raw = lines[i]
        stripped = raw.lstrip(" \t")
        if not stripped:
            pending_pragmas = []
            i += 1
            continue
        if stripped.startswith("#"):
            pragma = read_pragma(stripped, i + 1, len(raw) - len(stripped) + 1)
            if pragma is not None:
                df.pragmas.append(pragma)
                if pragma.kind == "ignore":
                    pending_pragmas.append(pragma)
            i += 1
            continue
        piece, more = cut_continuation(stripped, escape)
        start_line = i + 1
        logical = Logical(piece, start_line, len(raw) - len(stripped) + 1)
        i += 1
        while more and i < n:
            nxt = lines[i]
            i += 1
            body = nxt.lstrip(" \t")
            if not body or body[0] == "#":
                continue
            piece, more = cut_continuation(nxt, escape)
            logical.add(piece, i, 1)
        i = skip_heredocs(logical.text, lines, i)
        _instruction(df, logical, start_line, env, aliases, build_args, pending_pragmas, budget)
        pending_pragmas = []
    return df


def _read_directives(df: Dockerfile) -> int:
    """Consume the parser directives at the top; return the index of the first other line."""
    for i, line in enumerate(df.lines):
        found = directive(line)
        if found is None:
            return i
        name, value = found
        name = name.lower()
        if name not in KNOWN_DIRECTIVES:
            return i
        span = Span(i + 1, 1, i + 1, len(line) + 1)
        if name in df.directives:
            df.problems.append(SyntaxProblem(span, f"only one {name} parser directive can be used"))
            continue
        df.directives[name] = value
        if name == "escape":
            if value in ("\\", "`"):
                df.escape = value
            else:
                df.problems.append(SyntaxProblem(span, f"invalid escape token '{value}' does not match ` or \\"))
    else:
        return len(df.lines)


def directive(line: str) -> tuple[str, str] | None:
    r"""(name, value) of a parser directive line, `# name = value`: the regex
    `#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*` (full match), without `re`."""
    if not line.startswith("#"):
        return None
    body = line[1:].lstrip(" \t")
    end = 0
    while end < len(body) and body[end] in _ASCII_ALNUM:
        end += 1
    if end == 0 or body[0].isdigit():
        return None
    rest = body[end:].lstrip(" \t")
    if not rest.startswith("="):
        return None
    rest = rest[1:]
    value = rest.strip(" \t")
    if not value:
        if not rest:
            return None
        value = rest[-1]  # only blanks: the lazy group still takes one
    return body[:end], value


def _instruction(
    df: Dockerfile,
    logical: Logical,
    start_line: int,
    env: dict[str, Var],
    aliases: dict[str, int],
    build_args: Mapping[str, str],
    pragmas: list[Pragma],
    budget: Budget,
) -> None:
    text = logical.text
    if not text or text[0].isspace():
        return
    keyword = text.split(None, 1)[0]
    if len(keyword) < len(text) and text[len(keyword)] not in SEPARATORS:  # (rare: `FROM<nbsp>img`)
        keyword = text[: separated_words(text)[0][1]]  # BuildKit's splitCommand: up to a [\t\v\f\r ]
    name = keyword.lower()
    if name == "from":
        _from(df, logical, keyword, len(keyword), env, aliases, pragmas, budget)
    elif name == "arg" and not df.froms:
        _global_arg(df, logical, len(keyword), env, build_args, budget)
    elif name not in _INSTRUCTIONS:
        # Unknown instructions are left alone (a custom frontend may define its own), but not one
        # BuildKit reads as unknown only because a Unicode blank follows a known keyword
        # (instructions/parse.go: "unknown instruction: FROM<nbsp>img"): that is no FROM.
        head = keyword.split(None, 1)[0].lower()
        if head != name and (head in _INSTRUCTIONS or head == "from"):
            message = (
                f"unknown instruction: {keyword} (only spaces and tabs separate an instruction from its arguments)"
            )
            df.problems.append(SyntaxProblem(logical.span(0, len(keyword)), message))
    elif name == "onbuild" and (trigger_end := _onbuild_from(text, len(keyword))):
        # instructions/parse.go parseOnBuild refuses it, before the place of the instruction counts
        df.problems.append(SyntaxProblem(logical.span(0, trigger_end), "FROM isn't allowed as an ONBUILD trigger"))
    elif not df.froms:
        df.problems.append(
            SyntaxProblem(
                logical.span(0, len(keyword)),
                f"{keyword} before the first FROM: only ARG may come before FROM",
            )
        )


def _onbuild_from(text: str, offset: int) -> int:
    """Where the trigger of `ONBUILD FROM ...` ends, or 0 when the trigger is not FROM."""
    words = separated_words(text, offset)
    if words and text[words[0][0] : words[0][1]].lower() == "from":
        return words[0][1]
    return 0


_INSTRUCTIONS = frozenset(
    {
        "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "healthcheck", "label",
        "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    }
)  # fmt: skip


def _from(
    df: Dockerfile,
    logical: Logical,
    keyword: str,
    offset: int,
    env: dict[str, Var],
    aliases: dict[str, int],
    pragmas: list[Pragma],
    budget: Budget,
) -> None:
    text = logical.text
    words = separated_words(text, offset)
    end = words[-1][1] if words else offset
    inst = FromInstruction(len(df.froms), logical.span(0, end), keyword, text)
    inst.pragmas = pragmas
    operands: list[tuple[int, int]] = []
    platform_at = (0, 0)
    for start, stop in words:
        word = text[start:stop]
        if not operands and word.startswith("--"):
            flag, eq, value = word[2:].partition("=")
            if flag.lower() not in FROM_FLAGS:
                df.problems.append(SyntaxProblem(logical.span(start, stop), f"unknown flag for FROM: --{flag}"))
            elif not eq or not value:
                df.problems.append(SyntaxProblem(logical.span(start, stop), f"missing a value on flag --{flag}"))
            else:
                inst.platform = value
                platform_at = (stop - len(value), stop)
            continue
        operands.append((start, stop))
    if len(operands) not in (1, 3) or (len(operands) == 3 and text[operands[1][0] : operands[1][1]].lower() != "as"):
        df.problems.append(
            SyntaxProblem(
                inst.span,
                "FROM requires either one argument, or three: FROM <image> [AS <name>]",
            )
        )
        if not operands:
            return
    if inst.platform is not None:
        _platform(df, logical, inst, platform_at, env, budget)
    start, stop = operands[0]
    inst.raw = text[start:stop]
    inst.raw_span = logical.span(start, stop)
    df.froms.append(inst)
    if len(operands) == 3 and text[operands[1][0] : operands[1][1]].lower() == "as":
        inst.alias = text[operands[2][0] : operands[2][1]]
        if not _is_stage_name(inst.alias.lower()):
            message = f"invalid name for build stage: '{inst.alias}', name can't start with a number or contain symbols"
            df.problems.append(SyntaxProblem(logical.span(*operands[2]), message))
    if stop - start > MAX_OPERAND:
        df.problems.append(SyntaxProblem(inst.raw_span, "image reference is too long"))
        return
    if not _resolve(df, logical, inst, (start, stop), env, aliases, budget):
        return
    if inst.alias is not None:
        aliases[inst.alias.lower()] = inst.index


def _resolve(
    df: Dockerfile,
    logical: Logical,
    inst: FromInstruction,
    at: tuple[int, int],
    env: dict[str, Var],
    aliases: dict[str, int],
    budget: Budget,
) -> bool:
    """Expand the image name as BuildKit would, and find the earlier stage it names; False when
    it cannot be expanded at all (a problem is recorded)."""
    start, stop = at
    try:
        result = expand(inst.raw, logical.origins(start, stop), env, df.escape, budget)
    except ExpandError as exc:
        _expand_problem(df, budget, inst.raw_span, "cannot expand image name", exc)
        return False
    inst.empty = result.empty
    if result.unresolved:
        inst.unresolved = result.unresolved
    elif _emptied(result.empty) and result.text not in aliases and not _is_reference(result.text):
        inst.unresolved = _emptied(result.empty)  # `img:${TAG}` with TAG empty: BuildKit cannot pull `img:`
        inst.expansion = result.text
    else:
        inst.resolved = result.text
        inst.resolved_origins = result.origins
    # BuildKit's `addState`: stage names are kept in lower case, a base name is looked up as
    # written (`FROM Build` is not stage `build`), and a later stage of one name replaces the earlier
    if inst.resolved is not None:
        ref = aliases.get(inst.resolved)
        if ref is not None:
            inst.stage_ref = ref
    return True


def _is_reference(text: str) -> bool:
    """Is `text` an image reference BuildKit could pull (or `scratch`)?"""
    return text.lower() == "scratch" or (text != "" and parse_reference(text).error is None)


def _platform(
    df: Dockerfile,
    logical: Logical,
    inst: FromInstruction,
    at: tuple[int, int],
    env: dict[str, Var],
    budget: Budget,
) -> None:
    """Expand `--platform` with the global ARGs, as BuildKit's `buildDispatchStates` does."""
    start, stop = at
    span = logical.span(start, stop)
    try:
        result = expand(logical.text[start:stop], logical.origins(start, stop), env, df.escape, budget)
    except ExpandError as exc:
        _expand_problem(df, budget, span, "cannot expand --platform", exc)
        return
    if result.unresolved:
        inst.platform_unresolved = result.unresolved
    elif not result.text:
        df.problems.append(SyntaxProblem(span, f"empty platform value from expression {inst.platform}"))
    else:
        inst.platform_resolved = result.text


def _global_arg(
    df: Dockerfile,
    logical: Logical,
    offset: int,
    env: dict[str, Var],
    build_args: Mapping[str, str],
    budget: Budget,
) -> None:
    text = logical.text
    for m in quoted_words(text, offset, df.escape):
        start, stop = m
        word = text[start:stop]
        name, eq, default = word.partition("=")
        span = logical.span(start, stop)
        if not name or not (name[0].isalpha() or name[0] == "_") or not _is_name(name):
            df.problems.append(SyntaxProblem(span, f"invalid ARG name '{name}'"))
            continue
        if name in build_args:
            value = Var(build_args[name])
        elif not eq:  # BuildKit's `buildMetaArgs`: a value it had already (or a platform one) stays
            value = env.get(name) or Var(None)
        else:
            begin = start + len(name) + 1
            try:
                budget.spend(stop - begin)  # before the origins of a (possibly huge) default are made
                result = expand(default, logical.origins(begin, stop), env, df.escape, budget)
            except ExpandError as exc:
                _expand_problem(df, budget, span, f"cannot expand ARG {name}", exc)
                value = Var(None)
            else:
                value = Var(result.text, result.origins, result.unresolved, result.empty)
        env[name] = value
        df.args[name] = GlobalArg(name, span, default if eq else None, value)


def _emptied(empty: dict[str, str]) -> dict[str, str]:
    """The variables that made the word shorter: not those whose default stood in, nor those in
    a part of the word that is not used."""
    return {name: why for name, why in empty.items() if why not in WARN_ONLY}


def _expand_problem(df: Dockerfile, budget: Budget, span: Span, what: str, exc: ExpandError) -> None:
    """Report an expansion error; running out of budget only once per file (the rest would repeat it)."""
    if isinstance(exc, BudgetError):
        if budget.reported:
            return
        budget.reported = True
        df.problems.append(SyntaxProblem(span, f"{what}: {exc}; later ARGs that need more are left unset"))
        return
    df.problems.append(SyntaxProblem(span, f"{what}: {exc}"))


def _is_stage_name(name: str) -> bool:
    """BuildKit's validStageName, `^[a-z][a-z0-9-_.]*$` (instructions/parse.go)."""
    return name[:1] in _LOWER and all(ch in _STAGE_CHARS for ch in name)


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_STAGE_CHARS = _LOWER | frozenset("0123456789-_.")


def _is_name(name: str) -> bool:
    """Letters, digits and `_` only (as `all(ch.isalnum() or ch == "_" for ch in name)`)."""
    return name.replace("_", "a").isalnum()
