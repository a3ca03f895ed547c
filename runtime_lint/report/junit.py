"""`--format junit`: JUnit XML, for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins,
Azure Pipelines, CircleCI).

    <testsuites name="runtime-lint" tests="2" failures="1" errors="0">
      <testsuite name="Dockerfile" tests="1" failures="1" errors="0" skipped="0">
        <testcase name="RL204 patch-not-latest line 1" classname="Dockerfile">
          <failure message="Astro Runtime 13.10.0 is ..." type="warning">Dockerfile:1:6: ...</failure>
        </testcase>
      </testsuite>
    </testsuites>

One suite per file (named by its path, relative to the repository root: report_path). Every finding, whatever
its severity, is a failing test case whose `type` is the severity; its text repeats the location,
the rule, the message, the flagged line and the fix. A clean file has one passing test case, `no
findings`; a file that could not be linted has one test case with an `<error>` (type `file-error`).
Valid against the Jenkins xUnit plugin's junit-10.xsd. No times: nothing here ran as a test.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from runtime_lint.report import report_path, report_root
from runtime_lint.report.checkstyle import serialize, xml_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

CLEAN = "no findings"
FILE_ERROR = "file-error"
_COUNTS = ("tests", "failures", "errors")


def render(results: list[FileResult], run: Run) -> str:
    root = ET.Element("testsuites", name="runtime-lint")
    folder = report_root()
    suites = [suite(result, report_path(result.path, folder)) for result in results]
    for name in _COUNTS:
        root.set(name, str(sum(int(s.get(name, "0")) for s in suites)))
    root.extend(suites)
    return serialize(root)


def suite(result: FileResult, shown: str) -> ET.Element:
    """A file's `<testsuite>`; `shown` is its path as shown (report_path)."""
    path = xml_text(shown)
    cases = [failure_case(path, result, f) for f in sorted(result.findings, key=lambda f: f.sort_key())]
    if result.error is not None:
        cases = [error_case(path, result.error)]
    elif not cases:
        cases = [ET.Element("testcase", name=CLEAN, classname=path)]
    element = ET.Element("testsuite", name=path, tests=str(len(cases)))
    element.set("failures", str(len(result.findings) if result.error is None else 0))
    element.set("errors", str(int(result.error is not None)))
    element.set("skipped", "0")
    element.extend(cases)
    return element


def failure_case(path: str, result: FileResult, finding: Finding) -> ET.Element:
    line = max(1, finding.span.line)
    case = ET.Element("testcase", name=f"{finding.code} {finding.name} line {line}", classname=path)
    message = finding.message or finding.name
    failure = ET.SubElement(case, "failure", message=xml_text(message), type=finding.severity_name)
    failure.text = xml_text(details(path, result, finding))
    return case


def details(path: str, result: FileResult, finding: Finding) -> str:
    span = finding.span
    out = [f"{path}:{max(1, span.line)}:{max(1, span.column)}: {finding.code} [{finding.severity_name}] {finding.name}"]
    out.append(finding.message)
    if 1 <= span.line <= len(result.lines) and result.lines[span.line - 1].strip():
        out.append(f"  {span.line} | {result.lines[span.line - 1]}")
    fix = finding.fix
    if fix is not None:
        how = "runtime-lint --fix" if fix.safe else "runtime-lint --fix --unsafe-fixes"
        out.append(f"Fix: {fix.description} (run `{how}`)")
    return "\n".join(out) + "\n"


def error_case(path: str, error: str) -> ET.Element:
    case = ET.Element("testcase", name=FILE_ERROR, classname=path)
    message = f"runtime-lint could not lint this file: {error}"
    ET.SubElement(case, "error", message=xml_text(message), type=FILE_ERROR).text = xml_text(f"{path}: {message}\n")
    return case
