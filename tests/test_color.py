"""`--color auto|always|never`, `--no-color`, NO_COLOR and FORCE_COLOR.

Precedence: the option (`--no-color` is `--color never`, and wins over `--color`) > NO_COLOR (any
non-empty value: never, https://no-color.org) > FORCE_COLOR (non-empty: always) > auto (colour
on a terminal). A report written with --output is coloured only with `--color always`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write

from runtime_lint.args import Namespace
from runtime_lint.cli import main
from runtime_lint.commands import color
from runtime_lint.run import use_color

PATCH = "FROM quay.io/astronomer/astro-runtime:13.10.0\n"  # RL204 warning
DAY = ("--as-of", "2026-11-28")
ESC = "\x1b["


@pytest.fixture(autouse=True)
def _in_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    write(tmp_path / "Dockerfile", PATCH)
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):  # conftest sets NO_COLOR=1: each test says what it wants
        monkeypatch.delenv(name, raising=False)
    yield


def check(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", "Dockerfile", *DAY, *args])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "RL204" in out
    return out


def colored(capsys: pytest.CaptureFixture[str], *args: str) -> bool:
    return ESC in check(capsys, *args)


def test_auto_is_plain_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert not colored(capsys)
    assert not colored(capsys, "--color", "auto")


def test_auto_colours_a_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert colored(capsys)
    assert colored(capsys, "--color=auto")
    assert not colored(capsys, "--color", "never")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colored(capsys)


def test_always_and_never(capsys: pytest.CaptureFixture[str]) -> None:
    assert colored(capsys, "--color", "always")
    assert not colored(capsys, "--color", "never")


def test_no_color_env_means_never(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "yes")  # any non-empty value
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR comes first
    assert not colored(capsys)
    monkeypatch.setenv("NO_COLOR", "")  # empty: as if unset
    assert colored(capsys)


def test_force_color_env_means_always(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert colored(capsys)
    monkeypatch.setenv("FORCE_COLOR", "")
    assert not colored(capsys)


def test_the_option_beats_the_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert colored(capsys, "--color", "always")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not colored(capsys, "--color", "never")
    assert not colored(capsys, "--no-color")


def test_no_color_flag_is_never_and_wins(capsys: pytest.CaptureFixture[str]) -> None:
    assert not colored(capsys, "--no-color")
    assert not colored(capsys, "--color", "always", "--no-color")
    assert not colored(capsys, "--no-color", "--color", "always")


def test_a_bad_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "Dockerfile", *DAY, "--color", "sometimes"]) == 2
    err = capsys.readouterr().err
    assert "--color" in err and "sometimes" in err


def test_output_files_only_with_always(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # set for a coloured CI log: the report file stays plain
    report = tmp_path / "report.txt"
    assert main(["check", "Dockerfile", *DAY, "-o", str(report)]) == 1
    assert ESC not in report.read_text(encoding="utf-8")
    assert main(["check", "Dockerfile", *DAY, "-o", str(report), "--color", "always"]) == 1
    assert ESC in report.read_text(encoding="utf-8")
    capsys.readouterr()


def test_machine_formats_are_never_coloured(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "sarif", "github", "gitlab", "checkstyle", "junit"):
        assert main(["check", "Dockerfile", *DAY, "--format", fmt, "--color", "always"]) == 1
        assert ESC not in capsys.readouterr().out, fmt


@pytest.mark.parametrize(
    "command",
    [
        ["images", "Dockerfile", *DAY],
        ["catalog", "list", *DAY, "--line", "13"],
    ],
)
def test_tables_take_the_option_too(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--color", "always"]) == 0
    assert ESC in capsys.readouterr().out
    assert main([*command, "--color", "never"]) == 0
    assert ESC not in capsys.readouterr().out
    assert main([*command, "--no-color"]) == 0  # still taken (catalog list: its own subset of options)
    assert ESC not in capsys.readouterr().out


def test_catalog_show_takes_no_colour_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "show", "13.10.0", "--color", "always"]) == 2
    capsys.readouterr()


def test_use_color_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    def decide(**options: object) -> bool:
        output = options.pop("output", None)
        view = Namespace(**{"color": None, "no_color": False, **options})
        return color(view, output if isinstance(output, str) else None)

    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert decide() is False
    assert decide(color="always") is True
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert decide() is True
    assert decide(output="report.txt") is False
    assert decide(color="always", output="report.txt") is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert decide() is False
    assert decide(color="always") is True
    assert decide(color="always", no_color=True) is False
    assert use_color() is False  # a command without the options: NO_COLOR decides
