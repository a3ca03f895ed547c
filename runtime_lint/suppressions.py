"""`# runtime-lint:` pragmas: what they say (`ignore=CODES` before a FROM, `ignore-file[=CODES]`).

All of it is here: reading them (from a Dockerfile's comment lines, dockerfile.py; from a
requirements file's, `read_pragmas`), matching them to findings (`naming`, `ignored_above`, `file_ignores`), and
what RL002 (`problems`: cannot be read, unknown codes) and RL003 (`unused`, `unused_messages`)
say of them. engine.py (a Dockerfile) and project.py (requirements files) apply them; the two
rules are registered in checks/tags.py.
"""

from __future__ import annotations

from runtime_lint.model import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

# `re` costs more to import than a whole lint run, so the common paths do without it: this
# pattern is only compiled for the rare lines that need it (a pragma).
_PRAGMA = r"(?ai)#\s*runtime-lint\s*:\s*(.*?)\s*$"


class Pragma:
    """A `# runtime-lint: ...` comment: `ignore=CODES` before a FROM, or `ignore-file[=CODES]`."""

    __slots__ = ("codes", "kind", "reason", "span", "text", "written")

    def __init__(self, span: Span, kind: str, codes: tuple[str, ...], reason: str, text: str) -> None:
        self.span = span
        self.kind = kind  # "ignore" | "ignore-file" | "invalid"
        self.written = codes  # the rules as the user wrote them: codes (rl204) or names (patch-not-latest)
        self.codes = tuple(code.upper() for code in codes)  # empty: every code; see `name_rules`
        self.reason = reason
        self.text = text


def name_rules(pragmas: list[Pragma], names: dict[str, str]) -> None:
    """Let pragmas name rules as `--ignore` does: a rule's name (`patch-not-latest`, any case)
    stands for its code. `names`: lower-case rule name -> code. Unknown words stay as written
    (upper case), for RL002 to report in the user's spelling."""
    for pragma in pragmas:
        pragma.codes = tuple(names.get(word.lower(), word.upper()) for word in pragma.written)


def read_pragma(comment: str, line: int, col: int) -> Pragma | None:
    if "runtime-lint" not in comment.lower():
        return None
    import re

    m = re.match(_PRAGMA, comment)
    if m is None:
        return None
    body = m.group(1)
    span = Span(line, col, line, col + len(comment))
    reason = ""
    if "--" in body:
        body, reason = (part.strip() for part in body.split("--", 1))
    key, _, value = body.partition("=")
    key = key.strip().lower()
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    if key == "ignore" and codes:
        return Pragma(span, "ignore", codes, reason, comment)
    if key == "ignore-file":
        return Pragma(span, "ignore-file", codes, reason, comment)
    return Pragma(span, "invalid", codes, reason, comment)


def read_pragmas(lines: list[str]) -> dict[int, Pragma]:
    """The pragmas on the comment lines of a file that is not a Dockerfile, by line number."""
    out: dict[int, Pragma] = {}
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip()
        if stripped.startswith("#") and "runtime-lint" in stripped.lower():
            pragma = read_pragma(stripped.rstrip(), number, len(line) - len(stripped) + 1)
            if pragma is not None:
                out[number] = pragma
    return out


def naming(pragmas: Iterable[Pragma], code: str) -> Pragma | None:
    """The first of these pragmas that names the code."""
    for pragma in pragmas:
        if code in pragma.codes:
            return pragma
    return None


def ignored_above(lines: list[str], pragmas: dict[int, Pragma], line: int, code: str) -> int | None:
    """The line of an `ignore=` pragma naming the code among the comment lines right above `line`
    of a file that is not a Dockerfile (`pragmas`: read_pragmas'); None when none does."""
    number = line - 1
    while number >= 1 and lines[number - 1].lstrip().startswith("#"):
        pragma = pragmas.get(number)
        if pragma is not None and pragma.kind == "ignore" and code in pragma.codes:
            return number
        number -= 1
    return None


def file_ignores(pragmas: Iterable[Pragma]) -> frozenset[str] | None:
    """What the `ignore-file` pragmas silence: None nothing, an empty set everything, else these codes."""
    codes: set[str] = set()
    found = False
    for pragma in pragmas:
        if pragma.kind == "ignore-file":
            if not pragma.codes:
                return frozenset()
            found = True
            codes.update(pragma.codes)
    return frozenset(codes) if found else None


def unused(
    pragmas: Iterable[Pragma], used: set[tuple[int, str]], selected: Mapping[str, int]
) -> list[tuple[Pragma, str]]:
    """The codes in pragmas that silenced nothing, of the rules that ran (`selected`: others
    cannot be judged). `used` holds (pragma line, code), line 0 for `ignore-file`."""
    out: list[tuple[Pragma, str]] = []
    for pragma in pragmas:
        if pragma.kind not in ("ignore", "ignore-file"):
            continue
        line = pragma.span.line if pragma.kind == "ignore" else 0
        for code in pragma.codes:
            if code in selected and (line, code) not in used:
                out.append((pragma, code))
    return out


def problems(pragmas: Iterable[Pragma], known_codes: frozenset[str]) -> Iterator[tuple[str, Span]]:
    """RL002: (message, span) for each pragma that cannot be read or names unknown rules."""
    for pragma in pragmas:
        if pragma.kind == "invalid":
            yield (
                f"cannot read pragma '{pragma.text}': write "
                "'# runtime-lint: ignore=RL204 -- reason' or '# runtime-lint: ignore-file'",
                pragma.span,
            )
            continue
        unknown = [word for word, code in zip(pragma.written, pragma.codes, strict=True) if code not in known_codes]
        if unknown:  # as the user wrote them
            yield f"pragma names unknown rule code(s): {', '.join(unknown)}", pragma.span


def unused_messages(found: Iterable[tuple[Pragma, str]], what: str) -> Iterator[tuple[str, Span]]:
    """RL003: (message, span) for each (pragma, code) that silenced nothing; `what`: the thing a
    line pragma is for ("the FROM", "the requirement")."""
    for pragma, code in found:
        where = "in this file" if pragma.kind == "ignore-file" else f"on {what} right after it"
        yield f"{code} is suppressed but does not fire {where}: remove it from the pragma", pragma.span
