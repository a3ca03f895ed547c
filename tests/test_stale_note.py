"""The note that the catalog is old: once per run, and `catalog-max-age = 0` turns it off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Result

NOTE = "release catalog is 64 days old (data as of 2026-09-25)"  # as of 2026-11-28


def _project(tmp_path: Path, config: str = "") -> list[str]:
    paths = []
    for name in ("a", "b", "c"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "Dockerfile").write_text("FROM quay.io/astronomer/astro-runtime:13.11.0\n")
        paths.append(str(folder / "Dockerfile"))
    if config:
        (tmp_path / ".runtime-lint.toml").write_text(config)
    return paths


def test_the_note_is_printed_once_for_many_files(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli(*_project(tmp_path), "--as-of", "2026-11-28", cwd=tmp_path)
    assert result.code == 0, result
    assert result.err.count(NOTE) == 1, result.err


def test_a_max_age_of_zero_turns_the_note_off(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli(*_project(tmp_path, "catalog-max-age = 0\n"), "--as-of", "2026-11-28", cwd=tmp_path)
    assert result.code == 0, result
    assert "days old" not in result.err


def test_the_note_waits_for_max_age(cli: Callable[..., Result], tmp_path: Path) -> None:
    for max_age, notes in ((64, 0), (63, 1)):
        folder = tmp_path / str(max_age)
        folder.mkdir()
        result = cli(*_project(folder, f"catalog-max-age = {max_age}\n"), "--as-of", "2026-11-28", cwd=folder)
        assert result.err.count(NOTE) == notes, (max_age, result.err)
