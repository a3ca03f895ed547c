"""`--format sarif`: a SARIF 2.1.0 log for GitHub code scanning (`github/codeql-action/upload-sarif`).

One run. `tool.driver.rules` lists every rule with its help drawn from the rule book (rules/CODE.md);
each finding is a result with exactly one location: the file's path relative to the repository
root (report_path; `%SRCROOT%` is that folder; a file outside it is an absolute `file:` URI) and a
1-based region whose `endColumn` is exclusive, counted in code points.
`partialFingerprints` hash the flagged lines' text, not their numbers, so an alert stays the same
alert when lines above it move. A finding's fix becomes a SARIF fix (deleted region + inserted text).
Files that could not be read are tool execution notifications and make `executionSuccessful` false.
"""

from __future__ import annotations

import hashlib
import json
import os

from runtime_lint import __version__, rulebook
from runtime_lint.model import ERROR, INFO, SEVERITY_NAMES, WARNING
from runtime_lint.report import report_path, report_root, root_relative

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.checks import Rule
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding, Span
    from runtime_lint.report import Run

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/runtime-lint/runtime-lint"
SRCROOT = "%SRCROOT%"
LEVELS = {ERROR: "error", WARNING: "warning", INFO: "note"}
PROBLEM_SEVERITY = {ERROR: "error", WARNING: "warning", INFO: "recommendation"}
# Where a built-in rule's code puts it: the tag GitHub lets users filter alerts by.
THEMES = {"RL0": "dockerfile-syntax", "RL1": "image-tag", "RL2": "lifecycle", "RL3": "policy", "RL4": "requirements"}
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription and fullDescription
FINGERPRINT_KEY = "runtimeLint/v1"


def render(results: list[FileResult], run: Run) -> str:
    return json.dumps(document(results, run), indent=2, ensure_ascii=False) + "\n"


def document(results: list[FileResult], run: Run) -> dict[str, Any]:
    codes = sorted(run.rules)
    index = {code: k for k, code in enumerate(codes)}
    root = report_root()
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "runtime-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_object(run.rules[code]) for code in codes],
            }
        },
        "invocations": [invocation(results, root)],
        "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(root)}},
        "results": [result_object(result, f, n, index, root) for result in results for f, n in _numbered(result)],
        "columnKind": "unicodeCodePoints",
        "defaultSourceLanguage": "dockerfile",
        "properties": {
            "asOf": run.as_of.isoformat(),
            "catalog": {
                "origin": run.catalog.origin,
                "generated": run.catalog.generated.isoformat(),
                "releases": len(run.catalog),
            },
        },
    }
    if run.automation_id:
        sarif_run["automationDetails"] = {"id": run.automation_id}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]}


# ------------------------------------------------------------------------------------------ rules


def rule_object(rule: Rule) -> dict[str, Any]:
    page = rulebook.page(rule.code)
    summary = rule.summary.strip() or rule.name
    full = _absolute_links(rulebook.section(page, "What it does")) if page else ""
    markdown = _absolute_links(page.strip()) if page else f"# {rule.code} {rule.name}\n\n{summary}"
    builtin = rule.module.startswith("runtime_lint.")
    obj: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name[:255],
        "shortDescription": {"text": _limit(summary)},
        "fullDescription": {"text": _limit(_unwrap(_plain(full)) or summary)},
        "help": {"text": _plain(markdown), "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "none")},
        "properties": {
            "tags": ["astro-runtime", THEMES.get(rule.code[:3], "other") if builtin else "plugin"],
            # Lifecycle verdicts depend on how fresh the release catalog is; the others do not.
            "precision": "high" if rule.code.startswith("RL2") else "very-high",
            # An off rule, once enabled by its settings, reports warnings unless configured otherwise.
            "problem.severity": PROBLEM_SEVERITY.get(rule.severity, "warning"),
        },
    }
    if builtin:  # a plugin's rules have no page in this project's rule book
        obj["helpUri"] = rulebook.url(rule.code)
    if not rule.severity:
        obj["defaultConfiguration"]["enabled"] = False
    if rule.fixable:
        obj["properties"]["fixable"] = rule.fixable
    return obj


def _absolute_links(markdown: str) -> str:
    """Links between rule pages (`[RL205](RL205.md)`, `../README.md`) made absolute: GitHub shows
    the help away from the repository, where relative links lead nowhere."""
    import re

    base = rulebook.url("CODE").rsplit("/", 1)[0] + "/"

    def absolute(match: re.Match[str]) -> str:
        from urllib.parse import urljoin

        return f"]({urljoin(base, match.group(1))})"

    return re.sub(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s]+)\)", absolute, markdown)


def _unwrap(text: str) -> str:
    """Hard-wrapped lines of a paragraph joined into one; list items keep their own lines."""
    out: list[str] = []
    for line in text.splitlines():
        item = line.lstrip()
        if out and out[-1] and item and not item.startswith(("- ", "* ", "+ ", "|")) and not item[:1].isdigit():
            out[-1] = f"{out[-1]} {item}"
        else:
            out.append(line)
    return "\n".join(out)


def _limit(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1].rstrip() + "…"


def _plain(markdown: str) -> str:
    """Markdown as plain text, for the places that show no markup: headings lose their `#`s and
    code fences go (the code itself stays, `#` comments included); inline backticks stay."""
    out: list[str] = []
    fenced = False
    for line in markdown.strip().splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and stripped.startswith("#"):
            marks = len(stripped) - len(stripped.lstrip("#"))
            if marks <= 6 and stripped[marks : marks + 1] in (" ", ""):
                line = stripped[marks:].strip()
        out.append(line)
    return "\n".join(out).strip()


