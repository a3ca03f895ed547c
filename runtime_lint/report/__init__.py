"""Output formats, one module each: text (full and concise), json, sarif, github.

Every writer takes the list of FileResult and a `Run` (what was linted, with which catalog, as
of which day) and returns the text to print. None of them knows how findings were made.
"""

from __future__ import annotations

from runtime_lint.model import SEVERITY_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Rule
    from runtime_lint.engine import FileResult

FORMATS = ("text", "concise", "json", "sarif", "github")


class Run:
    """The context every format may show."""

    __slots__ = ("as_of", "automation_id", "catalog", "color", "fixed", "rules", "summary", "unsafe_fixes")

    def __init__(self, as_of: date, catalog: Catalog, rules: dict[str, Rule]) -> None:
        self.as_of = as_of
        self.catalog = catalog
        self.rules = rules
        self.color = False
        self.fixed = 0  # fixes applied by --fix in this run
        self.automation_id: str | None = None
        self.unsafe_fixes = False
        self.summary = True  # text formats: print the summary lines (not with --quiet)


def by_severity(results: list[FileResult]) -> dict[str, int]:
    counts = {name: 0 for name in ("error", "warning", "info")}
    for result in results:
        for finding in result.findings:
            counts[SEVERITY_NAMES[finding.severity]] += 1
    return counts


def render(fmt: str, results: list[FileResult], run: Run) -> str:
    if fmt in ("text", "concise"):
        from runtime_lint.report import text

        return text.render(results, run, concise=fmt == "concise")
    if fmt == "json":
        from runtime_lint.report import json

        return json.render(results, run)
    if fmt == "sarif":
        from runtime_lint.report import sarif

        return sarif.render(results, run)
    if fmt == "github":
        from runtime_lint.report import github

        return github.render(results, run)
    raise ValueError(fmt)
