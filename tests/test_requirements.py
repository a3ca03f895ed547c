"""RL401 airflow-in-requirements and RL402 unreadable-requirements: requirements.txt beside an Astro
project's Dockerfile, read as pip reads it (runtime_lint/requirements.py), reported as a file of
its own in every output format.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, write

from runtime_lint import requirements
from runtime_lint.cli import main
from runtime_lint.requirements import excludes, read_requirements

RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
CURRENT = f"FROM {RT}:13.11.0\n"  # Airflow 2.11.2, the latest of its line on the day: no finding of its own
MINOR_ONLY = f"FROM {RT}:12.6.0\n"  # the catalog knows only Airflow "2.10"
DAY = "2026-11-28"


# helpers ---------------------------------------------------------------------------------------


def project(
    root: Path,
    reqs: str | bytes | None,
    dockerfile: str = CURRENT,
    astro: bool = True,
    files: dict[str, str | bytes] | None = None,
) -> Path:
    write(root / "Dockerfile", dockerfile)
    if astro:
        (root / ".astro").mkdir(exist_ok=True)
    if reqs is not None:
        write(root / "requirements.txt", reqs)
    for name, text in (files or {}).items():
        write(root / name, text)
    return root


def run(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["Dockerfile", "--as-of", DAY, *args])
    out, err = capsys.readouterr()
    return code, out, err


def report(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> dict[str, Any]:
    code, out, err = run(root, capsys, monkeypatch, "--format", "json", *args)
    assert code in (0, 1), err
    data: dict[str, Any] = json.loads(out)
    return data


def project_findings(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> list[dict[str, Any]]:
    """The findings in files other than the Dockerfile, each with its file's path."""
    data = report(root, capsys, monkeypatch, *args)
    return [
        {**finding, "path": file["path"]}
        for file in data["files"]
        if file["path"] != "Dockerfile"
        for finding in file["findings"]
    ]


def one(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, Any]:
    found = project_findings(root, capsys, monkeypatch, *args)
    assert len(found) == 1, found
    return found[0]


Fixture = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]


