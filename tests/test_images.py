"""`runtime-lint images` (issue 14, item 6): Certified and OSS `apache/airflow` rows with their
Airflow version, the most precise Airflow version known, `--format csv` and `--summary`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, write
from jsonschema import Draft202012Validator

DAY = ("--as-of", "2026-11-28")
RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
HEADER = [
    "FILE",
    "LINE",
    "IMAGE",
    "RUNTIME",
    "AIRFLOW",
    "MAINTAINED UNTIL",
    "BASIC SUPPORT UNTIL",
    "STATUS",
    "LATEST",
]
SUMMARY_HEADER = ["SUPPORT LINE", "STATUS", "IMAGES"]

Cli = Callable[..., Result]


def _columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def _rows(result: Result) -> list[list[str]]:
    """The table's rows (header first), without the caption."""
    assert result.code == 0, result
    return [_columns(line) for line in result.out.splitlines() if line.strip() and not line.startswith("(")]


def _by_image(result: Result) -> dict[str, dict[str, str]]:
    header, *rows = _rows(result)
    assert header == HEADER
    return {row[2]: dict(zip(header, row, strict=True)) for row in rows}


def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("runtime_lint") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _assert_valid(schema: dict[str, Any], doc: Any) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors, "\n".join(errors[:20])


def _raw_stdout(*args: str, cwd: Path, env: dict[str, str] | None = None) -> bytes:
    """stdout as bytes: `text=True` would turn the CSV's CRLF into LF."""
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert proc.returncode == 0, proc
    return proc.stdout


# ------------------------------------------------------------------ Certified and OSS images


def test_certified_rows_show_retired_and_the_airflow_version_of_their_tag(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild AS a\n"
        "FROM astronomerinc/ap-airflow:1.10.12-1-alpine3.10-onbuild AS b\n"
        "FROM quay.io/astronomer/ap-airflow:2.4.3-6 AS c\n"
        "FROM quay.io/astronomer/ap-airflow:latest-onbuild AS d\n",
    )
    rows = _by_image(cli("images", ".", *DAY, cwd=tmp_path))
    expected = {
        "quay.io/astronomer/ap-airflow:2.3.4-onbuild": "2.3.4",
        "astronomerinc/ap-airflow:1.10.12-1-alpine3.10-onbuild": "1.10.12",
        "quay.io/astronomer/ap-airflow:2.4.3-6": "2.4.3",
        "quay.io/astronomer/ap-airflow:latest-onbuild": "unknown",  # the tag does not say
    }
    assert set(rows) == set(expected)
    for image, airflow in expected.items():
        row = rows[image]
        assert (row["RUNTIME"], row["AIRFLOW"], row["STATUS"]) == ("Astronomer Certified", airflow, "retired"), row
        assert (row["MAINTAINED UNTIL"], row["BASIC SUPPORT UNTIL"], row["LATEST"]) == ("-", "-", "-")


def test_oss_airflow_rows_are_named_as_such_with_their_airflow_version(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        "FROM apache/airflow:2.9.3-python3.11 AS a\n"
        "FROM docker.io/apache/airflow:3.0.2 AS b\n"
        "FROM apache/airflow:slim-2.10.5-python3.12 AS c\n"
        "FROM apache/airflow:latest AS d\n"
        "FROM python:3.12-slim\n",
    )
    rows = _by_image(cli("images", ".", *DAY, cwd=tmp_path))
    expected = {
        "apache/airflow:2.9.3-python3.11": "2.9.3",
        "docker.io/apache/airflow:3.0.2": "3.0.2",
        "apache/airflow:slim-2.10.5-python3.12": "2.10.5",
        "apache/airflow:latest": "unknown",
    }
    for image, airflow in expected.items():
        row = rows[image]
        assert (row["RUNTIME"], row["AIRFLOW"], row["STATUS"]) == ("apache/airflow (OSS)", airflow, "not-runtime"), row
    other = rows["python:3.12-slim"]  # not an Airflow image at all: nothing to say
    assert [other[k] for k in HEADER[3:]] == ["-"] * 6


