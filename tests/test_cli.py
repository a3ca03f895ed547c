"""The installed command end to end: exit codes, discovery, formats, subcommands, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PACKAGE_PARENT, Cli, write

RT = "quay.io/astronomer/astro-runtime"
DAY = ("--as-of", "2026-11-28")


# Exit codes --------------------------------------------------------------------------------------


def test_exit_codes_follow_fail_on(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.10.0-base\n")  # RL204 warning + RL103 info
    assert cli("Dockerfile", *DAY, cwd=tmp_path).code == 1
    assert cli("Dockerfile", *DAY, "--fail-on", "error", cwd=tmp_path).code == 0
    assert cli("Dockerfile", *DAY, "--fail-on", "info", "--select", "RL103", cwd=tmp_path).code == 1
    assert cli("Dockerfile", *DAY, "--fail-on", "never", cwd=tmp_path).code == 0
    assert cli("Dockerfile", *DAY, "--exit-zero", cwd=tmp_path).code == 0


def test_clean_file_exits_0_and_says_so(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.11.0\n")
    result = cli("Dockerfile", *DAY, cwd=tmp_path)
    assert result.code == 0
    assert "All checks passed: 1 file, 1 image." in result.out


def test_file_errors_exit_2_and_other_files_are_still_linted(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "good" / "Dockerfile", f"FROM {RT}:12.6.0\n")
    write(tmp_path / "binary.Dockerfile", b"FROM \x00\x01\x02")
    write(tmp_path / "latin1.Dockerfile", "FROM caf\xe9\n".encode("latin-1"))
    (tmp_path / "dir.Dockerfile").mkdir()
    result = cli(
        "good/Dockerfile",
        "binary.Dockerfile",
        "latin1.Dockerfile",
        "missing/Dockerfile",
        *DAY,
        "--format",
        "concise",
        cwd=tmp_path,
    )
    assert result.code == 2
    errors = result.err.strip().splitlines()
    assert any("binary.Dockerfile: is a binary file" in line for line in errors)
    assert any("latin1.Dockerfile: is not valid UTF-8 (byte 0xe9 at line 1, column 9)" in line for line in errors)
    assert any("missing/Dockerfile: no such file or directory" in line for line in errors)
    assert "Traceback" not in result.err
    assert "good/Dockerfile:1:6: RL204" in result.out  # linting went on


def test_directory_named_dockerfile_given_explicitly(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    result = cli("check", "Dockerfile/", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert "no Dockerfiles found" in result.err


# Discovery -----------------------------------------------------------------------------------------


def test_discovery_names_and_skipped_folders(cli: Cli, tmp_path: Path) -> None:
    body = f"FROM {RT}:12.8.0\n"
    for name in [
        "Dockerfile",
        "svc/Dockerfile.dev",
        "svc/Dockerfile-prod",
        "svc/api.Dockerfile",
        "svc/worker.dockerfile",
        "svc/Containerfile",
        ".git/Dockerfile",
        "node_modules/x/Dockerfile",
        "env/lib/Dockerfile",
        "svc/README.md",
        "svc/dockerfile.txt",
        "svc/Dockerfile.dockerignore",
    ]:
        write(tmp_path / name, body)
    write(tmp_path / "env" / "pyvenv.cfg", "home = /usr\n")
    result = cli(".", *DAY, "--format", "json", cwd=tmp_path)
    paths = [f["path"] for f in json.loads(result.out)["files"]]
    assert paths == [  # JSON paths are relative to the root (report_path): no `./`
        "Dockerfile",
        "svc/Containerfile",
        "svc/Dockerfile-prod",
        "svc/Dockerfile.dev",
        "svc/api.Dockerfile",
        "svc/worker.dockerfile",
    ]


def test_default_path_is_the_current_folder(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    result = cli(*DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert "./Dockerfile:1:6: RL204" in result.out


def test_stdin_with_filename(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "proj" / ".astro").mkdir(parents=True)
    result = cli(
        "-",
        "--stdin-filename",
        "proj/Dockerfile",
        *DAY,
        "--format",
        "concise",
        stdin="FROM python:3.12\n",
        cwd=tmp_path,
    )
    assert result.code == 1
    assert result.out.startswith("proj/Dockerfile:1:6: RL106")


# Output formats ------------------------------------------------------------------------------------


def test_text_format_shows_source_span_fix_and_summary(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"ARG V=13.10.0\nFROM {RT}:${{V}}\n")
    out = cli("Dockerfile", *DAY, cwd=tmp_path).out
    assert "Dockerfile:2:6: RL204 [warning] Astro Runtime 13.10.0 is not the latest release of Runtime 13" in out
    assert f"2 | FROM {RT}:${{V}}\n" in out
    assert "  |      " + "^" * len(f"{RT}:${{V}}") + " RL204" in out
    assert "= fix (safe): update to 13.11.0 (line 1)" in out
    assert "Found 1 problem in 1 file (1 warning)." in out
    assert "1 fixable with --fix." in out


def test_quiet_and_statistics(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0-base AS a\nFROM {RT}:12.6.0-base\n")
    quiet = cli("Dockerfile", *DAY, "-q", "--format", "concise", cwd=tmp_path)
    assert "Found" not in quiet.out and quiet.err == ""
    stats = cli("Dockerfile", *DAY, "-q", "--statistics", "--format", "concise", cwd=tmp_path)
    assert "2\tRL204\t[*] patch-not-latest\n" in stats.out
    assert "1\tRL103\timage-flavor\n" in stats.out


def test_json_format_is_the_documented_document(cli: Cli, tmp_path: Path) -> None:
    digest = "sha256:" + "b" * 64
    write(
        tmp_path / "Dockerfile",
        f"ARG V=13.10.0\nFROM --platform=linux/amd64 {RT}:${{V}}-python-3.12@{digest} AS Build\nFROM build\n",
    )
    doc = json.loads(cli("Dockerfile", *DAY, "--format", "json", cwd=tmp_path).out)
    assert set(doc) == {"schema_version", "tool", "as_of", "catalog", "files", "summary"}
    assert doc["tool"]["name"] == "runtime-lint"
    assert doc["as_of"] == "2026-11-28"
    assert {"source", "generated", "releases"} <= set(doc["catalog"])
    (file,) = doc["files"]
    first, second = file["images"]
    assert {
        "line",
        "column",
        "raw",
        "resolved",
        "registry",
        "repository",
        "tag",
        "digest",
        "alias",
        "platform",
        "stage_ref",
        "runtime",
    } <= set(first)
    assert (first["line"], first["column"]) == (2, 29)
    assert first["raw"] == f"{RT}:${{V}}-python-3.12@{digest}"
    assert first["resolved"] == f"{RT}:13.10.0-python-3.12@{digest}"
    assert (first["registry"], first["repository"], first["tag"], first["digest"]) == (
        "quay.io",
        "astronomer/astro-runtime",
        "13.10.0-python-3.12",
        digest,
    )
    assert (first["alias"], first["platform"], first["stage_ref"]) == ("Build", "linux/amd64", None)
    runtime = first["runtime"]
    assert {
        "version",
        "flavor",
        "python",
        "airflow",
        "channel",
        "release_date",
        "end_of_maintenance",
        "end_of_basic_support",
        "status",
    } <= set(runtime)
    assert (runtime["version"], runtime["flavor"], runtime["python"], runtime["airflow"]) == (
        "13.10.0",
        "non-base",
        "3.12",
        "2.11.2",
    )
    assert (runtime["end_of_maintenance"], runtime["end_of_basic_support"]) == ("2027-04-30", "2027-11-30")
    assert second["stage_ref"] == 0 and second["runtime"] is None
    (finding,) = file["findings"]
    assert finding["code"] == "RL204" and finding["name"] == "patch-not-latest" and finding["severity"] == "warning"
    # pinned by digest, the tag from an ARG and the FROM line: no edit can re-pin it, and it says so
    assert finding["fix"] is None
    assert finding["message"].endswith("change the tag and pin the new digest by hand")
    write(tmp_path / "Dockerfile", f"ARG V=13.10.0\nFROM {RT}:${{V}}-python-3.12\n")
    (finding,) = json.loads(cli("Dockerfile", *DAY, "--format", "json", cwd=tmp_path).out)["files"][0]["findings"]
    assert finding["fix"] == {
        "replacement": "13.11.0",
        "line": 1,
        "column": 7,
        "end_line": 1,
        "end_column": 14,
        "safe": True,
        "description": "update to 13.11.0-python-3.12",
        "replaced_by": None,
    }
    assert doc["summary"] == {
        "files": 1,
        "findings": 1,
        "by_severity": {"error": 0, "warning": 1, "info": 0},
        "errors": 0,
    }


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.10.0\n")
    result = cli("Dockerfile", *DAY, "--format", "json", "-o", "report.json", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["findings"] == 1


def test_format_from_environment(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.10.0\n")
    result = cli("Dockerfile", *DAY, cwd=tmp_path, env={"RUNTIME_LINT_FORMAT": "concise"})
    assert result.out.splitlines()[0].startswith("Dockerfile:1:6: RL204 [warning]")


def test_color_only_when_asked(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    plain = cli("Dockerfile", *DAY, cwd=tmp_path)
    assert "\x1b[" not in plain.out
    env = {"FORCE_COLOR": "1", "NO_COLOR": ""}
    colored = cli("Dockerfile", *DAY, cwd=tmp_path, env=env)
    assert "\x1b[" in colored.out
    assert "\x1b[" not in cli("Dockerfile", *DAY, "--no-color", cwd=tmp_path, env=env).out


# Subcommands ---------------------------------------------------------------------------------------


def test_images_inventory_table_and_json(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "a" / "Dockerfile", f"FROM {RT}:11.8.0\n")
    write(tmp_path / "b" / "Dockerfile", "ARG T\nFROM astrocrpublic.azurecr.io/runtime:${T}\n")
    table = cli("images", ".", *DAY, cwd=tmp_path)
    assert table.code == 0
    lines = table.out.splitlines()
    columns = re.split(r"\s{2,}", lines[0].strip())  # headers such as "MAINTAINED UNTIL" hold one space
    assert columns == [
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
    # Runtime 11: maintenance ended 2025-10-31, basic support 2026-10-31, so ended as of 2026-11-28
    assert lines[1].split() == [
        "a/Dockerfile",  # as check's machine formats write it: no leading ./
        "1",
        f"{RT}:11.8.0",
        "11.8.0",
        "2.9.3",
        "2025-10-31",
        "2026-10-31",
        "ended",
        "11.20.0",
    ]
    assert "unresolved" in lines[2]
    doc = json.loads(cli("images", ".", *DAY, "--format", "json", cwd=tmp_path).out)
    full = json.loads(cli(".", *DAY, "--format", "json", cwd=tmp_path).out)
    assert [f["images"] for f in doc["files"]] == [f["images"] for f in full["files"]]


def test_rules_and_explain(cli: Cli) -> None:
    rules = json.loads(cli("rules", "--format", "json").out)
    assert [r["code"] for r in rules][:4] == ["RL001", "RL002", "RL003", "RL101"]
    assert next(r for r in rules if r["code"] == "RL204")["fixable"] == "safe/unsafe"  # unsafe with a digest
    assert cli("explain", "nope").code == 2


def test_catalog_list_and_show(cli: Cli) -> None:
    listing = cli("catalog", "list", "--line", "11", "--as-of", "2025-09-01")
    assert listing.code == 0
    assert "11.8.0" in listing.out and "ending-soon" in listing.out and "12.0.0" not in listing.out
    doc = json.loads(cli("catalog", "list", "--format", "json", "--status", "yanked", *DAY).out)
    assert {r["version"] for r in doc["releases"]} >= {"8.0.0", "9.0.0", "11.1.0"}
    assert all(r["status"] == "yanked" for r in doc["releases"])
    assert doc["catalog"]["origin"] == "bundled"
    before = json.loads(cli("catalog", "list", "--format", "json", "--as-of", "2022-01-01").out)
    assert "5.0.0" not in {r["version"] for r in before["releases"]}  # released 2022-04-30
    show = json.loads(cli("catalog", "show", "11.0.0", "--format", "json", *DAY).out)
    assert show["yanked"] and "db migration" in show["yanked_reason"] and show["latest_in_line"] == "11.20.0"
    assert cli("catalog", "show", "99.0.0").code == 2


def test_version_and_help(cli: Cli) -> None:
    from runtime_lint import __version__

    assert cli("--version").out == f"runtime-lint {__version__}\n"
    assert "runtime-lint explain CODE" in cli("--help").out
    assert "--fail-on" in cli("check", "--help").out


def test_broken_catalog_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.6.0\n")
    write(tmp_path / "bad.json", "{not json")
    write(
        tmp_path / "shape.json",
        '{"format": 1, "source": "x", "generated": "2026-01-01", "releases": [{"version": "banana"}]}',
    )
    for name, message in [
        ("bad.json", "not valid JSON"),
        ("shape.json", "not a runtime-lint catalog"),
        ("nope.json", "no such file"),
    ]:
        result = cli("Dockerfile", *DAY, "--catalog", name, cwd=tmp_path)
        assert result.code == 2
        assert len(result.err.strip().splitlines()) == 1 and message in result.err and name in result.err


# Plugins ---------------------------------------------------------------------------------------------


PLUGIN = """
from runtime_lint.checks import WARNING, Hit, rule


