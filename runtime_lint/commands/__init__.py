"""The commands of the runtime-lint CLI, one module each (as pre-commit's `commands/`): a
function taking its typed arguments (runtime_lint/arguments.py) and returning the exit code.

Here: what the linting commands make of the options they share (`cli._COMMON`), so that each
turns them into the run's plain values (runtime_lint/run.py) the same way.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import ColorArgs, CommonArgs
    from runtime_lint.run import Linter


def overrides(args: CommonArgs) -> dict[str, Any]:
    """The settings the shared options give, by config key, over every config file's."""
    over: dict[str, Any] = {}
    if args.as_of is not None:
        from runtime_lint.config import parse_day

        over["as-of"] = parse_day(args.as_of, "--as-of")
    if args.catalog is not None:
        over["catalog"] = args.catalog
    if args.astro_project is not None:
        over["astro-project"] = args.astro_project
    return over


def make_linter(args: CommonArgs, extra: dict[str, Any] | None = None) -> Linter:
    """The run's Linter from the shared options, and `extra` settings of the command's own."""
    from runtime_lint.run import Linter, build_args

    return Linter(args.config, {**overrides(args), **(extra or {})}, build_args(args.build_arg))


def color(args: ColorArgs, output: str | None = None) -> bool:
    """Whether to colour: `--no-color` wins over `--color`; see run.use_color for the rest."""
    from runtime_lint.run import use_color

    return use_color("never" if args.no_color else args.color or "auto", output)
