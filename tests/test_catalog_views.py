"""What `images`, `catalog list` and `catalog show` say about the lifecycle (issue 11 examples)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from conftest import Result

from runtime_lint.release import FIELDS

DAY = ("--as-of", "2026-11-23")


def _columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_catalog_show_3_3_8_json(cli: Callable[..., Result]) -> None:
    result = cli("catalog", "show", "3.3-8", "--format", "json", *DAY)
    assert result.code == 0, result
    shown = json.loads(result.out)
    assert (shown["end_of_maintenance"], shown["end_of_basic_support"]) == ("2028-07-31", "2029-01-31")
    assert shown["default_python"] == "3.14"
    assert shown["python_versions"] == ["3.12", "3.13", "3.14"]
    assert shown["status"] == "supported"
    assert set(shown) == {f.name for f in FIELDS} | {"status", "latest_in_line"}


def test_catalog_show_text_labels_every_field_and_its_source(cli: Callable[..., Result]) -> None:
    result = cli("catalog", "show", "12.6.0", *DAY)
    assert result.code == 0, result
    lines = {line.split("  ")[0]: line for line in result.out.splitlines()}
    for field in FIELDS:
        if field.name != "sources":
            assert field.label in lines, field.label
    assert "2027-02-28" in lines["end of basic support"] and "[source: github:" in lines["end of basic support"]
    assert lines["released"].split()[-1] == "unknown"  # unknown stays unknown, and says so
    assert lines["yanked because"].split()[-1] == "-"  # not yanked: nothing to explain
    assert "basic-support" in lines["status"]


def test_images_show_both_dates_and_retired_certified_images(cli: Callable[..., Result], tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild AS old\nFROM quay.io/astronomer/astro-runtime:12.6.0\n"
    )
    result = cli("images", str(dockerfile), *DAY)
    assert result.code == 0, result
    header, certified, runtime = (_columns(line) for line in result.out.splitlines()[:3])
    assert header[5:8] == ["MAINTAINED UNTIL", "BASIC SUPPORT UNTIL", "STATUS"]
    assert certified[-2] == "retired"
    assert runtime[3:] == ["12.6.0", "2.10", "2026-02-28", "2027-02-28", "basic-support", "12.12.0"]


def test_catalog_list_shows_both_dates_and_filters_by_status(cli: Callable[..., Result]) -> None:
    result = cli("catalog", "list", "--line", "3.1", *DAY)
    assert result.code == 0, result
    header, *rows = (_columns(line) for line in result.out.splitlines() if line.strip() and not line.startswith("("))
    assert header[5:7] == ["MAINTAINED UNTIL", "BASIC SUPPORT UNTIL"]
    assert {tuple(row[5:7]) for row in rows} == {("2027-09-30", "2028-03-30")}
    basic = cli("catalog", "list", "--status", "basic-support", "--format", "json", *DAY)
    versions = {r["version"] for r in json.loads(basic.out)["releases"]}
    assert "12.6.0" in versions and "13.11.0" not in versions and "11.20.0" not in versions
