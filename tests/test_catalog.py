"""The bundled release catalog: true to its sources in data/sources/, rebuilt by the repo's own
script, and the lifecycle model (line values, existence bounds, inference, upgrade targets)."""

from __future__ import annotations

import calendar
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from runtime_lint import catalog as catalog_mod
from runtime_lint.data import bundled
from runtime_lint.release import (
    BASIC_SUPPORT,
    ENDED,
    ENDING_SOON,
    FIELDS,
    PER_LINE,
    SUPPORTED,
    UNKNOWN,
    YANKED,
    Release,
)

SOURCES = ROOT / "data" / "sources"
RELEASES_JSON = SOURCES / "astro-runtime-releases.json"
BUILD = ROOT / "scripts" / "build_catalog.py"
CATALOG = catalog_mod.bundled()
INPUT: list[dict[str, Any]] = json.loads(RELEASES_JSON.read_text(encoding="utf-8"))
# What anyone can look up: a commit of a public repository, a URL, or a public file on GitHub whose
# repository was not recorded (astro-runtime-facts.md, "Citations"), or a value derived from the line.
CITABLE = re.compile(
    r"github:[\w.-]+/[\w.-]+@[0-9a-f]{7,40} |https?://|(a )?public \w+ on GitHub|derived from the line"
)


def get(version: str) -> Release:
    release = CATALOG.get(version)
    assert release is not None, version
    return release


# 1. the data lives in the repository and rebuilds ---------------------------------------------


