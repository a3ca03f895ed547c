"""TOML errors in config files: one line naming the file, line and column, exit 2; a pyproject.toml
that never mentions runtime-lint is not ours, and stays ignored however broken it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, Result, one_error, write

RT = "quay.io/astronomer/astro-runtime"
OLD = f"FROM {RT}:13.10.0-base\n"  # RL204 (warning) and RL103 (info)
DAY = ("--as-of", "2026-11-28")


def lint(cli: Cli, *args: str, cwd: Path) -> Result:
    return cli("check", *DAY, "--format", "concise", *args, cwd=cwd)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # a malformed header: the table never opens, so the file used to be skipped as not ours
        ('[project]\nname = "x"\n\n[tool.runtime-lint\nignore = ["RL204"]\n', "pyproject.toml:4:19: invalid TOML: "),
        ('[tool.runtime-lint]\nignore = ["RL204"\n', "pyproject.toml:3:1: invalid TOML: "),
        ("[tool.runtime-lint]\nignore = = 1\n", "pyproject.toml:2:10: invalid TOML: "),
        # named only as a dependency, but broken: say so rather than guess
        ('[project]\nname = "x"\ndependencies = ["runtime-lint>=0.1",\n', "pyproject.toml:4:1: invalid TOML: "),
        ('[project]\nname = "x"\n[tool.runtime_lint]\nx = \n', "pyproject.toml:4:5: invalid TOML: "),
    ],
)
def test_broken_pyproject_that_mentions_us_is_one_line(cli: Cli, tmp_path: Path, text: str, where: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert message.startswith(where), message
    assert "(at line" not in message and "end of document" not in message


def test_broken_pyproject_that_does_not_mention_us_is_ignored(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project\nname = "not ours"\n')
    write(tmp_path / "sub" / "Dockerfile", OLD)
    result = lint(cli, "sub/Dockerfile", cwd=tmp_path)
    assert result.code == 0, result  # the parent's config applies: only RL103 (info) is left
    assert "RL103" in result.out and "RL204" not in result.out
    assert "error" not in result.err and "pyproject" not in result.err


@pytest.mark.parametrize("name", [".runtime-lint.toml", "given.toml"])
def test_broken_dedicated_config_names_line_and_column(cli: Cli, tmp_path: Path, name: str) -> None:
    write(tmp_path / name, 'select = ["RL2"]\nfail-on "error"\n')
    write(tmp_path / "Dockerfile", OLD)
    args = ("--config", name) if name == "given.toml" else ()
    message = one_error(lint(cli, *args, "Dockerfile", cwd=tmp_path))
    assert message.startswith(f"{name}:2:9: invalid TOML: "), message


def test_error_at_the_end_of_the_document_still_has_a_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'select = ["RL2"]\nfail-on =')
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert message.startswith(".runtime-lint.toml:2:10: invalid TOML: "), message


def test_a_config_outside_the_working_folder_is_named_in_full(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", "fail-on = \n")
    write(tmp_path / "work" / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path / "work"))
    assert message.startswith(f"{tmp_path / '.runtime-lint.toml'}:1:11: invalid TOML: "), message


def test_a_broken_explicit_pyproject_is_reported_even_without_our_name(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project\n")
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "--config", "pyproject.toml", "Dockerfile", cwd=tmp_path))
    assert message.startswith("pyproject.toml:1:9: invalid TOML: "), message


def test_a_valid_pyproject_naming_us_as_a_dependency_is_still_not_a_config(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["runtime-lint>=0.1"]\n')
    write(tmp_path / "sub" / "Dockerfile", OLD)
    for _ in range(2):  # the second run reads "not ours" from the cache
        result = lint(cli, "sub/Dockerfile", cwd=tmp_path)
        assert result.code == 0 and "RL204" not in result.out, result


# a misspelled table name: runtime-lint's table is [tool.runtime-lint]; a near spelling is not ignored


@pytest.mark.parametrize(
    ("text", "where", "table"),
    [
        ('[project]\nname = "x"\n\n[tool.runtime_lint]\nignore = ["RL204"]\n', "pyproject.toml:4:1", "runtime_lint"),
        ('[tool.runtimelint]\nselect = ["RL2"]\n', "pyproject.toml:1:1", "runtimelint"),
        (
            '[tool.black]\nx = 1\n  [ tool . "runtime-linter" ]\nfail-on = "error"\n',
            "pyproject.toml:3:3",
            "runtime-linter",
        ),
        ('[tool.runtime_lint.severity]\nRL204 = "error"\n', "pyproject.toml:1:1", "runtime_lint"),
        ('[tool]\nruntime_lint = { ignore = ["RL204"] }\n', "pyproject.toml:2:1", "runtime_lint"),
        ('tool.runtime_lint.ignore = ["RL204"]\n', "pyproject.toml:1:1", "runtime_lint"),
        # beside the right table, the misspelled one would still be silently dropped
        (
            '[tool.runtime-lint]\nfail-on = "error"\n[tool.runtime_lint]\nignore = ["RL204"]\n',
            "pyproject.toml:3:1",
            "runtime_lint",
        ),
    ],
)
def test_a_misspelled_table_is_one_line_naming_the_right_one(
    cli: Cli, tmp_path: Path, text: str, where: str, table: str
) -> None:
    write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "Dockerfile", OLD)
    for _ in range(2):  # the second run must not take "not ours" from the cache
        message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
        assert message.startswith(f"{where}: "), message
        assert f"[tool.{table}]" in message and "write [tool.runtime-lint]" in message, message
    message = one_error(lint(cli, "--config", "pyproject.toml", "Dockerfile", cwd=tmp_path))
    assert message.startswith(f"{where}: ") and "write [tool.runtime-lint]" in message, message


def test_a_misspelled_table_in_a_folders_pyproject_below_the_working_folder(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "svc" / "pyproject.toml", '[tool.runtime_lint]\nignore = ["RL204"]\n')
    write(tmp_path / "svc" / "Dockerfile", OLD)
    message = one_error(lint(cli, "svc/Dockerfile", cwd=tmp_path))
    assert message.startswith(f"{Path('svc/pyproject.toml')}:1:1: "), message


def test_a_cache_written_before_the_misspelling_was_an_error_is_not_used(cli: Cli, tmp_path: Path) -> None:
    """Earlier versions cached such a pyproject.toml as "not ours": that entry must not hide the error."""
    import marshal
    import os

    text = b'[tool.runtime_lint]\nignore = ["RL204"]\n'
    write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "Dockerfile", OLD)
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "runtime-lint" / "config-cache.marshal"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(marshal.dumps({f"{(tmp_path / 'pyproject.toml').resolve()}\0False": (text, None)}))
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert message.startswith("pyproject.toml:1:1: "), message


@pytest.mark.parametrize("text", ["[tool.ruff]\nline-length = 100\n", '[project]\nname = "runtime_linting_tools"\n'])
def test_other_tables_are_not_misspellings(cli: Cli, tmp_path: Path, text: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "Dockerfile", OLD)
    result = lint(cli, "Dockerfile", cwd=tmp_path)
    assert result.code == 1 and "RL204" in result.out and "error" not in result.err, result
