"""`--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

A JSON array with one issue per finding, in the subset of the Code Climate spec that GitLab reads
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): `description`,
`check_name`, `fingerprint`, `severity` and `location.path` / `location.lines.begin`. Paths are
relative to the repository root (CI_PROJECT_DIR in a GitLab job: report_path), whichever folder
runtime-lint runs in.

Severities follow GitLab's scale: info -> `info`, warning -> `minor`, error -> `major`; a file that
could not be linted is one `critical` issue (`runtime-lint/file-error`) on line 1 of that file.
A fingerprint hashes the path, the rule, the flagged lines' text (blanks normalised) and the
occurrence of that text among the file's findings of the rule, never a line number: GitLab keeps
an issue as the same issue when lines above it move, and two identical FROM lines stay two issues.
No byte order mark is written (GitLab's parser refuses one).
"""

from __future__ import annotations

import hashlib
import json

from runtime_lint.model import ERROR, INFO, WARNING
from runtime_lint.report import report_path, report_root
from runtime_lint.report.sarif import _lines_text, _normalized, _numbered

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

SEVERITIES = {INFO: "info", WARNING: "minor", ERROR: "major"}
FILE_ERROR_SEVERITY = "critical"  # nothing in the file was checked: worse than any one finding
CHECK_PREFIX = "runtime-lint/"
FILE_ERROR = CHECK_PREFIX + "file-error"
FINGERPRINT_KEY = "runtime-lint/gitlab/v1"


def render(results: list[FileResult], run: Run) -> str:
    return json.dumps(issues(results), indent=2, ensure_ascii=False) + "\n"


def issues(results: list[FileResult]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    root = report_root()
    for result in results:
        path = report_path(result.path, root)
        if result.error is not None:
            out.append(file_error_issue(path, result))
            continue
        out.extend(issue(path, result, finding, occurrence) for finding, occurrence in _numbered(result))
    return out


def issue(path: str, result: FileResult, finding: Finding, occurrence: int) -> dict[str, Any]:
    """One finding's issue; `path` as shown (report_path)."""
    text = _normalized(_lines_text(result, finding.span))
    return {
        "type": "issue",
        "description": f"{finding.code} {finding.name}: {finding.message or finding.name}",
        "check_name": CHECK_PREFIX + finding.code,
        "fingerprint": fingerprint(path, finding.code, text, str(occurrence)),
        "severity": SEVERITIES[finding.severity],
        "location": {"path": path, "lines": lines(finding)},
    }


def lines(finding: Finding) -> dict[str, int]:
    """1-based; a finding with no place in the file (line 0) is put on line 1."""
    begin = max(1, finding.span.line)
    end = max(begin, finding.span.end_line)
    return {"begin": begin, "end": end} if end > begin else {"begin": begin}


def file_error_issue(path: str, result: FileResult) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f"runtime-lint could not lint this file: {result.error}",
        "check_name": FILE_ERROR,
        "fingerprint": fingerprint(path, FILE_ERROR),
        "severity": FILE_ERROR_SEVERITY,
        "location": {"path": path, "lines": {"begin": 1}},
    }


def fingerprint(*parts: str) -> str:
    """32 hex digits (the length of the MD5 in GitLab's example) of a SHA-256."""
    data = "\0".join((FINGERPRINT_KEY, *parts)).encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()[:32]
