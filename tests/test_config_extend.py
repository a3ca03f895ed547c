"""`extend = "../base.toml"`: inherit another config file's settings, as ruff's `extend` does.

The path is relative to the extending file; the extending file wins key by key, tables merge
(recursively), lists replace; chains work; a cycle, a missing base and a broken base are one line
and exit 2; the cache of parsed config files notices a change in any file of the chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, Result, one_error, write

from runtime_lint.config import SETTINGS

RT = "quay.io/astronomer/astro-runtime"
OLD = f"FROM {RT}:13.10.0-base\n"  # RL204 (warning) and RL103 (info)
DAY = ("--as-of", "2026-11-28")


def lint(cli: Cli, *args: str, cwd: Path) -> Result:
    return cli("check", *DAY, "--format", "json", *args, cwd=cwd)


def findings(result: Result) -> dict[str, list[tuple[str, str]]]:
    """path -> [(code, severity)]"""
    doc: dict[str, Any] = json.loads(result.out)
    return {f["path"].removeprefix("./"): [(x["code"], x["severity"]) for x in f["findings"]] for f in doc["files"]}


def test_extend_is_a_documented_setting() -> None:
    assert SETTINGS["extend"].kind is str and SETTINGS["extend"].default is None
    assert "relative" in SETTINGS["extend"].help
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert 'extend = "' in readme


def test_a_base_file_relative_to_the_extending_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "org" / "base.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../org/base.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    # run from elsewhere: the path is the extending file's, not the working folder's
    assert findings(lint(cli, "repo/Dockerfile", cwd=tmp_path)) == {"repo/Dockerfile": [("RL103", "info")]}


def test_the_extending_file_wins_key_by_key_and_tables_merge(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "base.toml",
        'ignore = ["RL103"]\nfail-on = "error"\nwarn-days = 30\n'
        '[severity]\nRL204 = "error"\nRL203 = "info"\n'
        '[per-file-ignores]\n"legacy/*" = ["RL2"]\n',
    )
    write(
        tmp_path / "repo" / ".runtime-lint.toml",
        'extend = "../base.toml"\nfail-on = "warning"\n'
        '[severity]\nRL204 = "info"\n'
        '[per-file-ignores]\n"old/*" = ["RL103"]\n',
    )
    write(tmp_path / "repo" / "Dockerfile", OLD)
    write(tmp_path / "repo" / "legacy" / "Dockerfile", OLD)
    write(tmp_path / "repo" / "old" / "Dockerfile", OLD)
    result = lint(cli, ".", cwd=tmp_path / "repo")
    # ignore (base) stays; severity RL204 is the extending file's; both per-file-ignores apply
    assert findings(result) == {
        "Dockerfile": [("RL204", "info")],
        "legacy/Dockerfile": [],
        "old/Dockerfile": [("RL204", "info")],
    }
    assert result.code == 0  # fail-on = "warning" (extending) over "error" (base): only info left


def test_lists_replace(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'ignore = ["RL204", "RL103"]\n')
    write(tmp_path / ".runtime-lint.toml", 'extend = "base.toml"\nignore = ["RL103"]\n')
    write(tmp_path / "Dockerfile", OLD)
    assert findings(lint(cli, "Dockerfile", cwd=tmp_path)) == {"Dockerfile": [("RL204", "warning")]}


def test_tables_merge_recursively() -> None:
    from runtime_lint.config import merge_tables

    base = {"a": {"x": 1, "deep": {"p": 1, "q": [1]}}, "l": [1, 2], "s": "base"}
    own = {"a": {"y": 2, "deep": {"q": [2]}}, "l": [3], "new": True}
    assert merge_tables(base, own) == {
        "a": {"x": 1, "deep": {"p": 1, "q": [2]}, "y": 2},
        "l": [3],
        "s": "base",
        "new": True,
    }
    assert base == {"a": {"x": 1, "deep": {"p": 1, "q": [1]}}, "l": [1, 2], "s": "base"}  # untouched


def test_a_chain(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "c.toml", 'ignore = ["RL103"]\n[severity]\nRL204 = "error"\n')
    write(tmp_path / "b" / "b.toml", 'extend = "../c.toml"\n[severity]\nRL204 = "info"\n')
    write(tmp_path / "a" / ".runtime-lint.toml", 'extend = "../b/b.toml"\nfail-on = "info"\n')
    write(tmp_path / "a" / "Dockerfile", OLD)
    result = lint(cli, "Dockerfile", cwd=tmp_path / "a")
    assert findings(result) == {"Dockerfile": [("RL204", "info")]}
    assert result.code == 1  # fail-on info, from a


def test_a_pyproject_extends_and_is_extended(cli: Cli, tmp_path: Path) -> None:
    # a base named pyproject.toml is read for its [tool.runtime-lint] table, as ruff does
    write(tmp_path / "pyproject.toml", '[project]\nname = "org"\n[tool.runtime-lint]\nignore = ["RL103"]\n')
    write(tmp_path / "repo" / "pyproject.toml", '[tool.runtime-lint]\nextend = "../pyproject.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    assert findings(lint(cli, "Dockerfile", cwd=tmp_path / "repo")) == {"Dockerfile": [("RL204", "warning")]}
    # a plain file extending a pyproject.toml, and a pyproject.toml extending a plain file
    write(tmp_path / "repo" / "pyproject.toml", '[tool.runtime-lint]\nextend = "../base.toml"\n')
    write(tmp_path / "base.toml", 'ignore = ["RL204"]\n')
    assert findings(lint(cli, "Dockerfile", cwd=tmp_path / "repo")) == {"Dockerfile": [("RL103", "info")]}


def test_a_pyproject_base_without_our_table_is_an_error(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "org"\n')
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../pyproject.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path / "repo"))
    assert "has no [tool.runtime-lint] table" in message, message


def test_a_cycle_is_one_line_naming_it(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extend = "b.toml"\n')
    write(tmp_path / "b.toml", 'extend = "./a.toml"\n')
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "--config", "a.toml", "Dockerfile", cwd=tmp_path))
    assert "extend cycle: a.toml -> b.toml -> a.toml" in message, message


def test_a_file_extending_itself(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'extend = ".runtime-lint.toml"\n')
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert "extend cycle: .runtime-lint.toml -> .runtime-lint.toml" in message, message


def test_a_missing_base_names_both_files(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../org/base.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path / "repo"))
    assert message.startswith("config .runtime-lint.toml: extend: "), message
    assert f"{tmp_path / 'org' / 'base.toml'}: cannot read: " in message, message


def test_a_broken_base_is_reported_with_its_own_path_and_line(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "base.toml", 'ignore = ["RL204"]\nfail-on = \n')
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../base.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    message = one_error(lint(cli, "repo/Dockerfile", cwd=tmp_path))  # from the parent: base.toml is short
    assert message.startswith("base.toml:2:11: invalid TOML: "), message


def test_an_unknown_key_in_a_base_names_the_base(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "base.toml", "colour = true\n")
    write(tmp_path / ".runtime-lint.toml", 'extend = "base.toml"\n')
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert "base.toml: unknown key(s): colour" in message, message


@pytest.mark.parametrize("value", ["1", '""', '["base.toml"]'])
def test_extend_must_be_a_path(cli: Cli, tmp_path: Path, value: str) -> None:
    write(tmp_path / ".runtime-lint.toml", f"extend = {value}\n")
    write(tmp_path / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path))
    assert "extend must be a path to a config file" in message, message


def test_a_catalog_in_a_base_is_relative_to_the_base(cli: Cli, tmp_path: Path) -> None:
    from runtime_lint.config import read_config

    write(tmp_path / "org" / "base.toml", 'catalog = "ops/catalog.json"\n')
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../org/base.toml"\n')
    config = read_config(str(tmp_path / "repo" / ".runtime-lint.toml"))
    assert config is not None
    assert config.values["catalog"] == str(tmp_path / "org" / "ops" / "catalog.json")
    assert "extend" not in config.values
    # the extending file's own catalog stays relative to the extending file
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../org/base.toml"\ncatalog = "mine.json"\n')
    config = read_config(str(tmp_path / "repo" / ".runtime-lint.toml"))
    assert config is not None and config.values["catalog"] == "mine.json"
    # and a run really reads the base's catalog from there
    write(tmp_path / "repo" / ".runtime-lint.toml", 'extend = "../org/base.toml"\n')
    write(tmp_path / "repo" / "Dockerfile", OLD)
    message = one_error(lint(cli, "Dockerfile", cwd=tmp_path / "repo"))
    assert str(tmp_path / "org" / "ops" / "catalog.json") in message, message


# The parsed-config cache keys on every file of the chain ----------------------------------------

PROBE = (
    "import sys\n"
    "from runtime_lint.cli import main\n"
    "code = main(['Dockerfile', '--as-of', '2026-11-28', '-q', '--format', 'concise'])\n"
    "print(code, 'tomllib' in sys.modules)\n"
)


def _probe(project: Path, cache: Path) -> str:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=project, env=env, capture_output=True, text=True)
    return proc.stdout.strip().splitlines()[-1]


def test_a_changed_base_is_read_again(tmp_path: Path) -> None:
    project, cache = tmp_path / "repo", tmp_path / "cache"
    write(project / "Dockerfile", f"FROM {RT}:13.11.0\n")
    write(project / "pyproject.toml", '[tool.runtime-lint]\nextend = "../org/base.toml"\n')
    write(tmp_path / "org" / "base.toml", "warn-days = 200\n")
    assert _probe(project, cache) == "1 True"  # RL203 with warn-days 200
    assert _probe(project, cache) == "1 False"  # both files from the cache
    write(tmp_path / "org" / "base.toml", "warn-days = 30\n")
    assert _probe(project, cache) == "0 True"  # the base changed: read again
    assert _probe(project, cache) == "0 False"


def test_a_symlinked_cycle_and_a_too_long_chain_stop(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extend = "link.toml"\n')
    (tmp_path / "link.toml").symlink_to(tmp_path / "a.toml")
    write(tmp_path / "Dockerfile", OLD)
    assert "extend cycle: a.toml -> link.toml" in one_error(lint(cli, "--config", "a.toml", "Dockerfile", cwd=tmp_path))
    for n in range(40):
        write(tmp_path / "long" / f"{n}.toml", f'extend = "{n + 1}.toml"\n')
    message = one_error(lint(cli, "--config", "long/0.toml", "Dockerfile", cwd=tmp_path))
    assert "more than 32 files in the chain" in message, message
