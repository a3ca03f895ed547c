"""Reading the files runtime-lint is given (Dockerfiles, config files, catalogs, saved feeds).

One rule for all of them: only a regular file is read, a FIFO or socket is refused without ever
blocking, and no more than a size limit is read. Problems are a FileError with a one-line
message that does not repeat the path (the caller names the file). Also here: UTF-8 text with
errors that say where (`decode_utf8`), and whether a path lies inside a folder (`relative_inside`).
"""

from __future__ import annotations

import os
import stat

# Read-only, binary, and non-blocking: opening a FIFO must never wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
NOT_REGULAR = "not a regular file (a FIFO, socket or device)"


class FileError(Exception):
    """A file that cannot be read: the message is one line, without the path."""


def read_regular(path: str, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `max_bytes`; FileError for anything else."""
    try:
        fd = os.open(path, _OPEN_FLAGS)  # non-blocking: a FIFO opens at once, and is refused below
    except OSError as exc:
        raise FileError(_why_not_opened(path, exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise FileError(NOT_REGULAR)
        if info.st_size > max_bytes:
            raise FileError(f"{info.st_size / 1048576:.1f} MiB is too large for a {what} (limit {_mib(max_bytes)})")
        data = _read(fd, info.st_size, max_bytes)
    except OSError as exc:
        raise FileError(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FileError(f"too large for a {what} (limit {_mib(max_bytes)})")
    return data


def decode_utf8(data: bytes) -> str:
    """The text of UTF-8 bytes; FileError for a binary file (NUL bytes) or invalid UTF-8, saying where."""
    if b"\x00" in data:
        raise FileError("is a binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileError(f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column})") from None


def relative_inside(path: str, folder: str) -> str | None:
    """`path` relative to `folder` (native separators; `.` for the folder itself), or None when
    it is outside (or, on Windows, on another drive). Both absolute."""
    try:
        rel = os.path.relpath(path, folder)
    except ValueError:
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel


def _why_not_opened(path: str, error: OSError) -> str:
    """Why `open` failed, in words that fit the file (a socket fails with "No such device")."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file or directory"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISDIR(info.st_mode):
        return "is a directory"  # Windows cannot open a directory
    if not stat.S_ISREG(info.st_mode):
        return NOT_REGULAR
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def _mib(count: int) -> str:
    return f"{count / 1048576:g} MiB"


def _read(fd: int, size: int, max_bytes: int) -> bytes:
    """Up to max_bytes + 1 bytes. `size` (from stat) is a hint: asking for exactly that much (+1, to
    see the end in one call) avoids allocating max_bytes for every small file."""
    chunks: list[bytes] = []
    left = max_bytes + 1
    want = min(size + 1, left)
    while left > 0:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        if len(chunk) < want and max_bytes + 1 - left >= size:  # all of it, and short: the end
            break
        want = min(left, 1 << 20)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
