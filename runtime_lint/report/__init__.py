"""Output formats: the registry (`FORMATS`), and one module each (text and concise, json, sarif, github).

Every writer takes the list of FileResult and a `Run` (what was linted, with which catalog, as
of which day) and returns the text to print. None of them knows how findings were made.

A new format is one module here with a `render(results, run) -> str` function, one
`Format(...)` line in FORMATS, and its test and README row: the CLI's `--format` choices,
its `--help` and RUNTIME_LINT_FORMAT all read FORMATS. A format's module is imported only when
it is chosen.

Paths in the machine formats (all but text and concise) go through `report_path`: relative to the
repository root the CI names, with forward slashes, so that annotations and reports point at the
same file whichever folder of the repository runtime-lint ran in.
"""

from __future__ import annotations

import os

from runtime_lint.files import relative_inside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Rule
    from runtime_lint.engine import FileResult


class Format:
    """An output format: its name, the module and function that render it, whether it is printed
    file by file as files are linted (`streams`), and what it is for (for `--help`)."""

    __slots__ = ("function", "help", "module", "name", "streams")

    def __init__(self, name: str, module: str, help: str, *, function: str = "render", streams: bool = False) -> None:
        self.name = name
        self.module = module  # runtime_lint.report.<module>
        self.function = function
        self.help = help
        self.streams = streams

    def render(self, results: list[FileResult], run: Run) -> str:
        module = __import__(f"runtime_lint.report.{self.module}", fromlist=[self.function])
        text: str = getattr(module, self.function)(results, run)
        return text


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "text", "findings with the source line and the fix (the default)", streams=True),
        Format("concise", "text", "one line per finding", function="render_concise", streams=True),
        Format("json", "json", "one JSON document (runtime_lint/schemas/report.schema.json)"),
        Format("sarif", "sarif", "SARIF 2.1.0, for code scanning"),
        Format("github", "github", "GitHub Actions annotations"),
        Format("gitlab", "gitlab", "GitLab Code Quality report (artifacts:reports:codequality)"),
        Format("checkstyle", "checkstyle", "Checkstyle XML (Jenkins Warnings NG, reviewdog, SonarQube)"),
        Format("junit", "junit", "JUnit XML test report (artifacts:reports:junit, Jenkins)"),
    )
}


class Run:
    """The context every format may show."""

    __slots__ = (
        "as_of",
        "automation_id",
        "catalog",
        "color",
        "fixed",
        "job_summary",
        "rules",
        "summary",
        "unsafe_fixes",
    )

    def __init__(self, as_of: date, catalog: Catalog, rules: dict[str, Rule]) -> None:
        self.as_of = as_of
        self.catalog = catalog
        self.rules = rules
        self.color = False
        self.fixed = 0  # fixes applied by --fix in this run
        self.automation_id: str | None = None
        self.unsafe_fixes = False
        self.summary = True  # text formats: print the summary lines (not with --quiet)
        self.job_summary = False  # github: the command appends the job summary (GITHUB_STEP_SUMMARY)


# ------------------------------------------------------------------------------------------ paths

# The repository root a CI names, in order: GitHub Actions, GitLab CI.
ROOT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")


def report_root() -> str:
    """The folder that machine formats give paths relative to (absolute): the repository root
    of the CI (GITHUB_WORKSPACE, else CI_PROJECT_DIR) when the current folder is inside it,
    else the current folder."""
    cwd = os.getcwd()
    for name in ROOT_VARIABLES:
        value = os.environ.get(name)
        if not value:
            continue
        root = os.path.abspath(value)
        if relative_inside(cwd, root) is not None:
            return root
        real = os.path.realpath(value)  # the variable may name the folder through a symlink
        if relative_inside(os.path.realpath(cwd), real) is not None:
            return real
    return cwd


def root_relative(path: str, root: str | None = None) -> str | None:
    """`path` relative to `root` (default: report_root()) with forward slashes, or None when
    the file is not inside it. `-` (stdin) stays `-`."""
    if path == "-":
        return path
    if root is None:
        root = report_root()
    full = os.path.abspath(path)
    rel = relative_inside(full, root)
    if rel is None:
        rel = relative_inside(os.path.realpath(full), os.path.realpath(root))
    return None if rel is None else posix(rel)


def report_path(path: str, root: str | None = None) -> str:
    """The path that machine formats show: relative to the repository root (root_relative); a
    file outside it keeps the path it was given (relative to the current folder, or absolute),
    normalised. Forward slashes on every system."""
    rel = root_relative(path, root)
    return rel if rel is not None else posix(os.path.normpath(path))


def posix(path: str) -> str:
    """Forward slashes (Windows)."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    if os.altsep is not None and os.altsep != "/":
        path = path.replace(os.altsep, "/")
    return path


_COUNTS = ("files", "images", "findings", "files_with_findings", "safe", "unsafe")  # Tally's plain counters


class Tally:
    """What the summary and --statistics need, counted file by file (nothing else is kept)."""

    def __init__(self) -> None:
        self.files = 0  # linted (not counting files that could not be read)
        self.images = 0
        self.findings = 0
        self.files_with_findings = 0
        self.by_severity = {"error": 0, "warning": 0, "info": 0}
        self.safe = 0
        self.unsafe = 0
        self.per_code: dict[str, list[Any]] = {}  # code -> [count, name, has a safe fix]

    def add(self, result: FileResult) -> None:
        if result.error is not None:
            return
        self.files += 1
        self.images += len(result.images)
        if result.findings:
            self.files_with_findings += 1
        for finding in result.findings:
            self.findings += 1
            self.by_severity[finding.severity_name] += 1
            safe = finding.fix is not None and finding.fix.safe
            self.safe += safe
            self.unsafe += finding.fix is not None and not finding.fix.safe
            row = self.per_code.setdefault(finding.code, [0, finding.name, False])
            row[0] += 1
            row[2] = row[2] or safe

    def export(self) -> dict[str, Any]:
        """Plain data (for passing between processes) that merge() takes back. Every attribute is
        named: compiled by mypyc, the class has no `__dict__` to list them."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _COUNTS}
        data["by_severity"] = dict(self.by_severity)
        data["per_code"] = {code: list(row) for code, row in self.per_code.items()}
        return data

    def merge(self, data: dict[str, Any]) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + data[name])
        for name, count in data["by_severity"].items():
            self.by_severity[name] += count
        for code, (count, name, fixable) in data["per_code"].items():
            row = self.per_code.setdefault(code, [0, name, False])
            row[0] += count
            row[2] = row[2] or fixable

    @classmethod
    def of(cls, results: list[FileResult]) -> Tally:
        tally = cls()
        for result in results:
            tally.add(result)
        return tally


def render(fmt: str, results: list[FileResult], run: Run) -> str:
    """The report in format `fmt` (a name in FORMATS)."""
    return FORMATS[fmt].render(results, run)
