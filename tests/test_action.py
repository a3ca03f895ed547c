"""The composite GitHub Action in `action.yml`.

It is validated against the GitHub Action schema that check-jsonschema vendors, checked for
dangling `${{ inputs.X }}` and `steps.X` references and for expressions inside `run:` scripts,
and its shell steps are run here as the runner would run them (`bash --noprofile --norc -eo
pipefail`, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE and RUNNER_TEMP), with the
setup-python and actions/cache steps stood in for (what they were given is recorded).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
BAD = "FROM quay.io/astronomer/astro-runtime:13.10.0\n"  # RL204 only: the latest of Runtime 13 is 13.11.0
GOOD = "FROM quay.io/astronomer/astro-runtime:13.11.0\n"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _action() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    doc = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _steps() -> list[dict[str, Any]]:
    steps = _action()["runs"]["steps"]
    assert isinstance(steps, list)
    return steps


def _check_jsonschema() -> list[str]:
    """The check-jsonschema installed beside this Python (the test extra), else skip."""
    folder = Path(sys.executable).parent
    found = shutil.which("check-jsonschema", path=str(folder))
    if found is not None:
        return [found]
    pytest.importorskip("check_jsonschema")
    return [sys.executable, "-m", "check_jsonschema"]


# ------------------------------------------------------------------------------ the definition


def test_action_matches_the_github_action_schema() -> None:
    proc = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_input_used_is_declared_and_every_declared_input_is_used() -> None:
    text = ACTION.read_text(encoding="utf-8")
    declared = set(_action()["inputs"])
    used: set[str] = set()
    for expr in EXPR.findall(text):
        used.update(re.findall(r"\binputs\.([A-Za-z_][\w-]*)", expr))
        used.update(re.findall(r"\binputs\[\s*'([^']+)'\s*\]", expr))
    for step in _steps():  # `if:` takes a bare expression
        used.update(re.findall(r"\binputs\.([A-Za-z_][\w-]*)", str(step.get("if", ""))))
    assert used - declared == set(), "used but not declared"
    assert declared - used == set(), "declared but never used"


def test_inputs_have_the_documented_defaults() -> None:
    inputs = _action()["inputs"]
    assert set(inputs) == {
        "paths",
        "working-directory",
        "format",
        "fail-on",
        "version",
        "args",
        "sarif-file",
        "summary",
        "python-version",
        "compile",
        "update-catalog",
    }
    assert inputs["paths"]["default"] == "."
    assert inputs["compile"]["default"] == "false"  # a few Dockerfiles: not worth half a minute of compiling
    assert inputs["format"]["default"] == "github"
    assert inputs["version"]["default"] == ""  # the action's own checkout
    assert inputs["sarif-file"]["default"] == ""
    assert inputs["working-directory"]["default"] == ""  # the workspace
    assert inputs["summary"]["default"] == "true"
    for spec in inputs.values():
        assert spec["description"]
        assert spec.get("required", False) is False


def test_step_references_resolve() -> None:
    steps = _steps()
    ids: list[str] = []
    for step in steps:
        for expr in [*EXPR.findall(json.dumps(step)), str(step.get("if", ""))]:
            for ref in re.findall(r"\bsteps\.([\w-]+)\.", expr):
                assert ref in ids, f"step '{ref}' is used before it is defined (or never)"
        if "id" in step:
            ids.append(step["id"])
    for name, output in _action()["outputs"].items():
        refs = re.findall(r"\bsteps\.([\w-]+)\.outputs\.([\w-]+)", output["value"])
        assert refs, name
        for step_id, key in refs:
            assert step_id in ids
            script = next(s["run"] for s in steps if s.get("id") == step_id)
            assert f"{key}=" in script, f"output {name}: step {step_id} never writes {key}"


def test_no_expression_inside_a_script() -> None:
    """Inputs reach `run:` scripts through `env:` only: an expression in a script is pasted into
    the shell source before it runs (script injection)."""
    assert _action()["runs"]["using"] == "composite"
    for step in _steps():
        if "run" in step:
            assert not EXPR.search(step["run"]), step.get("name")
            assert step["shell"] == "bash"


def test_setup_python_leaves_the_job_environment_alone() -> None:
    uses = [s for s in _steps() if "uses" in s]
    assert [s["uses"].split("@")[0] for s in uses] == ["actions/setup-python", "actions/cache"]
    assert uses[0]["with"]["update-environment"] is False


def test_pip_cache_is_restored_before_installing_and_used_by_pip() -> None:
    steps = _steps()
    names = [s.get("id") or s.get("uses", "").split("@")[0] for s in steps]
    assert names.index("prepare") < names.index("actions/cache") < names.index("install")
    cache = steps[names.index("actions/cache")]
    assert cache["uses"] == "actions/cache@v4"
    assert cache["with"]["path"] == "${{ steps.prepare.outputs.pip-cache }}"
    assert cache["with"]["key"] == "${{ steps.prepare.outputs.cache-key }}"
    install = steps[names.index("install")]
    assert install["env"]["PIP_CACHE_DIR"] == "${{ steps.prepare.outputs.pip-cache }}"
    expressions = EXPR.findall(ACTION.read_text(encoding="utf-8"))
    assert not [e for e in expressions if "hashFiles" in e]  # it reads only the workspace, not the action


# --------------------------------------------------------------------- the scripts, run locally


def _evaluate(value: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    def one(match: re.Match[str]) -> str:
        expr = match.group(1)
        if m := re.fullmatch(r"inputs\.([\w-]+)", expr):
            return inputs[m.group(1)]
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            return outputs.get(m.group(1), {}).get(m.group(2), "")
        if expr == "github.action_path":
            return str(ROOT)
        raise AssertionError(f"the local runner does not know the expression {expr!r}")

    return EXPR.sub(one, value)


def _condition(expr: str, inputs: dict[str, str]) -> bool:
    m = re.fullmatch(r"inputs\.([\w-]+)\s*!=\s*'([^']*)'", expr.strip())
    assert m, f"the local runner does not know the condition {expr!r}"
    return inputs[m.group(1)] != m.group(2)


class ActionRun:
    def __init__(
        self,
        code: int,
        out: str,
        err: str,
        steps: dict[str, dict[str, str]],
        uses: dict[str, dict[str, str]],
        summary: str,
    ) -> None:
        self.code = code
        self.out = out
        self.err = err
        self.outputs = steps.get("lint", {})  # the lint step's: what the action's outputs read
        self.steps = steps  # every step's outputs, by id
        self.uses = uses  # what each `uses:` step was given (`with:`, evaluated), by action name
        self.summary = summary  # what was appended to GITHUB_STEP_SUMMARY

    def __repr__(self) -> str:
        return f"ActionRun(code={self.code}, outputs={self.outputs}, out={self.out!r}, err={self.err!r})"


def run_action(workspace: Path, with_: dict[str, str], *, install: bool) -> ActionRun:
    """Run the action's steps in `workspace` as a runner would. setup-python is stood in for by
    this Python; with install=False the install step is too (this Python has runtime-lint)."""
    bash = shutil.which("bash")
    if bash is None or os.name == "nt":
        pytest.skip("needs bash on a POSIX system")
    action = _action()
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(with_) - set(inputs)
    assert not unknown, f"not inputs of the action: {unknown}"
    inputs["update-catalog"] = "false"  # tests reach no feed unless they say so (and serve one)
    inputs.update(with_)
    temp = workspace.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    summary = temp / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    outputs: dict[str, dict[str, str]] = {}
    uses: dict[str, dict[str, str]] = {}
    out, err = "", ""

    def done(code: int) -> ActionRun:
        return ActionRun(code, out, err, outputs, uses, summary.read_text(encoding="utf-8"))

    for k, step in enumerate(_steps()):
        if "if" in step and not _condition(step["if"], inputs):
            continue
        step_id = step.get("id", f"step{k}")
        if "uses" in step:
            action_name = step["uses"].split("@")[0]
            uses[action_name] = {key: _evaluate(str(value), inputs, outputs) for key, value in step["with"].items()}
            if action_name == "actions/setup-python":
                version = "{}.{}".format(*sys.version_info[:2])
                outputs[step_id] = {"python-path": sys.executable, "python-version": version}
            else:
                assert action_name == "actions/cache", f"the local runner does not stand in for {action_name}"
                outputs[step_id] = {"cache-hit": "false"}
            continue
        if step_id == "install" and not install:
            outputs[step_id] = {"python": sys.executable}
            continue
        github_output = temp / f"output-{k}"
        github_output.write_text("", encoding="utf-8")
        script = temp / f"step-{k}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("GITHUB_", "RL_", "RUNTIME_LINT_")) and name not in ("CI_PROJECT_DIR", "RUNNER_OS")
        }
        env.update(
            GITHUB_ACTIONS="true",
            GITHUB_OUTPUT=str(github_output),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_WORKSPACE=str(workspace),
            RUNNER_TEMP=str(temp),
        )
        env.update({name: _evaluate(str(value), inputs, outputs) for name, value in step.get("env", {}).items()})
        proc = subprocess.run(
            [bash, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        out += proc.stdout
        err += proc.stderr
        outputs[step_id] = dict(
            line.split("=", 1) for line in github_output.read_text(encoding="utf-8").splitlines() if "=" in line
        )
        if proc.returncode != 0:
            return done(proc.returncode)
    return done(0)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "docker").mkdir(parents=True)
    (ws / "Dockerfile").write_text(BAD, encoding="utf-8")
    (ws / "docker" / "good.Dockerfile").write_text(GOOD, encoding="utf-8")
    return ws


AS_OF = "--as-of 2026-11-28"


def _sarif_rules(path: Path) -> list[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [result["ruleId"] for run in doc["runs"] for result in run["results"]]


def test_findings_fail_the_step_and_the_sarif_is_still_written(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "sarif-file": "reports/runtime-lint.sarif"}, install=False)
    assert run.code == 1, run
    assert "::warning file=Dockerfile,line=1,col=6" in run.out
    assert "title=RL204" in run.out
    assert run.outputs == {
        "exit-code": "1",
        "sarif-file": "reports/runtime-lint.sarif",
        "findings": "1",
        "errors": "0",
    }
    assert _sarif_rules(workspace / "reports" / "runtime-lint.sarif") == ["RL204"]


def test_fail_on_decides_the_exit_code_not_the_sarif(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "fail-on": "error", "sarif-file": "out.sarif"}, install=False)
    assert run.code == 0, run
    assert run.outputs["exit-code"] == "0"
    assert _sarif_rules(workspace / "out.sarif") == ["RL204"]


def test_without_sarif_file_nothing_else_is_written(workspace: Path) -> None:
    before = sorted(p.name for p in workspace.rglob("*"))
    run = run_action(workspace, {"args": AS_OF, "paths": "docker"}, install=False)
    assert run.code == 0, run
    assert run.outputs == {"exit-code": "0", "findings": "0", "errors": "0"}
    assert sorted(p.name for p in workspace.rglob("*")) == before


def test_paths_and_args_are_split_on_whitespace_without_globbing(workspace: Path) -> None:
    run = run_action(
        workspace,
        {"args": f"{AS_OF}  --ignore RL204\n", "paths": "Dockerfile\n docker/good.Dockerfile\n", "format": "concise"},
        install=False,
    )
    assert run.code == 0, run
    assert "All checks passed: 2 files, 2 images." in run.out, run
    star = run_action(workspace, {"args": AS_OF, "paths": "docker/*", "format": "concise"}, install=False)
    assert star.code == 2, star  # `docker/*` is a path, not a pattern: no such file
    assert "docker/*" in star.err


def test_a_usage_error_is_exit_code_2(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "fail-on": "sometimes", "sarif-file": "x.sarif"}, install=False)
    assert run.code == 2, run
    assert run.outputs["exit-code"] == "2"


def test_working_directory_runs_the_lint_there(workspace: Path) -> None:
    """paths, args and the config are read in working-directory; annotations, the job summary and
    the SARIF still name files from the repository root, and sarif-file is in the workspace."""
    (workspace / "svc" / "etl").mkdir(parents=True)
    (workspace / "svc" / "etl" / "Dockerfile").write_text(BAD, encoding="utf-8")
    (workspace / "svc" / ".runtime-lint.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    run = run_action(
        workspace,
        {"args": AS_OF, "working-directory": "svc", "paths": "etl", "sarif-file": "reports/rl.sarif"},
        install=False,
    )
    assert run.code == 0, run  # svc's config: only errors fail
    assert "::warning file=svc/etl/Dockerfile,line=1,col=6" in run.out
    assert "`svc/etl/Dockerfile:1`" in run.summary
    assert run.outputs == {"exit-code": "0", "sarif-file": "reports/rl.sarif", "findings": "1", "errors": "0"}
    doc = json.loads((workspace / "reports" / "rl.sarif").read_text(encoding="utf-8"))
    (result,) = doc["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "svc/etl/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert not (workspace / "svc" / "reports").exists()


def test_a_missing_working_directory_is_an_error(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "working-directory": "no/such\nfolder"}, install=False)
    assert run.code == 2, run
    assert "::error title=runtime-lint::working-directory 'no/such%0Afolder' is not a folder" in run.out
    assert "install" not in run.steps and "lint" not in run.steps  # refused before installing


def test_findings_and_errors_are_counted(workspace: Path) -> None:
    (workspace / "docker" / "latest.Dockerfile").write_text(
        "FROM quay.io/astronomer/astro-runtime:latest\n", encoding="utf-8"
    )
    both = "Dockerfile docker missing.Dockerfile"
    run = run_action(workspace, {"args": AS_OF, "paths": both, "format": "concise"}, install=False)
    assert run.code == 2, run  # a file that could not be linted
    assert (run.outputs["findings"], run.outputs["errors"]) == ("2", "1")
    assert run.outputs["exit-code"] == "2"
    quiet = run_action(workspace, {"args": f"{AS_OF} --ignore ALL", "paths": "docker", "format": "json"}, install=False)
    assert (quiet.code, quiet.outputs["findings"], quiet.outputs["errors"]) == (0, "0", "0")
    never = run_action(workspace, {"args": AS_OF, "fail-on": "never", "format": "sarif"}, install=False)
    assert (never.code, never.outputs["findings"]) == (0, "2")  # counted whatever fail-on says


def test_counts_are_empty_when_nothing_was_linted(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "paths": "gone.Dockerfile"}, install=False)
    assert run.code == 2, run
    assert run.outputs == {"exit-code": "2", "findings": "", "errors": ""}


def test_a_stale_report_is_not_counted(workspace: Path) -> None:
    """The action used twice in a job: the second run's counts are its own."""
    first = run_action(workspace, {"args": AS_OF}, install=False)
    assert first.outputs["findings"] == "1", first
    second = run_action(workspace, {"args": AS_OF, "fail-on": "sometimes"}, install=False)
    assert second.code == 2, second
    assert (second.outputs["findings"], second.outputs["errors"]) == ("", "")


