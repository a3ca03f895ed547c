"""Shared fixtures: every test runs with its own empty cache folder and no colour."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 28)  # tests never depend on the calendar: they pass this day explicitly


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "RUNTIME_LINT_FORMAT", "GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS"):
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