def test_bundled_catalog_is_what_the_build_script_makes() -> None:
    proc = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_bundled_module_is_the_json_file() -> None:
    data = json.loads((ROOT / "runtime_lint" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert data["generated"] == bundled.GENERATED
    assert data["source"] == bundled.SOURCE
    assert data["feed_schema"] == bundled.FEED_SCHEMA
    assert tuple(data["complete_lines"]) == bundled.COMPLETE_LINES
    assert data["releases"] == list(bundled.RELEASES)
    assert data["fields"] == [f.name for f in FIELDS]


def test_the_sources_have_their_provenance() -> None:
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    for path in SOURCES.glob("*.json"):
        assert path.name in readme
    assert "fc27cd1d495e5ecc0217310b6da5a10f1d97b04d" in readme  # where the feed cut stands


def test_nothing_in_the_repository_reads_the_shared_folder() -> None:
    # the research folder beside the checkout, spelled in parts so that this file passes its own check
    folder_name = "sha" + "red"
    forbidden = (f"../{folder_name}", f'"{folder_name}"')
    for folder in ("runtime_lint", "scripts", "tests", "benchmarks", ".ci", ".github"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ""):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert not any(word in text for word in forbidden), path


def test_every_release_and_field_of_the_sources_is_in_the_catalog() -> None:
    assert len(CATALOG) == len(INPUT) == 204
    for entry in INPUT:
        release = get(entry["version"])
        assert release.source == entry["source"]
        assert release.note == entry["note"]
        assert release.airflow == entry["airflow"]
        assert release.yanked == bool(entry.get("yanked"))
        assert release.yanked_reason == entry.get("yanked_reason")
        assert release.python_versions == (tuple(entry["python_versions"]) if entry["python_versions"] else None) or (
            entry["python_versions"] == [] and release.python_versions == ()
        )
        assert release.default_python == entry["default_python"]
        assert release.lts == entry["lts"]
        assert release.channel == entry["channel"]
        assert release.feed_channel == entry["feed_channel"]
        for key in ("release_date", "first_seen", "end_of_maintenance", "end_of_basic_support"):
            value = entry[key]
            got = getattr(release, key)
            if value is None:
                assert got is None, (entry["version"], key)
            elif len(value) == 10:  # a full date is kept verbatim
                assert got == date.fromisoformat(value), (entry["version"], key)
            else:  # a month means its last day
                assert (got.year, got.month) == tuple(int(p) for p in value.split("-")), (entry["version"], key)
                assert got.day == calendar.monthrange(got.year, got.month)[1]
        for key, source in entry["field_sources"].items():
            assert release.sources[key] == source


def test_every_source_is_citable() -> None:
    assert CITABLE.search(CATALOG.source)
    for release in CATALOG.all():
        assert CITABLE.search(release.source), (release.version, release.source)
        for field, source in release.sources.items():
            assert CITABLE.search(source), (release.version, field, source)


def test_every_field_is_declared_once_and_read_back() -> None:
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    for release in CATALOG.all():
        assert set(release.to_json()) == set(names)
        again = catalog_mod.from_json(catalog_mod.to_json(CATALOG)).get(release.version)
        assert again is not None and again.to_json() == release.to_json()


# 2. the build script --------------------------------------------------------------------------


def build(tmp_path: Path, entries: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "releases.json"
    source.write_text(json.dumps(entries), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(BUILD), str(source), "-o", str(tmp_path / "catalog.json")],
        capture_output=True,
        text=True,
    )


def entry(version: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": version,
        "airflow": "3.1",
        "channel": None,
        "lts": None,
        "feed_channel": None,
        "release_date": None,
        "first_seen": None,
        "end_of_maintenance": None,
        "end_of_basic_support": None,
        "python_versions": None,
        "default_python": None,
        "source": "https://example.org/notes",
        "field_sources": {},
        "note": "",
    }
    return base | fields


def test_build_turns_months_into_last_days_and_keeps_full_dates(tmp_path: Path) -> None:
    proc = build(tmp_path, [entry("3.1-1", end_of_maintenance="2028-02", end_of_basic_support="2027-10-30")])
    assert proc.returncode == 0, proc.stderr
    (release,) = json.loads((tmp_path / "catalog.json").read_text())["releases"]
    assert release["end_of_maintenance"] == "2028-02-29"  # a leap year's February
    assert release["end_of_basic_support"] == "2027-10-30"  # a feed date, not a month end


def test_build_applies_the_line_values_and_says_so(tmp_path: Path) -> None:
    proc = build(
        tmp_path,
        [entry("3.1-1", end_of_maintenance="2027-09-30", lts=False, channel="Stable"), entry("3.1-2")],
    )
    assert proc.returncode == 0, proc.stderr
    first, second = json.loads((tmp_path / "catalog.json").read_text())["releases"]
    for field in PER_LINE:
        assert second[field.name] == first[field.name]
    assert second["sources"]["end_of_maintenance"].startswith("derived from the line 3.1: 3.1-1, https://example.org")
    assert second["end_of_basic_support"] is None  # unknown stays unknown


@pytest.mark.parametrize(
    ("entries", "error"),
    [
        ([entry("3.1-1", end_of_maintenance="2027-09"), entry("3.1-2", end_of_maintenance="2027-10")], "disagree"),
        ([entry("3.1-1", colour="blue")], "undeclared field(s) colour"),
        ([entry("3.1-1"), entry("3.1-1")], "listed twice"),
        ([entry("3.1-1", release_date="2027-13-01")], "not a YYYY-MM-DD date"),
    ],
)
def test_build_refuses_inconsistent_input(tmp_path: Path, entries: list[dict[str, Any]], error: str) -> None:
    proc = build(tmp_path, entries)
    assert proc.returncode != 0
    assert error in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "catalog.json").exists()


# 3. facts from Astronomer's data --------------------------------------------------------------


def test_lifecycle_facts_of_the_lines_teams_run() -> None:
    assert (get("12.6.0").end_of_maintenance, get("12.6.0").end_of_basic_support) == (
        date(2026, 2, 28),
        date(2027, 2, 28),
    )
    assert get("13.11.0").end_of_maintenance == date(2027, 4, 30)
    assert (get("3.3-8").end_of_maintenance, get("3.3-8").end_of_basic_support) == (
        date(2028, 7, 31),
        date(2029, 1, 31),
    )
    assert get("3.3-8").default_python == "3.14"
    assert get("3.0-18").python_versions == ("3.11", "3.12")
    assert get("3.1-8").yanked and get("3.1-8").yanked_reason
    assert {get(v).channel for v in ("12.0.0", "13.0.0")} == {"LTS"}
    assert {get(v).channel for v in ("3.0-1", "3.1-1", "3.2-1", "3.3-1")} == {"Stable"}


def test_complete_lines_are_the_ones_the_release_notes_list_in_full() -> None:
    assert CATALOG.complete_lines == {"3", "5", "6", "7", "8", "9", "10"}  # not 4 (no 4.2.2/4.2.3), not 11


def test_status_as_of_a_day() -> None:
    release = get("12.6.0")
    assert release.status(date(2025, 6, 1), 90) == SUPPORTED
    assert release.status(date(2026, 1, 1), 90) == ENDING_SOON
    assert release.status(date(2026, 2, 28), 90) == ENDING_SOON
    assert release.status(date(2026, 3, 1), 90) == BASIC_SUPPORT
    assert release.status(date(2027, 2, 28), 90) == BASIC_SUPPORT
    assert release.status(date(2027, 3, 1), 90) == ENDED
    assert get("3.1-8").status(date(2026, 1, 1), 90) == YANKED
    nothing = Release("14.0.0")
    assert nothing.status(date(2026, 1, 1), 90) == UNKNOWN


# 4. when a release exists --------------------------------------------------------------------


def test_a_dated_release_exists_from_its_day() -> None:
    release = get("13.11.0")  # released 2026-09-17
    assert CATALOG.exists(release, date(2026, 9, 16)) is False
    assert CATALOG.exists(release, date(2026, 9, 17)) is True


def test_an_undated_release_has_bounds_from_its_line() -> None:
    # 12.8.0 has no release date: after 12.0.0 (2024-08-16), first seen in use on 2025-07-07
    release = get("12.8.0")
    assert (release.earliest, release.certain) == (date(2024, 8, 16), date(2025, 7, 7))
    assert CATALOG.exists(release, date(2024, 8, 15)) is False
    assert CATALOG.exists(release, date(2025, 1, 1)) is None  # it may or may not be out
    assert CATALOG.exists(release, date(2025, 7, 7)) is True


def test_an_uncertain_release_is_never_a_target_nor_the_latest() -> None:
    day = date(2025, 1, 1)
    latest = CATALOG.latest(get("12.0.0"), day)
    assert latest is not None
    assert CATALOG.exists(latest, day) is True
    assert all(CATALOG.exists(r, day) is not True for r in CATALOG.line(2, "12") if r.key > latest.key)
    target = CATALOG.upgrade_target(2, day)
    assert target is not None and target.release_date is not None and target.release_date <= day


# 5. versions the catalog does not list --------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "inferred"),
    [
        ("12.3.1", "between"),  # line 12 is known in part
        ("13.12.0", "newer"),
        ("3.3-9", "newer"),
        ("3.4-1", "newer"),  # a line newer than every one the catalog knows
        ("14.0.0", "newer"),
        ("4.2.2", "between"),  # line 4 lacks 4.2.2 and 4.2.3 in the notes
        ("10.80.0", None),  # line 10 is complete
        ("9.30.0", None),
        ("2.1.0", None),  # an older line the catalog never saw
    ],
)
def test_infer(version: str, inferred: str | None) -> None:
    release = CATALOG.infer(version)
    assert (release.inferred if release is not None else None) == inferred


