"""The pre-commit hooks in `.pre-commit-hooks.yaml`, run by the real pre-commit.

`pre-commit try-repo` clones the hook repository with its committed and tracked-but-uncommitted
files; files that are new and not yet `git add`ed would be missing. So the project is copied
(every tracked and untracked-but-not-ignored file) into a temporary git repository and
committed there first, and try-repo runs on that copy. The hook environment is installed with
pip from the package index, so these tests are slow (marked `slow`, still run by default).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from runtime_lint.discover import SKIP_DIRS, is_dockerfile_name

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
HOOK_IDS = ("runtime-lint", "runtime-lint-fix")
BAD = "FROM quay.io/astronomer/astro-runtime:13.10.0\n"  # RL204 only: the latest of Runtime 13 is 13.11.0
GOOD = "FROM quay.io/astronomer/astro-runtime:13.11.0\n"
CONFIG = 'as-of = "2026-11-28"\n'  # the hook takes no flags from try-repo: pin the day in the config
TIMEOUT = 900  # seconds: installing the hook environment downloads packages

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _manifest() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return hooks


def _env(pre_commit_home: Path | None = None) -> dict[str, str]:
    """The environment for git and pre-commit: no GIT_* leaking in from an enclosing hook,
    no user or system git config, a fixed identity, no SKIP, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="runtime-lint tests",
        GIT_AUTHOR_EMAIL="tests@runtime-lint.invalid",
        GIT_COMMITTER_NAME="runtime-lint tests",
        GIT_COMMITTER_EMAIL="tests@runtime-lint.invalid",
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
    )
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    # Each test installs a hook environment from source: compiling it with mypyc would add half a
    # minute to each. The compiled build has its own pass over the whole suite (.ci/run);
    # RUNTIME_LINT_COMPILE=1 here runs these tests on compiled hook environments too.
    env.setdefault("RUNTIME_LINT_COMPILE", "0")
    return env


