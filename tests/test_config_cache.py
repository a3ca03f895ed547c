"""The cache of parsed config files: an unchanged file is not parsed again (no tomllib, no re), a
changed one is, and a damaged or unwritable cache changes nothing but speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import sys\n"
    "from runtime_lint.cli import main\n"
    "code = main(['Dockerfile', '--as-of', '2026-11-28', '-q', '--format', 'concise'])\n"
    "print(code, 'tomllib' in sys.modules, 're' in sys.modules)\n"
)


def _run(project: Path, cache: Path) -> tuple[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=project, env=env, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    return lines[-1], proc.stdout + proc.stderr


def _project(tmp_path: Path, settings: str) -> Path:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "Dockerfile").write_text("FROM quay.io/astronomer/astro-runtime:13.11.0\n")
    (project / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.runtime-lint]\n{settings}')
    return project


def test_an_unchanged_config_is_not_parsed_again(tmp_path: Path) -> None:
    project, cache = _project(tmp_path, "warn-days = 200\n"), tmp_path / "cache"
    first, _ = _run(project, cache)
    assert first == "1 True True"  # RL203 with warn-days 200: the config was read
    again, out = _run(project, cache)
    assert again == "1 False False", out  # the same settings, from the cache
    (project / "pyproject.toml").write_text("[tool.runtime-lint]\nwarn-days = 30\n")
    changed, _ = _run(project, cache)
    assert changed == "0 True True"  # a changed file is read again: warn-days 30, nothing to warn


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    project, cache = _project(tmp_path, "warn-days = 200\n"), tmp_path / "cache"
    (cache / "runtime-lint").mkdir(parents=True)
    (cache / "runtime-lint" / "config-cache.marshal").write_bytes(b"\x00garbage")
    result, out = _run(project, cache)
    assert result == "1 True True", out
    assert _run(project, cache)[0] == "1 False False"  # and replaced by a good one


def test_an_unwritable_cache_changes_only_speed(tmp_path: Path) -> None:
    project = _project(tmp_path, "warn-days = 200\n")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert _run(project, blocker)[0] == "1 True True"
    assert _run(project, blocker)[0] == "1 True True"
    assert not list(tmp_path.glob("**/*.tmp"))


def test_values_marshal_cannot_hold_are_read_each_time(tmp_path: Path) -> None:
    project, cache = _project(tmp_path, "as-of = 2026-11-28\nwarn-days = 200\n"), tmp_path / "cache"
    assert _run(project, cache)[0] == "1 True True"
    assert _run(project, cache)[0] == "1 True True"  # a TOML date: not cached, still right