@pytest.fixture
def io(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Fixture:
    return capsys, monkeypatch


# excludes(): the question the upgrade planner asks too ------------------------------------------


@pytest.mark.parametrize(
    ("specifier", "airflow", "expected"),
    [
        ("==2.9.3", "2.11.2", True),
        ("==2.11.2", "2.11.2", False),
        (">=2.9", "2.11.2", False),
        ("<2.11.2", "2.11.2", True),
        ("", "2.11.2", False),
        ("==2.9.3", "2.10", True),  # minor only: excluded when no 2.10.x is admitted
        ("==2.10.3", "2.10", False),
        (">=2.10.3,<2.10.4", "2.10", False),
        ("<2.10", "2.10", True),
        ("!=2.10.*", "2.10", True),
        ("==2.10.*", "2.10", False),
        (">2.10.5,!=2.10.6,!=2.10.7", "2.10", False),
        (">2.10", "2.10", False),  # 2.10.1
        ("~=2.9.0", "2.10", True),
        ("~=2.9", "2.10", False),
        ("==3.*", "3.1", False),
        ("<3", "3.1", True),
        ("==3.1.5", "3.1.5", False),
        (">=3.0,<3.1", "3.1.5", True),
        ("==2.10.5rc1", "2.10", True),  # a release candidate is never what an image ships
    ],
)
def test_excludes(specifier: str, airflow: str, expected: bool) -> None:
    assert excludes(specifier, airflow) is expected


def test_excludes_refuses_what_is_not_a_version() -> None:
    with pytest.raises(ValueError):
        excludes("==2.9.3", "two")
    with pytest.raises(ValueError):
        excludes("=>2.9", "2.10.5")


# reading requirements files ---------------------------------------------------------------------


def test_read_requirements_records(tmp_path: Path) -> None:
    write(
        tmp_path / "requirements.txt",
        "# pinned by the data team\n"
        "pandas==2.2\n"
        "  Apache_Airflow[celery,postgres]==2.9.3 ; python_version > '3.8'  # why not\n"
        "apache-airflow-providers-snowflake==5.0\n",
    )
    found, problems = read_requirements(str(tmp_path))
    assert problems == []
    airflow = [r for r in found if r.key == "apache-airflow"]
    assert len(airflow) == 1
    record = airflow[0]
    assert record.path == os.path.join(str(tmp_path), "requirements.txt")
    assert (record.line, record.column, record.end_column) == (3, 3, 17)
    assert record.name == "Apache_Airflow"
    assert record.specifier == "==2.9.3"
    assert record.extras == ("celery", "postgres")
    assert record.marker == 'python_version > "3.8"'
    assert record.kind == "requirement"
    assert record.text == "Apache_Airflow[celery,postgres]==2.9.3 ; python_version > '3.8'"
    # pandas has no "airflow" in it: not parsed (the cheap pre-scan)
    assert {r.key for r in found} == {"apache-airflow", "apache-airflow-providers-snowflake"}


def test_read_requirements_every_line_when_asked(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "pandas==2.2\napache-airflow\n")
    found, _ = read_requirements(str(tmp_path), contains=None)
    assert [r.key for r in found] == ["pandas", "apache-airflow"]


def test_no_requirements_file(tmp_path: Path) -> None:
    assert read_requirements(str(tmp_path)) == ([], [])


def test_continuations_and_options(tmp_path: Path) -> None:
    write(
        tmp_path / "requirements.txt",
        "--index-url https://pypi.example/simple\n"
        "--extra-index-url https://mirror.example/simple\n"
        "-e git+https://github.com/apache/airflow.git#egg=apache-airflow\n"
        "https://example.com/apache_airflow-2.9.3-py3-none-any.whl\n"
        "./vendor/apache-airflow\n"
        "apache-airflow \\\n"
        "    ==2.9.3 \\\n"
        "    --hash=sha256:0123\n",
    )
    found, problems = read_requirements(str(tmp_path))
    assert problems == []
    assert [(r.line, r.column, r.specifier) for r in found] == [(6, 1, "==2.9.3")]


def test_not_a_name_when_commented(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "# apache-airflow==2.9.3\npandas # apache-airflow\n")
    assert read_requirements(str(tmp_path)) == ([], [])


def test_includes_are_followed_inside_the_project_once(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write(proj / "requirements.txt", "-r reqs/base.txt\n--constraint=constraints.txt\n-r reqs/base.txt\n")
    write(proj / "reqs" / "base.txt", "-r ../requirements.txt\n-rmore.txt\napache-airflow>=2.9\n")
    write(proj / "reqs" / "more.txt", "-r ../../outside.txt\n--requirement /etc/passwd\n")
    write(proj / "constraints.txt", "apache-airflow==2.9.3\n")
    write(tmp_path / "outside.txt", "apache-airflow==1.10.15\n")
    found, problems = read_requirements(str(proj))
    assert problems == []
    shown = [(os.path.relpath(r.path, proj), r.kind, r.specifier) for r in found]
    assert shown == [
        (os.path.join("reqs", "base.txt"), "requirement", ">=2.9"),
        ("constraints.txt", "constraint", "==2.9.3"),
    ]


def test_a_missing_include_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "pandas\n-r dev.txt\n")
    found, problems = read_requirements(str(tmp_path))
    assert found == []
    assert [(p.line, p.column) for p in problems] == [(2, 1)]
    assert "dev.txt" in problems[0].message and "no such file" in problems[0].message


def test_symlink_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write(tmp_path / "secret.txt", "apache-airflow==1.10\n")
    write(proj / "requirements.txt", "-r link.txt\n")
    os.symlink(tmp_path / "secret.txt", proj / "link.txt")
    assert read_requirements(str(proj)) == ([], [])


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"apache-airflow\x00==2\n", "binary"),
        (b"apache-airflow==2.9.3 # \xff\n", "UTF-8"),
        (b"\xff\xfe" + "apache-airflow\udc80".encode("utf-16-le", "surrogatepass"), "UTF-16"),
    ],
)
def test_unreadable_files_are_one_problem(tmp_path: Path, data: bytes, why: str) -> None:
    write(tmp_path / "requirements.txt", data)
    found, problems = read_requirements(str(tmp_path))
    assert found == []
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (1, 1)
    assert why in problems[0].message
    assert "\n" not in problems[0].message


