"""The habits users bring from ruff and hadolint: near misses are named, a missing path is only
its error, every command has its own help, a damaged cache is one warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result


@pytest.mark.parametrize(("typed", "meant"), [("chek", "check"), ("imagse", "images"), ("catlog", "catalog")])
def test_a_mistyped_command_is_named_and_nothing_else_is_printed(
    cli: Callable[..., Result], tmp_path: Path, typed: str, meant: str
) -> None:
    result = cli(typed, "svc", cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"runtime-lint: error: unknown command '{typed}': did you mean '{meant}'?\n"


def test_a_path_that_looks_like_a_command_is_still_a_path(cli: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "chek").write_text("FROM quay.io/astronomer/astro-runtime:13.11.0\n")
    result = cli("chek", "--as-of", "2026-11-28", cwd=tmp_path)
    assert result.code == 0, result


def test_a_mistyped_option_is_named(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("--formt", "json", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert "unrecognized option '--formt': did you mean '--format'?" in result.err


def test_a_missing_path_prints_only_its_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("nope/Dockerfile", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == "runtime-lint: error: nope/Dockerfile: no such file or directory\n"


def test_catalog_help_is_the_catalogs(cli: Callable[..., Result]) -> None:
    result = cli("catalog", "--help")
    assert result.code == 0
    assert result.out.startswith("usage: runtime-lint catalog list")
    assert "update" in result.out
    bare = cli("catalog")
    assert bare.code == 2 and "runtime-lint catalog show VERSION" in bare.out
    for sub in ("list", "show", "update"):
        own = cli("catalog", sub, "--help")
        assert own.code == 0 and own.out.startswith(f"usage: runtime-lint catalog {sub}"), own


def test_a_damaged_cache_is_one_warning_then_the_bundled_data(cli: Callable[..., Result], tmp_path: Path) -> None:
    import os

    cache = Path(os.environ["XDG_CACHE_HOME"]) / "runtime-lint" / "catalog.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("{not json")
    (tmp_path / "Dockerfile").write_text("FROM quay.io/astronomer/astro-runtime:13.11.0\n")
    result = cli("Dockerfile", "--as-of", "2026-11-28", cwd=tmp_path)
    assert result.code == 0, result
    warnings = [line for line in result.err.splitlines() if line.startswith("runtime-lint: warning: ")]
    assert len(warnings) == 1 and "not valid JSON" in warnings[0] and "bundled data" in warnings[0]
    assert "bundled release catalog" in result.out