def test_the_job_summary_is_written_unless_summary_is_false(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF}, install=False)
    assert run.code == 1, run
    assert run.summary.startswith("## runtime-lint") and "| `Dockerfile:1` | [RL204]" in run.summary
    off = run_action(workspace, {"args": AS_OF, "summary": "false"}, install=False)
    assert off.code == 1, off
    assert "::warning file=Dockerfile" in off.out  # the annotations stay
    assert off.summary == ""
    bad = run_action(workspace, {"args": AS_OF, "summary": "no"}, install=False)
    assert bad.code == 2, bad
    assert "::error title=runtime-lint::summary must be true or false, got 'no'" in bad.out


def test_the_pip_cache_key(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF}, install=False)
    prepare = run.steps["prepare"]
    digest = hashlib.sha256(b"pyproject.toml\0" + (ROOT / "pyproject.toml").read_bytes() + b"\0").hexdigest()[:24]
    python = "{}.{}".format(*sys.version_info[:2])
    assert prepare["cache-key"] == f"runtime-lint-pip-unknown-unknown-py{python}-source-compile-false-{digest}"
    assert prepare["cache-restore-key"] == f"runtime-lint-pip-unknown-unknown-py{python}-"
    assert prepare["pip-cache"] == str(workspace.parent / "runner-temp" / "runtime-lint-pip-cache")
    assert run.uses["actions/cache"] == {
        "path": prepare["pip-cache"],
        "key": prepare["cache-key"],
        "restore-keys": prepare["cache-restore-key"],
    }
    pinned = run_action(workspace, {"args": AS_OF, "version": "v0.2.0", "compile": "true"}, install=False)
    assert f"-py{python}-v0.2.0-compile-true-{digest}" in pinned.steps["prepare"]["cache-key"]