def test_json_images_carry_the_airflow_version_and_match_the_schema(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild AS a\n"
        "FROM apache/airflow:2.9.3-python3.11 AS b\n"
        f"FROM {RT}:13.10.0 AS c\n"
        f"FROM {RT}:12.6.0 AS d\n"
        f"FROM {AF3}:3.1\n"
        "FROM c\n",
    )
    result = cli("images", ".", "--format", "json", *DAY, cwd=tmp_path)
    assert result.code == 0, result
    doc = json.loads(result.out)
    _assert_valid(_schema("images"), doc)
    assert doc["summary"] is None  # only with --summary
    (file,) = doc["files"]
    assert [i["airflow"] for i in file["images"]] == ["2.3.4", "2.9.3", "2.11.2", "2.10", None, None]
    assert [i["family"] for i in file["images"]] == ["certified", "airflow", "runtime", "runtime", "runtime", None]
    # check --format json has the same image objects, and its schema knows the new key
    report = json.loads(cli(".", "--format", "json", *DAY, cwd=tmp_path).out)
    _assert_valid(_schema("report"), report)
    assert report["files"][0]["images"] == file["images"]


# ------------------------------------------------------------------ full Airflow versions


def test_the_airflow_column_is_the_catalogs_most_precise_value(cli: Cli, tmp_path: Path) -> None:
    """The table prints the catalog's Airflow version as it is: the full patch where the catalog
    has it (13.10.0 -> 2.11.2), the minor only where no source gives the patch (12.6.0 -> 2.10)."""
    listed = json.loads(cli("catalog", "list", "--format", "json", *DAY, cwd=tmp_path).out)["releases"]
    airflow = {r["version"]: r["airflow"] for r in listed}
    assert airflow["13.10.0"] == "2.11.2" and airflow["11.8.0"] == "2.9.3" and airflow["12.6.0"] == "2.10"
    versions = sorted(airflow)
    write(
        tmp_path / "Dockerfile",
        "".join(f"FROM {AF3 if '-' in v else RT}:{v} AS s{k}\n" for k, v in enumerate(versions)),
    )
    _, *rows = _rows(cli("images", "Dockerfile", *DAY, cwd=tmp_path))
    shown = {row[3]: row[4] for row in rows}
    assert set(shown) == set(versions)
    for version in versions:
        assert shown[version] == (airflow[version] or "unknown"), version
    assert sum(1 for v in shown.values() if v.count(".") == 2) > 50  # full patches are shown as such


def test_an_airflow_version_no_source_gives_is_unknown(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        f"FROM {RT}:latest AS a\nFROM {AF3}:3.1 AS b\nFROM {RT}:99.0.0 AS c\nFROM {RT}:13.x AS d\nFROM scratch\n",
    )
    rows = _by_image(cli("images", ".", *DAY, cwd=tmp_path))
    assert {image: row["AIRFLOW"] for image, row in rows.items()} == {
        f"{RT}:latest": "unknown",
        f"{AF3}:3.1": "unknown",  # floating: which release, and so which Airflow, is not known
        f"{RT}:99.0.0": "unknown",
        f"{RT}:13.x": "unknown",
        "scratch": "-",  # not an Airflow image
    }
    assert rows[f"{AF3}:3.1"]["STATUS"] == "floating"


# ------------------------------------------------------------------------------- --format csv


