"""`runtime-lint upgrade`: the planner (runtime_lint/upgrade.py) and the command.

Every test passes the day (2026-11-28): on it Runtime 13 (LTS, Airflow 2.11) is the only
maintained Airflow 2 line, 3.3-8 the newest Airflow 3 release, and 12 and 11 have ended.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, ROOT, Cli, write
from jsonschema import Draft202012Validator

from runtime_lint import feed
from runtime_lint.catalog import Catalog, bundled
from runtime_lint.image import parse_runtime_tag
from runtime_lint.upgrade import CURRENT, ERROR, UPGRADE, Plan, TargetError, parse_target, plan

DAY = ("--as-of", AS_OF.isoformat())
RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
DIGEST = "sha256:" + "4f" * 32


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return bundled()


def planned(catalog: Catalog, tag: str, to: str | None = None, repository: str = RT) -> Plan:
    parsed = parse_runtime_tag(tag)
    release = catalog.get(parsed.version)
    assert release is not None
    return plan(catalog, release, parsed, repository, AS_OF, parse_target(to) if to is not None else None)


def upgrade(cli: Cli, *args: str, cwd: Path | None = None) -> Any:
    return cli("upgrade", *args, *DAY, cwd=cwd)


def plans(cli: Cli, *args: str, cwd: Path | None = None) -> list[dict[str, Any]]:
    result = upgrade(cli, *args, "--format", "json", cwd=cwd)
    assert result.err == "", result
    found: list[dict[str, Any]] = json.loads(result.out)["plans"]
    return found


# ---------------------------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("tag", "to", "version", "new_tag"),
    [
        ("12.6.0", None, "13.11.0", "13.11.0"),  # Airflow 2 default: lts
        ("12.6.0", "lts", "13.11.0", "13.11.0"),
        ("12.6.0", "latest", "3.3-8", "3.3-8"),  # any era: Airflow 2 crosses to 3
        ("12.6.0", "airflow2", "13.11.0", "13.11.0"),
        ("12.6.0", "airflow3", "3.3-8", "3.3-8"),
        ("12.6.0", "13", "13.11.0", "13.11.0"),  # a line: its newest release
        ("3.0-4", None, "3.3-8", "3.3-8"),  # Airflow 3 default: latest
        ("3.0-4", "3.1", "3.1-21", "3.1-21"),
        ("3.0-4", "3.2-10", "3.2-10", "3.2-10"),  # a version: exactly that
        ("12.6.0", "13.10.0", "13.10.0", "13.10.0"),
        ("12.6.0", "LTS", "13.11.0", "13.11.0"),  # keywords in any case
    ],
)
def test_every_to_value(catalog: Catalog, tag: str, to: str | None, version: str, new_tag: str) -> None:
    result = planned(catalog, tag, to)
    assert result.status == UPGRADE, result.error
    assert result.target is not None and result.target.version == version
    assert result.tag == new_tag


def test_lts_for_airflow3_is_an_error_that_suggests_latest(catalog: Catalog, cli: Cli, tmp_path: Path) -> None:
    result = planned(catalog, "3.0-4", "lts")
    assert result.status == ERROR
    assert result.error is not None and "LTS" in result.error and "--to latest" in result.error
    out = upgrade(cli, str(ROOT / "examples" / "airflow3-project"), "--to", "lts")
    assert out.code == 2
    assert out.err.count("\n") == 1 and "--to latest" in out.err


@pytest.mark.parametrize(
    ("to", "words"),
    [
        ("12", "maintenance ended on 2026-02-28"),  # a line whose maintenance ended
        ("12.12.0", "maintenance ended on 2026-02-28"),
        ("13.5.0", "yanked"),
        ("13.9.0", "release date is unknown"),  # never proposed without a known date
        ("13.99.0", "not a release the catalog knows"),
        ("9", "maintenance ended"),
        ("4.5", "not a support line"),
    ],
)
def test_an_explicit_target_that_cannot_be_used_is_an_error(catalog: Catalog, to: str, words: str) -> None:
    result = planned(catalog, "11.8.0", to)
    assert result.status == ERROR
    assert result.error is not None and words in result.error, result.error


def test_a_release_after_the_day_is_never_a_target(catalog: Catalog) -> None:
    parsed = parse_runtime_tag("3.0-17")
    release = catalog.get("3.0-17")
    assert release is not None
    early = plan(catalog, release, parsed, AF3, AS_OF.replace(year=2026, month=9, day=20))
    assert early.target is not None and early.target.version == "3.3-2"  # 3.3-8 came out on 2026-09-23
    late = plan(catalog, release, parsed, AF3, AS_OF.replace(year=2026, month=9, day=20), parse_target("3.2-10"))
    assert late.status == ERROR and late.error is not None and "released on 2026-09-24" in late.error


def test_downgrades_and_moves_back_to_airflow2_are_refused(catalog: Catalog) -> None:
    back = planned(catalog, "13.11.0", "13.10.0")
    assert back.status == ERROR and back.error is not None and "downgraded" in back.error
    af2 = planned(catalog, "3.0-4", "airflow2")
    assert af2.status == ERROR and af2.error is not None and "Airflow 2" in af2.error


def test_nothing_to_do_on_the_target(catalog: Catalog) -> None:
    assert planned(catalog, "13.11.0").status == CURRENT
    assert planned(catalog, "3.3-8").status == CURRENT
    assert planned(catalog, "13.11.0", "13.11.0").status == CURRENT


@pytest.mark.parametrize("value", ["newest", "13.x", "3.1-", "", "airflow4", "12.06.0"])
def test_an_unknown_to_value_is_one_line_and_exit_2(value: str, cli: Cli, tmp_path: Path) -> None:
    with pytest.raises(TargetError):
        parse_target(value)
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    result = upgrade(cli, str(tmp_path / "Dockerfile"), "--to", value)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and "unknown --to value" in result.err


# ------------------------------------------------------------------------ what the move crosses


def test_two_steps_from_11_to_airflow3(catalog: Catalog) -> None:
    result = planned(catalog, "11.8.0-python-3.11-base", "latest")
    assert result.status == UPGRADE and result.two_step
    assert result.step is not None and result.step.version == "13.11.0"
    assert result.target is not None and result.target.version == "3.3-8"
    assert result.tag == "13.11.0-python-3.11-base"  # the edit writes the first step
    assert result.repository is None
    assert any("12.0.0 or later" in note and "13.11.0 first" in note for note in result.notes)
    # from 12.x, one step
    direct = planned(catalog, "12.6.0", "airflow3")
    assert not direct.two_step and direct.repository == AF3


def test_yanked_releases_on_the_way_are_listed(catalog: Catalog) -> None:
    result = planned(catalog, "12.6.0")
    assert [r.version for r in result.skipped] == ["13.5.0"]
    across = planned(catalog, "12.6.0", "latest")
    assert [r.version for r in across.skipped] == ["13.5.0", "3.0-9", "3.1-8", "3.2-1"]
    assert all(r.yanked for r in across.skipped)


def test_airflow_versions_crossed(catalog: Catalog) -> None:
    result = planned(catalog, "12.6.0", "latest")
    kinds = {c.kind: c for c in result.crossings}
    minor = kinds["airflow-minor"]
    assert (minor.before, minor.after) == ("2.10", "3.3")
    assert minor.releases == ["2.11", "3.0", "3.1", "3.2", "3.3"]
    assert (kinds["airflow-major"].before, kinds["airflow-major"].after) == ("2", "3")
    assert "registry" in kinds and kinds["registry"].after == AF3
    same = planned(catalog, "13.10.0")
    assert not [c for c in same.crossings if c.kind.startswith("airflow-")]


def test_database_migrations_known_and_possible(catalog: Catalog) -> None:
    known = planned(catalog, "3.0-4")
    migration = next(c for c in known.crossings if c.kind == "db-migration")
    assert migration.certain and migration.releases == ["3.2-1", "3.3-1"]  # the feed's airflowDatabase: true
    assert "cannot be rolled back" in migration.message
    maybe = planned(catalog, "12.6.0")  # 2.10 to 2.11, most releases on the way silent
    possible = next(c for c in maybe.crossings if c.kind == "db-migration")
    assert not possible.certain and "may include" in possible.message
    none = planned(catalog, "13.10.0")  # 13.11.0's airflowDatabase is false: nothing to say
    assert not [c for c in none.crossings if c.kind == "db-migration"]


def test_the_catalog_holds_the_feeds_migration_flags(catalog: Catalog) -> None:
    versions = ("11.0.0", "3.2-1", "3.3-1", "13.11.0", "3.3-8", "12.6.0")
    flags = {v: getattr(catalog.get(v), "airflow_db_migration", "missing") for v in versions}
    assert flags == {"11.0.0": True, "3.2-1": True, "3.3-1": True, "13.11.0": False, "3.3-8": False, "12.6.0": None}


def test_the_feed_reads_migrations_beside_metadata() -> None:
    entry = {"metadata": {"airflowVersion": "3.3.0", "channel": "stable", "releaseDate": "2026-07-09"}}
    stated, _ = feed.releases({"runtimeVersionsV3": {"3.3-1": {**entry, "migrations": {"airflowDatabase": True}}}})
    assert stated["3.3-1"]["airflow_db_migration"] is True
    stated, _ = feed.releases({"runtimeVersionsV3": {"3.3-1": entry}})
    assert "airflow_db_migration" not in stated["3.3-1"]  # not stated: stays unknown
    with pytest.raises(feed.FeedError, match=r"migrations\.airflowDatabase must be true or false"):
        feed.releases({"runtimeVersionsV3": {"3.3-1": {**entry, "migrations": {"airflowDatabase": "yes"}}}})


def test_python_variant_kept_or_moved_with_a_note(catalog: Catalog) -> None:
    kept = planned(catalog, "12.6.0-python-3.11")
    assert kept.tag == "13.11.0-python-3.11" and not kept.notes
    moved = planned(catalog, "12.6.0-python-3.11", "latest")  # 3.3 publishes 3.12 to 3.14
    assert moved.tag == "3.3-8"
    assert any("not published for Python 3.11" in note and "3.14" in note for note in moved.notes)
    default = planned(catalog, "12.6.0", "latest")
    python = next(c for c in default.crossings if c.kind == "python")
    assert (python.before, python.after) == ("3.12", "3.14")


def test_base_flavor_kept(catalog: Catalog) -> None:
    assert planned(catalog, "12.6.0-base").tag == "13.11.0-base"
    assert planned(catalog, "12.6.0-python-3.12-base", "latest").tag == "3.3-8-python-3.12-base"


def test_airflow3_notes(catalog: Catalog) -> None:
    notes = planned(catalog, "12.6.0", "airflow3").notes
    assert "check your DAGs with ruff's Airflow 3 rules: ruff check --select AIR3 dags/" in notes
    assert any("astro dev upgrade-test" in note for note in notes)


# ------------------------------------------------------------------------------ writing the plan


def test_write_edits_the_arg_default(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"ARG RUNTIME_VERSION=12.6.0\nFROM {RT}:${{RUNTIME_VERSION}}-base\n")
    result = upgrade(cli, str(path), "--write")
    assert result.code == 0, result
    assert path.read_text() == f"ARG RUNTIME_VERSION=13.11.0\nFROM {RT}:${{RUNTIME_VERSION}}-base\n"


def test_era_move_rewrites_registry_and_tag(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0-base AS build\nRUN true\n")
    assert upgrade(cli, str(path), "--to", "airflow3").code == 1  # a plan, not written
    assert path.read_text() == f"FROM {RT}:12.6.0-base AS build\nRUN true\n"
    assert upgrade(cli, str(path), "--to", "airflow3", "--write").code == 0
    assert path.read_text() == f"FROM {AF3}:3.3-8-base AS build\nRUN true\n"


def test_era_move_with_the_version_in_an_arg(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"ARG V=12.6.0\nFROM {RT}:${{V}}\n")
    assert upgrade(cli, str(path), "--to", "latest", "--write").code == 0
    assert path.read_text() == f"ARG V=3.3-8\nFROM {AF3}:${{V}}\n"


def test_write_is_idempotent_and_keeps_crlf(cli: Cli, tmp_path: Path) -> None:
    original = f"# keep me\r\nFROM {RT}:12.6.0-python-3.11\r\nRUN echo hi  \r\n".encode()
    path = write(tmp_path / "Dockerfile", original)
    assert upgrade(cli, str(path), "--write").code == 0
    after = path.read_bytes()
    assert after == original.replace(b"12.6.0", b"13.11.0")
    again = upgrade(cli, str(path), "--write")
    assert again.code == 0 and "nothing to do" in again.out
    assert path.read_bytes() == after


def test_multi_stage(cli: Cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "multi-stage", tmp_path / "p")
    found = plans(cli, str(tmp_path / "p"))
    assert [(p["line"], p["stage"], p["to"]["version"]) for p in found] == [(5, 0, "13.11.0"), (13, 1, "13.11.0")]
    # both stages take the version from one ARG: one edit, made once
    assert upgrade(cli, str(tmp_path / "p"), "--write").code == 0
    text = (tmp_path / "p" / "Dockerfile").read_text()
    assert "ARG RUNTIME_VERSION=13.11.0\n" in text and text.count("13.11.0") == 1


def test_digest_is_dropped_and_said(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0@{DIGEST}\n")
    found = plans(cli, str(path))
    assert any("pinned by digest" in note and "drops it" in note for note in found[0]["notes"])
    assert upgrade(cli, str(path), "--write").code == 0
    assert path.read_text() == f"FROM {RT}:13.11.0\n"
    only = write(tmp_path / "d2" / "Dockerfile", f"FROM {RT}@{DIGEST}\n")
    result = upgrade(cli, str(only))
    assert result.code == 2 and "pinned by digest only" in result.err


def test_diff_applies_with_git_apply(cli: Cli, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    write(
        tmp_path / "svc" / "Dockerfile", f"ARG V=11.8.0\r\nFROM {RT}:${{V}}-base AS b\r\nFROM {RT}:12.6.0\r\n".encode()
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    # bytes, not text: reading the diff as text would turn its CRLF lines into LF
    command = [sys.executable, "-m", "runtime_lint", "upgrade", "svc", "--to", "airflow3", "--diff", *DAY]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True)
    assert result.returncode == 1, result
    assert result.stdout.startswith(b"--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n")
    assert b"+FROM " + AF3.encode() + b":3.3-8\r\n" in result.stdout
    patch = write(tmp_path / "upgrade.patch", result.stdout)
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path, check=True)
    # 11.8.0 goes to 13.11.0 first (two steps); 12.6.0 goes straight to Airflow 3
    assert (tmp_path / "svc" / "Dockerfile").read_bytes() == (
        f"ARG V=13.11.0\r\nFROM {RT}:${{V}}-base AS b\r\nFROM {AF3}:3.3-8\r\n".encode()
    )
    assert upgrade(cli, "svc", "--diff", cwd=tmp_path).out == ""  # nothing left for the default targets


def test_an_unwritable_reference_says_so(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    result = upgrade(cli, str(path), "--build-arg", "X=1", "--write")
    assert result.code == 0  # a plain FROM line: written
    from_arg = write(tmp_path / "a" / "Dockerfile", f"ARG TAG\nFROM {RT}:${{TAG}}\n")
    result = upgrade(cli, str(from_arg), "--build-arg", "TAG=12.6.0", "--write")
    assert result.code == 1 and "no edit" in result.out and "by hand" in result.out
    assert from_arg.read_text() == f"ARG TAG\nFROM {RT}:${{TAG}}\n"


# ----------------------------------------------------------------------------- output and errors


def test_json_validates_against_the_schema(cli: Cli, tmp_path: Path) -> None:
    schema = json.loads(resources.files("runtime_lint").joinpath("schemas/upgrade.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    corpus: dict[str, str | bytes] = {
        "a": f"FROM {RT}:12.6.0-python-3.11@{DIGEST}\n",
        "b": f"ARG V=11.8.0\nFROM {RT}:${{V}}-base\n",
        "c": f"FROM {AF3}:3.3-8\nFROM {AF3}:3.1\nFROM {RT}:latest\nFROM python:3.12\n",
        "d": "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild\n",
        "e": b"\x00binary",
    }
    for name, text in corpus.items():
        write(tmp_path / name / "Dockerfile", text)
    docs = []
    for to in ("lts", "latest", "airflow3", "13", "3.2-10"):
        result = upgrade(cli, str(tmp_path), str(ROOT / "examples"), "--to", to, "--format", "json")
        docs.append(json.loads(result.out))
    for doc in docs:
        errors = list(validator.iter_errors(doc))
        assert errors == [], errors[0].message if errors else ""
    kinds = {c["kind"] for doc in docs for p in doc["plans"] for c in p["crosses"]}
    assert {"airflow-minor", "airflow-major", "db-migration", "registry", "python"} <= kinds
    statuses = {p["status"] for doc in docs for p in doc["plans"]}
    assert statuses == {"upgrade", "current", "error"}
    assert docs[0]["errors"] and docs[0]["schema_version"] == "1"
    broken = json.loads(json.dumps(docs[1]))
    broken["plans"][0]["surprise"] = 1
    assert list(validator.iter_errors(broken))
    broken = json.loads(json.dumps(docs[1]))
    broken["plans"][0]["crosses"].append({"kind": "weather"})
    assert list(validator.iter_errors(broken))


def test_examples_plans(cli: Cli) -> None:
    astro = upgrade(cli, str(ROOT / "examples" / "astro-project"))
    assert astro.code == 1
    assert f"{RT}:13.11.0" in astro.out and "skips yanked 13.5.0" in astro.out
    af3 = upgrade(cli, str(ROOT / "examples" / "airflow3-project"))
    assert af3.code == 1
    assert f"{AF3}:3.3-8-python-3.12" in af3.out
    assert "Airflow database migration in 3.2-1, 3.3-1" in af3.out
    found = plans(cli, str(ROOT / "examples"))
    assert {p["from"]["version"] for p in found if p["from"]} == {"12.6.0", "3.0-4", "11.8.0"}


def test_bad_input_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    binary = write(tmp_path / "Dockerfile", b"FROM x\x00\n")
    result = upgrade(cli, str(binary))
    assert result.code == 2 and result.err.count("\n") == 1 and "binary" in result.err
    result = upgrade(cli, str(tmp_path / "missing"))
    assert result.code == 2 and result.err.count("\n") == 1
    write(tmp_path / "ok" / "Dockerfile", f"FROM {RT}:12.6.0\n")
    both = upgrade(cli, str(tmp_path / "ok"), "--write", "--diff")
    assert both.code == 2 and both.err.count("\n") == 1
    assert upgrade(cli, "-").code == 2


def test_help_lists_upgrade(cli: Cli) -> None:
    overview = cli("--help")
    assert "upgrade" in overview.out
    helped = cli("upgrade", "--help")
    assert helped.code == 0 and "--to" in helped.out and "--write" in helped.out


def test_requirements_the_move_breaks(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".astro" / "config.yaml", "project:\n  name: p\n")
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    write(tmp_path / "requirements.txt", "pandas==2.0\napache-airflow==2.10.4\napache-airflow-providers-amazon\n")
    found = plans(cli, str(tmp_path), "--astro-project")
    pinned = [c for c in found[0]["crosses"] if c["kind"] == "requirements"]
    assert len(pinned) == 1
    assert pinned[0]["from"] == "==2.10.4" and pinned[0]["to"] == "2.11.2" and pinned[0]["releases"] == ["13.11.0"]
    assert "requirements.txt:2" in pinned[0]["message"]
    write(tmp_path / "requirements.txt", "apache-airflow>=2.10\n")  # admits 2.11.2: nothing to say
    found = plans(cli, str(tmp_path), "--astro-project")
    assert not [c for c in found[0]["crosses"] if c["kind"] == "requirements"]
    # a two-step move: each step lists the pins it breaks, the plan each pin once
    write(tmp_path / "Dockerfile", f"FROM {RT}:10.5.0\n")
    for pin, per_step, whole in (
        ("apache-airflow>=2.10,<3", [[], ["3.3-8"]], ["3.3-8"]),  # admits 2.11.2, not 3.3.2
        ("apache-airflow==2.8.3", [["13.11.0"], ["3.3-8"]], ["13.11.0"]),  # rules out both
    ):
        write(tmp_path / "requirements.txt", pin + "\n")
        (moved,) = plans(cli, str(tmp_path), "--astro-project", "--to", "airflow3")
        pins = [[c["releases"][0] for c in s["crosses"] if c["kind"] == "requirements"] for s in moved["steps"]]
        assert pins == per_step
        assert [c["releases"][0] for c in moved["crosses"] if c["kind"] == "requirements"] == whole


def test_the_readme_example_is_what_upgrade_prints(cli: Cli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ runtime-lint upgrade examples/astro-project --as-of 2026-11-28\n"
    assert command in readme and "[Upgrading](#upgrading)" in readme
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    result = cli("upgrade", "examples/astro-project", *DAY, cwd=ROOT)
    assert result.out.startswith(shown)


def test_runtime_3_is_not_airflow_3(catalog: Catalog) -> None:
    result = planned(catalog, "12.6.0", "3")
    assert result.status == ERROR and result.error is not None and "use airflow3" in result.error


def test_the_registry_crossing_names_the_images_repository(catalog: Catalog) -> None:
    mirror = "astrocrpublic.azurecr.io/astronomer/astro-runtime"
    result = planned(catalog, "12.6.0-base", "latest", repository=mirror)
    registry = next(c for c in result.crossings if c.kind == "registry")
    assert (registry.before, registry.after) == (mirror, AF3)
    assert result.repository == AF3 and result.tag == "3.3-8-base"


def test_each_step_of_a_two_step_plan_says_what_it_crosses(catalog: Catalog) -> None:
    result = planned(catalog, "10.5.0", "airflow3")
    first, second = result.steps
    assert (first.before.version, first.after.version, first.tag) == ("10.5.0", "13.11.0", "13.11.0")
    assert (second.before.version, second.after.version) == ("13.11.0", "3.3-8")
    one, two = ({c.kind: c for c in s.crossings} for s in result.steps)
    assert (one["airflow-minor"].after, one["airflow-minor"].releases) == ("2.11", ["2.9", "2.10", "2.11"])
    assert one["db-migration"].releases == ["11.0.0"] and not {"airflow-major", "registry"} & set(one)
    assert (two["airflow-minor"].before, two["airflow-minor"].releases) == ("2.11", ["3.0", "3.1", "3.2", "3.3"])
    assert (two["airflow-major"].before, two["airflow-major"].after) == ("2", "3")
    assert two["db-migration"].certain and two["db-migration"].releases == ["3.2-1", "3.3-1"]
    assert two["registry"].after == AF3 and (two["python"].before, two["python"].after) == ("3.12", "3.14")
    skips = [[r.version for r in s.skipped] for s in result.steps]
    assert skips == [["11.0.0", "11.1.0", "13.5.0"], ["3.0-9", "3.1-8", "3.2-1"]]
    assert any(note.startswith("two steps:") for note in first.notes)
    assert any("AIR3" in note for note in second.notes) and not any("AIR3" in note for note in first.notes)
    # the plan's own lists are the whole journey's, as before
    assert result.skipped == first.skipped + second.skipped and result.notes == first.notes + second.notes
    whole = {c.kind: c for c in result.crossings}
    assert (whole["airflow-minor"].before, whole["airflow-minor"].after) == ("2.8", "3.3")
    assert whole["db-migration"].releases == ["11.0.0", "3.2-1", "3.3-1"] and "registry" not in whole
    # the second step starts from the first step's tag
    variant = planned(catalog, "11.8.0-python-3.11-base", "airflow3").steps
    assert [step.tag for step in variant] == ["13.11.0-python-3.11-base", "3.3-8-base"]
    assert [any("not published for Python 3.11" in n for n in step.notes) for step in variant] == [False, True]


def test_a_one_step_plan_has_one_step_that_is_the_plan(catalog: Catalog) -> None:
    for tag, to in (("12.6.0", "latest"), ("12.6.0", None), ("3.0-4", None)):
        result = planned(catalog, tag, to)
        (step,) = result.steps
        assert step.after is result.target and step.tag == result.tag and step.notes == result.notes
        assert step.crossings == result.crossings and step.skipped == result.skipped
    assert planned(catalog, "13.11.0").steps == []  # nothing to do: no step


def test_two_step_text_heads_each_step(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "Dockerfile", f"FROM {RT}:10.5.0\n")
    out = upgrade(cli, str(path), "--to", "airflow3").out
    one, two = out.index("\n  step 1: 10.5.0 -> 13.11.0"), out.index("\n  step 2: 13.11.0 -> 3.3-8")
    for line in ("crosses: Airflow 2.8 to 2.11 (through 2.9, 2.10)", "crosses: Airflow database migration in 11.0.0"):
        assert one < out.index(f"\n    {line}") < two
    for line in ("crosses: Airflow 2 to Airflow 3", "crosses: Airflow database migration in 3.2-1, 3.3-1"):
        assert two < out.index(f"\n    {line}")
    assert one < out.index("skips yanked 13.5.0") < two < out.index("skips yanked 3.0-9")
    assert "next run" in out[two + 1 :].splitlines()[0]
    written = upgrade(cli, str(path), "--to", "airflow3", "--write")
    assert path.read_text() == f"FROM {RT}:13.11.0\n"
    assert f"now uses {RT}:13.11.0 (step 1); step 2 comes on the next run" in written.out
    again = upgrade(cli, str(path), "--to", "airflow3").out  # the next run: one step, to Airflow 3
    assert "step 1" not in again and "step 2" not in again and f"new image: {AF3}:3.3-8" in again
    assert "\n  crosses: Airflow 2 to Airflow 3: a migration, not a tag change\n" in again


def test_two_step_json_lists_both_steps(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:10.5.0-base\n")
    (found,) = plans(cli, str(tmp_path), "--to", "airflow3")
    first, second = found["steps"]
    assert (first["from"], first["to"], first["image"]) == ("10.5.0", "13.11.0", f"{RT}:13.11.0-base")
    assert (second["from"], second["to"], second["image"]) == ("13.11.0", "3.3-8", None)
    one, two = ({c["kind"]: c for c in s["crosses"]} for s in found["steps"])
    assert "airflow-major" not in one and two["airflow-major"]["to"] == "3"
    assert two["db-migration"]["releases"] == ["3.2-1", "3.3-1"]
    assert found["skipped"] == first["skipped"] + second["skipped"] and found["to"]["image"] is None
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\nFROM {RT}:13.11.0\n")
    single, current = plans(cli, str(tmp_path))
    assert len(single["steps"]) == 1 and single["steps"][0]["crosses"] == single["crosses"]
    assert current["status"] == "current" and current["steps"] == []