@pytest.mark.slow
def test_installs_from_the_action_checkout(workspace: Path) -> None:
    """The whole action: a virtualenv under RUNNER_TEMP, `pip install <action path>`, the lint."""
    run = run_action(workspace, {"args": AS_OF, "sarif-file": "rl.sarif"}, install=True)
    assert run.code == 1, run
    assert re.search(r"^runtime-lint \d", run.out, re.MULTILINE), run  # the install step's --version
    assert "::warning file=Dockerfile" in run.out
    assert _sarif_rules(workspace / "rl.sarif") == ["RL204"]
    venv = workspace.parent / "runner-temp" / "runtime-lint-venv"
    assert venv.is_dir()
    installed = list(venv.glob("lib/python*/site-packages/runtime_lint/dockerfile*"))
    assert [p.name for p in installed] == ["dockerfile.py"]  # compile: false, the default


def test_compile_input_is_checked(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "compile": "yes please"}, install=True)
    assert run.code == 2, run
    assert "::error title=runtime-lint::compile must be true or false, got 'yes please'" in run.out
    assert not (workspace.parent / "runner-temp" / "runtime-lint-venv").exists()  # refused before installing


# ------------------------------------------------------------------------- update-catalog


def _serve(body: bytes) -> tuple[str, Callable[[], None]]:
    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}/astronomer-runtime", stop