def test_csv_has_the_tables_columns_and_rows(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / 'we,ird "dir"'
    write(
        folder / "Dockerfile",
        f"FROM {RT}:12.6.0 AS base\nFROM base\nFROM quay.io/astronomer/ap-airflow:2.3.4-onbuild\n",
    )
    write(tmp_path / "af3" / "Dockerfile", f"FROM {AF3}:3.1-14\n")
    table = _rows(cli("images", "af3", folder.name, *DAY, cwd=tmp_path))
    raw = _raw_stdout(
        "images", "af3", folder.name, "--format", "csv", *DAY, cwd=tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": "1"}
    )
    text = raw.decode("utf-8")
    assert "\x1b" not in text  # no colour, whatever the terminal
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # RFC 4180 line breaks
    assert '"we,ird ""dir""/Dockerfile"' in text  # RFC 4180 quoting
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == HEADER
    assert parsed == table  # the same cells as the table, row for row
    assert len(parsed) == 1 + 4
    assert [
        "af3/Dockerfile",
        "1",
        f"{AF3}:3.1-14",
        "3.1-14",
        "3.1",
        "2027-09-30",
        "2028-03-30",
        "supported",
        "3.1-21",
    ] in parsed
    certified = next(row for row in parsed if "ap-airflow" in row[2])
    assert certified[3:] == ["Astronomer Certified", "2.3.4", "-", "-", "retired", "-"]


def test_csv_output_of_the_examples(cli: Cli) -> None:
    root = Path(__file__).resolve().parent.parent
    result = cli("images", "examples/", "--format", "csv", *DAY, cwd=root)
    assert result.code == 0, result
    parsed = list(csv.reader(io.StringIO(result.out)))
    assert parsed[0] == HEADER
    assert len(parsed) == 1 + 5
    assert all(len(row) == len(HEADER) for row in parsed)


# --------------------------------------------------------------------------------- --summary


def _summary_folder(folder: Path) -> Path:
    write(folder / "a" / "Dockerfile", f"FROM {RT}:12.6.0\n")
    write(folder / "b" / "Dockerfile", f"FROM {RT}:12.6.0-python-3.11 AS base\nFROM base\n")  # stage refs: not images
    write(folder / "c" / "Dockerfile", f"FROM {RT}:12.12.0-base\n")
    write(folder / "d" / "Dockerfile", f"FROM {RT}:13.11.0\n")
    write(folder / "e" / "Dockerfile", f"FROM {RT}:9.1.0\n")  # yanked
    write(folder / "f" / "Dockerfile", f"FROM {AF3}:3.1-14\nFROM {AF3}:3.1-21-python-3.12\n")
    write(folder / "g" / "Dockerfile", "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild\n")
    write(folder / "h" / "Dockerfile", "FROM astronomerinc/ap-airflow:2.1.0-buster\n")
    write(folder / "i" / "Dockerfile", "FROM apache/airflow:2.9.3-python3.11\n")
    write(
        folder / "j" / "Dockerfile", "FROM python:3.12-slim AS build\nFROM quay.io/astronomer/astro-runtime:13.11.0\n"
    )
    write(folder / "k" / "Dockerfile", "ARG V\nFROM ${V}\n")
    return folder


SUMMARY = [
    ["Runtime 9", "yanked", "1"],
    ["Runtime 12", "basic-support", "3"],
    ["Runtime 13", "supported", "2"],
    ["Runtime 3.1", "supported", "2"],
    ["Astronomer Certified", "retired", "2"],
    ["apache/airflow (OSS)", "not-runtime", "1"],
    ["other image", "-", "1"],
    ["unknown", "unresolved", "1"],
]


def test_summary_counts_the_images_of_each_line_and_status(cli: Cli, tmp_path: Path) -> None:
    folder = _summary_folder(tmp_path)
    result = cli("images", ".", "--summary", *DAY, cwd=folder)
    header, *rows = _rows(result)
    assert header == SUMMARY_HEADER
    assert rows == SUMMARY
    assert "13 images in 11 files" in result.out  # stage references are not counted
    raw = _raw_stdout("images", ".", "--summary", "--format", "csv", *DAY, cwd=folder)
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert parsed == [SUMMARY_HEADER, *SUMMARY]


def test_summary_json_matches_the_schema_and_the_table(cli: Cli, tmp_path: Path) -> None:
    folder = _summary_folder(tmp_path)
    result = cli("images", ".", "--summary", "--format", "json", *DAY, cwd=folder)
    assert result.code == 0, result
    doc = json.loads(result.out)
    _assert_valid(_schema("images"), doc)
    summary = doc["summary"]
    assert summary["images"] == 13 and summary["files"] == 11
    got = [[r["label"], r["status"] or "-", str(r["images"])] for r in summary["rows"]]
    assert got == SUMMARY
    first = summary["rows"][0]
    assert (first["family"], first["line"], first["status"]) == ("runtime", "9", "yanked")
    certified = summary["rows"][4]
    assert (certified["family"], certified["line"]) == ("certified", None)
    assert len(doc["files"]) == 11  # the images are listed too


def test_summary_of_the_examples(cli: Cli) -> None:
    root = Path(__file__).resolve().parent.parent
    _, *rows = _rows(cli("images", "examples/", "--summary", *DAY, cwd=root))
    assert rows == [
        ["Runtime 11", "ended", "2"],
        ["Runtime 12", "basic-support", "1"],
        ["Runtime 3.0", "supported", "1"],
        ["Astronomer Certified", "retired", "1"],
    ]


@pytest.mark.parametrize("mutation", ["bad-status-type", "extra-key", "missing-rows"])
def test_the_summary_schema_can_fail(cli: Cli, tmp_path: Path, mutation: str) -> None:
    doc = json.loads(cli("images", ".", "--summary", "--format", "json", *DAY, cwd=_summary_folder(tmp_path)).out)
    summary = doc["summary"]
    if mutation == "bad-status-type":
        summary["rows"][0]["status"] = 3
    elif mutation == "extra-key":
        summary["rows"][0]["colour"] = "red"
    else:
        del summary["rows"]
    validator = Draft202012Validator(_schema("images"))
    assert list(validator.iter_errors(doc))
