"""Shared fixtures: every test runs with its own empty cache folder and no colour."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

import runtime_lint
import runtime_lint.dockerfile

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 28)  # tests never depend on the calendar: they pass this day explicitly
# The suite runs against this checkout (`pip install -e .`, the README's test command) or, with
# RUNTIME_LINT_TEST_INSTALLED=1 (.ci/run's second pass), against an installed wheel: the
# mypyc-compiled build, which must behave the same.
FROM_CHECKOUT = Path(runtime_lint.__file__).resolve().parent == ROOT / "runtime_lint"
# Where runtime_lint is imported from (ROOT, or site-packages): for a subprocess's PYTHONPATH
PACKAGE_PARENT = Path(runtime_lint.__file__).resolve().parent.parent
# Whether that runtime_lint is the mypyc-compiled build (its modules are extensions, not .py)
COMPILED = not (runtime_lint.dockerfile.__file__ or "").endswith(".py")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to run the installed-wheel pass against the checkout, or a pure build: it would
    pass while testing nothing it claims to."""
    wanted = os.environ.get("RUNTIME_LINT_TEST_INSTALLED", "")
    if wanted in ("", "0"):
        return
    if FROM_CHECKOUT:
        raise pytest.UsageError(f"RUNTIME_LINT_TEST_INSTALLED is set but runtime_lint comes from {ROOT}")
    if wanted == "compiled" and not COMPILED:
        raise pytest.UsageError(f"expected the mypyc-compiled build, got {runtime_lint.dockerfile.__file__}")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("NO_COLOR", "1")
    for name in (
        "FORCE_COLOR",
        "RUNTIME_LINT_FORMAT",
        "RUNTIME_LINT_SUMMARY",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTIONS",
        "GITHUB_WORKSPACE",
        "CI_PROJECT_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    yield


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_cli(
    *args: str, cwd: Path | str | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run the installed command (`python -m runtime_lint`) in a subprocess, as a user would."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )
    return Result(proc)


Cli = Callable[..., Result]


def one_error(result: Result) -> str:
    """The run's only stderr line, which must be an error (exit 2), without its prefix."""
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("runtime-lint: error: "), lines[0]
    assert "Traceback" not in result.err
    return lines[0][len("runtime-lint: error: ") :]


def write(path: Path, text: str | bytes) -> Path:
    """Write a test file (creating its folders); bytes are written as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cli() -> Callable[..., Result]:
    """`cli("Dockerfile", "--as-of", "2026-11-28", cwd=tmp_path)` -> Result(code, out, err)."""
    return run_cli
