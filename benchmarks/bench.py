#!/usr/bin/env python3
"""Time runtime-lint against hadolint on generated Astro project Dockerfiles.

    python benchmarks/bench.py                      # runtime-lint next to this interpreter
    python benchmarks/bench.py --install            # a fresh non-editable install (realistic start-up)
    python benchmarks/bench.py --runs 9 --sizes 1,100,2000 --json

What it does (see benchmarks/README.md):
1. generates corpora of 1, 100 and 2,000 Astro-project Dockerfiles (deterministic, cached in
   benchmarks/corpus/, which git ignores), and a folder tree of 50,000 files holding 2,000 of them;
2. runs each tool once per file (single) and on all files of a corpus in one invocation (batch),
   interleaved: every repetition runs every tool once, in a rotating order;
3. measures each invocation on its own: wall time around posix_spawn + wait4, and the peak
   resident memory of that one child from the rusage wait4 returns (not the max over all children);
4. prints medians and the ratios runtime-lint / hadolint and runtime-lint / floors, where the
   floors are `python -c pass` (runtime-lint's own interpreter) and that interpreter reading and
   decoding the same files.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS_VERSION = 1  # bump when the generator changes: cached corpora are rebuilt
SEED = 20261128
AS_OF = "2026-11-28"

# --------------------------------------------------------------------------------- the corpus

AF2 = [
    "12.8.0", "12.7.1", "12.6.0", "12.5.0", "12.1.1", "11.8.0", "11.3.0", "10.9.0", "10.2.0",
    "9.17.0", "9.10.2", "9.1.0", "8.10.0", "8.4.0", "7.6.0", "7.4.2", "6.10.0", "5.5.0", "4.2.9",
]  # fmt: skip
AF3 = ["3.3-2", "3.3-1", "3.2-6", "3.2-4", "3.1-14", "3.1-12", "3.1-9", "3.1-2", "3.0-14", "3.0-10", "3.0-4", "3.0-1"]
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
QUAY = "quay.io/astronomer/astro-runtime"
AZURE = "astrocrpublic.azurecr.io/runtime"
APT = ["git", "curl", "gcc", "g++", "libpq-dev", "unixodbc-dev", "krb5-user", "default-libmysqlclient-dev", "jq"]
PIP = [
    "apache-airflow-providers-snowflake==5.6.0", "dbt-core==1.8.7", "dbt-postgres==1.8.2", "pandas==2.2.3",
    "astronomer-cosmos==1.7.1", "boto3==1.35.0", "great-expectations==0.18.19", "requests==2.32.3",
]  # fmt: skip


def _tag(rng: random.Random) -> tuple[str, str]:
    """(registry/repository, tag) of a Runtime image, with the suffixes people really use."""
    if rng.random() < 0.55:
        repo, version = QUAY, rng.choice(AF2)
    else:
        repo, version = (AZURE if rng.random() < 0.85 else QUAY), rng.choice(AF3)
    tag = version
    roll = rng.random()
    if roll < 0.2:
        tag += f"-python-{rng.choice(PYTHONS)}"
    elif roll < 0.3:
        tag += "-slim"
    if rng.random() < 0.25:
        tag += "-base"
    if rng.random() < 0.03:
        tag = "v" + tag  # a mistake the linter reports
    return repo, tag


def _comment(rng: random.Random) -> str:
    return rng.choice(
        [
            "# Astro Runtime: https://www.astronomer.io/docs/astro/runtime-release-notes",
            "# keep in sync with .astro/config.yaml",
            "# TODO: move to the Airflow 3 images",
            "# system packages for the ODBC driver",
            "# hadolint ignore=DL3008",
        ]
    )


def _apt(rng: random.Random) -> list[str]:
    pkgs = rng.sample(APT, rng.randint(1, 4))
    return [
        "USER root",
        "RUN apt-get update \\",
        "    && apt-get install -y --no-install-recommends \\",
        *[f"        {p} \\" for p in pkgs],
        "    && apt-get clean \\",
        "    && rm -rf /var/lib/apt/lists/*",
        "USER astro",
    ]


def _pip(rng: random.Random) -> list[str]:
    if rng.random() < 0.5:
        return ["COPY requirements.txt .", "RUN pip install --no-cache-dir -r requirements.txt"]
    pkgs = rng.sample(PIP, rng.randint(1, 3))
    return ["RUN pip install --no-cache-dir \\", *[f"    {p} \\" for p in pkgs[:-1]], f"    {pkgs[-1]}"]


def dockerfile(rng: random.Random) -> str:
    """One Dockerfile of an Astro project shape."""
    repo, tag = _tag(rng)
    lines: list[str] = []
    if rng.random() < 0.2:
        lines.append("# syntax=docker/dockerfile:1")
    if rng.random() < 0.5:
        lines.append(_comment(rng))
    shape = rng.random()
    if shape < 0.30:  # the astro dev init file
        lines.append(f"FROM {repo}:{tag}")
    elif shape < 0.55:  # the tag in an ARG
        lines += [f"ARG RUNTIME_VERSION={tag}", f"FROM {repo}:${{RUNTIME_VERSION}}"]
    elif shape < 0.70:  # the whole image built from ARGs
        registry, _, image = repo.partition("/")
        lines += [
            f"ARG REGISTRY={registry}",
            f"ARG IMAGE={image}",
            f"ARG TAG={tag}",
            "FROM ${REGISTRY}/${IMAGE}:${TAG:-latest}",
        ]
    elif shape < 0.85:  # multi-stage with a builder
        py = rng.choice(PYTHONS)
        lines += [
            f"ARG PYTHON_VERSION={py}",
            "FROM python:${PYTHON_VERSION}-slim AS builder",
            "WORKDIR /build",
            "COPY requirements.txt .",
            "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt",
            "",
            f"FROM {repo}:{tag} AS runtime",
            "COPY --from=builder /wheels /wheels",
            "RUN pip install --no-cache-dir /wheels/*.whl",
        ]
    else:  # a test stage on top of the final image
        lines += [
            f"FROM --platform=linux/amd64 {repo}:{tag} AS base",
            "ENV AIRFLOW__CORE__LOAD_EXAMPLES=False",
            "FROM base AS test",
            "COPY tests/ tests/",
            "RUN pytest -q tests",
            "FROM base",
        ]
    lines.append("")
    if rng.random() < 0.5:
        lines += _apt(rng)
    if rng.random() < 0.6:
        lines += _pip(rng)
    if rng.random() < 0.4:
        lines += [
            "ENV AIRFLOW__CORE__TEST_CONNECTION=Enabled \\",
            "    AIRFLOW__WEBSERVER__EXPOSE_CONFIG=True",
        ]
    if tag.endswith("-base"):
        lines += ["COPY packages.txt .", "COPY requirements.txt .", "COPY . ."]
    if rng.random() < 0.2:
        lines += ['LABEL org.opencontainers.image.source="https://github.com/example/airflow"']
    return "\n".join(lines) + "\n"


def _manifest(path: str) -> dict[str, object]:
    try:
        with open(path, encoding="utf-8") as handle:
            data: dict[str, object] = json.load(handle)
            return data
    except (OSError, ValueError):
        return {}


def make_corpus(base: str, size: int) -> list[str]:
    """`size` Astro projects under base/n{size}/; returns the Dockerfile paths (cached)."""
    folder = os.path.join(base, f"n{size}")
    manifest = os.path.join(folder, "manifest.json")
    want = {"version": CORPUS_VERSION, "seed": SEED, "size": size}
    paths = [os.path.join(folder, f"p{k:05d}", "Dockerfile") for k in range(size)]
    if _manifest(manifest) == want and all(os.path.isfile(p) for p in paths):
        return paths
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(f"{SEED}-{size}")
    for path in paths:
        project = os.path.dirname(path)
        os.makedirs(os.path.join(project, ".astro"), exist_ok=True)
        with open(os.path.join(project, ".astro", "config.yaml"), "w", encoding="utf-8") as handle:
            handle.write(f"project:\n  name: {os.path.basename(project)}\n")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dockerfile(rng))
    with open(manifest, "w", encoding="utf-8") as handle:
        json.dump(want, handle)
    return paths


TREE_NOISE = [
    ("node_modules/pkg{k}", "index.js"),
    (".git/objects/{k:02x}", "obj{k}"),
    (".venv/lib/python3.11/site-packages/mod{k}", "__init__.py"),
    ("build/lib{k}", "Dockerfile"),  # skipped: build output
    ("dags/team{k}", "dag_{k}.py"),
    ("include/sql{k}", "query_{k}.sql"),
    ("tests/dags{k}", "test_{k}.py"),
]


def make_tree(base: str, files: int, dockerfiles: int) -> tuple[str, list[str]]:
    """A monorepo-like folder of `files` files, `dockerfiles` of them Dockerfiles that discovery
    must find; the rest sits in places it must skip (.git, node_modules, virtualenvs, build) or
    is not a Dockerfile. Also a symlink loop. Returns (folder, the Dockerfiles it should find)."""
    folder = os.path.join(base, f"tree{files}-{dockerfiles}")
    manifest = os.path.join(folder, "manifest.json")
    want = {"version": CORPUS_VERSION, "seed": SEED, "files": files, "dockerfiles": dockerfiles}
    expected = [os.path.join(folder, f"projects/p{k:05d}/Dockerfile") for k in range(dockerfiles)]
    if _manifest(manifest) == want:
        return folder, expected
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(f"{SEED}-tree")
    for path in expected:
        os.makedirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dockerfile(rng))
    venv = os.path.join(folder, ".venv")
    os.makedirs(venv)
    with open(os.path.join(venv, "pyvenv.cfg"), "w", encoding="utf-8") as handle:
        handle.write("home = /usr/bin\n")
    for k in range(max(0, files - dockerfiles)):
        sub, name = TREE_NOISE[k % len(TREE_NOISE)]
        sub = sub.format(k=k // len(TREE_NOISE) % 200)
        path = os.path.join(folder, sub, name.format(k=k))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("FROM scratch\n" if "Dockerfile" in name else "x\n")
    os.symlink("..", os.path.join(folder, "projects", "loop"))
    with open(manifest, "w", encoding="utf-8") as handle:
        json.dump(want, handle)
    return folder, expected


# ------------------------------------------------------------------------------- installation


def _source_hash() -> str:
    digest = hashlib.sha256()
    for top in ("runtime_lint", "rules"):
        for folder, dirs, names in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, ROOT).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:16]


def install(cache: str, python: str, build: str = "pure") -> str:
    """A non-editable install of this checkout in a venv of its own, byte-compiled; reused while
    the sources do not change. `build` is "pure" (what `pip install .` builds) or "compiled"
    (mypyc, what `RUNTIME_LINT_COMPILE=1 pip install .` builds; it must succeed here). Returns
    the path of its `runtime-lint`."""
    venv = os.path.join(cache, f"venv-{_source_hash()}-{build}")
    exe = os.path.join(venv, "bin", "runtime-lint")
    if os.path.exists(os.path.join(venv, ".complete")):
        return exe
    shutil.rmtree(venv, ignore_errors=True)
    os.makedirs(cache, exist_ok=True)
    env = _env()
    env["RUNTIME_LINT_COMPILE"] = "1" if build == "compiled" else "0"
    log(f"installing runtime-lint ({build}) into {venv} ...")
    subprocess.run([python, "-m", "venv", venv], check=True, env=env)
    vpy = os.path.join(venv, "bin", "python")
    subprocess.run([vpy, "-m", "pip", "install", "-q", "--disable-pip-version-check", ROOT], check=True, env=env)
    # pip byte-compiles on install, but make sure: start-up must not pay for compiling.
    subprocess.run([vpy, "-m", "compileall", "-q", os.path.join(venv, "lib")], check=False, env=env)
    with open(os.path.join(venv, ".complete"), "w", encoding="utf-8") as handle:
        handle.write(ROOT + "\n")
    return exe


def build_of(python: str, env: dict[str, str]) -> str:
    """Whether that interpreter's runtime_lint is the mypyc-compiled build or pure Python."""
    code = "import runtime_lint.dockerfile as d; print(d.__file__)"
    where = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env).stdout.strip()
    return "pure Python" if where.endswith(".py") else "compiled (mypyc)"


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "runtime-lint-bench")