def test_a_byte_order_mark_is_honoured_as_pip_does(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", b"\xff\xfe" + "apache-airflow==2.9.3\n".encode("utf-16-le"))
    write(tmp_path / "more.txt", b"\xef\xbb\xbfapache-airflow\n")
    found, problems = read_requirements(str(tmp_path))
    found2, _ = read_requirements(str(tmp_path), "more.txt")
    assert problems == []
    assert [(r.line, r.column, r.specifier) for r in found + found2] == [(1, 1, "==2.9.3"), (1, 1, "")]


def test_a_huge_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    with open(path, "wb") as handle:
        handle.truncate(requirements.MAX_BYTES + 1)
    found, problems = read_requirements(str(tmp_path))
    assert found == []
    assert len(problems) == 1 and "too large" in problems[0].message


def test_an_unparsable_airflow_line_is_a_located_problem(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "pandas\n  apache-airflow==2.9.3 garbage\napache-airflow>=2.9\n")
    found, problems = read_requirements(str(tmp_path))
    assert [r.line for r in found] == [3]
    assert [(p.line, p.column) for p in problems] == [(2, 3)]
    assert "\n" not in problems[0].message


def test_packaging_is_imported_only_for_airflow_lines(tmp_path: Path) -> None:
    write(tmp_path / "a" / "requirements.txt", "pandas==2.2\n-r more.txt\n")
    write(tmp_path / "a" / "more.txt", "numpy\n")
    write(tmp_path / "b" / "requirements.txt", "apache-airflow==2.9.3\n")
    code = (
        "import sys\n"
        "from runtime_lint.requirements import read_requirements\n"
        f"read_requirements({str(tmp_path / 'a')!r})\n"
        "print('packaging' in sys.modules)\n"
        f"read_requirements({str(tmp_path / 'b')!r})\n"
        "print('packaging' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); exec({code!r})"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split() == ["False", "True"], proc.stderr


# RL401 through the command ---------------------------------------------------------------------


def test_exact_pin_excluded_is_an_error(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "pandas\napache-airflow==2.9.3\n")
    finding = one(tmp_path, *io)
    assert finding["code"] == "RL401"
    assert finding["name"] == "airflow-in-requirements"
    assert finding["severity"] == "error"
    assert finding["path"] == "requirements.txt"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (2, 1, 2, 15)
    assert "2.11.2" in finding["message"] and "13.11.0" in finding["message"]
    assert "remove" in finding["message"]
    assert finding["fix"] is None


def test_range_admitting_is_a_warning(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow>=2.9,<3\n")
    finding = one(tmp_path, *io)
    assert finding["severity"] == "warning"
    assert "2.11.2" in finding["message"]


def test_bare_requirement_is_a_warning(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow\n")
    assert one(tmp_path, *io)["severity"] == "warning"


@pytest.mark.parametrize(("pin", "severity"), [("==2.9.3", "error"), ("==2.10.4", "warning"), ("<2.10", "error")])
def test_minor_only_catalog_airflow(tmp_path: Path, io: Fixture, pin: str, severity: str) -> None:
    project(tmp_path, f"apache-airflow{pin}\n", dockerfile=MINOR_ONLY)
    finding = one(tmp_path, *io)
    assert finding["severity"] == severity
    assert "2.10" in finding["message"]


def test_airflow3_runtime(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.10.5\n", dockerfile=f"FROM {AF3}:3.1-13\n")
    finding = one(tmp_path, *io)
    assert finding["severity"] == "error" and "3.1" in finding["message"]


def test_extras_markers_and_normalised_names(tmp_path: Path, io: Fixture) -> None:
    project(
        tmp_path,
        "apache-airflow[celery]==2.9.3\n"
        "Apache_Airflow==2.9.3; python_version > '3.8'\n"
        "apache.airflow ==2.9.3\n"
        "apache-airflow-providers-postgres==5.0\n"
        "apache-airflow-client\n",
    )
    found = project_findings(tmp_path, *io)
    assert [(f["line"], f["severity"]) for f in found] == [(1, "error"), (2, "error"), (3, "error")]


def test_comments_and_continuations(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# apache-airflow==2.9.3\n\npandas  # apache-airflow==2.9.3\napache-airflow \\\n  ==2.9.3\n")
    finding = one(tmp_path, *io)
    assert (finding["line"], finding["column"], finding["severity"]) == (4, 1, "error")


def test_requirement_and_constraint_files_followed(tmp_path: Path, io: Fixture) -> None:
    project(
        tmp_path,
        "-r requirements/base.txt\n-c constraints.txt\n",
        files={"requirements/base.txt": "apache-airflow>=2\n", "constraints.txt": "apache-airflow==2.9.3\n"},
    )
    found = project_findings(tmp_path, *io)
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        (os.path.join("requirements", "base.txt"), 1, "warning"),
        ("constraints.txt", 1, "error"),
    ]
    assert "constraint" in found[1]["message"]


def test_include_outside_the_project_is_not_followed(tmp_path: Path, io: Fixture) -> None:
    proj = project(tmp_path / "proj", "-r ../common.txt\n")
    write(tmp_path / "common.txt", "apache-airflow==2.9.3\n")
    assert project_findings(proj, *io) == []


def test_include_loop(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "-r a.txt\napache-airflow==2.9.3\n", files={"a.txt": "-r requirements.txt\n-r a.txt\n"})
    assert [f["line"] for f in project_findings(tmp_path, *io)] == [2]


def test_binary_and_unparsable_are_rl402(tmp_path: Path, io: Fixture) -> None:
    project(
        tmp_path,
        "-r bin.txt\napache-airflow==${AIRFLOW_VERSION}\n",
        files={"bin.txt": b"\x00\x01\x02"},
    )
    found = project_findings(tmp_path, *io)
    assert [(f["path"], f["code"], f["line"], f["severity"]) for f in found] == [
        ("requirements.txt", "RL402", 2, "warning"),
        ("bin.txt", "RL402", 1, "warning"),
    ]
    assert found[1]["name"] == "unreadable-requirements"


def test_huge_requirements_file(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, None)
    with open(tmp_path / "requirements.txt", "wb") as handle:
        handle.truncate(requirements.MAX_BYTES + 1)
    finding = one(tmp_path, *io)
    assert finding["code"] == "RL402" and "too large" in finding["message"]


@pytest.mark.parametrize("word", ["RL401", "airflow-in-requirements", "rl401"])
def test_pragma_suppresses(tmp_path: Path, io: Fixture, word: str) -> None:
    project(
        tmp_path,
        f"# runtime-lint: ignore={word} -- pinned until DATA-12\n# another comment\napache-airflow==2.9.3\n"
        "apache-airflow>=2\n",
    )
    assert [f["line"] for f in project_findings(tmp_path, *io)] == [4]


def test_pragma_after_a_blank_line_does_not_suppress(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# runtime-lint: ignore=RL401\n\napache-airflow==2.9.3\n")
    assert [(f["code"], f["line"]) for f in project_findings(tmp_path, *io)] == [("RL003", 1), ("RL401", 3)]


def test_pragma_ignore_file_and_no_inline_ignores(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# runtime-lint: ignore-file=RL401\napache-airflow==2.9.3\n")
    assert project_findings(tmp_path, *io) == []
    assert [f["line"] for f in project_findings(tmp_path, *io, "--no-inline-ignores")] == [2]


@pytest.mark.parametrize("flags", [("--ignore", "RL401"), ("--ignore", "RL4"), ("--select", "RL204")])
def test_selection(tmp_path: Path, io: Fixture, flags: tuple[str, str]) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n")
    assert project_findings(tmp_path, *io, *flags) == []


def test_config_severity_and_per_file_ignores(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\napache-airflow\n")
    write(tmp_path / ".runtime-lint.toml", '[severity]\nRL401 = "info"\n')
    assert [f["severity"] for f in project_findings(tmp_path, *io)] == ["info", "info"]
    write(tmp_path / ".runtime-lint.toml", '[per-file-ignores]\n"requirements.txt" = ["RL401"]\n')
    assert project_findings(tmp_path, *io) == []


def test_not_an_astro_project(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n", astro=False)
    assert project_findings(tmp_path, *io) == []
    assert [f["code"] for f in project_findings(tmp_path, *io, "--astro-project")] == ["RL401"]
    project(tmp_path, "apache-airflow==2.9.3\n", astro=True)
    assert project_findings(tmp_path, *io, "--no-astro-project") == []


def test_no_runtime_image_is_a_warning_with_the_version_unknown(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n", dockerfile="FROM python:3.12\n")
    finding = one(tmp_path, *io)
    assert finding["severity"] == "warning"
    assert "unknown" in finding["message"]


def test_unknown_runtime_version_is_a_warning(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n", dockerfile=f"ARG V\nFROM {RT}:${{V}}\n")
    finding = one(tmp_path, *io)
    assert finding["severity"] == "warning" and "unknown" in finding["message"]


def test_several_runtime_images_are_each_checked(tmp_path: Path, io: Fixture) -> None:
    dockerfile = f"FROM {RT}:12.6.0 AS old\nFROM {RT}:13.11.0\n"
    project(tmp_path, "apache-airflow==2.11.2\n", dockerfile=dockerfile)
    finding = one(tmp_path, *io)
    assert finding["severity"] == "error"
    assert "12.6.0" in finding["message"] and "13.11.0" not in finding["message"].split("excludes")[1][:40]


def test_text_report_shows_the_requirements_line(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "pandas\napache-airflow==2.9.3  # old\n")
    code, out, _ = run(tmp_path, *io)
    assert code == 1
    assert "requirements.txt:2:1: RL401 [error]" in out
    assert "2 | apache-airflow==2.9.3  # old\n" in out
    assert "  | ^^^^^^^^^^^^^^ RL401\n" in out
    assert "Found 1 problem in 1 file (1 error)." in out


def test_clean_requirements_change_nothing(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow-providers-postgres\n")
    code, out, _ = run(tmp_path, *io)
    assert code == 0
    assert out.startswith("All checks passed: 1 file, 1 image.")


def test_sarif_carries_the_requirements_location(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "pandas\n  apache-airflow==2.9.3\n")
    code, out, _ = run(tmp_path, *io, "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)["runs"][0]
    (result,) = [r for r in sarif["results"] if r["ruleId"] == "RL401"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "requirements.txt"
    assert location["region"]["startLine"] == 2
    assert location["region"]["startColumn"] == 3
    assert result["level"] == "error"
    assert "RL401" in [rule["id"] for rule in sarif["tool"]["driver"]["rules"]]


@pytest.mark.parametrize("fmt", ["github", "gitlab", "checkstyle", "junit", "concise"])
def test_other_formats_name_the_requirements_file(tmp_path: Path, io: Fixture, fmt: str) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n")
    code, out, _ = run(tmp_path, *io, "--format", fmt)
    assert code == 1
    assert "requirements.txt" in out and "RL401" in out


def test_each_requirements_file_is_reported_once_per_run(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n", files={"Dockerfile.dev": CURRENT})
    capsys, monkeypatch = io
    monkeypatch.chdir(tmp_path)
    assert main([".", "--as-of", DAY, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["path"] for f in data["files"]] == ["Dockerfile", "requirements.txt", "Dockerfile.dev"]


def test_fix_keeps_reporting_the_pin(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "apache-airflow==2.9.3\n", dockerfile=f"FROM {RT}:13.10.0\n")
    code, out, _ = run(tmp_path, *io, "--fix")
    assert code == 1
    assert (tmp_path / "Dockerfile").read_text() == CURRENT
    assert "requirements.txt:1:1: RL401 [error]" in out and "2.11.2" in out


def test_rules_and_explain_list_rl401(io: Fixture) -> None:
    capsys, _ = io
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "RL401" in listing and "airflow-in-requirements" in listing and "RL402" in listing
    assert main(["explain", "airflow-in-requirements"]) == 0
    assert capsys.readouterr().out.startswith("# RL401 airflow-in-requirements\n")


def test_json_report_is_valid_against_its_schema(tmp_path: Path, io: Fixture) -> None:
    from jsonschema import Draft202012Validator

    project(tmp_path, "apache-airflow==2.9.3\n-r missing.txt\n")
    data = report(tmp_path, *io)
    schema = json.loads((ROOT / "runtime_lint" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    (file,) = [f for f in data["files"] if f["path"] == "requirements.txt"]
    assert file["images"] == [] and file["error"] is None
    assert [f["code"] for f in file["findings"]] == ["RL401", "RL402"]


def test_parallel_workers_report_the_requirements(tmp_path: Path, io: Fixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime_lint import run as run_module

    if not sys.platform.startswith("linux"):
        pytest.skip("workers fork on Linux only")
    for name in ("a", "b", "c", "d"):
        project(tmp_path / name, "apache-airflow==2.9.3\n")
    monkeypatch.setattr(run_module, "PARALLEL_FROM", 2)
    monkeypatch.delenv("RUNTIME_LINT_JOBS", raising=False)
    assert run_module.worker_count(4) > 1 or (os.cpu_count() or 1) == 1
    capsys, _ = io
    monkeypatch.chdir(tmp_path)
    assert main([".", "--as-of", DAY, "--format", "concise"]) == 1
    out = capsys.readouterr().out
    for name in ("a", "b", "c", "d"):
        assert out.count(f"{os.path.join('.', name, 'requirements.txt')}:1:1: RL401 [error]") == 1, out
    assert "Found 4 problems in 4 files (4 errors)." in out


def _modules_after_lint(folder: Path) -> set[str]:
    code = (
        "import sys\n"
        "from runtime_lint.cli import main\n"
        f"main(['Dockerfile', '--as-of', {DAY!r}])\n"
        "names = ('packaging', 'runtime_lint.requirements', 'runtime_lint.project')\n"
        "sys.stderr.write('\\nimported:' + ' '.join(n for n in names if n in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); exec({code!r})"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "XDG_CACHE_HOME": str(folder / "cache")},
    )
    assert "\nimported:" in proc.stderr, proc.stderr
    return set(proc.stderr.rsplit("\nimported:", 1)[1].split())


def test_lint_path_imports(tmp_path: Path) -> None:
    """Outside an Astro project nothing new is imported; in one, packaging only for an airflow line."""
    assert _modules_after_lint(project(tmp_path / "plain", "apache-airflow==2.9.3\n", astro=False)) == set()
    astro = _modules_after_lint(project(tmp_path / "astro", "pandas\napache-airflow-providers-http\n"))
    assert astro == {"runtime_lint.requirements", "runtime_lint.project", "packaging"}
    clean = _modules_after_lint(project(tmp_path / "clean", "pandas\n"))
    assert clean == {"runtime_lint.requirements", "runtime_lint.project"}


# Pragmas in requirements files are checked as in a Dockerfile: RL002 (cannot be read, unknown
# codes) and RL003 (silences nothing)


def _codes_lines(found: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in found]


def test_an_unreadable_pragma_is_rl002(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# runtime-lint: ignroe=RL401\napache-airflow==2.9.3\n")
    found = project_findings(tmp_path, *io)
    assert _codes_lines(found) == [("RL002", 1), ("RL401", 2)]
    assert found[0]["message"].startswith("cannot read pragma '# runtime-lint: ignroe=RL401'")


def test_a_pragma_naming_an_unknown_rule_is_rl002(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# runtime-lint: ignore=RL401,no-such-rule\napache-airflow==2.9.3\n")
    found = project_findings(tmp_path, *io)
    assert _codes_lines(found) == [("RL002", 1)]
    assert found[0]["message"] == "pragma names unknown rule code(s): no-such-rule"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("# runtime-lint: ignore=RL401 -- old pin\nrequests==2.31.0\n", "on the requirement right after it"),
        ("# runtime-lint: ignore-file=RL401\nrequests==2.31.0\n", "in this file"),
        ("# runtime-lint: ignore=RL204\napache-airflow==2.9.3\n", "on the requirement right after it"),
    ],
)
def test_a_pragma_that_silences_nothing_is_rl003(tmp_path: Path, io: Fixture, text: str, where: str) -> None:
    project(tmp_path, text)
    found = [f for f in project_findings(tmp_path, *io) if f["code"] == "RL003"]
    assert _codes_lines(found) == [("RL003", 1)]
    code = "RL204" if "RL204" in text else "RL401"
    assert found[0]["message"] == f"{code} is suppressed but does not fire {where}: remove it from the pragma"


def test_used_pragmas_are_not_rl003(tmp_path: Path, io: Fixture) -> None:
    project(
        tmp_path,
        "# runtime-lint: ignore-file=RL401\napache-airflow==2.9.3\n# runtime-lint: ignore=RL401\napache-airflow\n",
    )
    assert project_findings(tmp_path, *io) == []


def test_pragma_rules_follow_the_selection(tmp_path: Path, io: Fixture) -> None:
    project(tmp_path, "# runtime-lint: ignroe=RL401\n# runtime-lint: ignore=RL401\nrequests\n")
    assert _codes_lines(project_findings(tmp_path, *io, "--ignore", "RL002,RL003")) == []
    # disregarded pragmas silence nothing and are not judged, but RL002 still reads them (as in a Dockerfile)
    assert _codes_lines(project_findings(tmp_path, *io, "--no-inline-ignores")) == [("RL002", 1)]
