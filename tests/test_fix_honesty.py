"""Fixes that never mislead (issue 12, part 2): what a finding says its fix does is what `--fix`
(or `--fix --unsafe-fixes`) writes; a digest never stays under a new tag; "Fixed N" counts
reported findings; `--diff` shows the same edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

RT = "quay.io/astronomer/astro-runtime"
DIGEST = "sha256:" + "a" * 64
DAY = ("--as-of", "2026-11-28")


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    return path


def _findings(cli: Callable[..., Result], path: Path, *extra: str) -> list[dict[str, object]]:
    result = cli(str(path), *DAY, "--format", "json", *extra)
    assert result.code in (0, 1), result
    findings: list[dict[str, object]] = json.loads(result.out)["files"][0]["findings"]
    return findings


@pytest.mark.parametrize("version", ["12.6.0", "13.10.0"])
def test_a_digest_is_never_kept_under_a_new_tag(cli: Callable[..., Result], tmp_path: Path, version: str) -> None:
    path = _file(tmp_path, f"FROM {RT}:{version}@{DIGEST}\n")
    for finding in _findings(cli, path):
        fix = finding["fix"]
        assert isinstance(fix, dict)
        assert fix["safe"] is False, finding  # dropping the pin is never safe
        assert "drop the digest" in str(fix["description"]) and "pin the new one again" in str(fix["description"])
    safe = cli(str(path), *DAY, "--fix")
    assert path.read_text() == f"FROM {RT}:{version}@{DIGEST}\n", safe  # --fix alone touches nothing
    cli(str(path), *DAY, "--fix", "--unsafe-fixes")
    fixed = path.read_text()
    assert "@sha256" not in fixed and fixed == f"FROM {RT}:13.11.0\n"


def test_a_digest_without_a_tag_gets_no_pin(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = _file(tmp_path, f"FROM {RT}@{DIGEST}\n")
    (finding,) = _findings(cli, path)
    assert finding["code"] == "RL101"
    assert finding["fix"] is None  # which release the digest is, is unknown: a tag beside it could lie
    assert "add its tag" in str(finding["message"])


def test_the_report_says_which_fix_each_mode_applies(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = _file(tmp_path, f"FROM {RT}:12.6.0\n")
    by_code = {f["code"]: f["fix"] for f in _findings(cli, path)}
    rl202, rl204 = by_code["RL202"], by_code["RL204"]
    assert isinstance(rl202, dict) and isinstance(rl204, dict)
    assert (rl204["safe"], rl204["replaced_by"]) == (True, "RL202")
    assert (rl202["safe"], rl202["replaced_by"]) == (False, None)
    text = cli(str(path), *DAY).out
    assert "fix (safe): update to 12.12.0; --fix --unsafe-fixes applies RL202's fix instead" in text
    # and that is what each mode writes
    cli(str(path), *DAY, "--fix")
    assert path.read_text() == f"FROM {RT}:12.12.0\n"  # RL204's, as reported
    path.write_text(f"FROM {RT}:12.6.0\n")
    cli(str(path), *DAY, "--fix", "--unsafe-fixes")
    assert path.read_text() == f"FROM {RT}:13.11.0\n"  # RL202's, as reported


def test_rl105_writes_the_target_it_names(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = _file(tmp_path, "FROM quay.io/astronomer/ap-airflow:2.2.5-onbuild\n")
    (finding,) = _findings(cli, path)
    fix = finding["fix"]
    assert isinstance(fix, dict)
    assert f"move to {fix['replacement']} " in str(finding["message"])
    cli(str(path), *DAY, "--fix", "--unsafe-fixes")
    assert path.read_text() == f"FROM {fix['replacement']}\n"


def test_fixed_counts_the_reported_findings_that_are_gone(cli: Callable[..., Result], tmp_path: Path) -> None:
    # one ARG used by two FROMs: one edit, two reported findings fixed
    path = _file(tmp_path, f"ARG V=13.10.0\nFROM {RT}:${{V}} AS a\nFROM {RT}:${{V}}\n")
    result = cli(str(path), *DAY, "--fix")
    assert "Fixed 2 problems." in result.out, result
    # an unsafe run: RL202 and RL204 were reported, both are gone, and a second lint shows neither
    path = _file(tmp_path, f"FROM {RT}:12.6.0\n")
    result = cli(str(path), *DAY, "--fix", "--unsafe-fixes")
    assert "Fixed 2 problems." in result.out, result
    again = _findings(cli, path)
    assert not {"RL202", "RL204"} & {str(f["code"]) for f in again}


def test_diff_shows_what_fix_writes(cli: Callable[..., Result], tmp_path: Path) -> None:
    original = f"FROM {RT}:12.6.0@{DIGEST}\n"
    path = _file(tmp_path, original)
    diff = cli(str(path), *DAY, "--diff", "--unsafe-fixes").out
    assert f"-FROM {RT}:12.6.0@{DIGEST}" in diff and f"+FROM {RT}:13.11.0" in diff
    assert path.read_text() == original
