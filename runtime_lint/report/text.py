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
from runtime_lint.report import Tally

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


def render_concise(results: list[FileResult], run: Run) -> str:
    """`--format concise`: one line per finding."""
    return render(results, run, concise=True)


def render_file(result: FileResult, run: Run, concise: bool = False) -> str:
    """One file's findings (no summary): for printing each file as soon as it is linted."""
    lines = _file_lines(result, concise)
    if not lines:
        return ""
    return _plain(lines) if not run.color else _rich(lines)


def render_summary(tally: Tally, run: Run) -> str:
    lines = summary(tally, run) if run.summary else []
    return _plain(lines) if not run.color else _rich(lines)


def styled_lines(results: list[FileResult], run: Run, concise: bool) -> list[Line]:
    out: list[Line] = []
    for result in results:
        out.extend(_file_lines(result, concise))
    if run.summary:
        out.extend(summary(Tally.of(results), run))
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
    out: list[str] = []
    for line in lines:
        out.extend([text for text, _ in line])
        out.append("\n")
    return "".join(out)


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
        from runtime_lint.fix import replaced_by

        kind = "safe" if fix.safe else "unsafe, with --unsafe-fixes"
        where = f" (line {fix.span.line})" if fix.span.line != span.line else ""
        other = replaced_by(finding, result.findings)
        instead = f"; --fix --unsafe-fixes applies {other}'s fix instead" if other is not None else ""
        out.append([(f"{gutter} = ", "blue"), (f"fix ({kind}): {fix.description}{where}{instead}", "green")])
    return out


def _shorten(source: str, limit: int = 400) -> str:
    return source if len(source) <= limit else source[:limit] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(tally: Tally, run: Run) -> list[Line]:
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
    if not tally.findings:
        text = f"All checks passed: {_plural(tally.files, 'file')}, {_plural(tally.images, 'image')}."
        out.append([(text, "bold green")])
        out.append(context)
        return out
    parts = [_plural(n, name) for name, n in tally.by_severity.items() if n]
    files = _plural(tally.files_with_findings, "file")
    out.append([(f"Found {_plural(tally.findings, 'problem')} in {files} ({', '.join(parts)}).", "bold")])
    hints = []
    if tally.safe:
        hints.append(f"{tally.safe} fixable with --fix")
    if tally.unsafe:
        more = "--fix" if run.unsafe_fixes else "--fix --unsafe-fixes"
        hints.append(f"{tally.unsafe} more with {more}")
    if hints:
        out.append([("; ".join(hints).capitalize() + ".", "")])
    out.append(context)
    return out


def statistics(tally: Tally) -> str:
    """`--statistics`: count per rule, most frequent first (ruff's layout)."""
    rows = sorted(tally.per_code.items(), key=lambda item: (-item[1][0], item[0]))
    width = max((len(str(row[0])) for _, row in rows), default=1)
    return "".join(f"{n:>{width}}\t{code}\t{'[*] ' if fixable else ''}{name}\n" for code, (n, name, fixable) in rows)


def _rich(lines: list[Line]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, no_color=False, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*[(text, style) for text, style in line]) if line else "")
    return buffer.getvalue()
