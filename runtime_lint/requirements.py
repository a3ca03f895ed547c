"""pip requirements files as pip reads them: an Astro project's `requirements.txt` and the files it
includes, for the rules about them (RL401, RL402 in checks/project.py) and the upgrade planner.

    read_requirements(project_dir, filename="requirements.txt", contains="airflow")
        -> (list[Requirement], list[Problem])
    scan(project_dir, filename="requirements.txt", contains="airflow") -> Scan
        the same, plus every file read or tried (`Scan.files`: path, kind, lines), for reports
    excludes(specifier, airflow_version) -> bool
        does the specifier (`"==2.9.3"`, `">=2.9,<3"`, `""`) rule out that Airflow release? For a
        minor-only version (`"2.10"`, as the catalog knows some releases) only when it rules out
        every `2.10.*`; for `"2.11.2"` when it rules out 2.11.2. ValueError for a bad argument.
    is_airflow(requirement) -> bool
        `apache-airflow` itself, by its normalised name (`Apache_Airflow`, `apache.airflow`), not
        `apache-airflow-providers-*`
    AIRFLOW = "apache-airflow"

A `Requirement` has `path` (joined onto `project_dir` as given), `line`, `column` and `end_column`
(1-based, of the project name as written; `end_column` exclusive), `name` (as written), `key`
(normalised name), `specifier` (packaging's text of it, "" when there is none), `extras`, `marker`,
`url` (a direct reference `name @ url`), `text` (the requirement as written, without comment and
options) and `kind` ("requirement", or "constraint" for a file named by `-c`). A `Problem` is a
file or line that could not be read: `path`, `line`, `column`, `end_column`, a one-line `message`
(a file that cannot be read or decoded is located at its own 1:1; a missing `-r` file at the line
that names it).

What is read, as pip does (pip/_internal/req/req_file.py): lines split with str.splitlines;
a trailing backslash continues a line; `#` at the start of a line or after whitespace starts a
comment; blank lines and option lines (`--index-url`, `-e`, `--hash` after a requirement, ...)
are skipped; URLs and local paths are not names and are skipped; `-r`/`--requirement` and
`-c`/`--constraint` are followed relative to the including file. Unlike pip: only files inside the
project folder are read (after symlinks: a file outside is neither read nor reported), each file
once (no include loops), each at most MAX_BYTES; a file that cannot be read or decoded is one
Problem. A UTF-8, UTF-16 or UTF-32 BOM is honoured, as pip does; otherwise the text must be UTF-8.

Speed: with `contains` (default "airflow") only requirement lines containing that text (any case)
are parsed, so `packaging` is imported only when such a line exists; `contains=None` parses every
line.
"""

from __future__ import annotations

import os

from runtime_lint.files import FileError, decode_utf8, read_regular, relative_inside
from runtime_lint.image import clip
from runtime_lint.model import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

__all__ = ["AIRFLOW", "MAX_BYTES", "Problem", "Requirement", "Scan", "SourceFile", "excludes", "is_airflow"]
__all__ += ["read_requirements", "scan"]

AIRFLOW = "apache-airflow"
MAX_BYTES = 16 * 1024 * 1024  # as for Dockerfiles: no real requirements file comes near this
MAX_DEPTH = 64  # nested -r/-c files
_INCLUDES = {"-r": "requirement", "--requirement": "requirement", "-c": "constraint", "--constraint": "constraint"}
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".tar.lz", ".tlz")