def test_update_catalog_defaults_to_true() -> None:
    assert _action()["inputs"]["update-catalog"]["default"] == "true"


def test_update_catalog_refreshes_the_cache_before_linting(workspace: Path) -> None:
    sample = ROOT / "data" / "sources" / "astro-feed-sample-2026-09-25.json"
    url, stop = _serve(sample.read_bytes())
    try:
        (workspace / ".runtime-lint.toml").write_text(f'feed-url = "{url}"\n', encoding="utf-8")
        run = run_action(workspace, {"args": AS_OF, "update-catalog": "true", "format": "json"}, install=False)
    finally:
        stop()
    assert run.code == 1, run
    assert "::warning" not in run.out
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "runtime-lint" / "catalog.json"
    assert json.loads(cache.read_text(encoding="utf-8"))["feed_schema"] == "1.8"
    assert json.loads(run.out)["catalog"]["origin"] == "cache"  # the lint used what was fetched


def test_an_unreachable_feed_is_one_warning_and_the_lint_goes_on(workspace: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (workspace / ".runtime-lint.toml").write_text(f'feed-url = "http://127.0.0.1:{port}/feed"\n', encoding="utf-8")
    run = run_action(workspace, {"args": AS_OF, "update-catalog": "true", "format": "concise"}, install=False)
    assert run.code == 1, run  # the lint's verdict, not the update's
    warnings = [line for line in run.out.splitlines() if line.startswith("::warning title=runtime-lint::")]
    assert len(warnings) == 1, run.out
    assert "could not refresh the release catalog" in warnings[0] and "linting with the bundled data" in warnings[0]
    assert "RL204" in run.out
    assert not (Path(os.environ["XDG_CACHE_HOME"]) / "runtime-lint" / "catalog.json").exists()


def test_update_catalog_is_checked(workspace: Path) -> None:
    run = run_action(workspace, {"args": AS_OF, "update-catalog": "yes"}, install=False)
    assert run.code == 2, run
    assert "update-catalog must be true or false" in run.out