def test_an_inferred_release_shares_its_line() -> None:
    release = CATALOG.infer("13.12.0")
    assert release is not None
    for field in PER_LINE:
        assert getattr(release, field.name) == getattr(get("13.11.0"), field.name)
    assert "not in the catalog" in release.source


# 6. upgrade targets ---------------------------------------------------------------------------


def test_upgrade_targets_as_of_2026_11_23() -> None:
    day = date(2026, 11, 23)
    af2, af3 = CATALOG.upgrade_target(2, day), CATALOG.upgrade_target(3, day)
    assert af2 is not None and af2.version == "13.11.0"
    assert af3 is not None and af3.version == "3.3-8"
    for target in (af2, af3):
        assert target.release_date is not None and target.release_date <= day
        assert not target.yanked
        assert not CATALOG.deprecated(target.era, target.line)
        assert target.end_of_maintenance is not None and target.end_of_maintenance >= day


def test_no_target_in_a_deprecated_line_or_after_every_line_ended() -> None:
    assert CATALOG.deprecated(2, "12")  # the feed marks Runtime 12 deprecated
    assert CATALOG.upgrade_target(2, date(2027, 5, 1)) is None  # 13 ends 2027-04-30: no Airflow 2 line left


# 7. catalog files ------------------------------------------------------------------------------


def test_catalog_files_are_validated_on_read(tmp_path: Path) -> None:
    from runtime_lint.model import UsageError

    good = catalog_mod.to_json(CATALOG)
    (tmp_path / "ok.json").write_text(json.dumps(good))
    assert len(catalog_mod.read(str(tmp_path / "ok.json"), "file")) == len(CATALOG)
    cases: list[tuple[str, Callable[[Any], object]]] = [
        ("date.json", lambda d: d["releases"][0].update(release_date="2021-13-01")),
        ("version.json", lambda d: d["releases"][0].update(version="three")),
        ("yanked.json", lambda d: d["releases"][0].update(yanked="no")),
        ("pythons.json", lambda d: d["releases"][0].update(python_versions="3.11")),
        ("format.json", lambda d: d.update(format=99)),
        ("schema.json", lambda d: d.update(feed_schema=1.8)),
        ("dupe.json", lambda d: d["releases"].append(dict(d["releases"][0]))),
    ]
    for name, mutate in cases:
        data = json.loads(json.dumps(good))
        mutate(data)
        (tmp_path / name).write_text(json.dumps(data))
        with pytest.raises(UsageError) as exc:
            catalog_mod.read(str(tmp_path / name), "file")
        assert name in str(exc.value)
