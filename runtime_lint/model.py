"""Plain records shared by every room: severities, locations, findings, fixes.

Kept free of `dataclasses` and `typing` imports on purpose: they cost more start-up
time than a pre-commit hook can spare (see benchmarks/README.md). Each record is a
small class with `__slots__`; `Record` gives them value equality and a readable repr.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any
else:
    try:  # `datetime.date` is this C type; datetime.py defines a pure-Python copy first (1 ms)
        from _datetime import date
    except ImportError:  # Python builds without the C module
        from datetime import date

__all__ = [
    "ERROR", "INFO", "SEVERITY_BY_NAME", "SEVERITY_NAMES", "WARNING",
    "Finding", "Fix", "Record", "Span", "UsageError", "date",
]  # fmt: skip


class Record:
    """Value equality and repr from `__slots__` (a stand-in for a frozen dataclass)."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and type(self) is type(other) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


# Severities, most severe last so that comparisons read naturally.
INFO = 1
WARNING = 2
ERROR = 3
SEVERITY_NAMES = {INFO: "info", WARNING: "warning", ERROR: "error"}

# Exit codes (README "Exit codes"): no finding at or above --fail-on; findings (or, with --diff,
# something to fix); usage, configuration, I/O or catalog error.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
SEVERITY_BY_NAME = {name: level for level, name in SEVERITY_NAMES.items()}


class Span(Record):
    """A region of a file: 1-based line and column; `end_column` is exclusive.

    Columns count characters (Unicode code points) of the physical line, a tab counts as one.
    """

    __slots__ = ("column", "end_column", "end_line", "line")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class Fix(Record):
    """Replace the text at `span` by `replacement`. `safe` fixes run with --fix alone."""

    __slots__ = ("description", "replacement", "safe", "span")

    def __init__(self, span: Span, replacement: str, safe: bool, description: str) -> None:
        self.span = span
        self.replacement = replacement
        self.safe = safe
        self.description = description


class Finding(Record):
    """One rule's verdict on one place of one file."""

    __slots__ = ("code", "fix", "message", "name", "severity", "span", "stage")

    def __init__(
        self,
        code: str,
        name: str,
        severity: int,
        message: str,
        span: Span,
        fix: Fix | None = None,
        stage: int | None = None,
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.span = span
        self.fix = fix
        self.stage = stage

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES[self.severity]

    def sort_key(self) -> tuple[int, int, str]:
        return (self.span.line, self.span.column, self.code)


class UsageError(Exception):
    """Bad command line, configuration or catalog: exit code 2 with one line."""
