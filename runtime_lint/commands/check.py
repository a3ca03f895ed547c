"""`runtime-lint check`: lint Dockerfiles, report in the chosen format, fix."""

from __future__ import annotations

import os
import sys

from runtime_lint.commands import color, make_linter
from runtime_lint.model import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from runtime_lint.report import FORMATS
from runtime_lint.run import (
    Linter,
    Outcome,
    TextStream,
    emit,
    error_line,
    fix_files,
    lint_in_parallel,
    report_run,
    worker_count,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import CheckArgs
    from runtime_lint.engine import FileResult
    from runtime_lint.report import Run


def cmd_check(args: CheckArgs) -> int:
    """Lint the paths, fix if asked, report; the exit code says what remains."""
    fmt = _format(args)
    summary_file = _summary_file(fmt)
    missing = [path for path in args.paths if path != "-" and not os.path.lexists(path)]
    if missing and len(missing) == len(args.paths):  # nothing to lint: only the errors, no summary
        for path in missing:
            sys.stderr.write(f"runtime-lint: error: {path}: no such file or directory\n")
        return EXIT_ERROR
    linter = _linter(args)
    colored = color(args, args.output)
    fixing = args.fix or args.diff
    # Text reports are printed file by file as they are linted, and only counts are kept (memory
    # stays flat over big trees); the other formats, and fixing, need every result until the end.
    stream = None if fixing or not FORMATS[fmt].streams else TextStream(args.output, linter, fmt, colored)
    # Results kept for a report at the end are slimmed; streamed ones are dropped once printed.
    linter.slim = stream is None and not fixing
    outcome = Outcome(linter)
    results = _lint(args, linter, stream, outcome)
    fixed = 0
    diff_text = ""
    if fixing:
        stdin = args.paths == ["-"]
        results, fixed, diff_text = fix_files(results, linter, unsafe=args.unsafe_fixes, diff=args.diff, stdin=stdin)
        # requirements files are checked against the images as fixed
        results = [each for result in results for each in (result, *linter.project(result))]
    for result in results:
        result.slim()
        outcome.add(result)
    run = stream.run if stream is not None and stream.run is not None else report_run(results, linter, colored)
    run.fixed = fixed
    run.automation_id = args.automation_id
    run.unsafe_fixes = args.unsafe_fixes
    run.summary = not args.quiet
    run.job_summary = summary_file is not None
    _report(args, fmt, results, run, stream, outcome, diff_text)
    if summary_file is not None and not args.diff and not (args.fix and args.paths == ["-"]):
        _append_summary(summary_file, results, run)
    if outcome.errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if diff_text else EXIT_OK
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if outcome.failing else EXIT_OK


def _linter(args: CheckArgs) -> Linter:
    """The run's Linter: the shared options, and check's rule selection over the configs'."""
    extra: dict[str, Any] = {}
    for key, value in (
        ("select", args.select),
        ("extend-select", args.extend_select),
        ("ignore", args.ignore),
        ("fail-on", args.fail_on),
    ):
        if value is not None:
            extra[key] = value
    if args.no_inline_ignores:
        extra["disable-inline-ignores"] = True
    return make_linter(args, extra)


def _format(args: CheckArgs) -> str:
    """The output format, after the options that cannot go together are refused."""
    if args.diff and args.fix:
        raise UsageError("--diff and --fix cannot be used together (--diff writes nothing)")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    fmt: str = args.format or os.environ.get("RUNTIME_LINT_FORMAT") or "text"
    if fmt not in FORMATS:
        raise UsageError(f"RUNTIME_LINT_FORMAT must be one of {', '.join(FORMATS)}, got '{fmt}'")
    return fmt


# RUNTIME_LINT_SUMMARY: whether `--format github` appends the job summary (unset or empty: yes)
_SUMMARY_VALUES = {
    **dict.fromkeys(("", "1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}


def _summary_file(fmt: str) -> str | None:
    """The job summary file to append to: GITHUB_STEP_SUMMARY, with `--format github`, unless
    RUNTIME_LINT_SUMMARY turns it off (the action's `summary: false`)."""
    value = os.environ.get("RUNTIME_LINT_SUMMARY", "")
    wanted = _SUMMARY_VALUES.get(value.strip().lower())
    if wanted is None:
        raise UsageError(f"RUNTIME_LINT_SUMMARY must be 1 or 0 (true or false), got '{value}'")
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    return path if wanted and path and fmt == "github" else None


def _append_summary(path: str, results: list[FileResult], run: Run) -> None:
    """Append the job summary (never truncate: other steps' summaries stay); a warning when the
    file cannot be written, which does not change the exit code."""
    from runtime_lint.report.github import summary_markdown

    text = summary_markdown(results, run)
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError as exc:
        sys.stderr.write(
            f"runtime-lint: warning: cannot append to GITHUB_STEP_SUMMARY ({path}): {exc.strerror or exc}\n"
        )


def _lint(args: CheckArgs, linter: Linter, stream: TextStream | None, outcome: Outcome) -> list[FileResult]:
    """Lint every file (in parallel when streaming many); the results kept for the end."""
    from runtime_lint.discover import discover

    paths = args.paths or ["."]
    results: list[FileResult] = []
    files = discover(paths) if paths != ["-"] else ["-"]
    workers = worker_count(len(files)) if stream is not None else 1
    if workers > 1:
        assert stream is not None
        lint_in_parallel(files, workers, linter, stream, outcome)
        files = []
    fixing = args.fix or args.diff  # then the project's files are linted after the fixes
    for path in files:
        result = linter.lint(path, shown=args.stdin_filename if path == "-" else None)
        for each in (result,) if fixing else (result, *linter.project(result)):
            if stream is not None:
                stream.write(each)
                outcome.add(each)
            else:
                results.append(each)
    if outcome.seen == 0 and not results and args.paths:
        raise UsageError(f"no Dockerfiles found under {', '.join(args.paths)}")
    return results


def _report(
    args: CheckArgs,
    fmt: str,
    results: list[FileResult],
    run: Run,
    stream: TextStream | None,
    outcome: Outcome,
    diff_text: str,
) -> None:
    """Errors, then the report (or the diff), statistics and notes."""
    if stream is None:
        for result in results:
            if result.error is not None:
                sys.stderr.write(error_line(result))
    if args.diff:
        emit(diff_text, args.output)
    elif stream is not None:
        from runtime_lint.report.text import render_summary

        stream.finish(render_summary(outcome.tally, run))
    elif not (args.fix and args.paths == ["-"]):
        from runtime_lint.report import render

        emit(render(fmt, results, run), args.output)
    if args.statistics:
        from runtime_lint.report.text import statistics

        sys.stdout.write(statistics(outcome.tally))
    if not args.quiet:
        for note in sorted(outcome.notes):
            sys.stderr.write(note)
