"""What a run shares between files: the per-run caches (`Linter`), the outcome and the streamed
text report, parallel workers, the fix loop, and the tables the commands print.

The commands (runtime_lint/commands/) use these; nothing here parses arguments or picks a command:
the commands turn their typed arguments into the plain values these take.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.model import UsageError, date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Rule
    from runtime_lint.config import Settings
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

OUTPUTS: list[Any] = []  # --output files open for streaming: closed by cli.run() even after an error


def build_args(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, eq, value = item.partition("=")
        if not key:
            raise UsageError(f"--build-arg needs KEY=VALUE, got '{item}'")
        if not eq:
            value = os.environ.get(key, "")  # as docker build does for `--build-arg KEY`
        out[key] = value
    return out


class Linter:
    """Holds what a run shares between files: rules, configs, catalogs."""

    def __init__(self, config: str | None, overrides: dict[str, Any], build_args: dict[str, str]) -> None:
        """`config`: the --config file for every path (None: found per folder); `overrides`: the
        settings the command line gives, by config key (`{"as-of": date, "select": [...]}`), over
        every config file's; `build_args`: --build-arg values (see build_args())."""
        from runtime_lint import engine
        from runtime_lint.checks import all_rules
        from runtime_lint.config import Finder, matches, resolve
        from runtime_lint.files import FileError

        # used for every file: looked up once (an import statement in a loop costs ~1 us a file)
        self.read_source = engine.read_source
        self.read_stdin = engine.read_stdin
        self.lint_text = engine.lint_text
        self.file_result = engine.FileResult
        self.is_astro_project = engine.is_astro_project
        self.matches = matches
        self.resolve = resolve
        self.file_error = FileError

        self.rules: dict[str, Rule] = all_rules()
        self.finder: Finder = Finder(config)
        self.overrides = overrides
        self.build_args = build_args
        self.today = date.today()
        self.catalogs: dict[str | None, Catalog] = {}
        self.settings: dict[tuple[str | None, tuple[str, ...]], Settings] = {}
        self.astro_folders: dict[str, bool] = {}
        self.project_folders: set[str] = set()  # Astro projects whose requirements files were linted
        self.slim = True  # drop what reports do not need right after linting (not when fixing)

    def settings_for(self, path: str) -> Settings:
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

            loaded = catalog.load_with_warning(path)
            if loaded.warning is not None:  # a damaged cache: said once, then the bundled data
                sys.stderr.write(f"runtime-lint: warning: {loaded.warning}\n")
            self.catalogs[path] = loaded.catalog
        return self.catalogs[path]

    def lint(self, path: str, text: str | None = None, bom: bool = False, shown: str | None = None) -> FileResult:
        """Lint the file at `path` (`-`: standard input), or `text` as that file's; `shown`: the
        path the report names (--stdin-filename)."""
        shown = shown or path
        if text is None:
            try:
                text, bom = self.read_stdin() if path == "-" else self.read_source(path)
            except self.file_error as exc:
                result = self.file_result(shown)
                result.error = str(exc)
                return result
        settings = self.settings_for(shown if path == "-" else path)
        astro = self.detected_astro(shown) if settings.astro_project is None else None
        catalog = self.catalog(settings.catalog)
        result = self.lint_text(shown, text, settings, catalog, self.rules, self.build_args, astro)
        result.bom = bom
        if self.slim:
            result.slim()
        return result

    def detected_astro(self, path: str) -> bool:
        """Whether the file's folder is an Astro project (.astro/ beside it), detected once per folder."""
        folder = os.path.dirname(path)
        astro = self.astro_folders.get(folder)
        if astro is None:
            astro = self.astro_folders[folder] = self.is_astro_project(path)
        return astro

    def lint_all(self, path: str) -> list[FileResult]:
        """The Dockerfile's result, then those of its Astro project's requirements files (`project`)."""
        result = self.lint(path)
        return [result, *self.project(result)]

    def project(self, result: FileResult) -> list[FileResult]:
        """For a Dockerfile in an Astro project: a result for each of the project's requirements
        files with findings (RL4xx, project.py), once per folder and run; [] otherwise."""
        settings = result.settings
        if result.error is not None or settings is None:
            return []
        astro = settings.astro_project
        if astro is None:
            astro = self.detected_astro(result.path)
        key = project_folder(result.path) if astro else None
        if key is None or key in self.project_folders:
            return []
        self.project_folders.add(key)
        from runtime_lint.project import lint_project

        results = lint_project(result, self.settings_for, self.rules)
        if self.slim:
            for each in results:
                each.slim()
        return results


