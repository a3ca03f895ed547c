"""The bundled release catalog: true to its sources, self-consistent, and lifecycle logic."""

from __future__ import annotations

import calendar
import json
import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT

from runtime_lint import catalog as catalog_mod
from runtime_lint.catalog import ENDED, ENDING_SOON, SUPPORTED, UNKNOWN, YANKED
from runtime_lint.data import bundled

SHARED = ROOT.parent / "shared" / "data" / "astro-runtime-releases.json"
CATALOG = catalog_mod.load()


def test_bundled_module_is_the_json_file() -> None:
    data = json.loads((ROOT / "runtime_lint" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert data["generated"] == bundled.GENERATED
    assert data["source"] == bundled.SOURCE
    assert data["releases"] == list(bundled.RELEASES)


@pytest.mark.skipif(not SHARED.exists(), reason="the research data (../shared) is not beside this checkout")
def test_bundled_catalog_is_what_the_build_script_makes() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_catalog.py"), str(SHARED), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_every_release_loads_and_has_a_source() -> None:
    releases = CATALOG.all()
    assert len(releases) == 161
    assert all(r.source for r in releases)
    versions = [r.version for r in releases]
    assert len(set(versions)) == len(versions)


def test_end_of_maintenance_is_the_last_day_of_a_month() -> None:
    for release in CATALOG.all():
        eom = release.end_of_maintenance
        if eom is not None:
            assert eom.day == calendar.monthrange(eom.year, eom.month)[1], release.version


def test_documented_facts() -> None:
    # lifecycle table (docs 2024-08): Runtime 11 LTS to 2025-10, 10 Stable to 2024-06, 9 LTS to 2025-01
    assert CATALOG.get("11.8.0").end_of_maintenance == date(2025, 10, 31)  # type: ignore[union-attr]
    assert CATALOG.get("11.8.0").channel == "LTS"  # type: ignore[union-attr]
    assert CATALOG.get("10.9.0").end_of_maintenance == date(2024, 6, 30)  # type: ignore[union-attr]
    yanked = {r.version: r.yanked_reason for r in CATALOG.all() if r.yanked}
    assert set(yanked) == {
        "8.0.0",
        "9.0.0",
        "9.1.0",
        "9.2.0",
        "9.3.0",
        "9.4.0",
        "9.5.0",
        "9.6.0",
        "11.0.0",
        "11.1.0",
        "3.0-9",
    }
    assert all(yanked.values())
    # unknown stays unknown: Runtime 12's lifecycle is not in the public material
    assert CATALOG.get("12.8.0").end_of_maintenance is None  # type: ignore[union-attr]
    assert CATALOG.get("12.8.0").first_seen == date(2025, 7, 7)  # type: ignore[union-attr]


def test_status_as_of_a_day() -> None:
    release = CATALOG.get("11.8.0")
    assert release is not None
    assert release.status(date(2025, 6, 1), 90) == SUPPORTED
    assert release.status(date(2025, 8, 2), 90) == ENDING_SOON
    assert release.status(date(2025, 10, 31), 90) == ENDING_SOON
    assert release.status(date(2025, 11, 1), 90) == ENDED
    assert CATALOG.get("11.0.0").status(date(2024, 5, 1), 90) == YANKED  # type: ignore[union-attr]
    assert CATALOG.get("12.6.0").status(date(2026, 11, 28), 90) == UNKNOWN  # type: ignore[union-attr]


def test_latest_skips_yanked_unreleased_and_respects_python() -> None:
    release = CATALOG.get("9.0.0")
    assert release is not None
    assert CATALOG.latest(release, date(2023, 12, 1)) is None  # 9.0.0-9.6.0 yanked, 9.7.0 not out yet
    assert CATALOG.latest(release, date(2023, 12, 23)).version == "9.7.0"  # type: ignore[union-attr]
    assert CATALOG.latest(release, date(2026, 1, 1)).version == "9.17.0"  # type: ignore[union-attr]
    eight = CATALOG.get("8.9.0")
    assert eight is not None
    # Runtime 8 published no -python- variants, so no release of the line has one
    assert CATALOG.latest(eight, date(2026, 1, 1), python="3.10") is None


def test_releases_after_the_day_do_not_exist() -> None:
    assert CATALOG.get("12.0.0").released_after(date(2024, 8, 14))  # type: ignore[union-attr]
    assert CATALOG.newest_maintained(2, date(2024, 8, 14)).version == "11.8.0"  # type: ignore[union-attr]


def test_catalog_files_are_validated_on_read(tmp_path: object) -> None:
    from pathlib import Path

    from runtime_lint.model import UsageError

    folder = Path(str(tmp_path))
    good = catalog_mod.to_json(CATALOG)
    (folder / "ok.json").write_text(json.dumps(good))
    assert len(catalog_mod.read(str(folder / "ok.json"), "file")) == 161
    for name, mutate in [
        ("date.json", lambda d: d["releases"][0].update(release_date="2021-13-01")),
        ("version.json", lambda d: d["releases"][0].update(version="three")),
        ("yanked.json", lambda d: d["releases"][0].update(yanked="no")),
        ("format.json", lambda d: d.update(format=99)),
        ("dupe.json", lambda d: d["releases"].append(dict(d["releases"][0]))),
    ]:
        data = json.loads(json.dumps(good))
        mutate(data)
        (folder / name).write_text(json.dumps(data))
        with pytest.raises(UsageError) as exc:
            catalog_mod.read(str(folder / name), "file")
        assert name in str(exc.value)
