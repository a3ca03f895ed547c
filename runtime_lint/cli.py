"""The command line: the argument table of every command, dispatch, exit codes.

Each command is a function in `runtime_lint/commands/<name>.py` taking the parsed arguments and
returning the exit code; what a run shares between files (per-run caches, streaming, parallel
workers, the fix loop) is in `runtime_lint/run.py`.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on (or, with
--diff, something to fix); 2 usage, configuration, I/O or catalog error.
"""

from __future__ import annotations

import os
import sys

from runtime_lint import __version__
from runtime_lint.args import ArgError, Command, Opt
from runtime_lint.model import EXIT_ERROR, EXIT_OK, UsageError
from runtime_lint.release import STATUSES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from runtime_lint.args import Namespace

COMMANDS = ("check", "explain", "rules", "catalog", "images", "upgrade")


OVERVIEW = f"""usage: runtime-lint [check] [PATH ...] [options]
       runtime-lint images [PATH ...] [options]
       runtime-lint upgrade [PATH ...] [--to TARGET] [--write | --diff] [options]
       runtime-lint explain CODE
       runtime-lint rules
       runtime-lint catalog {{list,show,update}} [options]

Lint the Astro Runtime base images of Astronomer Airflow Dockerfiles.

commands:
  check     lint Dockerfiles (the default: 'runtime-lint Dockerfile' is 'runtime-lint check Dockerfile')
  images    list every base image with its Runtime version and lifecycle status
  upgrade   plan the upgrade of every Runtime image (--to lts, latest, ...); --write applies it
  explain   print a rule's documentation (runtime-lint explain RL204)
  rules     list all rules
  catalog   the Runtime release catalog: list, show VERSION, update

'runtime-lint COMMAND --help' shows a command's options.
Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage, config, I/O or catalog error.
runtime-lint {__version__}
"""


CATALOG_HELP = """usage: runtime-lint catalog list [options]
       runtime-lint catalog show VERSION [options]
       runtime-lint catalog update [options]

The catalog of Astro Runtime releases that the lifecycle rules read.

commands:
  list      a table of releases and their lifecycle status as of the day
  show      everything known about one release, with sources
  update    refresh the cached catalog from Astronomer's feed (or a saved feed file)

'runtime-lint catalog COMMAND --help' shows a command's options.
"""

_COMMON = (
    Opt("--as-of", "lint as of this day (default: today)", metavar="YYYY-MM-DD"),
    Opt("--config", "use this config file for every path", metavar="FILE"),
    Opt("--catalog", "use this catalog file", metavar="PATH"),
    Opt("--build-arg", "set a build argument, as docker build does (repeatable)", kind="append", metavar="KEY=VALUE"),
    Opt(
        "--astro-project", "treat paths as Astro projects (default: detect .astro/ beside the Dockerfile)", kind="bool"
    ),
    Opt(
        "--color",
        "colour: auto (on a terminal; NO_COLOR, FORCE_COLOR), always, never",
        choices=("auto", "always", "never"),
    ),
    Opt("--no-color", "plain text output (--color never)", kind="flag"),
)