def project_folder(path: str) -> str:
    """The folder whose requirements files a Dockerfile's project has, absolute (`x` and `./x` alike)."""
    return os.path.abspath(os.path.dirname(path) or os.curdir)


# Forked workers over many files pay: on 2 CPUs, 2,000 corpus files, pure build, measured 2026-12-03:
# 0.40 s with RUNTIME_LINT_JOBS=1, 0.24 s with workers (-40%).
PARALLEL_FROM = 400  # files: below this, forking costs more than it saves


def worker_count(files: int) -> int:
    """How many processes lint: one unless there are many files, several CPUs and fork (Linux: safe there)."""
    if files < PARALLEL_FROM or not sys.platform.startswith("linux") or os.environ.get("RUNTIME_LINT_JOBS") == "1":
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8, files // (PARALLEL_FROM // 2)))


def lint_in_parallel(files: list[str], workers: int, linter: Linter, stream: TextStream, outcome: Outcome) -> None:
    """The first chunk is linted here (printed as it goes), the others by forked workers: output as in one run."""
    import marshal

    stream.prepare(files[0])
    chunks = folder_chunks(files, workers)
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
            for result in linter.lint_all(path):
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


def folder_chunks(files: list[str], workers: int) -> list[list[str]]:
    """Up to `workers` runs of `files` of about equal length, a folder's files in one (Linter.project)."""
    folders = [project_folder(path) for path in files]
    last = {folder: k for k, folder in enumerate(folders)}
    share, cuts, reach = -(-len(files) // workers), [0], 0
    for k, folder in enumerate(folders[:-1]):
        reach = max(reach, last[folder])
        if reach == k and k + 1 >= len(cuts) * share:  # the folders of files[:k + 1] end here
            cuts.append(k + 1)
    return [files[start:end] for start, end in zip(cuts, [*cuts[1:], len(files)], strict=True)]


def _lint_chunk(paths: list[str], linter: Linter, stream: TextStream) -> dict[str, Any]:
    """A worker's share: its report text, its stderr lines, and the counts for the summary."""
    from runtime_lint.report.text import render_file

    outcome = Outcome(linter)
    run = stream.run
    assert run is not None, "stream.prepare() runs before the workers start"
    text: list[str] = []
    errors: list[str] = []
    for path in paths:
        for result in linter.lint_all(path):
            if result.error is not None:
                errors.append(error_line(result))
            else:
                text.append(render_file(result, run, stream.concise))
            outcome.add(result)
    return {"text": "".join(text), "errors": errors, **outcome.export()}


class Outcome:
    """What the end of a run needs from every file: counts, errors, failing findings, notes."""

    def __init__(self, linter: Linter) -> None:
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


class TextStream:
    """Writes each file's text report as soon as the file is linted, then lets go of its lines."""

    def __init__(self, output: str | None, linter: Linter, fmt: str, color: bool) -> None:
        from runtime_lint.report.text import render_file

        self.render_file = render_file
        self.color = color
        self.linter = linter
        self.concise = fmt == "concise"
        self.run: Run | None = None
        self.handle: Any = None
        if output is not None:
            try:
                # open for the whole run: each file's report is written as it comes
                self.handle = open(  # noqa: SIM115
                    output, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
                )
                OUTPUTS.append(self.handle)
            except OSError as exc:
                raise UsageError(f"cannot write {output}: {exc.strerror}") from None

    def prepare(self, path: str) -> None:
        """Settle the run's day, catalog and colours before the first file (for workers)."""
        if self.run is None:
            self.run = run_for(self.linter.settings_for(path), self.linter, self.color)

    def write(self, result: FileResult) -> None:
        if result.error is not None:
            sys.stderr.write(error_line(result))
            return
        if self.run is None:
            self.run = report_run([result], self.linter, self.color)
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


def error_line(result: FileResult) -> str:
    """How a file that could not be linted is reported on stderr."""
    return f"runtime-lint: error: {result.path}: {result.error}\n"


def report_run(results: list[FileResult], linter: Linter, color: bool) -> Run:
    """The report's context: the day and catalog of the first file's settings (else those here)."""
    settings = next((r.settings for r in results if r.settings is not None), None)
    if settings is None:
        settings = linter.settings_for(os.path.join(os.getcwd(), "Dockerfile"))
    return run_for(settings, linter, color)


def run_for(settings: Settings, linter: Linter, color: bool) -> Run:
    from runtime_lint.report import Run

    run = Run(settings.as_of, linter.catalog(settings.catalog), linter.rules)
    run.color = color
    return run


def use_color(choice: str = "auto", output: str | None = None) -> bool:
    """Whether to colour the output. In order: the choice (`always`, `never`; the commands make
    `--no-color` never, and it wins over --color), NO_COLOR (any non-empty value: never,
    no-color.org), FORCE_COLOR (non-empty: always), then auto: on a terminal. A report written to
    a file (`output`) is coloured only when the choice is `always`."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if output:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def fix_files(
    results: list[FileResult], linter: Linter, *, unsafe: bool, diff: bool, stdin: bool
) -> tuple[list[FileResult], int, str]:
    """Apply fixes (with `diff`, collect their diff instead); re-lint what changed so the report
    shows what remains. `unsafe`: fixes that change the Airflow version too; `stdin`: the run
    lints standard input only, whose fixed text goes to stdout."""
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
            fixes = chosen_fixes(current.findings, unsafe)
            text_after, applied = apply(text, fixes)
            if not applied:
                break
            text = text_after
            current = linter.lint(result.path, text, result.bom)
        total += fixed_count(result.findings, current.findings, unsafe)
        to_stdout = result.path == "-" or stdin
        if text == original and not (to_stdout and not diff):
            out.append(current)
            continue
        if diff:
            diffs.append(unified_diff(result.path, original, text, result.bom))
            out.append(result)
            continue
        if to_stdout:  # the whole text, changed or not, as the bytes it came as (UTF-8, BOM, CRLF)
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


def fixed_count(reported: list[Finding], remaining: list[Finding], unsafe: bool) -> int:
    """How many of the reported findings with a fix of the mode in use are gone after fixing:
    what "Fixed N problems" counts (not edits, and not findings the re-lint found on the way)."""
    left = {(f.code, f.stage, f.span.line) for f in remaining}
    return sum(
        1
        for f in reported
        if f.fix is not None and (f.fix.safe or unsafe) and (f.code, f.stage, f.span.line) not in left
    )


PROGRESS_FROM = 200  # files: below this a run is too quick for a progress bar to help


def show_progress(files: int) -> bool:
    return files >= PROGRESS_FROM and sys.stderr.isatty() and not os.environ.get("CI")


def lint_with_progress(linter: Linter, paths: list[str]) -> list[FileResult]:
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


def table(rows: list[list[str]], color: bool, caption: str = "") -> None:
    if color:
        from rich.console import Console
        from rich.table import Table

        table = Table(*rows[0], caption=caption or None)
        for row in rows[1:]:
            table.add_row(*[status_markup(cell) for cell in row])
        Console(force_terminal=True, no_color=False).print(table)  # use_color() has decided
        return
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(widths[k]) for k, cell in enumerate(row)).rstrip() + "\n")
    if caption:
        sys.stdout.write(f"({caption})\n")


_STATUS_STYLE = {"supported": "green", "ending-soon": "yellow", "ended": "red", "yanked": "bold red", "unknown": "dim"}


def status_markup(cell: str) -> Any:
    from rich.text import Text

    return Text(cell, style=_STATUS_STYLE.get(cell, ""))
