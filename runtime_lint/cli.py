"""The command line: argument parsing, subcommands, exit codes. The only place that prints or exits.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on (or, with
--diff, something to fix); 2 usage, configuration, I/O or catalog error.
"""

from __future__ import annotations

import os
import sys

from runtime_lint import __version__
from runtime_lint.args import ArgError, Command, Opt
from runtime_lint.model import SEVERITY_NAMES, UsageError, date
from runtime_lint.release import STATUSES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Rule
    from runtime_lint.config import Finder
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding

    Args = Any  # an args.Namespace from args.Command.parse

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
COMMANDS = ("check", "explain", "rules", "catalog", "images")


OVERVIEW = f"""usage: runtime-lint [check] [PATH ...] [options]
       runtime-lint images [PATH ...] [options]
       runtime-lint explain CODE
       runtime-lint rules
       runtime-lint catalog {{list,show,update}} [options]

Lint the Astro Runtime base images of Astronomer Airflow Dockerfiles.

commands:
  check     lint Dockerfiles (the default: 'runtime-lint Dockerfile' is 'runtime-lint check Dockerfile')
  images    list every base image with its Runtime version and lifecycle status
  explain   print a rule's documentation (runtime-lint explain RL204)
  rules     list all rules
  catalog   the Runtime release catalog: list, show VERSION, update

'runtime-lint COMMAND --help' shows a command's options.
Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage, config, I/O or catalog error.
runtime-lint {__version__}
"""


_COMMON = (
    Opt("--as-of", "lint as of this day (default: today)", metavar="YYYY-MM-DD"),
    Opt("--config", "use this config file for every path", metavar="FILE"),
    Opt("--catalog", "use this catalog file", metavar="PATH"),
    Opt("--build-arg", "set a build argument, as docker build does (repeatable)", kind="append", metavar="KEY=VALUE"),
    Opt(
        "--astro-project", "treat paths as Astro projects (default: detect .astro/ beside the Dockerfile)", kind="bool"
    ),
    Opt("--no-color", "plain text output", kind="flag"),
)


