"""Start-up stays light: a lint run imports only what it needs.

A pre-commit hook starts a Python process on every commit, and on a small file most of a run is
start-up. `re` alone costs more to import than linting a file (about 6 ms on the benchmark
machine, with `enum`, `functools` and `collections` behind it), so the plain lint path (text,
concise and GitHub output, no config, no pragmas) must not import it; neither datetime.py (the
C `date` type is used directly), argparse, rich, json, tomllib nor importlib.metadata. Rarer
paths may (a pragma, a heredoc, per-file-ignores, JSON and SARIF output): each test below says
which.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "re", "enum", "datetime", "argparse", "rich", "json", "tomllib", "tomli",
    "importlib.metadata", "fnmatch", "typing", "types",
)  # fmt: skip

SHAPES = {
    "astro-dev-init": "FROM quay.io/astronomer/astro-runtime:12.6.0\n",
    "directives-and-arg": (
        "# syntax=docker/dockerfile:1\n"
        "# escape=\\\n"
        "ARG RUNTIME_VERSION=12.6.0\n"
        "FROM --platform=linux/amd64 quay.io/astronomer/astro-runtime:${RUNTIME_VERSION}-python-3.11 AS base\n"
        "FROM base\n"
        "RUN pip install --no-cache-dir \\\n"
        "    'apache-airflow-providers-snowflake>=5' \\\n"
        "    pandas\n"
    ),
    "airflow3-bad-tag": "FROM astrocrpublic.azurecr.io/runtime:v3.0-4\nUSER root\n",
    "yanked-and-old": (
        "FROM quay.io/astronomer/astro-runtime:5.0.0 AS build\nFROM quay.io/astronomer/ap-airflow:2.2.5\n"
    ),
}


def _imported(tmp_path: Path, text: str, *args: str) -> tuple[set[str], int]:
    """The heavy modules a `runtime-lint` process imported for this Dockerfile, and its exit code."""
    (tmp_path / "Dockerfile").write_text(text)
    code = (
        "import sys\n"
        "from runtime_lint.cli import main\n"
        f"rc = main(['Dockerfile', '--as-of', '2026-11-28', *{list(args)!r}])\n"
        f"sys.stderr.write('\\n' + repr(sorted(m for m in {HEAVY!r} if m in sys.modules)) + ' ' + str(rc))\n"
    )
    # -I: no site-packages .pth hooks (setuptools' adds imports of its own), only this checkout
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(root)!r}); exec({code!r})"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    last = proc.stderr.rstrip("\n").rsplit("\n", 1)[-1]
    names, rc = last.rsplit(" ", 1)
    return set(ast.literal_eval(names)), int(rc)


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_lint_path_imports_nothing_heavy(tmp_path: Path, shape: str, fmt: str) -> None:
    modules, rc = _imported(tmp_path, SHAPES[shape], "--format", fmt)
    assert rc in (0, 1)
    assert modules == set()


def test_the_test_can_see_a_heavy_import(tmp_path: Path) -> None:
    # JSON output needs `json` (which imports `re`): the probe above would notice such an import.
    modules, rc = _imported(tmp_path, SHAPES["astro-dev-init"], "--format", "json")
    assert {"json", "re"} <= modules
    assert rc in (0, 1)


def test_a_pragma_may_import_re_and_a_heredoc_does_not(tmp_path: Path) -> None:
    text = "# runtime-lint: ignore=RL204 -- pinned on purpose\nFROM quay.io/astronomer/astro-runtime:12.5.0\n"
    modules, _ = _imported(tmp_path, text)
    assert "re" in modules
    # heredocs are read as BuildKit's parser reads them, word by word, without `re`
    modules, _ = _imported(tmp_path, "FROM quay.io/astronomer/astro-runtime:12.6.0\nRUN <<EOF\necho hi\nEOF\n")
    assert "re" not in modules


def test_model_date_is_datetime_date() -> None:
    # model.date comes from the C module to skip datetime.py; it must be the very same type
    import datetime

    from runtime_lint.model import date

    assert date is datetime.date
