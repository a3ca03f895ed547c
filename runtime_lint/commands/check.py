"""`runtime-lint check`: lint Dockerfiles, report in the chosen format, fix."""

from __future__ import annotations

import os
import sys

from runtime_lint.model import UsageError
from runtime_lint.run import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    Linter,
    Outcome,
    TextStream,
    emit,
    fix_files,
    lint_in_parallel,
    read_stdin,
    report_run,
    worker_count,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.engine import FileResult

    Args = Any  # an args.Namespace from args.Command.parse


def cmd_check(args: Args) -> int:
    from runtime_lint.discover import discover
    from runtime_lint.files import FileError

    if args.diff and args.fix:
        raise UsageError("--diff and --fix cannot be used together (--diff writes nothing)")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    from runtime_lint.report import FORMATS

    fmt = args.format or os.environ.get("RUNTIME_LINT_FORMAT") or "text"
    if fmt not in FORMATS:
        names = ", ".join(FORMATS)
        raise UsageError(f"RUNTIME_LINT_FORMAT must be one of {names}, got '{fmt}'")
    linter = Linter(args)
    fixing = args.fix or args.diff
    paths = args.paths or ["."]
    # Text reports are printed file by file as they are linted, and only counts are kept (memory
    # stays flat over big trees); the other formats, and fixing, need every result until the end.
    stream = None if fixing or not FORMATS[fmt].streams else TextStream(args, linter, fmt)
    # Results kept for a report at the end are slimmed; streamed ones are dropped once printed.
    linter.slim = stream is None and not fixing
    outcome = Outcome(linter)
    results: list[FileResult] = []
    files = discover(paths) if paths != ["-"] else ["-"]
    workers = worker_count(len(files)) if stream is not None else 1
    if workers > 1:
        assert stream is not None
        lint_in_parallel(files, workers, linter, stream, outcome)
        files = []
    for path in files:
        if path == "-":
            shown = args.stdin_filename or "-"
            try:
                text, bom = read_stdin()
            except FileError as exc:
                from runtime_lint.engine import FileResult

                result = FileResult(shown)
                result.error = str(exc)
            else:
                result = linter.lint("-", text, bom, shown)
        else:
            result = linter.lint(path)
        if stream is not None:
            stream.write(result)
            outcome.add(result)
        else:
            results.append(result)
    if outcome.seen == 0 and not results and args.paths:
        raise UsageError(f"no Dockerfiles found under {', '.join(args.paths)}")

    fixed = 0
    diff_text = ""
    if fixing:
        results, fixed, diff_text = fix_files(results, linter, args)
    for result in results:
        result.slim()
        outcome.add(result)

    run = stream.run if stream is not None and stream.run is not None else report_run(results, linter, args)
    run.fixed = fixed
    run.automation_id = args.automation_id
    run.unsafe_fixes = args.unsafe_fixes
    run.summary = not args.quiet

    if stream is None:
        for result in results:
            if result.error is not None:
                sys.stderr.write(f"runtime-lint: error: {result.path}: {result.error}\n")
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

    if outcome.errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if diff_text else EXIT_OK
    if args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if outcome.failing else EXIT_OK
