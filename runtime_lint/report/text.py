"""`--format text` (ruff's full style) and `--format concise`.

    Dockerfile:3:6: RL204 [warning] Astro Runtime 12.6.0 is not the latest release of Runtime 12: ...
      |
    3 | FROM quay.io/astronomer/astro-runtime:12.6.0
      |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ RL204
      = fix (safe): update to 12.8.0

The same lines are written plain, or styled with rich when printing to a terminal; rich is
imported only then.
"""

from __future__ import annotations

from runtime_lint.model import ERROR, INFO, WARNING
from runtime_lint.report import by_severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

    Segment = tuple[str, str]
    Line = list[Segment]

STYLE = {ERROR: "bold red", WARNING: "yellow", INFO: "cyan"}


def render(results: list[FileResult], run: Run, concise: bool = False) -> str:
    lines = styled_lines(results, run, concise)
    return _plain(lines) if not run.color else _rich(lines)


def render_file(result: FileResult, run: Run, concise: bool = False) -> str:
    """One file's findings (no summary): for printing each file as soon as it is linted."""
    lines = _file_lines(result, concise)
    if not lines:
        return ""
    return _plain(lines) if not run.color else _rich(lines)


def render_summary(results: list[FileResult], run: Run) -> str:
    lines = summary(results, run) if run.summary else []
    return _plain(lines) if not run.color else _rich(lines)


def styled_lines(results: list[FileResult], run: Run, concise: bool) -> list[Line]:
    out: list[Line] = []
    for result in results:
        out.extend(_file_lines(result, concise))
    if run.summary:
        out.extend(summary(results, run))
    return out


def _file_lines(result: FileResult, concise: bool) -> list[Line]:
    out: list[Line] = []
    if result.error is not None:
        return out
    for finding in result.findings:
        out.append(_headline(result.path, finding))
        if not concise:
            out.extend(_snippet(result, finding))
            out.append([])
    return out


def _plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def _headline(path: str, finding: Finding) -> Line:
    span = finding.span
    return [
        (f"{path}:{span.line}:{span.column}: ", "bold"),
        (finding.code, STYLE[finding.severity]),
        (f" [{finding.severity_name}] ", STYLE[finding.severity]),
        (finding.message, ""),
    ]


def _snippet(result: FileResult, finding: Finding) -> list[Line]:
    lines = result.lines
    span = finding.span
    if not 1 <= span.line <= len(lines):
        return []
    source = lines[span.line - 1]
    number = str(span.line)
    gutter = " " * len(number)
    end = span.end_column if span.end_line == span.line else len(source) + 1
    width = max(1, end - span.column)
    pad = "".join("\t" if ch == "\t" else " " for ch in source[: span.column - 1])
    out: list[Line] = [
        [(f"{gutter} |", "blue")],
        [(f"{number} | ", "blue"), (_shorten(source), "")],
        [
            (f"{gutter} | ", "blue"),
            (pad + "^" * width, STYLE[finding.severity]),
            (f" {finding.code}", STYLE[finding.severity]),
        ],
    ]
    fix = finding.fix
    if fix is not None:
        kind = "safe" if fix.safe else "unsafe, with --unsafe-fixes"
        where = f" (line {fix.span.line})" if fix.span.line != span.line else ""
        out.append([(f"{gutter} = ", "blue"), (f"fix ({kind}): {fix.description}{where}", "green")])
    return out


def _shorten(source: str, limit: int = 400) -> str:
    return source if len(source) <= limit else source[:limit] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results: list[FileResult], run: Run) -> list[Line]:
    files = sum(1 for r in results if r.error is None)
    images = sum(len(r.images) for r in results)
    findings = [f for r in results for f in r.findings]
    out: list[Line] = []
    catalog = run.catalog
    context: Line = [
        (
            f"Checked as of {run.as_of} against the {catalog.origin} release catalog (data as of {catalog.generated}).",
            "dim",
        )
    ]
    if run.fixed:
        out.append([(f"Fixed {_plural(run.fixed, 'problem')}.", "green")])
    if not findings:
        out.append([(f"All checks passed: {_plural(files, 'file')}, {_plural(images, 'image')}.", "bold green")])
        out.append(context)
        return out
    counts = by_severity(results)
    parts = [_plural(n, name) for name, n in counts.items() if n]
    files_with = len({r.path for r in results if r.findings})
    text = f"Found {_plural(len(findings), 'problem')} in {_plural(files_with, 'file')} ({', '.join(parts)})."
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
    out.append([(text, "bold")])
    hints = []
    if safe:
        hints.append(f"{safe} fixable with --fix")
    if unsafe:
        hints.append(
            f"{unsafe} more with --fix --unsafe-fixes" if not run.unsafe_fixes else f"{unsafe} more with --fix"
        )
    if hints:
        out.append([("; ".join(hints).capitalize() + ".", "")])
    out.append(context)
    return out


def statistics(results: list[FileResult]) -> str:
    """`--statistics`: count per rule, most frequent first (ruff's layout)."""
    counts: dict[str, tuple[int, str, bool]] = {}
    for result in results:
        for f in result.findings:
            n, _, fixable = counts.get(f.code, (0, f.name, False))
            counts[f.code] = (n + 1, f.name, fixable or (f.fix is not None and f.fix.safe))
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    width = max((len(str(n)) for _, (n, _, _) in rows), default=1)
    return "".join(f"{n:>{width}}\t{code}\t{'[*] ' if fixable else ''}{name}\n" for code, (n, name, fixable) in rows)


def _rich(lines: list[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*[(text, style) for text, style in line]) if line else "")
    return buffer.getvalue()