def _git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def _project_files(root: Path) -> list[str]:
    """The files of the project as a clone would have them, plus new files not yet added."""
    if (root / ".git").exists():
        out = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root)
        return sorted(name for name in out.split("\0") if name and (root / name).is_file())
    found: list[str] = []  # not a git checkout (an unpacked sdist): everything but caches
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        found.extend(os.path.relpath(os.path.join(folder, f), root) for f in files if not f.endswith(".pyc"))
    return sorted(found)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the project, as the hook repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in _project_files(ROOT):
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "--no-verify", "-m", "snapshot for try-repo", cwd=repo)
    return repo


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository: a bad and a good Dockerfile and a config pinning the day, all added."""
    repo = tmp_path / "project"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "Dockerfile").write_text(BAD, encoding="utf-8")
    (repo / "good.Dockerfile").write_text(GOOD, encoding="utf-8")
    (repo / ".runtime-lint.toml").write_text(CONFIG, encoding="utf-8")
    _git("add", "-A", cwd=repo)
    return repo


def try_repo(hook_repo: Path, hook: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    home = cwd.parent / "pre-commit-home"
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--color", "never", *args],
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if "An unexpected error has occurred" in proc.stdout + proc.stderr:
        log = home / "pre-commit.log"
        detail = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        pytest.fail(f"pre-commit failed to run the hook:\n{proc.stdout}\n{proc.stderr}\n{detail}")
    return proc


# ------------------------------------------------------------------------------- the manifest


def _console_script() -> str:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    with open(ROOT / "pyproject.toml", "rb") as handle:
        scripts: dict[str, str] = tomllib.load(handle)["project"]["scripts"]
    return scripts["runtime-lint"]


def test_hook_entry_runs_like_the_console_script(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM quay.io/astronomer/astro-runtime:12.5.0\n")
    (hook,) = [h for h in _manifest() if h["id"] == "runtime-lint"]
    code = shlex.split(hook["entry"])[2]
    args = ["--as-of", "2026-11-28", "--no-color", "Dockerfile"]
    script = shutil.which("runtime-lint", path=os.path.dirname(sys.executable))
    assert script is not None
    by_entry = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path)
    by_script = subprocess.run([script, *args], capture_output=True, text=True, cwd=tmp_path)
    assert by_entry.returncode == by_script.returncode == 1
    assert by_entry.stdout == by_script.stdout and "RL204" in by_entry.stdout
    assert by_entry.stderr == by_script.stderr


def test_manifest_declares_both_hooks() -> None:
    hooks = {hook["id"]: hook for hook in _manifest()}
    assert set(hooks) == set(HOOK_IDS)
    for hook in hooks.values():
        assert hook["language"] == "python"  # installed with pip: no system binary, no Docker socket
        assert hook["name"] and hook["description"]
        assert hook["require_serial"] is False
        assert hook.get("pass_filenames", True) is True
        assert "types" not in hook and "types_or" not in hook  # the `dockerfile` type misses names
        assert re.fullmatch(r"\d+\.\d+\.\d+", hook["minimum_pre_commit_version"])
    # The hook runs the console script's function with the hook environment's interpreter
    # (pip's launcher script imports `re` first: 6 ms per commit).
    entry = shlex.split(hooks["runtime-lint"]["entry"])
    assert entry[:2] == ["python", "-c"] and len(entry) == 3
    module, function = _console_script().split(":")
    assert entry[2] == f"from {module} import {function}; {function}()"
    # --fix in the entry, not in args: a config's `args:` replaces the manifest's args
    assert shlex.split(hooks["runtime-lint-fix"]["entry"]) == [*entry, "--fix"]
    assert "args" not in hooks["runtime-lint-fix"]
    assert hooks["runtime-lint"]["files"] == hooks["runtime-lint-fix"]["files"]


NAMES = [
    "Dockerfile",
    "Dockerfile.dev",
    "Dockerfile.prod.arm64",
    "Dockerfile-dev",
    "dev.Dockerfile",
    "app.dockerfile",
    ".Dockerfile",
    "Containerfile",
    "Containerfile.dev",
    # not Dockerfiles
    "dockerfile",
    "Dockerfile_prod",
    "Containerfile-dev",
    "MyDockerfile",
    "Dockerfile.dockerignore",
    "app.Dockerfile.dockerignore",
    ".dockerignore",
    "README.md",
    "docker-compose.yml",
    "Dockerfiles",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("folder", ["", "docker/", "a/b/Dockerfile.d/", "Dockerfile/"])
def test_files_regex_matches_what_discovery_finds(name: str, folder: str) -> None:
    files = _manifest()[0]["files"]
    expected = is_dockerfile_name(name) and not name.endswith(".dockerignore")
    assert bool(re.search(files, folder + name)) is expected


@needs_git
def test_manifest_validates() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------------ the real pre-commit


@pytest.mark.slow
def test_hook_fails_on_a_stale_tag(hook_repo: Path, project: Path) -> None:
    proc = try_repo(hook_repo, "runtime-lint", "--files", "Dockerfile", "good.Dockerfile", cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"runtime-lint\.+Failed", proc.stdout), proc.stdout
    assert "Dockerfile:1:6: RL204 [warning]" in proc.stdout
    assert "update to '13.11.0'" in proc.stdout
    assert "good.Dockerfile" not in proc.stdout
    assert (project / "Dockerfile").read_text(encoding="utf-8") == BAD  # the check hook writes nothing


@pytest.mark.slow
def test_hook_passes_on_a_good_file(hook_repo: Path, project: Path) -> None:
    proc = try_repo(hook_repo, "runtime-lint", "--files", "good.Dockerfile", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"runtime-lint\.+Passed", proc.stdout), proc.stdout


@pytest.mark.slow
def test_fix_hook_rewrites_the_file(hook_repo: Path, project: Path) -> None:
    proc = try_repo(hook_repo, "runtime-lint-fix", "--files", "Dockerfile", "good.Dockerfile", cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # pre-commit fails when a hook changes files
    assert "files were modified by this hook" in proc.stdout
    assert (project / "Dockerfile").read_text(encoding="utf-8") == GOOD
    assert (project / "good.Dockerfile").read_text(encoding="utf-8") == GOOD

    _git("add", "-A", cwd=project)
    again = try_repo(hook_repo, "runtime-lint-fix", "--files", "Dockerfile", "good.Dockerfile", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.search(r"runtime-lint \(fix\)\.+Passed", again.stdout), again.stdout


@pytest.mark.slow
def test_hook_selects_dockerfiles_by_name(hook_repo: Path, project: Path) -> None:
    """--all-files: every Dockerfile name is linted; other files, even holding a FROM, are not."""
    linted = ["docker/Dockerfile-dev", "docker/app.dockerfile", "sub/Containerfile", "Dockerfile.prod"]
    skipped = ["Dockerfile.dockerignore", "notes/README.md", "docker/Dockerfile_old"]
    for name in linted + skipped:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(BAD, encoding="utf-8")
    _git("add", "-A", cwd=project)
    proc = try_repo(hook_repo, "runtime-lint", "--all-files", cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    flagged = set(re.findall(r"^(\S+):1:6: RL204", proc.stdout, re.MULTILINE))
    assert flagged == {"Dockerfile", *linted}
