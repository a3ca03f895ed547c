"""Discovery at scale: a generated monorepo of 5,000 files holding 200 Dockerfiles to find.

What must hold however the tree was created: version control, node_modules, virtualenvs (any
folder with a pyvenv.cfg) and build output are skipped; symlinked folders are never followed, so
loops cannot hang it; symlinked Dockerfiles are linted; the order is sorted and stable. `images`
shows a progress bar only when stderr is a terminal (and not in CI). The benchmark
(benchmarks/bench.py) runs a similar generator at 50,000 files.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from runtime_lint.discover import SKIP_DIRS, discover, is_dockerfile_name

RT = "quay.io/astronomer/astro-runtime"
DAY = ("--as-of", "2026-11-28", "--no-color")
Cli = Callable[..., Result]

DOCKERFILE_NAMES = [
    "Dockerfile",
    "Dockerfile.dev",
    "Dockerfile-prod",
    "api.Dockerfile",
    "x.dockerfile",
    "Containerfile",
]
OTHER_NAMES = [
    "README.md",
    "requirements.txt",
    "packages.txt",
    "dag.py",
    "Dockerfile_old",
    "dockerfile",
    "my-Dockerfile",
]


def _touch(path: Path, text: str = "x\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_tree(root: Path, files: int = 5000, dockerfiles: int = 200, seed: int = 7) -> list[str]:
    """Write the tree in a shuffled order; return the Dockerfiles discovery must find, sorted."""
    rng = random.Random(seed)
    plan: list[tuple[Path, str]] = []
    expected: list[str] = []
    for k in range(dockerfiles):
        depth = rng.randint(0, 4)
        parts = [f"team{rng.randint(0, 9)}", *[f"d{rng.randint(0, 30)}" for _ in range(depth)], f"proj{k}"]
        name = DOCKERFILE_NAMES[k % len(DOCKERFILE_NAMES)]
        path = root.joinpath(*parts, name)
        plan.append((path, f"FROM {RT}:12.{k % 9}.0\n"))
        expected.append(str(path))
    # Dockerfiles that must NOT be found: in skipped folders, at any depth
    hidden = [
        ".git/objects/Dockerfile",
        "node_modules/pkg/Dockerfile",
        "web/node_modules/a/b/Dockerfile",
        ".venv/lib/Dockerfile",
        "team1/venv/Dockerfile",
        "team2/build/Dockerfile",
        "dist/Dockerfile",
        "team3/__pycache__/Dockerfile",
        ".tox/py311/Dockerfile",
        "team4/.mypy_cache/Dockerfile",
    ]
    for rel in hidden:
        plan.append((root / rel, "FROM scratch\n"))
    for env in ("envs/py311", "team5/tools/.env-custom", "team6/conda-like"):  # virtualenvs by pyvenv.cfg
        plan.append((root / env / "pyvenv.cfg", "home = /usr/bin\n"))
        plan.append((root / env / "lib" / "Dockerfile", "FROM scratch\n"))
    # filler up to `files`, none of it a Dockerfile, some of it in skipped folders
    places = ["team{}/d{}", ".git/objects/{}{}", "node_modules/p{}/lib{}", "dags/t{}/s{}", "include/{}/{}"]
    while len(plan) < files:
        k = len(plan)
        folder = places[k % len(places)].format(rng.randint(0, 40), rng.randint(0, 40))
        plan.append((root / folder / f"{k}-{OTHER_NAMES[k % len(OTHER_NAMES)]}", "x\n"))
    rng.shuffle(plan)
    for path, text in plan:
        _touch(path, text)
    # symlinks: loops and a folder outside the tree are not followed; a linked file is found
    outside = root.parent / "outside"
    _touch(outside / "Dockerfile", "FROM scratch\n")
    (root / "team0").mkdir(exist_ok=True)
    (root / "team0" / "up").symlink_to(root)
    (root / "team0" / "self").symlink_to(root / "team0")
    (root / "linked-out").symlink_to(outside)
    (root / "team0" / "linked.Dockerfile").symlink_to(outside / "Dockerfile")
    (root / "team0" / "dangling.Dockerfile").symlink_to(root / "missing")
    expected.append(str(root / "team0" / "linked.Dockerfile"))
    return sorted(expected)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("monorepo") / "repo"
    root.mkdir()
    return root, make_tree(root)


def test_discovery_finds_exactly_the_dockerfiles_sorted(tree: tuple[Path, list[str]]) -> None:
    root, expected = tree
    start = time.monotonic()
    found = discover([str(root)])
    elapsed = time.monotonic() - start
    assert found == expected
    assert found == sorted(found)
    assert elapsed < 10, f"discovery of 5,000 files took {elapsed:.1f}s"


def test_discovery_is_stable_across_runs_and_creation_orders(tmp_path: Path) -> None:
    first = tmp_path / "a" / "repo"
    second = tmp_path / "b" / "repo"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    expected_a = make_tree(first, files=600, dockerfiles=60, seed=1)
    make_tree(second, files=600, dockerfiles=60, seed=1)  # same files...
    # ...created in another order: shuffle by rewriting every file of the second tree
    paths = [p for p in second.rglob("*") if p.is_file() and not p.is_symlink()]
    random.Random(2).shuffle(paths)
    for path in paths:
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    found_a = discover([str(first)])
    found_b = discover([str(second)])
    assert found_a == expected_a == discover([str(first)])
    assert [os.path.relpath(p, second) for p in found_b] == [os.path.relpath(p, first) for p in found_a]


def test_skipped_folders_are_the_documented_ones() -> None:
    for name in (".git", "node_modules", ".venv", "venv", "build", "dist", "__pycache__"):
        assert name in SKIP_DIRS
    assert all(is_dockerfile_name(n) for n in DOCKERFILE_NAMES)
    assert not any(is_dockerfile_name(n) for n in OTHER_NAMES)


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "r"
    _touch(root / "a" / "b" / "Dockerfile", f"FROM {RT}:12.8.0\n")
    for k in range(50):  # many loops, at several depths, pointing up and sideways
        (root / "a" / f"up{k}").symlink_to(root)
        (root / "a" / "b" / f"side{k}").symlink_to(root / "a")
    start = time.monotonic()
    assert discover([str(root)]) == [str(root / "a" / "b" / "Dockerfile")]
    assert time.monotonic() - start < 5


def test_a_very_deep_tree(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    parts = ["d"] * 400  # about 800 characters of path: iterative walking, no recursion limit
    target = folder.joinpath(*parts)
    target.mkdir(parents=True)
    (target / "Dockerfile").write_text(f"FROM {RT}:12.8.0\n", encoding="utf-8")
    assert discover([str(folder)]) == [str(target / "Dockerfile")]


def test_explicit_paths_keep_their_order_and_are_not_repeated(tmp_path: Path) -> None:
    _touch(tmp_path / "b" / "Dockerfile")
    _touch(tmp_path / "a" / "Dockerfile")
    got = discover([str(tmp_path / "b" / "Dockerfile"), str(tmp_path), str(tmp_path / "b" / "Dockerfile")])
    assert got == [str(tmp_path / "b" / "Dockerfile"), str(tmp_path / "a" / "Dockerfile")]


def test_cli_over_the_tree(cli: Cli, tree: tuple[Path, list[str]]) -> None:
    root, expected = tree
    start = time.monotonic()
    result = cli("images", ".", *DAY, "--format", "json", cwd=root)
    elapsed = time.monotonic() - start
    assert result.code == 0, result.err
    files = json.loads(result.out)["files"]
    assert [os.path.normpath(os.path.join(root, f["path"])) for f in files] == expected
    assert all(f["error"] is None for f in files)
    assert elapsed < 60, f"images over 5,000 files took {elapsed:.1f}s"
    check = cli(".", *DAY, "--format", "concise", "--quiet", cwd=root)
    assert check.code == 1 and "Traceback" not in check.err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_images_output_is_plain_when_not_a_terminal(cli: Cli, tree: tuple[Path, list[str]]) -> None:
    """No progress display, cursor movement or carriage returns unless stdout is a terminal."""
    root, _ = tree
    result = cli("images", ".", *DAY, cwd=root)
    assert result.code == 0
    assert "\r" not in result.out and "\x1b" not in result.out
    assert "\r" not in result.err and "\x1b" not in result.err


def _run_with_terminal_stderr(args: list[str], cwd: Path, **extra_env: str) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (a user watching) and stdout on a pipe."""
    import pty
    import subprocess
    import threading

    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="120")
    for name in ("NO_COLOR", "CI"):
        env.pop(name, None)
    env.update(extra_env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "runtime_lint", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=slave, env=env
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, out.decode("utf-8", "replace"), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a Linux pseudo-terminal")
def test_images_shows_progress_only_on_a_terminal(cli: Cli, tree: tuple[Path, list[str]]) -> None:
    root, expected = tree
    plain = cli("images", ".", *DAY, cwd=root)
    code, out, err = _run_with_terminal_stderr(["images", ".", *DAY], root)
    assert code == 0
    assert out == plain.out  # the table on stdout does not change
    assert "\x1b[" in err and f"/{len(expected)}" in err  # a bar redrawn in place, counting the files
    code, out, err = _run_with_terminal_stderr(["images", ".", *DAY], root, CI="true")
    assert code == 0 and out == plain.out
    assert f"/{len(expected)}" not in err  # CI logs are not terminals, whatever they claim


def test_parallel_run_prints_exactly_what_one_process_prints(tmp_path: Path) -> None:
    """Over PARALLEL_FROM files the work is shared with forked workers; the report must not change."""
    from runtime_lint.run import PARALLEL_FROM, worker_count

    if worker_count(PARALLEL_FROM + 37) < 2:
        pytest.skip("one CPU (or no fork): nothing runs in parallel here")

    shapes = [
        "FROM quay.io/astronomer/astro-runtime:12.6.0\n",
        "FROM quay.io/astronomer/astro-runtime:12.8.0\n",
        "ARG V=11.8.0\nFROM quay.io/astronomer/astro-runtime:${V}-base\n",
        "FROM astrocrpublic.azurecr.io/runtime:3.0-4\n",
        "FROM quay.io/astronomer/ap-airflow:2.3.4-onbuild\n",
    ]
    for k in range(PARALLEL_FROM + 37):
        folder = tmp_path / "tree" / f"p{k:04d}"
        folder.mkdir(parents=True)
        (folder / "Dockerfile").write_text(shapes[k % len(shapes)])
    (tmp_path / "tree" / "p0300" / "Dockerfile").write_bytes(b"FROM \x00")  # a file error in a worker's share
    command = [sys.executable, "-m", "runtime_lint", "tree", "--as-of", "2026-11-28", "--statistics"]
    env = dict(os.environ, NO_COLOR="1")
    parallel = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    single = subprocess.run(
        command, cwd=tmp_path, env=dict(env, RUNTIME_LINT_JOBS="1"), capture_output=True, text=True, timeout=300
    )
    assert parallel.returncode == single.returncode == 2
    assert parallel.stdout == single.stdout
    assert sorted(parallel.stderr.splitlines()) == sorted(single.stderr.splitlines())
    assert "tree/p0300/Dockerfile: is a binary file" in parallel.stderr
    # the summary counts every file's findings, the workers' included
    assert f"All checks passed: {PARALLEL_FROM + 36} files" not in parallel.stdout
    assert "Found " in parallel.stdout and "RL204" in parallel.stdout and "RL105" in parallel.stdout


def _astro_tree(root: Path, doubles: set[int], folders: int = 450) -> None:
    """Astro project folders p0000...: each a Dockerfile and .astro/; those in `doubles` also a
    Dockerfile.dev (another image) and a requirements.txt that pins Airflow (RL401)."""
    for k in range(folders):
        folder = root / f"p{k:04d}"
        (folder / ".astro").mkdir(parents=True)
        (folder / "Dockerfile").write_text(f"FROM {RT}:13.11.0\n")
        if k in doubles:
            (folder / "Dockerfile.dev").write_text(f"FROM {RT}:12.8.0\n")
            (folder / "requirements.txt").write_text("pandas\napache-airflow==2.9.0\n")


def test_parallel_run_reports_a_folders_requirements_once(tmp_path: Path) -> None:
    """Two Dockerfiles of one Astro project on either side of where the files would be split
    evenly between workers: the project's requirements.txt is still reported once, checked
    against the first Dockerfile's images, as in one process."""
    from runtime_lint.run import worker_count

    folders, doubles = 450, {3, 77, 400}
    total = folders + len(doubles) + 1
    share = -(-total // worker_count(total))  # an even split's first chunk
    if worker_count(total) < 2:
        pytest.skip("one CPU (or no fork): nothing runs in parallel here")
    # the folder whose Dockerfile is the first chunk's last file (and its Dockerfile.dev the next one's first)
    boundary = next(j for j in range(folders) if j + sum(1 for d in doubles if d < j) == share - 1)
    _astro_tree(tmp_path / "tree", {*doubles, boundary}, folders)
    command = [sys.executable, "-m", "runtime_lint", "tree", "--as-of", "2026-11-28", "--statistics"]
    env = dict(os.environ, NO_COLOR="1")
    parallel = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    single = subprocess.run(
        command, cwd=tmp_path, env=dict(env, RUNTIME_LINT_JOBS="1"), capture_output=True, text=True, timeout=300
    )
    assert single.returncode == 1, single.stderr
    assert parallel.returncode == single.returncode
    for folder in sorted({*doubles, boundary}):
        assert parallel.stdout.count(f"tree/p{folder:04d}/requirements.txt:2:1: RL401") == 1
    assert "which Astro Runtime 13.11.0 ships" in parallel.stdout
    assert "which Astro Runtime 12.8.0 ships" not in parallel.stdout
    assert parallel.stdout == single.stdout
    assert parallel.stderr == single.stderr


def test_chunks_keep_each_folders_files_together() -> None:
    from runtime_lint.run import folder_chunks as chunks

    files = [f"t/p{k // 3}/Dockerfile{k % 3}" for k in range(30)]
    for workers in range(1, 12):
        got = chunks(files, workers)
        assert [f for chunk in got for f in chunk] == files
        assert all(got) and len(got) <= workers
        folders = [{os.path.dirname(f) for f in chunk} for chunk in got]
        assert all(a.isdisjoint(b) for k, a in enumerate(folders) for b in folders[k + 1 :])
    assert len(chunks(files, 2)) == 2 and len(chunks(files, 10)) == 10
    # a folder whose files are not next to each other: no cut between them
    spread = ["a/Dockerfile", "a/b/Dockerfile", "a/c/Dockerfile", "a/Dockerfile.dev", "d/Dockerfile", "e/Dockerfile"]
    assert chunks(spread, 3) == [spread[:4], spread[4:5], spread[5:]]
    assert chunks(["x/Dockerfile", "./x/Dockerfile.dev"], 2) == [["x/Dockerfile", "./x/Dockerfile.dev"]]
