"""Logical lines: physical lines joined over escape-character continuations, with where each
character of the joined text comes from in the file (for spans and fixes); and the words of a
line, split where BuildKit splits them (`separated_words`, `quoted_words`)."""

from __future__ import annotations

from runtime_lint.model import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.expand import Origin


class Logical:
    """A logical line: its text and where each run of it sits in the file."""

    __slots__ = ("cols", "lines", "starts", "text")

    def __init__(self, piece: str, line: int, col: int) -> None:
        """The logical line's first piece: `piece` starts at `line`, `col` of the file."""
        self.text = piece
        self.starts = [0]  # offset in `text` where a physical piece begins
        self.lines = [line]  # its 1-based line
        self.cols = [col]  # its 1-based column

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


# BuildKit's two notions of a blank between words (frontend/dockerfile/parser):
# - `reWhitespace`, [\t\v\f\r ]+: the keyword from its operands, and FROM's operands
#   (parseStringsWhitespaceDelimited);
# - Go's unicode.IsSpace: ARG's operands (parseWords) and the words searched for heredocs (the
#   shell lexer's ProcessWords). That is Python's str.isspace but for \x1c-\x1f, which Go does
#   not count (a no-break space it does).
SEPARATORS = " \t\v\f\r"
# Go's unicode.IsSpace: these in Latin-1, and elsewhere Unicode's White_Space characters
GO_SPACES = frozenset(" \t\n\v\f\r\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)


def is_go_space(ch: str) -> bool:
    """Go's unicode.IsSpace for one character."""
    return ch in GO_SPACES


def separated_words(text: str, offset: int = 0) -> list[tuple[int, int]]:
    r"""(start, end) of the words of text[offset:] between runs of SEPARATORS (as
    `re.finditer(r"[^\t\v\f\r ]+")`): BuildKit's split of FROM's operands."""
    spans: list[tuple[int, int]] = []
    at = offset
    for piece in text[offset:].translate(_TO_SPACE).split(" "):
        if piece:
            spans.append((at, at + len(piece)))
        at += len(piece) + 1
    return spans


_TO_SPACE = str.maketrans("\t\v\f\r", "    ")


def quoted_words(text: str, offset: int, escape: str, heredoc: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the words of text[offset:] as BuildKit splits ARG's operands (parseWords)
    and, with `heredoc`, the words it looks for heredocs in (ProcessWords with RawQuotes and
    RawEscapes): on Go spaces outside quotes; an escape character keeps the next character in the
    word (inside single quotes it is plain); with `heredoc`, blanks after `<<` stay in the word
    (`RUN <<  EOF`, processPossibleHeredoc)."""
    words: list[tuple[int, int]] = []
    i, n = offset, len(text)
    spaces = GO_SPACES  # is_go_space, written out: a call per character costs half as much again
    while i < n:
        while i < n and text[i] in spaces:
            i += 1
        if i >= n:
            break
        start = i
        quote = ""
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == escape and quote == '"':
                    i += 1
            elif ch in "'\"":
                quote = ch
            elif ch == escape:
                i += 1
            elif ch in spaces:
                break
            elif heredoc and text.startswith("<<", i):
                i += 2
                while i < n and text[i] in " \t":
                    i += 1
                continue
            i += 1
        words.append((start, min(i, n)))
    return words