def build_parser(command: str) -> Command:
    """The parser of one command."""
    if command == "check":
        from runtime_lint.report import FORMATS

        return Command(
            "runtime-lint check",
            "Lint Dockerfiles (the default command: 'runtime-lint Dockerfile').",
            [("paths", "*", "files or folders (default: .); '-' reads stdin")],
            [
                *_COMMON,
                Opt(
                    "--format",
                    "output format (default: text, or $RUNTIME_LINT_FORMAT)",
                    choices=tuple(FORMATS),
                ),
                Opt("-o --output", "write the report to FILE instead of stdout", metavar="FILE"),
                Opt("--select", "run only these rules (codes, prefixes, names, ALL)", kind="csv", metavar="CODES"),
                Opt("--extend-select", "run these rules too", kind="csv", metavar="CODES"),
                Opt("--ignore", "do not run these rules", kind="csv", metavar="CODES"),
                Opt(
                    "--fail-on",
                    "lowest severity that makes the exit code 1 (default: warning)",
                    choices=("error", "warning", "info", "never"),
                ),
                Opt("--exit-zero", "exit 0 even when there are findings", kind="flag"),
                Opt("--stdin-filename", "the path to report for '-'", metavar="PATH"),
                Opt("-q --quiet", "print findings only, no summary or notes", kind="flag"),
                Opt("--statistics", "print the number of findings per rule", kind="flag"),
                Opt("--fix", "apply safe fixes to the files", kind="flag"),
                Opt("--unsafe-fixes", "also apply fixes that change the Airflow version", kind="flag"),
                Opt("--diff", "print the fixes as a unified diff; write nothing", kind="flag"),
                Opt("--no-inline-ignores", "disregard '# runtime-lint: ignore' pragmas", kind="flag"),
                Opt("--automation-id", "SARIF runs[].automationDetails.id (code scanning category)", metavar="ID"),
            ],
        )
    if command == "images":
        return Command(
            "runtime-lint images",
            "List every base image with its Runtime version and lifecycle status.",
            [("paths", "*", "files or folders (default: .)")],
            [*_COMMON, Opt("--format", "table (default) or json", choices=("table", "json"), default="table")],
        )
    if command == "explain":
        return Command(
            "runtime-lint explain",
            "Print a rule's documentation.",
            [("code", "1", "a rule code (RL204) or name (patch-not-latest)")],
            [Opt("--format", "text (default) or json", choices=("text", "json"), default="text")],
        )
    if command == "rules":
        return Command(
            "runtime-lint rules",
            "List all rules.",
            [],
            [Opt("--format", "text (default) or json", choices=("text", "json"), default="text")],
        )
    if command == "catalog list":
        return Command(
            "runtime-lint catalog list",
            "A table of Runtime releases and their lifecycle status as of the day.",
            [],
            [
                Opt("--format", "table (default) or json", choices=("table", "json"), default="table"),
                Opt("--line", "only this support line (12, 3.1)", metavar="LINE"),
                Opt(
                    "--status",
                    "only releases with this status",
                    choices=STATUSES,
                ),
                *_COMMON[:3],
                _COMMON[-1],
            ],
        )
    if command == "catalog show":
        return Command(
            "runtime-lint catalog show",
            "Everything known about one release, with sources.",
            [("version", "1", "a Runtime version (12.6.0, 3.0-4)")],
            [Opt("--format", "text (default) or json", choices=("text", "json"), default="text"), *_COMMON[:3]],
        )
    if command == "catalog update":
        return Command(
            "runtime-lint catalog update",
            "Refresh the cached catalog from Astronomer's feed (or a saved feed file).",
            [],
            [
                Opt("--url", "feed URL (default: the feed-url setting)", metavar="URL"),
                Opt("--from-file", "convert a saved feed file instead of downloading", metavar="FEED.json"),
                Opt(
                    "--complete", "with --from-file: the file is the whole feed (marks its lines complete)", kind="flag"
                ),
                Opt("--output", "write here instead of the user cache", metavar="PATH"),
                Opt("--timeout", "seconds (default 30)", kind="number", default=30.0, metavar="SECONDS"),
                Opt("--config", "use this config file", metavar="FILE"),
                Opt("-q --quiet", "print nothing on success", kind="flag"),
            ],
        )
    raise ArgError("catalog needs a command: list, show or update")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] in (["-h"], ["--help"], ["help"]):
        sys.stdout.write(OVERVIEW)
        return EXIT_OK
    if args_list[:1] in (["--version"], ["-V"]):
        sys.stdout.write(f"runtime-lint {__version__}\n")
        return EXIT_OK
    command = args_list[0] if args_list and args_list[0] in COMMANDS else "check"
    if args_list[:1] == [command]:
        args_list = args_list[1:]
    if command == "catalog":
        sub = args_list[0] if args_list else ""
        if sub in ("-h", "--help"):
            sys.stdout.write(OVERVIEW)
            return EXIT_OK
        command, args_list = f"catalog {sub}", args_list[1:]
    try:
        parser = build_parser(command)
        args = parser.parse(args_list)
    except ArgError as bad_args:  # a name per exception type (scripts/hatch_build.py)
        shown = command if command in COMMANDS or (command.startswith("catalog ") and command[8:]) else "catalog"
        sys.stderr.write(f"runtime-lint: error: {bad_args} (see 'runtime-lint {shown} --help')\n")
        return EXIT_ERROR
    try:
        if command == "check":
            return cmd_check(args)
        if command == "images":
            return cmd_images(args)
        if command == "explain":
            return cmd_explain(args)
        if command == "rules":
            return cmd_rules(args)
        return cmd_catalog(command, args)
    except UsageError as usage:
        sys.stderr.write(f"runtime-lint: error: {usage}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("runtime-lint: interrupted\n")
        return 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_ERROR
    except Exception as exc:  # a bug: one line and exit 2, never exit 1 (which means "findings")
        if os.environ.get("RUNTIME_LINT_DEBUG"):
            raise
        sys.stderr.write(
            f"runtime-lint: internal error: {type(exc).__name__}: {exc} "
            "(set RUNTIME_LINT_DEBUG=1 for the traceback, and please report it)\n"
        )
        return EXIT_ERROR


def run() -> None:
    """The `runtime-lint` command: main(), then exit at once. A normal interpreter exit frees
    every module and object first, about 2 ms: a tenth of linting one file. Everything is
    written by then (files with `with`, `--output` closed, the standard streams flushed here)."""
    code = main()
    for handle in _OUTPUTS:
        handle.close()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = code or EXIT_ERROR
    except OSError:
        code = code or EXIT_ERROR
    os._exit(code)


_OUTPUTS: list[Any] = []  # --output files open for streaming: closed by run() even after an error


def _tolerant_streams() -> None:
    """A file name that is not UTF-8 (a surrogate escape) is shown escaped, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _quiet_broken_pipe() -> None:
    """stdout was closed by the reader (`| head`): exit without a second error at shutdown."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


# ---------------------------------------------------------------------------------------- check


def _overrides(args: Args) -> dict[str, Any]:
    over: dict[str, Any] = {}
    if args.as_of is not None:
        from runtime_lint.config import parse_day

        over["as-of"] = parse_day(args.as_of, "--as-of")
    if args.catalog is not None:
        over["catalog"] = args.catalog
    if args.astro_project is not None:
        over["astro-project"] = args.astro_project
    for key in ("select", "extend_select", "ignore", "fail_on"):
        value = getattr(args, key, None)
        if value is not None:
            over[key.replace("_", "-")] = value
    if getattr(args, "no_inline_ignores", False):
        over["disable-inline-ignores"] = True
    return over


def _build_args(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, eq, value = item.partition("=")
        if not key:
            raise UsageError(f"--build-arg needs KEY=VALUE, got '{item}'")
        if not eq:
            value = os.environ.get(key, "")  # as docker build does for `--build-arg KEY`
        out[key] = value
    return out


class _Linter:
    """Holds what a run shares between files: rules, configs, catalogs."""

    def __init__(self, args: Args) -> None:
        from runtime_lint import engine
        from runtime_lint.checks import all_rules
        from runtime_lint.config import Finder, matches, resolve
        from runtime_lint.files import FileError

        # used for every file: looked up once (an import statement in a loop costs ~1 us a file)
        self.read_source = engine.read_source
        self.lint_text = engine.lint_text
        self.file_result = engine.FileResult
        self.is_astro_project = engine.is_astro_project
        self.matches = matches
        self.resolve = resolve
        self.file_error = FileError

        self.rules: dict[str, Rule] = all_rules()
        self.finder: Finder = Finder(args.config)
        self.overrides = _overrides(args)
        self.build_args = _build_args(args.build_arg)
        self.today = date.today()
        self.catalogs: dict[str | None, Catalog] = {}
        self.settings: dict[tuple[str | None, tuple[str, ...]], Any] = {}
        self.astro_folders: dict[str, bool] = {}
        self.slim = True  # drop what reports do not need right after linting (not when fixing)

    def settings_for(self, path: str) -> Any:
        """Settings are the same for every file under one config, but for its per-file-ignores:
        resolved once per (config, matching per-file-ignores patterns)."""
        config = self.finder.for_file(path if path != "-" else os.path.join(os.getcwd(), "-"))
        patterns: tuple[str, ...] = ()
        if config is not None:
            ignores = config.values.get("per-file-ignores")
            if isinstance(ignores, dict):
                patterns = tuple(p for p in ignores if isinstance(p, str) and self.matches(p, path, config.root))
        key = (config.path if config is not None else None, patterns)
        settings = self.settings.get(key)
        if settings is None:
            settings = self.settings[key] = self.resolve(config, self.overrides, self.rules, path, self.today)
        return settings

    def catalog(self, path: str | None) -> Catalog:
        if path not in self.catalogs:
            from runtime_lint import catalog

            self.catalogs[path] = catalog.load(path)
        return self.catalogs[path]

    def lint(self, path: str, text: str | None = None, bom: bool = False, shown: str | None = None) -> FileResult:
        shown = shown or path
        if text is None:
            try:
                text, bom = self.read_source(path)
            except self.file_error as exc:
                result = self.file_result(shown)
                result.error = str(exc)
                return result
        settings = self.settings_for(shown if path == "-" else path)
        astro = None
        if settings.astro_project is None:  # detect, once per folder
            folder = os.path.dirname(shown)
            astro = self.astro_folders.get(folder)
            if astro is None:
                astro = self.astro_folders[folder] = self.is_astro_project(shown)
        catalog = self.catalog(settings.catalog)
        result = self.lint_text(shown, text, settings, catalog, self.rules, self.build_args, astro)
        result.bom = bom
        if self.slim:
            result.slim()
        return result


def _read_stdin() -> tuple[str, bool]:
    from runtime_lint.engine import decode

    return decode(sys.stdin.buffer.read())


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
    linter = _Linter(args)
    fixing = args.fix or args.diff
    paths = args.paths or ["."]
    # Text reports are printed file by file as they are linted, and only counts are kept (memory
    # stays flat over big trees); the other formats, and fixing, need every result until the end.
    stream = None if fixing or not FORMATS[fmt].streams else _TextStream(args, linter, fmt)
    # Results kept for a report at the end are slimmed; streamed ones are dropped once printed.
    linter.slim = stream is None and not fixing
    outcome = _Outcome(linter)
    results: list[FileResult] = []
    files = discover(paths) if paths != ["-"] else ["-"]
    workers = _workers(len(files)) if stream is not None else 1
    if workers > 1:
        assert stream is not None
        _lint_in_parallel(files, workers, linter, stream, outcome)
        files = []
    for path in files:
        if path == "-":
            shown = args.stdin_filename or "-"
            try:
                text, bom = _read_stdin()
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
        results, fixed, diff_text = _fix(results, linter, args)
    for result in results:
        result.slim()
        outcome.add(result)

    run = stream.run if stream is not None and stream.run is not None else _run(results, linter, args)
    run.fixed = fixed
    run.automation_id = args.automation_id
    run.unsafe_fixes = args.unsafe_fixes
    run.summary = not args.quiet

    if stream is None:
        for result in results:
            if result.error is not None:
                sys.stderr.write(f"runtime-lint: error: {result.path}: {result.error}\n")
    if args.diff:
        _emit(diff_text, args.output)
    elif stream is not None:
        from runtime_lint.report.text import render_summary

        stream.finish(render_summary(outcome.tally, run))
    elif not (args.fix and args.paths == ["-"]):
        from runtime_lint.report import render

        _emit(render(fmt, results, run), args.output)
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


PARALLEL_FROM = 400  # files: below this, forking costs more than it saves


def _workers(files: int) -> int:
    """How many processes to lint with: one, unless there are many files, several CPUs and fork
    (Linux; elsewhere fork is unsafe or missing)."""
    if files < PARALLEL_FROM or not sys.platform.startswith("linux") or os.environ.get("RUNTIME_LINT_JOBS") == "1":
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8, files // (PARALLEL_FROM // 2)))


def _lint_in_parallel(files: list[str], workers: int, linter: _Linter, stream: _TextStream, outcome: _Outcome) -> None:
    """Lint the first share here, printing as it goes, while forked workers lint the others; then
    print each worker's report in order. Output is the same as linting in one process."""
    import marshal

    stream.prepare(files[0])
    share = -(-len(files) // workers)
    chunks = [files[k : k + share] for k in range(0, len(files), share)]
    children: list[tuple[int, int]] = []
    for chunk in chunks[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: lint, send the report and counts, leave without cleanup
            os.close(read_end)
            try:
                data = _lint_chunk(chunk, linter, stream)
            except BaseException as exc:  # a bug: the parent reports it
                data = {"crash": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(marshal.dumps(data))
            os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        for path in chunks[0]:
            result = linter.lint(path)
            stream.write(result)
            outcome.add(result)
    finally:
        crash = None
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                raw = pipe.read()
            os.waitpid(pid, 0)
            data = marshal.loads(raw) if raw else {"crash": "a worker ended without a report"}
            if "crash" in data:
                crash = crash or data["crash"]
                continue
            stream.emit(data["text"])
            for line in data["errors"]:
                sys.stderr.write(line)
            outcome.merge(data)
    if crash is not None:
        raise RuntimeError(f"in a worker process: {crash}")


def _lint_chunk(paths: list[str], linter: _Linter, stream: _TextStream) -> dict[str, Any]:
    """A worker's share: its report text, its stderr lines, and the counts for the summary."""
    from runtime_lint.report.text import render_file

    outcome = _Outcome(linter)
    text: list[str] = []
    errors: list[str] = []
    for path in paths:
        result = linter.lint(path)
        if result.error is not None:
            errors.append(f"runtime-lint: error: {result.path}: {result.error}\n")
        else:
            text.append(render_file(result, stream.run, stream.concise))
        outcome.add(result)
    return {"text": "".join(text), "errors": errors, **outcome.export()}


class _Outcome:
    """What the end of a run needs from every file: counts, errors, failing findings, notes."""

    def __init__(self, linter: _Linter) -> None:
        from runtime_lint.report import Tally

        self.linter = linter
        self.tally = Tally()
        self.seen = 0
        self.errors = False
        self.failing = False
        self.notes: set[str] = set()
        self.noted: set[Any] = set()  # settings whose catalog age was looked at (by identity)

    def add(self, result: FileResult) -> None:
        self.seen += 1
        self.tally.add(result)
        settings = result.settings
        if result.error is not None or settings is None:
            self.errors = self.errors or result.error is not None
            return
        self.failing = self.failing or any(f.severity >= settings.fail_on for f in result.findings)
        if settings not in self.noted:  # settings are shared by the files under one config
            self.noted.add(settings)
            catalog = self.linter.catalog(settings.catalog)
            age = (settings.as_of - catalog.generated).days
            max_age = settings.options["catalog-max-age"]  # 0 turns the note off
            if max_age and age > max_age:  # one note per catalog and age: `notes` is a set
                self.notes.add(
                    f"runtime-lint: note: the {catalog.origin} release catalog is {age} days old "
                    f"(data as of {catalog.generated}); run 'runtime-lint catalog update' to refresh it\n"
                )

    def export(self) -> dict[str, Any]:
        """Plain data (for marshal) that merge() takes back."""
        return {
            "seen": self.seen,
            "errors_seen": self.errors,
            "failing": self.failing,
            "notes": sorted(self.notes),
            "tally": self.tally.export(),
        }

    def merge(self, data: dict[str, Any]) -> None:
        self.seen += data["seen"]
        self.errors = self.errors or data["errors_seen"]
        self.failing = self.failing or data["failing"]
        self.notes.update(data["notes"])
        self.tally.merge(data["tally"])


class _TextStream:
    """Writes each file's text report as soon as the file is linted, then lets go of its lines."""

    def __init__(self, args: Args, linter: _Linter, fmt: str) -> None:
        from runtime_lint.report.text import render_file

        self.render_file = render_file
        self.args = args
        self.linter = linter
        self.concise = fmt == "concise"
        self.run: Any = None
        self.handle: Any = None
        if args.output is not None:
            try:
                # open for the whole run: each file's report is written as it comes
                self.handle = open(  # noqa: SIM115
                    args.output, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
                )
                _OUTPUTS.append(self.handle)
            except OSError as exc:
                raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None

    def prepare(self, path: str) -> None:
        """Settle the run's day, catalog and colours before the first file (for workers)."""
        if self.run is None:
            self.run = _run_for(self.linter.settings_for(path), self.linter, self.args)

    def write(self, result: FileResult) -> None:
        if result.error is not None:
            sys.stderr.write(f"runtime-lint: error: {result.path}: {result.error}\n")
            return
        if self.run is None:
            self.run = _run([result], self.linter, self.args)
        self._out(self.render_file(result, self.run, self.concise))

    def emit(self, text: str) -> None:
        self._out(text)

    def finish(self, text: str) -> None:
        self._out(text)
        if self.handle is not None:
            self.handle.close()
        else:
            sys.stdout.flush()

    def _out(self, text: str) -> None:
        if text:
            (self.handle or sys.stdout).write(text)


def _run(results: list[FileResult], linter: _Linter, args: Args) -> Any:
    settings = next((r.settings for r in results if r.settings is not None), None)
    if settings is None:
        settings = linter.settings_for(os.path.join(os.getcwd(), "Dockerfile"))
    return _run_for(settings, linter, args)


def _run_for(settings: Any, linter: _Linter, args: Args) -> Any:
    from runtime_lint.report import Run

    run = Run(settings.as_of, linter.catalog(settings.catalog), linter.rules)
    run.color = _use_color(args)
    return run


def _use_color(args: Args) -> bool:
    if getattr(args, "no_color", False) or os.environ.get("NO_COLOR"):
        return False
    if getattr(args, "output", None):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def _fix(results: list[FileResult], linter: _Linter, args: Args) -> tuple[list[FileResult], int, str]:
    """Apply fixes (or collect their diff); re-lint what changed so the report shows what remains."""
    from runtime_lint.fix import FixError, apply, chosen_fixes, unified_diff, write_atomic

    out: list[FileResult] = []
    total = 0
    diffs: list[str] = []
    for result in results:
        if result.error is not None or result.dockerfile is None:
            out.append(result)
            continue
        original = result.text
        text = original
        current = result
        for _ in range(3):  # a fix can reveal another (an upgraded line may not be the latest patch)
            fixes = chosen_fixes(current.findings, args.unsafe_fixes)
            text_after, applied = apply(text, fixes)
            if not applied:
                break
            text = text_after
            current = linter.lint("-" if result.path == "-" else result.path, text, result.bom, result.path)
        total += _fixed(result.findings, current.findings, args.unsafe_fixes)
        stdin = result.path == "-" or args.paths == ["-"]
        if text == original and not (stdin and args.fix):
            out.append(current)
            continue
        if args.diff:  # with the BOM, as git shows it: a diff without it does not apply to the file
            bom = "\ufeff" if result.bom else ""
            diffs.append(unified_diff(result.path, bom + original, bom + text))
            out.append(result)
            continue
        if stdin:  # the whole text, changed or not, as the bytes it came as (UTF-8, BOM, CRLF)
            sys.stdout.flush()
            sys.stdout.buffer.write((("\ufeff" if result.bom else "") + text).encode("utf-8"))
            sys.stdout.buffer.flush()
            out.append(current)
            continue
        try:
            write_atomic(result.path, text, result.bom)
        except FixError as exc:
            result.error = str(exc)
            out.append(result)
            continue
        out.append(current)
    return out, total, "".join(diffs)


def _fixed(reported: list[Finding], remaining: list[Finding], unsafe: bool) -> int:
    """How many of the reported findings with a fix of the mode in use are gone after fixing:
    what "Fixed N problems" counts (not edits, and not findings the re-lint found on the way)."""
    left = {(f.code, f.stage, f.span.line) for f in remaining}
    return sum(
        1
        for f in reported
        if f.fix is not None and (f.fix.safe or unsafe) and (f.code, f.stage, f.span.line) not in left
    )


# --------------------------------------------------------------------------------------- images


def cmd_images(args: Args) -> int:
    from runtime_lint.discover import discover

    linter = _Linter(args)
    paths = discover(args.paths or ["."])
    results = _lint_with_progress(linter, paths) if _show_progress(len(paths)) else [linter.lint(p) for p in paths]
    run = _run(results, linter, args)
    for result in results:
        if result.error is not None:
            sys.stderr.write(f"runtime-lint: error: {result.path}: {result.error}\n")
    if args.format == "json":
        import json

        from runtime_lint.report.json import catalog_info, image_object, warn_days

        doc = {
            "as_of": run.as_of.isoformat(),
            "catalog": catalog_info(run.catalog),
            "files": [
                {"path": r.path, "error": r.error, "images": [image_object(i, run, warn_days(r)) for i in r.images]}
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        from runtime_lint.report.json import image_object, warn_days

        rows = [
            [
                "FILE",
                "LINE",
                "IMAGE",
                "RUNTIME",
                "AIRFLOW",
                "MAINTAINED UNTIL",
                "BASIC SUPPORT UNTIL",
                "STATUS",
                "LATEST",
            ]
        ]
        for r in results:
            for image in r.images:
                obj = image_object(image, run, warn_days(r))
                rt = obj["runtime"] or {}
                name = obj["resolved"] or obj["raw"]
                if obj["stage_ref"] is not None:
                    name = f"{name} (stage {obj['stage_ref']})"
                rows.append(
                    [
                        r.path,
                        str(obj["line"]),
                        name,
                        rt.get("version") or "-",
                        rt.get("airflow") or "-",
                        (rt.get("end_of_maintenance") or "unknown") if rt else "-",
                        (rt.get("end_of_basic_support") or "unknown") if rt else "-",
                        rt.get("status") or _image_status(obj),
                        rt.get("latest") or "-",
                    ]
                )
        _table(
            rows,
            _use_color(args),
            f"as of {run.as_of}; catalog: {run.catalog.origin}, data as of {run.catalog.generated}",
        )
    return EXIT_ERROR if any(r.error is not None for r in results) else EXIT_OK


def _image_status(obj: dict[str, Any]) -> str:
    """The STATUS of an image row that has no Runtime release."""
    if obj["family"] == "certified":
        return "retired"  # Astronomer Certified (ap-airflow): no longer supported
    return "unresolved" if obj["unresolved"] else "-"


PROGRESS_FROM = 200  # files: below this a run is too quick for a progress bar to help


def _show_progress(files: int) -> bool:
    return files >= PROGRESS_FROM and sys.stderr.isatty() and not os.environ.get("CI")


def _lint_with_progress(linter: _Linter, paths: list[str]) -> list[FileResult]:
    """Lint with a progress bar on stderr (a terminal only): inventories of big monorepos take a while."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    results: list[FileResult] = []
    columns = (TextColumn("scanning Dockerfiles"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("lint", total=len(paths))
        for path in paths:
            results.append(linter.lint(path))
            progress.advance(task)
    return results


def _table(rows: list[list[str]], color: bool, caption: str = "") -> None:
    if color:
        from rich.console import Console
        from rich.table import Table

        table = Table(*rows[0], caption=caption or None)
        for row in rows[1:]:
            table.add_row(*[_status_markup(cell) for cell in row])
        Console().print(table)
        return
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip() + "\n")
    if caption:
        sys.stdout.write(f"({caption})\n")


_STATUS_STYLE = {"supported": "green", "ending-soon": "yellow", "ended": "red", "yanked": "bold red", "unknown": "dim"}


def _status_markup(cell: str) -> Any:
    from rich.text import Text

    return Text(cell, style=_STATUS_STYLE.get(cell, ""))


# ------------------------------------------------------------------------------- explain, rules


def _find_rule(code: str, rules: dict[str, Rule]) -> Rule:
    wanted = code.strip()
    if wanted.upper() in rules:
        return rules[wanted.upper()]
    for rule in rules.values():
        if rule.name == wanted:
            return rule
    raise UsageError(f"unknown rule '{code}' (see 'runtime-lint rules')")


def cmd_explain(args: Args) -> int:
    from runtime_lint import rulebook
    from runtime_lint.checks import all_rules

    rule = _find_rule(args.code, all_rules())
    page = rulebook.page(rule.code)
    if page is None:
        page = f"# {rule.code} {rule.name}\n\n{rule.summary}\n"
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(_rule_json(rule) | {"doc": page}, indent=2) + "\n")
    elif sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(page))
    else:
        sys.stdout.write(page if page.endswith("\n") else page + "\n")
    return EXIT_OK


def _rule_json(rule: Rule) -> dict[str, Any]:
    from runtime_lint import rulebook

    return {
        "code": rule.code,
        "name": rule.name,
        "default_severity": SEVERITY_NAMES.get(rule.severity, "off"),
        "summary": rule.summary,
        "fixable": rule.fixable or None,
        "settings": list(rule.settings),
        "url": rulebook.url(rule.code),
    }


def cmd_rules(args: Args) -> int:
    from runtime_lint.checks import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([_rule_json(r) for _, r in sorted(rules.items())], indent=2) + "\n")
        return EXIT_OK
    rows = [["CODE", "NAME", "DEFAULT", "FIX", "SUMMARY"]]
    for code, rule in sorted(rules.items()):
        rows.append([code, rule.name, SEVERITY_NAMES.get(rule.severity, "off"), rule.fixable or "-", rule.summary])
    _table(rows, False)
    return EXIT_OK


# ------------------------------------------------------------------------------------- catalog


def _catalog_settings(args: Args) -> tuple[Catalog, date, int]:
    from runtime_lint import catalog as catalog_mod
    from runtime_lint.checks import all_rules
    from runtime_lint.config import Finder, parse_day, resolve

    finder = Finder(getattr(args, "config", None))

    over: dict[str, Any] = {}
    if getattr(args, "as_of", None):
        over["as-of"] = parse_day(args.as_of, "--as-of")
    if getattr(args, "catalog", None):
        over["catalog"] = args.catalog
    settings = resolve(
        finder.for_file(os.path.join(os.getcwd(), "Dockerfile")), over, all_rules(), "Dockerfile", date.today()
    )
    return catalog_mod.load(settings.catalog), settings.as_of, settings.options["warn-days"]


def cmd_catalog(command: str, args: Args) -> int:
    if command == "catalog list":
        return _catalog_list(args)
    if command == "catalog show":
        return _catalog_show(args)
    from runtime_lint.feed import cmd_update

    return cmd_update(args)


def _catalog_list(args: Args) -> int:
    catalog, as_of, warn_days = _catalog_settings(args)
    releases = catalog.all()
    releases = [r for r in releases if catalog.exists(r, as_of) is not False]
    if args.line:
        releases = [r for r in releases if r.line == args.line]
    if args.status:
        releases = [r for r in releases if r.status(as_of, warn_days) == args.status]
    if args.format == "json":
        import json

        from runtime_lint.report.json import catalog_info

        doc = {
            "as_of": as_of.isoformat(),
            "catalog": catalog_info(catalog),
            "releases": [r.to_json() | {"status": r.status(as_of, warn_days)} for r in releases],
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    rows = [["VERSION", "LINE", "AIRFLOW", "CHANNEL", "RELEASED", "MAINTAINED UNTIL", "BASIC SUPPORT UNTIL", "STATUS"]]
    for r in releases:
        rows.append(
            [
                r.version,
                r.line,
                r.airflow or "-",
                r.channel or "-",
                str(r.release_date or (f"by {r.first_seen}" if r.first_seen else "-")),
                str(r.end_of_maintenance or "unknown"),
                str(r.end_of_basic_support or "unknown"),
                r.status(as_of, warn_days),
            ]
        )
    _table(
        rows,
        _use_color(args),
        f"as of {as_of}; catalog: {catalog.origin} ({catalog.path}), data as of {catalog.generated}",
    )
    return EXIT_OK


def _catalog_show(args: Args) -> int:
    catalog, as_of, warn_days = _catalog_settings(args)
    release = catalog.get(args.version.strip())
    if release is None:
        raise UsageError(f"Runtime {args.version} is not in the catalog ({catalog.path})")
    data = release.to_json() | {"status": release.status(as_of, warn_days)}
    latest = catalog.latest(release, as_of)
    data["latest_in_line"] = latest.version if latest is not None else None
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    from runtime_lint.release import FIELDS, shown

    fields = [f for f in FIELDS if f.name != "sources"]
    width = max(len("latest in line"), *(len(f.label) for f in fields))
    for field in fields:
        label, value = field.label, getattr(release, field.name)
        source = release.sources.get(field.name)
        text = "-" if field.name == "yanked_reason" and not release.yanked else shown(field, value)
        sys.stdout.write(f"{label:<{width}}  {text}{f'  [source: {source}]' if source else ''}\n")
    sys.stdout.write(f"{'status':<{width}}  {data['status']}\n")
    sys.stdout.write(f"{'latest in line':<{width}}  {data['latest_in_line'] or 'unknown'}\n")
    sys.stdout.write(f"(as of {as_of}; catalog: {catalog.origin}, data as of {catalog.generated})\n")
    return EXIT_OK
