"""Applying fixes to text, and writing files without ever leaving them half-written.

- Edits are (line, column, end line, end column) spans in the text as parsed; they are applied
  from the end of the file backwards, identical edits once, overlapping ones skipped.
- Line endings, the UTF-8 BOM and the file mode are kept; the new file is written to a
  temporary file in the same folder and renamed over the old one (atomic on POSIX and Windows).
- A read-only file is refused with a clear error and left untouched.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from runtime_lint.model import Finding, Fix


class FixError(Exception):
    """The fixed file could not be written: one line, without the path."""


def chosen_fixes(findings: Iterable[Finding], unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


def apply(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply the fixes to `text`; return the new text and how many edits were made."""
    starts = [0]
    k = text.find("\n")
    while k >= 0:
        starts.append(k + 1)
        k = text.find("\n", k + 1)

    def offset(line: int, column: int) -> int | None:
        if not 1 <= line <= len(starts):
            return None
        return starts[line - 1] + column - 1

    edits: dict[tuple[int, int], str] = {}
    for fix in fixes:
        start = offset(fix.span.line, fix.span.column)
        end = offset(fix.span.end_line, fix.span.end_column)
        if start is None or end is None or end < start or end > len(text):
            continue
        edits.setdefault((start, end), fix.replacement)
    applied = 0
    last_start = len(text) + 1
    for (start, end), replacement in sorted(edits.items(), reverse=True):
        if end > last_start:
            continue  # overlaps an edit already made
        if text[start:end] == replacement:
            continue
        text = text[:start] + replacement + text[end:]
        last_start = start
        applied += 1
    return text, applied


def write_atomic(path: str, text: str, bom: bool) -> None:
    """Replace the file's content with `text` (UTF-8, with a BOM if it had one), keeping its mode."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FixError(f"cannot fix: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise FixError("cannot fix: the file is read-only")
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    folder = os.path.dirname(os.path.abspath(path))
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(prefix=".runtime-lint-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FixError(f"cannot fix: cannot create a temporary file in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, path)
    except OSError as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise FixError(f"cannot fix: {exc.strerror}") from None


def unified_diff(path: str, before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
