"""Paths in the machine formats are relative to the repository root the CI names.

GITHUB_WORKSPACE (GitHub Actions), else CI_PROJECT_DIR (GitLab CI), else the current folder, when
the current folder is inside it; with forward slashes. A file outside that root keeps the path it
was given (relative to the current folder, or absolute); SARIF gives it an absolute `file:` URI.
text and concise stay relative to the current folder.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write

from runtime_lint import report
from runtime_lint.cli import main

RT = "quay.io/astronomer/astro-runtime"
PATCH = f"FROM {RT}:13.10.0\n"  # RL204 warning
DAY = ("--as-of", "2026-11-28")
MACHINE = ("json", "sarif", "github", "gitlab", "checkstyle", "junit")


@pytest.fixture(autouse=True)
def _no_ci_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests set the CI's variables themselves (and may run inside a CI that set them)."""
    for name in (*report.ROOT_VARIABLES, "GITHUB_STEP_SUMMARY", "RUNTIME_LINT_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a service folder: repo/svc/etl/Dockerfile."""
    root = tmp_path / "repo"
    write(root / "svc" / "etl" / "Dockerfile", PATCH)
    write(root / "other" / "Dockerfile", PATCH)
    return root


def lint(capsys: pytest.CaptureFixture[str], fmt: str, *paths: str) -> str:
    code = main(["check", *paths, *DAY, "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1, out
    return out


def paths_in(fmt: str, out: str) -> list[str]:
    """The file paths a report names, read back as its consumer reads them."""
    if fmt == "json":
        return [f["path"] for f in json.loads(out)["files"]]
    if fmt == "sarif":
        run = json.loads(out)["runs"][0]
        return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    if fmt == "github":
        return [line.split("file=", 1)[1].split(",", 1)[0] for line in out.splitlines() if line.startswith("::")]
    if fmt == "gitlab":
        return [issue["location"]["path"] for issue in json.loads(out)]
    if fmt == "checkstyle":
        return [element.get("name", "") for element in ET.fromstring(out).iter("file")]
    assert fmt == "junit"
    return [element.get("name", "") for element in ET.fromstring(out).iter("testsuite")]


# ---------------------------------------------------------------------------------- end to end


@pytest.mark.parametrize("variable", report.ROOT_VARIABLES)
@pytest.mark.parametrize("fmt", MACHINE)
def test_machine_formats_are_relative_to_the_ci_root(
    fmt: str, variable: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, str(repo))
    monkeypatch.chdir(repo / "svc")
    assert paths_in(fmt, lint(capsys, fmt, "etl/Dockerfile")) == ["svc/etl/Dockerfile"]
    # a folder, `./` and an absolute path name the same file the same way
    assert paths_in(fmt, lint(capsys, fmt, "./etl")) == ["svc/etl/Dockerfile"]
    assert paths_in(fmt, lint(capsys, fmt, str(repo / "svc" / "etl" / "Dockerfile"))) == ["svc/etl/Dockerfile"]


@pytest.mark.parametrize("fmt", MACHINE)
def test_without_a_ci_root_paths_are_relative_to_the_current_folder(
    fmt: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "svc")
    assert paths_in(fmt, lint(capsys, fmt, "etl/Dockerfile")) == ["etl/Dockerfile"]


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_text_formats_stay_relative_to_the_current_folder(
    fmt: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.chdir(repo / "svc")
    out = lint(capsys, fmt, "etl/Dockerfile")
    assert out.startswith("etl/Dockerfile:1:6: RL204"), out
    assert "svc/etl" not in out


def test_github_workspace_comes_before_ci_project_dir(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.setenv("CI_PROJECT_DIR", str(repo / "svc"))
    monkeypatch.chdir(repo / "svc")
    assert paths_in("github", lint(capsys, "github", "etl/Dockerfile")) == ["svc/etl/Dockerfile"]


def test_a_ci_root_the_current_folder_is_not_in_is_not_used(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linting outside the checkout (a scratch folder of the job): relative to where it runs."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "svc"))
    monkeypatch.chdir(repo)
    assert paths_in("github", lint(capsys, "github", "other/Dockerfile")) == ["other/Dockerfile"]


def test_sarif_srcroot_is_the_ci_root(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.chdir(repo / "svc")
    run = json.loads(lint(capsys, "sarif", "etl"))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert run["invocations"][0]["workingDirectory"]["uri"] == (repo / "svc").resolve().as_uri() + "/"
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "svc/etl/Dockerfile", "uriBaseId": "%SRCROOT%"}


@pytest.mark.parametrize("fmt", MACHINE)
def test_a_file_outside_the_root_keeps_the_path_it_was_given(
    fmt: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "svc"))
    monkeypatch.chdir(repo / "svc")
    given = os.path.join("..", "other", "Dockerfile")
    absolute = str(repo / "other" / "Dockerfile")
    if fmt == "sarif":  # SARIF: an absolute file URI, never a relative one escaping %SRCROOT%
        expected = Path(absolute).as_uri()
        assert paths_in(fmt, lint(capsys, fmt, given)) == [expected]
        assert paths_in(fmt, lint(capsys, fmt, absolute)) == [expected]
        return
    assert paths_in(fmt, lint(capsys, fmt, given)) == ["../other/Dockerfile"]
    assert paths_in(fmt, lint(capsys, fmt, absolute)) == [absolute.replace(os.sep, "/")]


def test_job_summary_paths_are_relative_to_the_root(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.chdir(repo / "svc")
    lint(capsys, "github", "etl/Dockerfile")
    assert "| `svc/etl/Dockerfile:1` | [RL204]" in summary.read_text(encoding="utf-8")


def test_stdin_filename_is_relative_to_the_root(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    monkeypatch.chdir(repo / "svc")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PATCH.encode())))
    out = lint(capsys, "github", "-", "--stdin-filename", "etl/Dockerfile")
    assert paths_in("github", out) == ["svc/etl/Dockerfile"]


def images_paths(capsys: pytest.CaptureFixture[str], fmt: str, *paths: str) -> list[str]:
    """The FILE column (table, csv) or the files' `path` (json) of `runtime-lint images`."""
    code = main(["images", *paths, *DAY, "--format", fmt, "--no-color"])
    out = capsys.readouterr().out
    assert code == 0, out
    if fmt == "json":
        return [f["path"] for f in json.loads(out)["files"]]
    if fmt == "csv":
        import csv

        return [row[0] for row in list(csv.reader(out.splitlines()))[1:]]
    lines = out.splitlines()
    assert lines[0].startswith("FILE ") and lines[-1].startswith("(as of ")
    return [line.split("  ", 1)[0] for line in lines[1:-1]]


IMAGES_FORMATS = ("table", "csv", "json")


@pytest.mark.parametrize("variable", report.ROOT_VARIABLES)
@pytest.mark.parametrize("fmt", IMAGES_FORMATS)
def test_images_paths_are_relative_to_the_ci_root(
    fmt: str, variable: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, str(repo))
    monkeypatch.chdir(repo / "svc")
    absolute = str(repo / "svc" / "etl" / "Dockerfile")
    for given in ("etl/Dockerfile", "./etl", "etl/../etl/Dockerfile", absolute):
        assert images_paths(capsys, fmt, given) == ["svc/etl/Dockerfile"], given


@pytest.mark.parametrize("fmt", IMAGES_FORMATS)
def test_images_paths_without_a_ci_root_and_outside_it(
    fmt: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert images_paths(capsys, fmt, "./svc") == ["svc/etl/Dockerfile"]  # no leading `./`
    assert images_paths(capsys, fmt, ".") == ["other/Dockerfile", "svc/etl/Dockerfile"]
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo / "svc"))
    monkeypatch.chdir(repo / "svc")
    absolute = str(repo / "other" / "Dockerfile")
    assert images_paths(capsys, fmt, os.path.join("..", "other")) == ["../other/Dockerfile"]
    assert images_paths(capsys, fmt, absolute) == [absolute.replace(os.sep, "/")]


# ---------------------------------------------------------------------------------------- units


def test_report_path_units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    (root / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(root / "a")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    assert report.report_root() == str(root)
    assert report.report_path("b/Dockerfile") == "a/b/Dockerfile"
    assert report.report_path("./b/../b/Dockerfile") == "a/b/Dockerfile"
    assert report.report_path(".") == "a"
    assert report.report_path("-") == "-"  # stdin without --stdin-filename
    assert report.report_path("../../elsewhere/Dockerfile") == "../../elsewhere/Dockerfile"
    assert report.root_relative("../../elsewhere/Dockerfile") is None
    monkeypatch.setenv("GITHUB_WORKSPACE", "")  # empty: not set
    assert report.report_root() == str(root / "a")
    assert report.report_path("b/Dockerfile") == "b/Dockerfile"


def test_a_root_named_through_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "svc").mkdir(parents=True)
    link = tmp_path / "link"
    try:
        link.symlink_to(real, target_is_directory=True)
    except OSError:
        pytest.skip("cannot make a symlink here")
    monkeypatch.setenv("CI_PROJECT_DIR", str(link))
    monkeypatch.chdir(real / "svc")  # getcwd() gives the real path
    assert report.report_path("Dockerfile") == "svc/Dockerfile"


def test_windows_separators_become_forward_slashes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert report.posix("svc/etl/Dockerfile") == "svc/etl/Dockerfile"
    monkeypatch.setattr(os, "sep", "\\")
    assert report.posix("svc\\etl\\Dockerfile") == "svc/etl/Dockerfile"