# -------------------------------------------------------------------------------- measurement


class Sample:
    __slots__ = ("code", "cpu", "rss_kb", "wall")

    def __init__(self, wall: float, rss_kb: int, code: int, cpu: float = 0.0) -> None:
        self.wall = wall
        self.rss_kb = rss_kb
        self.code = code
        self.cpu = cpu  # user + system seconds of the child and of the workers it waited for


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measured processes use their .pyc files
    for name in (
        "FORCE_COLOR",
        "RUNTIME_LINT_FORMAT",
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "PYTHONPROFILEIMPORTTIME",
    ):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    return env


def run_once(argv: list[str], env: dict[str, str], errlog: str) -> Sample:
    """One invocation: stdout to /dev/null (not a terminal), stderr to `errlog`; its wall time.

    posix_spawn + os.wait4: the rusage is exactly this child's; but its ru_maxrss is useless here,
    since Linux carries the spawning process's peak RSS over exec into the child's maximum
    (`setmax_mm_hiwater_rss` in exec_mmap), so every child would show this script's own size.
    Memory is measured by `run_memory` instead."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, errlog, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return Sample(wall, 0, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)


GNU_TIME = "/usr/bin/time"


def has_gnu_time() -> bool:
    try:
        proc = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "GNU" in proc.stdout + proc.stderr


def run_memory(argv: list[str], env: dict[str, str], errlog: str, memlog: str, gnu_time: bool) -> int:
    """Peak RSS (KiB) of one invocation. With GNU time the process that forks the command is
    `time` itself (about 1 MiB), so the carried-over floor is negligible; without it, os.wait4
    on a direct child, which cannot report less than this script's own peak RSS."""
    if not gnu_time:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, errlog, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        ]
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        _, _, usage = os.wait4(pid, 0)
        return int(usage.ru_maxrss)
    with open(os.devnull, "rb") as stdin, open(os.devnull, "wb") as stdout, open(errlog, "wb") as stderr:
        subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", memlog, "--", *argv], stdin=stdin, stdout=stdout, stderr=stderr, env=env
        )
    with open(memlog, encoding="utf-8") as handle:
        lines = handle.read().split()
    return int(lines[-1])  # after a possible "Command exited with non-zero status 1"


