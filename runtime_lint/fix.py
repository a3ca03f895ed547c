"""Applying fixes to text, and writing files without ever leaving them half-written.

- Edits are (line, column, end line, end column) spans in the text as parsed; they are applied
  from the end of the file backwards, identical edits once, overlapping ones skipped.
- Line endings, the UTF-8 BOM, the file mode and (where allowed) owner are kept; the new file is
  written to a temporary file in the same folder and renamed over the old one (atomic on POSIX
  and Windows). A symlink is followed: its target is rewritten and the link stays a link.
- A read-only file (no write permission for us, or no write bit at all, which root would
  otherwise ignore) is refused with a clear error and left untouched.
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
    """The fixes a run applies: the safe ones, and with `unsafe` the unsafe ones too. Where two
    fixes edit the same text (RL202's move to a maintained line, RL204's update within the line),
    an unsafe one wins over a safe one (with `--unsafe-fixes` the bigger move is what was asked
    for), else the first reported. The report says so on the fix that is not applied (`replaced_by`)."""
    return [fix for fix, _ in _plan(findings, unsafe)]


def replaced_by(finding: Finding, findings: Iterable[Finding]) -> str | None:
    """The code of the finding whose fix `--fix --unsafe-fixes` applies instead of this
    finding's fix (they edit the same text), if any."""
    fix = finding.fix
    if fix is None:
        return None
    plan = _plan(findings, unsafe=True)
    if any(kept is fix for kept, _ in plan):
        return None
    return next((code for kept, code in plan if _clash(fix, kept)), None)


def _plan(findings: Iterable[Finding], unsafe: bool) -> list[tuple[Fix, str]]:
    chosen = [(f.fix, f.code) for f in findings if f.fix is not None and (f.fix.safe or unsafe)]
    chosen.sort(key=lambda item: item[0].safe)  # stable: unsafe fixes first, else in report order
    kept: list[tuple[Fix, str]] = []
    for fix, code in chosen:
        if not any(_clash(fix, other) for other, _ in kept):
            kept.append((fix, code))
    return kept


def _clash(a: Fix, b: Fix) -> bool:
    """Do two fixes edit overlapping text differently? (The same edit twice is one edit.)"""
    if (a.span, a.replacement) == (b.span, b.replacement):
        return False
    start_a, end_a = (a.span.line, a.span.column), (a.span.end_line, a.span.end_column)
    start_b, end_b = (b.span.line, b.span.column), (b.span.end_line, b.span.end_column)
    if start_a == end_a or start_b == end_b:  # an insertion clashes with an edit around its place
        return start_b <= start_a <= end_b or start_a <= start_b <= end_a
    return start_a < end_b and start_b < end_a


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
    path = os.path.realpath(path)  # through symlinks: replacing the link would cut it
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FixError(f"cannot fix: {exc.strerror}") from None
    if not os.access(path, os.W_OK) or not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FixError("cannot fix: the file is read-only")
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    try:
        replace_file(path, data, stat.S_IMODE(info.st_mode), info)
    except TempFileError as exc:
        raise FixError(f"cannot fix: cannot create a temporary file in {exc.filename}: {exc.strerror}") from None
    except OSError as exc:
        raise FixError(f"cannot fix: {exc.strerror}") from None


class TempFileError(OSError):
    """The temporary file for an atomic write could not be created (`filename`: its folder)."""


def replace_file(path: str, data: bytes, mode: int, owner: os.stat_result | None = None) -> None:
    """Replace `path` by `data` atomically: a temporary file in the same folder gets the data, the
    mode (and, best effort, `owner`'s owner and group), is synced, then renamed over `path`.
    On failure `path` is as it was, the temporary file is gone, and OSError is raised."""
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=".runtime-lint-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TempFileError(exc.errno, exc.strerror, folder) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if owner is not None:
            _keep_owner(temp, owner)  # before chmod: a chown may clear the set-id bits
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _keep_owner(temp: str, info: os.stat_result) -> None:
    """Give the new file the old one's owner and group when they differ (root fixing a user's
    file in a bind mount); best effort, as only root may give a file away."""
    chown = getattr(os, "chown", None)  # not on Windows
    if chown is None:
        return
    new = os.stat(temp)
    if (new.st_uid, new.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        chown(temp, info.st_uid, info.st_gid)
    except OSError:
        try:
            chown(temp, -1, info.st_gid)  # a member of the group may still keep the group
        except OSError:
            pass


def diff_path(path: str) -> str:
    """The path as `git diff` writes it after `a/`: `./docker/Dockerfile` is `docker/Dockerfile`
    (`git apply` refuses `./` and `//`)."""
    shown = os.path.normpath(path).replace(os.sep, "/")
    return shown.lstrip("/") if os.path.isabs(path) else shown


def _lines(text: str) -> list[str]:
    """Lines as git counts them: ended by LF only (str.splitlines also splits on CR, form feed,
    U+2028 and others, which git and Docker keep inside a line)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(path: str, before: str, after: str, bom: bool = False) -> str:
    """The edit as git shows it; with the file's BOM (`bom`), else the diff does not apply to it."""
    import difflib

    shown = diff_path(path)
    mark = "\ufeff" if bom else ""
    lines = difflib.unified_diff(
        _lines(mark + before),
        _lines(mark + after),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
