"""Logical lines: physical lines joined over escape-character continuations, with where each
character of the joined text comes from in the file (for spans and fixes)."""

from __future__ import annotations

from runtime_lint.model import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.expand import Origin


class Logical:
    """A logical line: its text and where each run of it sits in the file."""

    __slots__ = ("cols", "lines", "starts", "text")

    def __init__(self) -> None:
        self.text = ""
        self.starts: list[int] = []  # offset in `text` where a physical piece begins
        self.lines: list[int] = []  # its 1-based line
        self.cols: list[int] = []  # its 1-based column

    def add(self, piece: str, line: int, col: int) -> None:
        self.starts.append(len(self.text))
        self.lines.append(line)
        self.cols.append(col)
        self.text += piece

    def pos(self, offset: int) -> tuple[int, int]:
        """(line, column) of the character at `offset`."""
        if len(self.starts) == 1:  # most instructions fit on one line
            return self.lines[0], self.cols[0] + offset
        k = bisect_right(self.starts, offset) - 1
        return self.lines[k], self.cols[k] + offset - self.starts[k]

    def end_pos(self, end: int) -> tuple[int, int]:
        """(line, exclusive end column) of a range ending before `end`."""
        if end <= 0:
            return self.lines[0], self.cols[0]
        line, col = self.pos(end - 1)
        return line, col + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start) if start < len(self.text) else self.end_pos(start)
        end_line, end_col = self.end_pos(end) if end > start else (line, col)
        return Span(line, col, end_line, end_col)

    def origins(self, start: int, end: int) -> list[Origin]:
        """`[self.pos(k) for k in range(start, end)]`, a piece at a time instead of a bisect per
        character (this was the parser's hottest line)."""
        if len(self.starts) == 1:
            line, shift = self.lines[0], self.cols[0]
            return [(line, shift + j) for j in range(start, end)]
        out: list[Origin] = []
        if start >= end:
            return out
        starts = self.starts
        last = len(starts) - 1
        k = bisect_right(starts, start) - 1
        offset = start
        while offset < end:
            stop = end if k >= last else min(end, starts[k + 1])
            if stop > offset:
                line, shift = self.lines[k], self.cols[k] - starts[k]
                out.extend([(line, shift + j) for j in range(offset, stop)])
                offset = stop
            k += 1
        return out


def bisect_right(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < values[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def split_lines(text: str) -> list[str]:
    """Physical lines as Docker reads them: split on LF, a trailing CR dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def continues(line: str, escape: str) -> bool:
    r"""Whether the line goes on: it ends in the escape character (blanks after it allowed) that
    is not itself escaped. BuildKit's `lineContinuationRegex`, `([^\\])\\[ \t]*$|^\\[ \t]*$`:
    `RUN echo x\\` ends an instruction (parser/testfiles/trailing-backslash)."""
    body = line.rstrip(" \t")
    return body.endswith(escape) and not body.endswith(escape + escape)


def cut_continuation(line: str, escape: str) -> tuple[str, bool]:
    """Strip a trailing escape character (and the blanks after it): the line goes on."""
    if continues(line, escape):
        return line.rstrip(" \t")[:-1], True
    return line, False