class Requirement(Record):
    """One requirement (or constraint) line of a requirements file."""

    __slots__ = (
        "column", "end_column", "extras", "key", "kind", "line", "marker", "name", "path", "specifier", "text", "url",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        name: str,
        key: str,
        specifier: str,
        text: str,
        kind: str = "requirement",
        extras: tuple[str, ...] = (),
        marker: str | None = None,
        url: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_column = column + len(name)
        self.name = name
        self.key = key
        self.specifier = specifier
        self.text = text
        self.kind = kind
        self.extras = extras
        self.marker = marker
        self.url = url


class Problem(Record):
    """A requirements file, or a line of one, that could not be read."""

    __slots__ = ("column", "end_column", "line", "message", "path")

    def __init__(self, path: str, line: int, column: int, message: str, end_column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_column = column if end_column is None else end_column  # exclusive; the column: a point
        self.message = message


class SourceFile:
    """A requirements file that was read: its path, how it was included, its lines."""

    __slots__ = ("kind", "lines", "path")

    def __init__(self, path: str, kind: str, lines: list[str]) -> None:
        self.path = path
        self.kind = kind
        self.lines = lines


class Scan:
    """What reading a project's requirements found, in the order pip reads it."""

    __slots__ = ("files", "problems", "requirements")

    def __init__(self) -> None:
        self.requirements: list[Requirement] = []
        self.problems: list[Problem] = []
        self.files: list[SourceFile] = []


def read_requirements(
    project_dir: str, filename: str = "requirements.txt", contains: str | None = "airflow"
) -> tuple[list[Requirement], list[Problem]]:
    """The requirements of a project folder's `filename` and the files it includes, and the
    problems reading them. A missing `filename` has none of either."""
    found = scan(project_dir, filename, contains)
    return found.requirements, found.problems


def scan(project_dir: str, filename: str = "requirements.txt", contains: str | None = "airflow") -> Scan:
    reader = _Reader(project_dir, contains)
    reader.read(os.path.join(project_dir, filename), "requirement", None, 0)
    return reader.out


def is_airflow(requirement: Requirement) -> bool:
    return requirement.key == AIRFLOW


def excludes(specifier: str | SpecifierSet, airflow_version: str) -> bool:
    """Whether no release of `airflow_version` satisfies `specifier` (see the module docstring)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        spec = SpecifierSet(specifier) if isinstance(specifier, str) else specifier
    except InvalidSpecifier:
        raise ValueError(f"not a version specifier: '{specifier}'") from None
    try:
        version = Version(airflow_version)
    except InvalidVersion:
        raise ValueError(f"not an Airflow version: '{airflow_version}'") from None
    if len(version.release) >= 3 or version.pre is not None or version.post is not None or version.dev is not None:
        return not spec.contains(version, prereleases=True)
    # Only a prefix is known (2.10): is some 2.10.N admitted? The least N that satisfies every
    # clause is 0, a bound a clause names, or one past it (past a `>` or a `!=`).
    prefix = version.release
    depth = len(prefix)
    candidates = {0}
    for clause in spec:
        try:
            release = Version(clause.version.removesuffix(".*")).release
        except InvalidVersion:  # `===` takes any text
            continue
        if release[:depth] == prefix:
            bound = release[depth] if len(release) > depth else 0  # `>2.10` names 2.10.0
            candidates.update((bound, bound + 1))
    base = ".".join(str(part) for part in prefix)
    return not any(spec.contains(f"{base}.{n}", prereleases=True) for n in sorted(candidates))


# ------------------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, project_dir: str, contains: str | None) -> None:
        self.root = os.path.realpath(project_dir)
        self.contains = contains.lower() if contains is not None else None
        self.seen: set[str] = set()
        self.out = Scan()

    def read(self, path: str, kind: str, origin: tuple[str, int, int, str] | None, depth: int) -> None:
        """Read one file (unless outside the project or read before) and follow its includes.
        `origin`: where it was named (path, line, column, as written), None for the top file."""
        real = os.path.realpath(path)
        if relative_inside(real, self.root) is None or real in self.seen:
            return
        self.seen.add(real)
        if origin is None and not os.path.lexists(path):
            return
        if depth > MAX_DEPTH:
            assert origin is not None
            self._problem(origin, f"cannot read '{origin[3]}': requirements files nest more than {MAX_DEPTH} deep")
            return
        try:
            text = _decode(read_regular(path, MAX_BYTES, "requirements file"))
        except FileError as exc:
            if origin is not None and not os.path.isfile(path):  # missing, a folder, ...: say so where it is named
                self._problem(origin, f"cannot read '{origin[3]}': {exc}")
            else:
                self.out.files.append(SourceFile(path, kind, []))
                self.out.problems.append(Problem(path, 1, 1, f"cannot read this requirements file: {_it(exc)}"))
            return
        lines = text.splitlines()
        self.out.files.append(SourceFile(path, kind, lines))
        for _, logical, pieces in _logical_lines(lines):
            self._line(path, kind, logical, pieces, depth)

    def _problem(self, origin: tuple[str, int, int, str], message: str) -> None:
        self.out.problems.append(Problem(origin[0], origin[1], origin[2], message))

    def _line(self, path: str, kind: str, logical: str, pieces: list[tuple[int, int, int]], depth: int) -> None:
        text = _without_comment(logical)
        stripped = text.strip()
        if not stripped:
            return
        lead = len(text) - len(text.lstrip())
        if stripped.startswith("-"):
            for option, value, offset in _includes(text):
                if "://" in value:  # pip can fetch one over the network: not a project file
                    continue
                line, column = _position(pieces, offset)
                target = os.path.join(os.path.dirname(path), value)
                self.read(target, _INCLUDES[option], (path, line, column, value), depth + 1)
            return
        requirement = _requirement_text(text[lead:])
        if self.contains is not None and self.contains not in requirement.lower():
            return
        if _is_url_or_path(requirement):
            return
        from packaging.requirements import InvalidRequirement
        from packaging.requirements import Requirement as Parsed
        from packaging.utils import canonicalize_name

        line, column = _position(pieces, lead)
        try:
            parsed = Parsed(requirement)
        except InvalidRequirement as exc:
            why = str(exc).splitlines()[0] if str(exc) else "invalid requirement"
            if "${" in requirement:
                why += " (pip fills in ${VARIABLE} from the environment of the build, runtime-lint does not)"
            message = f"cannot read requirement '{clip(requirement)}': {why}"
            self.out.problems.append(Problem(path, line, column, message, column + len(requirement)))
            return
        self.out.requirements.append(
            Requirement(
                path,
                line,
                column,
                parsed.name,
                canonicalize_name(parsed.name),
                str(parsed.specifier),
                requirement,
                kind,
                tuple(sorted(parsed.extras)),
                str(parsed.marker) if parsed.marker is not None else None,
                parsed.url,
            )
        )


def _decode(data: bytes) -> str:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xef\xbb\xbf", "utf-8"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise FileError(f"is not valid {codec.upper().replace('-LE', '').replace('-BE', '')}") from None
    return decode_utf8(data)


def _it(exc: FileError) -> str:
    """A FileError's message as a sentence: "it is a directory", "16.0 MiB is too large ..."."""
    message = str(exc)
    if message.startswith("is "):
        return f"it {message}"
    return f"it is {message}" if message.startswith(("not ", "too ")) else message


def _logical_lines(lines: list[str]) -> list[tuple[int, str, list[tuple[int, int, int]]]]:
    """pip's join_lines: (first line number, joined text, pieces). A piece (offset in the joined
    text, line number, 0-based column) says where a run of the joined text comes from."""
    out: list[tuple[int, str, list[tuple[int, int, int]]]] = []
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    size = 0
    first = 0
    for number, line in enumerate(lines, 1):
        comment = line.lstrip().startswith("#")
        if not line.endswith("\\") or comment:
            if comment:
                line = " " + line  # as pip: the comment is then removed with what follows it
                pieces.append((size, number, -1))
            else:
                pieces.append((size, number, 0))
            if parts:
                parts.append(line)
                out.append((first, "".join(parts), pieces))
            else:
                out.append((number, line, pieces))
            parts, pieces, size = [], [], 0
            continue
        if not parts:
            first = number
        lead = len(line) - len(line.lstrip("\\"))
        piece = line.strip("\\")
        pieces.append((size, number, lead))
        parts.append(piece)
        size += len(piece)
    if parts:
        out.append((first, "".join(parts), pieces))
    return out


def _position(pieces: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character of a joined line."""
    start, line, column = pieces[0]
    for piece in pieces:
        if piece[0] > offset:
            break
        start, line, column = piece
    return line, column + (offset - start) + 1


def _without_comment(line: str) -> str:
    """pip's COMMENT_RE (`(^|\\s+)#.*$`) removed."""
    at = line.find("#")
    while at > 0 and not line[at - 1].isspace():
        at = line.find("#", at + 1)
    if at < 0:
        return line
    return line[:at].rstrip()


def _requirement_text(text: str) -> str:
    """pip's break_args_options: the words before the first that starts with `-` (`--hash=...`)."""
    words = text.split(" ")
    taken = 0
    for word in words:
        if word.startswith("-"):
            break
        taken += 1
    return " ".join(words[:taken]).strip()


def _includes(text: str) -> list[tuple[str, str, int]]:
    """The -r/-c options of an option line: (option, file, offset of the option in `text`)."""
    out: list[tuple[str, str, int]] = []
    words: list[tuple[str, int]] = []
    at = 0
    for word in text.split():
        at = text.index(word, at)
        words.append((word, at))
        at += len(word)
    k = 0
    while k < len(words):
        word, offset = words[k]
        k += 1
        option, value = word, ""
        if word.startswith("--"):
            option, _, value = word.partition("=")
        elif word[:2] in ("-r", "-c") and len(word) > 2:
            option, value = word[:2], word[2:]
        if option not in _INCLUDES:
            continue
        if not value and k < len(words):
            value = words[k][0]
            k += 1
        value = value.strip("'\"")
        if value:
            out.append((option, value, offset))
    return out


def _is_url_or_path(requirement: str) -> bool:
    """A URL, a local path or an archive (what pip installs from a location, not a name); `name @ url`
    is a name."""
    name = requirement
    for stop in " [<>=!~;@(":
        name = name.partition(stop)[0]
    return "/" in name or "\\" in name or ":" in name or name.startswith(".") or name.lower().endswith(_ARCHIVES)
