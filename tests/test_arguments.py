"""Each command's typed view of its arguments (runtime_lint/arguments.py) against its option table
(cli.PARSERS): the same names, and the type the parser gives each kind of option. mypy checks the
commands against the views; this checks the views against what parse() really returns."""

from __future__ import annotations

import inspect
import typing

import pytest

from runtime_lint import arguments, cli
from runtime_lint.args import Command, Opt

_POSITIONAL = {"*": "list[str]", "1": "str", "?": "str | None"}
_KIND = {"flag": "bool", "bool": "bool | None", "append": "list[str]", "csv": "list[str] | None", "number": "float"}


def _expected(opt: Opt) -> str:
    if opt.kind == "value":
        return "str" if isinstance(opt.default, str) else "str | None"
    return _KIND[opt.kind]


def _annotations(view: type) -> dict[str, str]:
    """Every attribute the view (with its bases) declares, with its annotation as written."""
    out: dict[str, str] = {}
    for klass in reversed(view.__mro__):
        out.update(inspect.get_annotations(klass))
    return out


def _parser(name: str) -> Command:
    return cli.build_parser(name)


def test_every_command_has_a_view() -> None:
    assert set(arguments.VIEWS) == set(cli.PARSERS)


@pytest.mark.parametrize("name", sorted(cli.PARSERS))
def test_view_names_what_the_parser_sets(name: str) -> None:
    parser = _parser(name)
    expected = {opt.dest: _expected(opt) for opt in parser.opts}
    expected.update({dest: _POSITIONAL[nargs] for dest, nargs, _ in parser.positionals})
    assert _annotations(arguments.VIEWS[name]) == expected


def _conforms(value: object, annotation: str) -> bool:
    simple = {"str": str, "bool": bool, "float": float}
    for part in annotation.split(" | "):
        if part == "None" and value is None:
            return True
        if part == "list[str]" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return True
        if part in simple and isinstance(value, simple[part]) and not (part == "float" and isinstance(value, bool)):
            return True
    return False


# Arguments that set every option of a command at least once (and its positionals)
_ARGV = {
    "check": "a b --as-of 2026-01-01 --config c --catalog k --build-arg A=1 --astro-project --color never "
    "--no-color --format json -o out --select RL1 --extend-select RL2 --ignore RL3 --fail-on error --exit-zero "
    "--stdin-filename s --quiet --statistics --fix --unsafe-fixes --diff --no-inline-ignores --automation-id x",
    "images": "a --as-of 2026-01-01 --config c --catalog k --build-arg A --no-astro-project --color always "
    "--no-color --format csv --summary",
    "upgrade": "a --to lts --as-of 2026-01-01 --config c --catalog k --build-arg A=1 --astro-project --color auto "
    "--no-color --format json --write --diff",
    "explain": "RL204 --format json",
    "rules": "--format json",
    "catalog list": "--format json --line 12 --status ended --as-of 2026-01-01 --config c --catalog k "
    "--color never --no-color",
    "catalog show": "12.6.0 --format json --as-of 2026-01-01 --config c --catalog k",
    "catalog update": "--url u --from-file f --complete --output o --timeout 5 --config c --quiet",
}


@pytest.mark.parametrize("name", sorted(cli.PARSERS))
@pytest.mark.parametrize("given", ["defaults", "every option"])
def test_parsed_values_have_the_views_types(name: str, given: str) -> None:
    parser = _parser(name)
    argv = _ARGV[name].split()
    if given == "defaults":
        argv = [word for word in argv if not word.startswith("-")][: sum(n == "1" for _, n, _ in parser.positionals)]
    parsed = vars(parser.parse(argv))
    annotations = _annotations(arguments.VIEWS[name])
    assert set(parsed) == set(annotations)
    wrong = {key: value for key, value in parsed.items() if not _conforms(value, annotations[key])}
    assert not wrong, f"not of the view's type: {wrong}"
    if given == "every option":
        unset = [opt.dest for opt in parser.opts if parsed[opt.dest] == opt.default]
        assert not unset, f"_ARGV leaves these at their default: {unset}"


def test_the_conformance_check_can_fail() -> None:
    assert not _conforms(None, "str")
    assert not _conforms(["a", 1], "list[str]")
    assert not _conforms(True, "float")
    assert _conforms(None, "list[str] | None")


def test_nothing_imports_the_views_at_run_time() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from runtime_lint.cli import main; main(['rules']); print('runtime_lint.arguments' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False"


def test_type_hints_resolve() -> None:
    for view in arguments.VIEWS.values():
        assert typing.get_type_hints(view)


@pytest.mark.parametrize("option", ["--build-arg", "--select"])
def test_a_parse_keeps_nothing_of_the_one_before(option: str) -> None:
    """Repeatable options start empty on every parse: main() called twice in one process (an
    editor integration, a test) must not lint the second run with the first run's --build-arg."""
    parser = _parser("check")
    first = parser.parse([option, "A=1"])
    again = cli.build_parser("check").parse([])
    assert getattr(first, option[2:].replace("-", "_")) == ["A=1"]
    assert getattr(again, option[2:].replace("-", "_")) in ([], None)
