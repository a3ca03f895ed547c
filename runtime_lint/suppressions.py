"""`# runtime-lint:` pragmas: what they say (`ignore=CODES` before a FROM, `ignore-file[=CODES]`).

Reading them is here; which finding a pragma silences is decided in engine.py, and the rules
about pragmas themselves are RL002 (invalid) and RL003 (unused) in checks/tags.py.
"""

from __future__ import annotations

from runtime_lint.model import Span

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