@rule("ACME001", "no-friday-builds", WARNING, "A plugin rule that flags every image")
def no_friday(image, ctx):
    yield Hit(f"plugin saw {image.inst.resolved}", image.span)
"""


@pytest.mark.slow
def test_third_party_rule_from_an_installed_plugin(tmp_path: Path) -> None:
    project = tmp_path / "plugin"
    write(project / "acme_rules.py", PLUGIN)
    write(
        project / "pyproject.toml",
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "acme-runtime-lint-rules"\nversion = "1.0"\n\n'
        '[project.entry-points."runtime_lint.rules"]\nacme = "acme_rules"\n\n'
        '[tool.setuptools]\npy-modules = ["acme_rules"]\n',
    )
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(project)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.11.0\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), str(PACKAGE_PARENT)]))
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "Dockerfile", *DAY, "--format", "concise"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"Dockerfile:1:6: ACME001 [warning] plugin saw {RT}:13.11.0" in proc.stdout
    rules = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "rules"], env=env, capture_output=True, text=True, timeout=120
    ).stdout
    assert "ACME001" in rules and "no-friday-builds" in rules


def test_an_internal_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # a plugin rule that crashes stands in for any bug: exit 2, not 1 ("findings"), and no traceback
    write(
        tmp_path / "site" / "crash_rules.py",
        "from runtime_lint.checks import ERROR, rule\n\n\n"
        "@rule('CRASH1', 'crash', ERROR, 'x')\n"
        "def crash(image, ctx):\n    raise RuntimeError('boom')\n    yield\n",
    )
    dist = tmp_path / "site" / "crash_rules-1.0.dist-info"
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: crash-rules\nVersion: 1.0\n")
    write(dist / "entry_points.txt", "[runtime_lint.rules]\ncrash = crash_rules\n")
    write(tmp_path / "Dockerfile", f"FROM {RT}:12.8.0\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path / "site"), str(PACKAGE_PARENT)]))
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "Dockerfile", *DAY],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("runtime-lint: internal error: RuntimeError: boom (set RUNTIME_LINT_DEBUG=1")
    debug = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "Dockerfile", *DAY],
        cwd=tmp_path,
        env=dict(env, RUNTIME_LINT_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" in debug.stderr


def test_text_summary_names_the_day_and_the_catalog(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"FROM {RT}:13.11.0\n")
    out = cli("Dockerfile", *DAY, cwd=tmp_path).out
    assert "Checked as of 2026-11-28 against the bundled release catalog (data as of 2026-09-25)." in out


# The command exits through cli.run(): os._exit after flushing, without the interpreter's teardown.


def test_the_command_flushes_everything_before_it_exits(tmp_path: Path) -> None:
    for k in range(300):
        write(tmp_path / f"p{k}" / "Dockerfile", f"FROM {RT}:13.10.0\n")
    command = [sys.executable, "-m", "runtime_lint", ".", *DAY, "--no-color"]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout.count("RL204 [warning]") == 300  # 300 reports, nothing lost in a buffer
    assert proc.stdout.rstrip().endswith("(data as of 2026-09-25).")
    report = tmp_path / "report.txt"
    proc = subprocess.run(
        [*command, "--output", str(report)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1 and proc.stdout == ""
    assert report.read_text().count("RL204 [warning]") == 300


def test_a_closed_pipe_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    for k in range(2000):
        write(tmp_path / f"p{k:04}" / "Dockerfile", f"FROM {RT}:12.5.0\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "runtime_lint", ".", *DAY, "--no-color"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2
    assert "Traceback" not in err and "Exception ignored" not in err
