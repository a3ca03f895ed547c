"""The typed view of each command's parsed arguments, for the type checker.

`args.Command.parse` returns an `args.Namespace`, whose attributes are set from the command's
option table in cli.py. Each command function declares which of these views it takes
(`cmd_check(args: CheckArgs)`), so mypy checks every attribute a command reads, and its type.
`tests/test_arguments.py` holds each view against its command's option table: the same names, and
the types the parser gives each kind of option (a flag is a bool, a repeatable option a list, an
option without a default `str | None`, ...).

Nothing imports this module at run time (only under TYPE_CHECKING): `typing` costs start-up,
and a Protocol checks nothing at run time anyway.
"""

from __future__ import annotations

from typing import Protocol


class ColorArgs(Protocol):
    """`--color` and `--no-color`."""

    color: str | None
    no_color: bool


class CatalogArgs(Protocol):
    """The options that pick the day, the config and the catalog."""

    as_of: str | None
    config: str | None
    catalog: str | None


class CommonArgs(ColorArgs, CatalogArgs, Protocol):
    """The options of every command that lints Dockerfiles (cli._COMMON)."""

    build_arg: list[str]
    astro_project: bool | None


class CheckArgs(CommonArgs, Protocol):
    paths: list[str]
    format: str | None
    output: str | None
    select: list[str] | None
    extend_select: list[str] | None
    ignore: list[str] | None
    fail_on: str | None
    exit_zero: bool
    stdin_filename: str | None
    quiet: bool
    statistics: bool
    fix: bool
    unsafe_fixes: bool
    diff: bool
    no_inline_ignores: bool
    automation_id: str | None


class ImagesArgs(CommonArgs, Protocol):
    paths: list[str]
    format: str
    summary: bool


class UpgradeArgs(CommonArgs, Protocol):
    paths: list[str]
    to: str | None
    format: str
    write: bool
    diff: bool


class ExplainArgs(Protocol):
    code: str
    format: str


class RulesArgs(Protocol):
    format: str


class CatalogListArgs(CatalogArgs, ColorArgs, Protocol):
    format: str
    line: str | None
    status: str | None


class CatalogShowArgs(CatalogArgs, Protocol):
    version: str
    format: str


class CatalogUpdateArgs(Protocol):
    url: str | None
    from_file: str | None
    complete: bool
    output: str | None
    timeout: float
    config: str | None
    quiet: bool


# The view of each command of cli.PARSERS (its keys), for the test that holds them together
VIEWS: dict[str, type] = {
    "check": CheckArgs,
    "images": ImagesArgs,
    "upgrade": UpgradeArgs,
    "explain": ExplainArgs,
    "rules": RulesArgs,
    "catalog list": CatalogListArgs,
    "catalog show": CatalogShowArgs,
    "catalog update": CatalogUpdateArgs,
}