# ---------------------------------------------------------------------------------------- results


def _numbered(result: FileResult) -> list[tuple[Finding, int]]:
    """Each finding with its occurrence number among the file's findings of the same rule on the
    same text: what tells apart two identical FROM lines in the fingerprint."""
    seen: dict[tuple[str, str], int] = {}
    out: list[tuple[Finding, int]] = []
    for finding in result.findings:
        key = (finding.code, _normalized(_lines_text(result, finding.span)))
        seen[key] = seen.get(key, 0) + 1
        out.append((finding, seen[key]))
    return out


def result_object(
    result: FileResult, finding: Finding, occurrence: int, index: dict[str, int], root: str | None = None
) -> dict[str, Any]:
    location = artifact_location(result.path, root)
    obj: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        obj["ruleIndex"] = index[finding.code]
    obj["level"] = LEVELS[finding.severity]
    obj["message"] = {"text": finding.message or finding.name}
    obj["locations"] = [{"physicalLocation": {"artifactLocation": location, "region": region(finding.span)}}]
    obj["partialFingerprints"] = fingerprints(result, finding, occurrence, root)
    fix = finding.fix
    if fix is not None:
        kind = "safe" if fix.safe else "unsafe: applied with --fix --unsafe-fixes"
        obj["fixes"] = [
            {
                "description": {"text": f"{fix.description} ({kind})"},
                "artifactChanges": [
                    {
                        "artifactLocation": dict(location),
                        "replacements": [
                            {"deletedRegion": region(fix.span), "insertedContent": {"text": fix.replacement}}
                        ],
                    }
                ],
                "properties": {"safe": fix.safe},
            }
        ]
    obj["properties"] = {"severity": SEVERITY_NAMES[finding.severity], "ruleName": finding.name}
    return obj


def region(span: Span) -> dict[str, int]:
    """A SARIF region: 1-based, endColumn the column after the last character. A finding that
    has no place in the file (line 0) points at the start of line 1."""
    if span.line < 1:
        return {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    line, column = span.line, max(1, span.column)
    end_line = max(line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == line:
        end_column = max(column, end_column)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def fingerprints(result: FileResult, finding: Finding, occurrence: int, root: str | None = None) -> dict[str, str]:
    """Hashes of what is flagged, never of where: inserting lines above a finding keeps them.

    `primaryLocationLineHash` (the one GitHub reads) hashes the rule and the flagged lines' text
    with blanks normalised, followed by `:occurrence`, GitHub's own layout. `runtimeLint/v1`
    also hashes the path (as shown: report_path) and the exact flagged characters (and nothing else), so it changes when
    the finding moves to another file or its text is edited.
    """
    line_hash = _hash(finding.code, _normalized(_lines_text(result, finding.span)))
    exact = _hash(finding.code, report_path(result.path, root), _span_text(result, finding.span), str(occurrence))
    return {"primaryLocationLineHash": f"{line_hash}:{occurrence}", FINGERPRINT_KEY: exact}


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _file_lines(result: FileResult) -> list[str]:
    return result.lines


def _lines_text(result: FileResult, span: Span) -> str:
    lines = _file_lines(result)
    first = max(1, span.line)
    last = max(first, span.end_line)
    return "\n".join(lines[first - 1 : last])


def _span_text(result: FileResult, span: Span) -> str:
    lines = _file_lines(result)
    if not 1 <= span.line <= len(lines):
        return ""
    if span.end_line <= span.line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    if span.end_line <= len(lines):
        parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


# ------------------------------------------------------------------------------------ invocations


def invocation(results: list[FileResult], root: str | None = None) -> dict[str, Any]:
    errors = [r for r in results if r.error is not None]
    obj: dict[str, Any] = {
        "executionSuccessful": not errors,
        "workingDirectory": {"uri": _folder_uri(os.getcwd())},
    }
    if errors:
        obj["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"{report_path(r.path, root)}: {r.error}"},
                "descriptor": {"id": "file-error"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(r.path, root)}}],
            }
            for r in errors
        ]
    return obj


# -------------------------------------------------------------------------------------------- paths


def artifact_location(path: str, root: str | None = None) -> dict[str, str]:
    """A relative URI under %SRCROOT% (the repository root: report_root), percent-encoded; a
    file outside it, an absolute `file:` URI."""
    from urllib.parse import quote

    rel = root_relative(path, root)
    if rel is None:
        from pathlib import Path

        if os.name == "nt":
            return {"uri": Path(os.path.abspath(path)).as_uri()}
        return {"uri": "file://" + quote(os.fsencode(os.path.abspath(path)), safe="/")}
    # A colon in the first segment would read as a URI scheme: `./` keeps it a relative reference.
    if ":" in rel.split("/", 1)[0]:
        rel = "./" + rel
    # the file name's own bytes, also when they are not UTF-8
    return {"uri": quote(os.fsencode(rel), safe="/-._~!$&'()*+,;=:@"), "uriBaseId": SRCROOT}


def _folder_uri(folder: str) -> str:
    from pathlib import Path

    uri = Path(os.path.abspath(folder)).as_uri()
    return uri if uri.endswith("/") else uri + "/"
