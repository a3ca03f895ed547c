"""Configuration files, discovery, flags over files, and errors that name what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, Result, write

RT = "quay.io/astronomer/astro-runtime"
OLD = f"FROM {RT}:13.10.0-base\n"  # RL204 (warning) and RL103 (info)


def found_codes(result: Result) -> list[str]:
    import json

    doc = json.loads(result.out)
    return [f["code"] for file in doc["files"] for f in file["findings"]]


def check(cli: Cli, *args: str, cwd: Path, as_of: bool = True) -> Result:
    """Lint as of 2026-11-28 unless the config under test sets as-of itself."""
    day = ["--as-of", "2026-11-28"] if as_of else []
    return cli("check", *day, "--format", "json", *args, cwd=cwd)


def test_runtime_lint_toml_is_found_upwards(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "a" / "b" / "Dockerfile", OLD)
    result = check(cli, "a/b/Dockerfile", cwd=tmp_path)
    assert found_codes(result) == ["RL103"]
    assert result.code == 0  # only an info finding left; fail-on is warning


def test_nearest_config_wins_per_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "team" / "pyproject.toml", '[project]\nname = "x"\n\n[tool.runtime-lint]\nignore = ["RL103"]\n')
    write(tmp_path / "Dockerfile", OLD)
    write(tmp_path / "team" / "Dockerfile", OLD)
    result = check(cli, ".", cwd=tmp_path)
    import json

    by_file = {f["path"]: [x["code"] for x in f["findings"]] for f in json.loads(result.out)["files"]}
    assert by_file == {"Dockerfile": ["RL103"], "team/Dockerfile": ["RL204"]}


def test_pyproject_without_our_table_is_skipped(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "unrelated"\n')
    write(tmp_path / "sub" / "Dockerfile", OLD)
    assert found_codes(check(cli, "sub/Dockerfile", cwd=tmp_path)) == ["RL103"]


def test_dot_file_wins_over_pyproject_in_the_same_folder(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "pyproject.toml", '[tool.runtime-lint]\nignore = ["RL103"]\n')
    write(tmp_path / "Dockerfile", OLD)
    assert found_codes(check(cli, "Dockerfile", cwd=tmp_path)) == ["RL103"]


def test_explicit_config_and_flags_win(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    other = write(tmp_path / "other.toml", 'select = ["RL204"]\n')
    write(tmp_path / "Dockerfile", OLD)
    assert found_codes(check(cli, "--config", str(other), "Dockerfile", cwd=tmp_path)) == ["RL204"]
    assert found_codes(check(cli, "--select", "RL103", "Dockerfile", cwd=tmp_path)) == ["RL103"]
    assert found_codes(
        check(cli, "--extend-select", "ALL", "--ignore", "RL103,RL301,RL302,RL303", "Dockerfile", cwd=tmp_path)
    ) == ["RL204"]


def test_selectors_by_prefix_and_name(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", OLD)
    assert found_codes(check(cli, "--select", "RL2", "Dockerfile", cwd=tmp_path)) == ["RL204"]
    assert found_codes(check(cli, "--select", "image-flavor", "Dockerfile", cwd=tmp_path)) == ["RL103"]


def test_settings_from_config(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / ".runtime-lint.toml",
        'as-of = "2025-09-01"\nwarn-days = 30\nfail-on = "error"\nflavor = "any"\n'
        '[severity]\nRL204 = "info"\n[per-file-ignores]\n"legacy/*" = ["RL2"]\n',
    )
    write(tmp_path / "Dockerfile", f"FROM {RT}:11.6.0-base\n")
    write(tmp_path / "legacy" / "Dockerfile", f"FROM {RT}:11.6.0\n")
    result = check(cli, ".", cwd=tmp_path, as_of=False)
    import json

    doc = json.loads(result.out)
    assert doc["as_of"] == "2025-09-01"
    by_file = {f["path"]: [(x["code"], x["severity"]) for x in f["findings"]] for f in doc["files"]}
    # 60 days to end of maintenance > warn-days 30: no RL203; RL204 lowered to info
    assert by_file == {"Dockerfile": [("RL204", "info")], "legacy/Dockerfile": []}
    assert result.code == 0


def test_policy_rule_enabled_by_its_setting(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'allowed-registries = ["quay.io"]\nminimum-version = "12.0.0"\n')
    # 11.20.0 is the newest 11.x (no RL204); Runtime 11's basic support ended 2026-10-31 (RL207)
    write(tmp_path / "Dockerfile", f"FROM python:3.12 AS x\nFROM {RT}:11.20.0\n")
    assert sorted(set(found_codes(check(cli, "Dockerfile", cwd=tmp_path)))) == ["RL207", "RL301", "RL303"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("colour = true\n", "unknown key(s): colour"),
        ('select = ["RL999"]\n', "unknown rule code or name 'RL999'"),
        ('fail-on = "sometimes"\n', "fail-on must be one of"),
        ('flavor = "slim"\n', "flavor must be one of"),
        ("warn-days = -1\n", "warn-days must be a whole number"),
        ('as-of = "yesterday"\n', "as-of must be a date"),
        ('required-channel = "nightly"\n', "required-channel must be"),
        ('minimum-version = "twelve"\n', "minimum-version must be"),
        ('[severity]\nRL204 = "fatal"\n', "severity of RL204"),
        ('select = ["RL301"]\n', "needs the 'allowed-registries' setting"),
        ("this is not toml\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(cli: Cli, tmp_path: Path, config: str, message: str) -> None:
    write(tmp_path / ".runtime-lint.toml", config)
    write(tmp_path / "Dockerfile", OLD)
    result = check(cli, "Dockerfile", cwd=tmp_path, as_of=False)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert message in lines[0]
    assert ".runtime-lint.toml" in lines[0] or "settings" in lines[0]
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "RL999"], "unknown rule code or name 'RL999'"),
        (["--fail-on", "sometimes"], "--fail-on must be one of"),
        (["--as-of", "2026-13-01"], "as-of must be a date"),
        (["--colour"], "unrecognized option '--colour'"),
        (["--config", "missing.toml"], "cannot read"),
        (["--config", "pyproject.toml"], "has no [tool.runtime-lint] table"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "Dockerfile", OLD)
    result = cli("check", *args, "Dockerfile", cwd=tmp_path)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err


def test_pyproject_naming_runtime_lint_as_a_dependency_is_not_a_config(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".runtime-lint.toml", 'ignore = ["RL204"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["runtime-lint>=0.1"]\n')
    write(tmp_path / "sub" / "Dockerfile", OLD)
    assert found_codes(check(cli, "sub/Dockerfile", cwd=tmp_path)) == ["RL103"]
    write(
        tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n\n[tool."runtime-lint".severity]\nRL103 = "off"\n'
    )
    assert found_codes(check(cli, "sub/Dockerfile", cwd=tmp_path)) == ["RL204"]