def _check() -> Command:
    from runtime_lint.report import FORMATS

    return Command(
        "runtime-lint check",
        "Lint Dockerfiles (the default command: 'runtime-lint Dockerfile').",
        [("paths", "*", "files or folders (default: .); '-' reads stdin")],
        [
            *_COMMON,
            Opt("--format", "output format (default: text, or $RUNTIME_LINT_FORMAT)", choices=tuple(FORMATS)),
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


def _images() -> Command:
    return Command(
        "runtime-lint images",
        "List every base image with its Runtime version and lifecycle status.",
        [("paths", "*", "files or folders (default: .)")],
        [
            *_COMMON,
            Opt("--format", "table (default), json or csv", choices=("table", "json", "csv"), default="table"),
            Opt("--summary", "count the images of each support line and status (json: beside the list)", kind="flag"),
        ],
    )


def _upgrade() -> Command:
    return Command(
        "runtime-lint upgrade",
        "Plan the upgrade of every Astro Runtime image, and write it with --write.",
        [("paths", "*", "files or folders (default: .)")],
        [
            Opt(
                "--to",
                "latest, lts, airflow2, airflow3, a line (13, 3.1) or a version (13.11.0, 3.2-10) "
                "(default: lts for Airflow 2 images, latest for Airflow 3)",
                metavar="TARGET",
            ),
            *_COMMON,
            Opt("--format", "text (default) or json", choices=("text", "json"), default="text"),
            Opt("--write", "edit the Dockerfiles to make the plan", kind="flag"),
            Opt("--diff", "print the edit as a unified diff; write nothing", kind="flag"),
        ],
    )


def _explain() -> Command:
    return Command(
        "runtime-lint explain",
        "Print a rule's documentation.",
        [("code", "1", "a rule code (RL204) or name (patch-not-latest)")],
        [Opt("--format", "text (default) or json", choices=("text", "json"), default="text")],
    )


def _rules() -> Command:
    return Command(
        "runtime-lint rules",
        "List all rules.",
        [],
        [Opt("--format", "text (default) or json", choices=("text", "json"), default="text")],
    )


def _catalog_list() -> Command:
    return Command(
        "runtime-lint catalog list",
        "A table of Runtime releases and their lifecycle status as of the day.",
        [],
        [
            Opt("--format", "table (default) or json", choices=("table", "json"), default="table"),
            Opt("--line", "only this support line (12, 3.1)", metavar="LINE"),
            Opt("--status", "only releases with this status", choices=STATUSES),
            *[opt for opt in _COMMON if opt.dest in ("as_of", "config", "catalog", "color", "no_color")],
        ],
    )


def _catalog_show() -> Command:
    return Command(
        "runtime-lint catalog show",
        "Everything known about one release, with sources.",
        [("version", "1", "a Runtime version (12.6.0, 3.0-4)")],
        [Opt("--format", "text (default) or json", choices=("text", "json"), default="text"), *_COMMON[:3]],
    )


def _catalog_update() -> Command:
    return Command(
        "runtime-lint catalog update",
        "Refresh the cached catalog from Astronomer's feed (or a saved feed file).",
        [],
        [
            Opt("--url", "feed URL (default: the feed-url setting)", metavar="URL"),
            Opt("--from-file", "convert a saved feed file instead of downloading", metavar="FEED.json"),
            Opt("--complete", "with --from-file: the file is the whole feed (marks its lines complete)", kind="flag"),
            Opt("--output", "write here instead of the user cache", metavar="PATH"),
            Opt("--timeout", "seconds (default 30)", kind="number", default=30.0, metavar="SECONDS"),
            Opt("--config", "use this config file", metavar="FILE"),
            Opt("-q --quiet", "print nothing on success", kind="flag"),
        ],
    )


PARSERS = {
    "check": _check,
    "images": _images,
    "upgrade": _upgrade,
    "explain": _explain,
    "rules": _rules,
    "catalog list": _catalog_list,
    "catalog show": _catalog_show,
    "catalog update": _catalog_update,
}


def build_parser(command: str) -> Command:
    """The parser of one command (a name in PARSERS)."""
    make = PARSERS.get(command)
    if make is None:
        raise ArgError("catalog needs a command: list, show or update")
    return make()


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] in (["-h"], ["--help"], ["help"]):
        sys.stdout.write(OVERVIEW)
        return EXIT_OK
    if args_list[:1] in (["--version"], ["-V"]):
        sys.stdout.write(f"runtime-lint {__version__}\n")
        return EXIT_OK
    typo = _mistyped_command(args_list[0]) if args_list else None
    if typo is not None:
        sys.stderr.write(f"runtime-lint: error: {typo}\n")
        return EXIT_ERROR
    command = args_list[0] if args_list and args_list[0] in COMMANDS else "check"
    if args_list[:1] == [command]:
        args_list = args_list[1:]
    if command == "catalog":
        sub = args_list[0] if args_list else ""
        if sub in ("-h", "--help", ""):
            sys.stdout.write(CATALOG_HELP)
            return EXIT_OK if sub else EXIT_ERROR
        command, args_list = f"catalog {sub}", args_list[1:]
    try:
        parser = build_parser(command)
        args = parser.parse(args_list)
    except ArgError as bad_args:  # a name per exception type (scripts/hatch_build.py)
        shown = command if command in COMMANDS or (command.startswith("catalog ") and command[8:]) else "catalog"
        sys.stderr.write(f"runtime-lint: error: {bad_args} (see 'runtime-lint {shown} --help')\n")
        return EXIT_ERROR
    try:
        return _dispatch(command, args)
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


def _mistyped_command(word: str) -> str | None:
    """`chek svc`: not a command, not a path, but close to a command name: say so (else the word
    would be linted as a missing path). None when the word is a command, an option or a path."""
    if word in COMMANDS or word.startswith("-") or word == "-" or os.path.lexists(word):
        return None
    from runtime_lint.args import did_you_mean

    hint = did_you_mean(word, COMMANDS)
    return f"unknown command '{word}'{hint}" if hint else None


def _dispatch(command: str, args: Namespace) -> int:
    """Run one command (runtime_lint/commands/<name>.py): each returns the exit code. Each takes
    its typed view of `args` (runtime_lint/arguments.py; tests/test_arguments.py holds the views
    against the tables above)."""
    if command == "check":
        from runtime_lint.commands.check import cmd_check

        return cmd_check(args)
    if command == "images":
        from runtime_lint.commands.images import cmd_images

        return cmd_images(args)
    if command == "upgrade":
        from runtime_lint.commands.upgrade import cmd_upgrade

        return cmd_upgrade(args)
    if command == "explain":
        from runtime_lint.commands.explain import cmd_explain

        return cmd_explain(args)
    if command == "rules":
        from runtime_lint.commands.rules import cmd_rules

        return cmd_rules(args)
    if command == "catalog list":
        from runtime_lint.commands.catalog import cmd_list

        return cmd_list(args)
    if command == "catalog show":
        from runtime_lint.commands.catalog import cmd_show

        return cmd_show(args)
    from runtime_lint.commands.catalog import cmd_update

    return cmd_update(args)


def run() -> None:
    """The `runtime-lint` command: main(), then exit at once. A normal interpreter exit frees
    every module and object first, about 2 ms: a tenth of linting one file. Everything is
    written by then (files with `with`, `--output` closed, the standard streams flushed here)."""
    code = main()
    from runtime_lint.run import OUTPUTS

    for handle in OUTPUTS:
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