class Tool:
    """A command line to measure; `files` are appended to `argv`."""

    def __init__(self, name: str, argv: list[str], ok_codes: tuple[int, ...] = (0, 1), fixed: bool = False) -> None:
        self.name = name
        self.argv = argv
        self.ok_codes = ok_codes
        self.fixed = fixed  # the argv already names what to lint: files are not appended

    def command(self, files: list[str]) -> list[str]:
        return list(self.argv) if self.fixed else [*self.argv, *files]


READ_FLOOR = "import sys\nfor p in sys.argv[1:]:\n    with open(p, 'rb') as f:\n        f.read().decode('utf-8')\n"


def hook_command(python: str) -> list[str]:
    """How the pre-commit hook runs runtime-lint: the `entry` of .pre-commit-hooks.yaml, with the
    hook environment's `python` (here: the interpreter of the runtime-lint being measured)."""
    with open(os.path.join(os.path.dirname(HERE), ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip().startswith("entry:"):
                argv = shlex.split(line.split(":", 1)[1])
                break
        else:
            raise SystemExit("bench: no entry in .pre-commit-hooks.yaml")
    return [python, *argv[1:]] if argv[0] == "python" else [shutil.which(argv[0]) or argv[0], *argv[1:]]


def shebang_python(script: str) -> str:
    """The interpreter a console script runs with (its shebang), else this one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].split()[0]
    return sys.executable


def measure(
    tools: list[Tool], jobs: list[list[str]], env: dict[str, str], scratch: str, memory_runs: int, gnu_time: bool
) -> dict[str, list[Sample]]:
    """Every tool runs once on each job (a list of files), tools interleaved in an order that
    rotates (and reverses every other job) so that no tool always goes first or last. The first
    `memory_runs` jobs also run each tool once more, under GNU time, for its peak memory."""
    errlog = os.path.join(scratch, "stderr.txt")
    memlog = os.path.join(scratch, "time.txt")
    out: dict[str, list[Sample]] = {t.name: [] for t in tools}
    for rep, files in enumerate(jobs):
        k = rep % len(tools)
        order = tools[k:] + tools[:k]
        if rep % 2:
            order.reverse()
        for tool in order:
            sample = run_once(tool.command(files), env, errlog)
            if sample.code not in tool.ok_codes:
                with open(errlog, encoding="utf-8", errors="replace") as handle:
                    err = handle.read()[-2000:]
                raise SystemExit(
                    f"bench: {tool.name} exited {sample.code} on {len(files)} file(s) "
                    f"({' '.join(tool.command(files)[:6])} ...):\n{err}"
                )
            if rep < memory_runs:
                sample.rss_kb = run_memory(tool.command(files), env, errlog, memlog, gnu_time)
            out[tool.name].append(sample)
    return out


Rows = dict[str, dict[str, float]]  # tool -> statistic -> value


def summarise(samples: dict[str, list[Sample]]) -> Rows:
    rows: Rows = {}
    for name, got in samples.items():
        walls = [s.wall for s in got]
        rss = [s.rss_kb for s in got if s.rss_kb] or [0]
        rows[name] = {
            "n": len(got),
            "wall_ms_median": statistics.median(walls) * 1000,
            "wall_ms_min": min(walls) * 1000,
            "wall_ms_max": max(walls) * 1000,
            "cpu_ms_median": statistics.median([s.cpu for s in got]) * 1000,
            "rss_mb_median": statistics.median(rss) / 1024,
            "rss_mb_max": max(rss) / 1024,
        }
    for reference, ref in rows.items():  # each way of running runtime-lint against the others
        if not reference.startswith("runtime-lint"):
            continue
        for name, row in list(rows.items()):
            if not name.startswith("runtime-lint"):
                ref[f"wall_ratio_vs_{name}"] = ref["wall_ms_median"] / row["wall_ms_median"]
                ref[f"rss_ratio_vs_{name}"] = ref["rss_mb_median"] / (row["rss_mb_median"] or float("nan"))
    return rows


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def print_case(title: str, rows: Rows) -> None:
    print(f"\n{title}")
    print(f"  {'tool':<23}{'runs':>6}{'wall ms (median)':>18}{'min':>9}{'max':>9}{'cpu ms':>9}{'peak RSS MB':>13}")
    for name, row in rows.items():
        print(
            f"  {name:<23}{int(row['n']):>6}{row['wall_ms_median']:>18.1f}{row['wall_ms_min']:>9.1f}"
            f"{row['wall_ms_max']:>9.1f}{row['cpu_ms_median']:>9.1f}{row['rss_mb_median']:>13.1f}"
        )
    for reference, ref in rows.items():
        for key, value in ref.items():
            if key.startswith("wall_ratio_vs_"):
                other = key[len("wall_ratio_vs_") :]
                rss = ref[f"rss_ratio_vs_{other}"]
                print(f"  {reference:<22} / {other:<12} wall x{value:.2f}   memory x{rss:.2f}")


# ---------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7, help="repetitions of each batch case (default 7)")
    parser.add_argument("--single-runs", type=int, default=30, help="one-file invocations per tool (default 30)")
    parser.add_argument(
        "--memory-runs", type=int, default=3, help="invocations per case measured for peak memory too (default 3)"
    )
    parser.add_argument("--sizes", default="1,100,2000", help="corpus sizes for the batch case (default 1,100,2000)")
    parser.add_argument(
        "--tree",
        default="50000,2000",
        help="FILES,DOCKERFILES of the discovery tree, or 0 to skip (default 50000,2000)",
    )
    parser.add_argument("--runtime-lint", help="the runtime-lint to measure (default: the one beside this Python)")
    parser.add_argument("--hadolint", help="the hadolint binary (default: beside this Python, else on PATH)")
    parser.add_argument(
        "--install",
        action="store_true",
        help="measure fresh non-editable installs (cached venvs): the pure-Python build `pip install .`\n"
        "gives, and the mypyc build (RUNTIME_LINT_COMPILE=1) as the extra row runtime-lint-hook-compiled",
    )
    parser.add_argument("--install-dir", help=f"where --install keeps its venvs (default {_cache_dir()})")
    parser.add_argument(
        "--corpus",
        default=os.path.join(_cache_dir(), "corpus"),
        help=f"corpus folder (default {os.path.join(_cache_dir(), 'corpus')}); benchmarks/corpus is git-ignored, but\n"
        "inside this checkout runtime-lint finds and parses its pyproject.toml for every run",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of runtime-lint on the largest corpus"
    )
    args = parser.parse_args(argv)
    args.corpus = os.path.abspath(args.corpus)  # the tools run in a folder of their own

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    bindir = os.path.dirname(sys.executable)
    compiled = None
    if args.install:
        rl = install(args.install_dir or _cache_dir(), sys.executable, "pure")
        compiled = install(args.install_dir or _cache_dir(), sys.executable, "compiled")
    else:
        rl = args.runtime_lint or os.path.join(bindir, "runtime-lint")
    hl = args.hadolint or (
        os.path.join(bindir, "hadolint")
        if os.path.exists(os.path.join(bindir, "hadolint"))
        else shutil.which("hadolint")
    )
    for name, path in (("runtime-lint", rl), ("hadolint", hl)):
        if not path or not os.access(path, os.X_OK):
            raise SystemExit(f"bench: {name} not found ({path}); pass --{name} PATH")
    rl = os.path.abspath(rl)
    assert hl is not None
    hl = os.path.abspath(hl)
    python = shebang_python(rl)

    env = _env()
    scratch = tempfile.mkdtemp(prefix="runtime-lint-bench-")
    # Every tool runs in an empty folder: `python -c` (the hook entry) puts the current folder
    # first on sys.path, and in this checkout that would import its source instead of the install.
    os.chdir(scratch)
    env["XDG_CACHE_HOME"] = os.path.join(scratch, "cache")  # the bundled catalog, no user cache
    errlog = os.path.join(scratch, "stderr.txt")
    gnu_time = has_gnu_time()
    if not gnu_time:
        log("bench: GNU time (/usr/bin/time) not found: peak memory includes this script's own RSS")
    rl_tool = Tool("runtime-lint", [rl, "--as-of", AS_OF, "--no-color"])
    hook_tool = Tool("runtime-lint-hook", [*hook_command(python), "--as-of", AS_OF, "--no-color"])
    hl_tool = Tool("hadolint", [hl, "--no-color"])
    pass_tool = Tool("python-pass", [python, "-c", "pass"], (0,))
    read_tool = Tool("python-read", [python, "-c", READ_FLOOR], (0,))
    tools = [rl_tool, hook_tool, hl_tool, pass_tool, read_tool]
    if compiled is not None:
        compiled_python = shebang_python(os.path.abspath(compiled))
        hook = [*hook_command(compiled_python), "--as-of", AS_OF, "--no-color"]
        tools.insert(2, Tool("runtime-lint-hook-compiled", hook))

    versions = {
        "runtime-lint": subprocess.run([rl, "--version"], capture_output=True, text=True, env=env).stdout.strip(),
        "hadolint": subprocess.run([hl, "--version"], capture_output=True, text=True, env=env).stdout.strip(),
        "python": subprocess.run([python, "--version"], capture_output=True, text=True, env=env).stdout.strip(),
        "build": build_of(python, env),
    }
    report: dict[str, object] = {
        "runtime_lint": rl,
        "hadolint": hl,
        "python": python,
        "versions": versions,
        "cpus": os.cpu_count(),
        "platform": sys.platform,
        "memory_by": "GNU time %M" if gnu_time else "os.wait4 ru_maxrss (includes the spawner's RSS)",
        "cases": {},
    }
    cases: dict[str, Rows] = {}
    report["cases"] = cases
    try:
        log(f"corpora in {args.corpus} ...")
        corpora = {size: make_corpus(args.corpus, size) for size in sizes}
        largest = corpora[max(sizes)] if sizes else make_corpus(args.corpus, 100)

        # warm up: page cache, .pyc files, the dynamic loader
        for tool in tools:
            for _ in range(2):
                run_once(tool.command(largest[:1]), env, errlog)

        # (a) one file per invocation: a different file each repetition
        if args.single_runs > 0:
            log(f"single: {args.single_runs} one-file invocations per tool ...")
            picks = [[largest[(k * 7919) % len(largest)]] for k in range(args.single_runs)]
            samples = measure(tools, picks, env, scratch, args.memory_runs, gnu_time)
            cases["single"] = summarise(samples)
            if not args.json:
                print_case(f"(a) one file per invocation ({args.single_runs} files)", cases["single"])

        # (d) one file in a project whose pyproject.toml configures runtime-lint, as the README
        # tells teams to do: the config is read on every run (from the parsed-config cache once warm)
        if args.single_runs > 0:
            project = os.path.join(scratch, "configured")
            os.makedirs(project, exist_ok=True)
            with open(os.path.join(project, "pyproject.toml"), "w", encoding="utf-8") as handle:
                handle.write('[project]\nname = "airflow-project"\n\n[tool.runtime-lint]\nwarn-days = 60\n')
            configured = os.path.join(project, "Dockerfile")
            shutil.copyfile(largest[0], configured)
            log(f"with config: {args.single_runs} one-file invocations per tool ...")
            samples = measure(tools, [[configured]] * args.single_runs, env, scratch, args.memory_runs, gnu_time)
            cases["single-config"] = summarise(samples)
            if not args.json:
                print_case(
                    f"(d) one file, pyproject.toml configures runtime-lint ({args.single_runs} runs)",
                    cases["single-config"],
                )

        # (b) all files of a corpus in one invocation
        for size in sizes:
            log(f"batch: {size} files x {args.runs} runs ...")
            rows = summarise(measure(tools, [corpora[size]] * args.runs, env, scratch, args.memory_runs, gnu_time))
            cases[f"batch-{size}"] = rows
            if not args.json:
                print_case(f"(b) {size} file(s) in one invocation", rows)

        # (c) discovery: a folder tree against the same Dockerfiles given by name
        if args.tree not in ("", "0"):
            files, dockerfiles = (int(x) for x in args.tree.split(","))
            log(f"tree: {files} files, {dockerfiles} Dockerfiles ...")
            folder, expected = make_tree(args.corpus, files, dockerfiles)
            walk = Tool("runtime-lint", [rl, "--as-of", AS_OF, "--no-color", folder], fixed=True)
            named = Tool("named-files", [rl, "--as-of", AS_OF, "--no-color"])
            rows = summarise(measure([walk, named], [expected] * args.runs, env, scratch, args.memory_runs, gnu_time))
            cases["tree"] = rows
            if not args.json:
                print_case(
                    f"(c) a folder of {files} files holding {dockerfiles} Dockerfiles vs the same files by name", rows
                )

        if args.profile:
            target = largest
            log("profile ...")
            proc = subprocess.run(
                [
                    python,
                    "-m",
                    "cProfile",
                    "-s",
                    "tottime",
                    "-m",
                    "runtime_lint",
                    "--as-of",
                    AS_OF,
                    "--no-color",
                    *target,
                ],
                capture_output=True,
                text=True,
                env=env,
            )
            lines = proc.stdout.splitlines()
            start = next((k for k, line in enumerate(lines) if "function calls" in line), 0)
            print("\n".join(lines[start : start + 35]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    goals = targets(cases)
    report["targets"] = goals
    figures = report["cpu_per_file"] = cpu_per_file(cases)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"\n{versions['runtime-lint']}, {versions['build']} ({rl}); {versions['hadolint']}; {versions['python']}")
        print(f"{os.cpu_count()} CPU(s); memory by {report['memory_by']}")
        for name, (value, ok) in goals.items():
            print(f"  target {name}: {value} {'ok' if ok else 'MISSED'}")
        for name, value in figures.items():
            print(f"  figure {name}: {value}")
    return 0


def targets(cases: dict[str, Rows]) -> dict[str, tuple[str, bool]]:
    """The goals in benchmarks/README.md (issue 13's), checked against this run. The main rows
    are the build measured (with --install, the pure one `pip install .` gives); the compiled
    build, when measured, has goals of its own."""
    out: dict[str, tuple[str, bool]] = {}
    for case, label in (("single", "one file"), ("single-config", "one file with a config")):
        rows = cases.get(case)
        if rows is None:
            continue
        # the hook entry, as pre-commit runs it on every commit; pip's script (its launcher imports
        # `re` first) is in the table for reference
        ratio = rows["runtime-lint-hook"]["wall_ratio_vs_hadolint"]
        out[f"{label}: wall <= hadolint (pre-commit hook entry)"] = (f"x{ratio:.2f}", ratio <= 1.0)
        extra = rows["runtime-lint-hook"]["wall_ms_median"] - rows["python-pass"]["wall_ms_median"]
        out[f"{label}: within 8 ms of python -c pass (hook entry)"] = (f"+{extra:.1f} ms", extra <= 8.0)
    batches = sorted((int(k.split("-")[1]), v) for k, v in cases.items() if k.startswith("batch-"))
    if batches:
        size, rows = batches[-1]
        if size >= 1000:
            ratio = rows["runtime-lint"]["wall_ratio_vs_hadolint"]
            out[f"{size} files: wall <= 1/20 of hadolint"] = (f"x{ratio:.3f}", ratio <= 0.05)
            ways = [
                ("runtime-lint", "pip's runtime-lint script", 4.0),
                ("runtime-lint-hook", "pre-commit hook entry", 4.0),
                ("runtime-lint-hook-compiled", "hook entry, compiled build", 3.0),
            ]
            for name, how, most in ways:
                if name in rows:
                    ratio = rows[name]["wall_ratio_vs_python-read"]
                    out[f"{size} files: wall <= {most:g}x the read floor ({how})"] = (f"x{ratio:.2f}", ratio <= most)
        if len(batches) > 1:
            small = batches[0][1]["runtime-lint"]["rss_mb_median"]
            large = rows["runtime-lint"]["rss_mb_median"]
            out[f"memory flat from {batches[0][0]} to {size} files"] = (
                f"{small:.1f} -> {large:.1f} MB",
                large <= small * 1.25 + 2,
            )
    return out


def cpu_per_file(cases: dict[str, Rows]) -> dict[str, str]:
    """The CPU time (user + system, workers included) each file costs on the largest corpus, over
    that of `python -c pass`: unlike the wall-time ratio to the read floor, which is mostly start-up
    and I/O, it follows the CPU the machine gives, so figures of two days compare."""
    batches = sorted((int(k.split("-")[1]), v) for k, v in cases.items() if k.startswith("batch-"))
    if not batches or batches[-1][0] < 1000:
        return {}
    size, rows = batches[-1]
    base = rows["python-pass"]["cpu_ms_median"]
    out = {}
    for name in ("runtime-lint-hook", "runtime-lint-hook-compiled", "python-read"):
        if name in rows:
            micros = (rows[name]["cpu_ms_median"] - base) * 1000 / size
            out[f"{size} files: CPU per file ({name})"] = f"{micros:.0f} µs"
    return out


if __name__ == "__main__":
    sys.exit(main())
