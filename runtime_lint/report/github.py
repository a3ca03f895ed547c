"""`--format github`: GitHub Actions workflow commands, shown as annotations on the changed files.

    ::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=45,title=RL204 patch-not-latest::Astro ...

GitHub shows at most 10 annotations of each type (error, warning, notice) per step and drops the
rest silently, so the most severe findings are printed first; those past the tenth of their type
are printed as plain log lines instead, with a line saying so. `col`/`endColumn` are given only
for spans on one line, as ruff does. Paths are relative to the repository root (report_path).

`summary_markdown` is the job summary: a Markdown table of every finding. This module writes no
file; `runtime-lint check` appends it to `GITHUB_STEP_SUMMARY` (commands/check.py).
"""

from __future__ import annotations

from runtime_lint import rulebook
from runtime_lint.model import ERROR, INFO, SEVERITY_NAMES, WARNING
from runtime_lint.report import report_path, report_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

COMMANDS = {ERROR: "error", WARNING: "warning", INFO: "notice"}
LIMIT = 10  # annotations of one type that GitHub shows per step
SUMMARY_ROWS = 1000  # the job summary is capped at 1 MiB per step: keep well below it
MESSAGE_CELL = 500


def escape_data(text: str) -> str:
    """A command's message (actions/toolkit `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (actions/toolkit `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def annotation(path: str, finding: Finding) -> str:
    """A finding's annotation; `path` as shown (report_path)."""
    span = finding.span
    line = max(1, span.line)
    end_line = max(line, span.end_line)
    props = [("file", path), ("line", str(line))]
    if end_line == line and span.line >= 1:
        column = max(1, span.column)
        props.append(("col", str(column)))
        props += [("endLine", str(end_line)), ("endColumn", str(max(column, span.end_column)))]
    else:
        props.append(("endLine", str(end_line)))
    props.append(("title", f"{finding.code} {finding.name}"))
    return command(COMMANDS[finding.severity], props, message(finding))


def message(finding: Finding) -> str:
    fix = finding.fix
    if fix is None:
        return finding.message
    how = "runtime-lint --fix" if fix.safe else "runtime-lint --fix --unsafe-fixes"
    return f"{finding.message}\nFix: {fix.description} (run `{how}`)"


def plain(path: str, finding: Finding) -> str:
    span = finding.span
    text = " ".join(finding.message.split())
    return f"{path}:{span.line}:{span.column}: {finding.code} [{finding.severity_name}] {text}"


def render(results: list[FileResult], run: Run) -> str:
    out: list[str] = []
    shown = dict.fromkeys(COMMANDS.values(), 0)
    left: dict[str, list[str]] = {kind: [] for kind in COMMANDS.values()}
    root = report_root()
    for result in results:
        if result.error is not None:
            shown["error"] += 1
            where = report_path(result.path, root)
            text = f"{where}: runtime-lint could not lint this file: {result.error}"
            if shown["error"] <= LIMIT:
                out.append(command("error", [("file", where)], text))
            else:
                left["error"].append(text)
    found = _sorted_findings(results, root)
    for path, finding in found:
        kind = COMMANDS[finding.severity]
        shown[kind] += 1
        if shown[kind] <= LIMIT:
            out.append(annotation(path, finding))
        else:
            left[kind].append(plain(path, finding))
    for kind, lines in left.items():
        if not lines:
            continue
        where = "the job summary" if run.job_summary else "the lines below, or use --format sarif for code scanning"
        out.append(
            f"runtime-lint: {len(lines)} more {_plural(len(lines), kind)} not annotated "
            f"(GitHub shows at most {LIMIT} {kind} annotations per step); see {where}:"
        )
        out.extend(f"  {line}" for line in lines)
    if run.summary:
        out.append(summary_line(results))
    return "".join(line + "\n" for line in out)


def _sorted_findings(results: list[FileResult], root: str) -> list[tuple[str, Finding]]:
    """(shown path, finding), the most severe first, then by path and place."""
    found = [(report_path(result.path, root), f) for result in results for f in result.findings]
    found.sort(key=lambda item: (-item[1].severity, item[0], item[1].sort_key()))
    return found


def _plural(n: int, kind: str) -> str:
    return kind if n == 1 else kind + "s"


def summary_line(results: list[FileResult]) -> str:
    files = sum(1 for r in results if r.error is None)
    findings = [f for r in results for f in r.findings]
    errors = sum(1 for r in results if r.error is not None)
    unread = f"; {errors} {'file' if errors == 1 else 'files'} could not be linted" if errors else ""
    if not findings:
        return f"runtime-lint: all checks passed ({files} {'file' if files == 1 else 'files'}){unread}."
    counts = _counts(findings)
    parts = ", ".join(f"{n} {_plural(n, name)}" for name, n in counts.items() if n)
    with_findings = len({r.path for r in results if r.findings})
    return (
        f"runtime-lint: found {len(findings)} {'problem' if len(findings) == 1 else 'problems'} in "
        f"{with_findings} {'file' if with_findings == 1 else 'files'} ({parts}){unread}."
    )


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {name: 0 for name in ("error", "warning", "info")}
    for finding in findings:
        counts[SEVERITY_NAMES[finding.severity]] += 1
    return counts


# ------------------------------------------------------------------------------------ job summary


def summary_markdown(results: list[FileResult], run: Run) -> str:
    """The job summary, in Markdown: counts, the files that could not be linted, then a table of
    every finding (up to SUMMARY_ROWS). Pure: the command appends it to GITHUB_STEP_SUMMARY."""
    lines = ["## runtime-lint", ""]
    root = report_root()
    findings = _sorted_findings(results, root)
    files = sum(1 for r in results if r.error is None)
    if findings:
        counts = _counts([f for _, f in findings])
        parts = " · ".join(f"**{n}** {_plural(n, name)}" for name, n in counts.items() if n)
        total = f"{len(findings)} {'problem' if len(findings) == 1 else 'problems'}"
        lines.append(f"{total} in {files} linted {'file' if files == 1 else 'files'}: {parts}")
    else:
        lines.append(f"All checks passed: {files} {'file' if files == 1 else 'files'} linted.")
    errors = [r for r in results if r.error is not None]
    if errors:
        lines += ["", f"**{len(errors)} {'file' if len(errors) == 1 else 'files'} could not be linted:**", ""]
        lines += [f"- {_code(report_path(r.path, root))}: {_cell(r.error or '')}" for r in errors]
    if findings:
        lines += ["", "| Location | Code | Severity | Message |", "| --- | --- | --- | --- |"]
        for path, finding in findings[:SUMMARY_ROWS]:
            span = finding.span
            where = _code(f"{path}:{span.line}")
            rule = run.rules.get(finding.code)
            builtin = rule is not None and rule.module.startswith("runtime_lint.")
            code = f"[{finding.code}]({rulebook.url(finding.code)})" if builtin else finding.code
            text = finding.message
            if len(text) > MESSAGE_CELL:
                text = text[: MESSAGE_CELL - 1] + "…"
            lines.append(f"| {where} | {code} {finding.name} | {finding.severity_name} | {_cell(text)} |")
        if len(findings) > SUMMARY_ROWS:
            lines += ["", f"…and {len(findings) - SUMMARY_ROWS} more (use --format sarif or json for all of them)."]
    return "\n".join(lines) + "\n\n"


def _cell(text: str) -> str:
    """Text that keeps a Markdown table row on one line and in its cell."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code in a table cell (a path): no backticks, newlines or pipes inside."""
    return "`" + " ".join(text.replace("`", "'").split()).replace("|", "\\|") + "`"
