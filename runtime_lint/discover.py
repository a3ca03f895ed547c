"""Which files to lint: paths as given, and Dockerfiles found under folders.

Found under a folder: `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `*.Dockerfile`,
`*.dockerfile`, `Containerfile`, `Containerfile.*` (not `Dockerfile.dockerignore`).
Skipped: version-control folders, virtualenvs (any folder holding `pyvenv.cfg`), node_modules,
caches and build output. Symlinked folders are not followed (no loops); symlinked files are
linted. The order is sorted and stable.
"""

from __future__ import annotations

import os

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        "site-packages",
        ".eggs",
        "build",
        "dist",
    }
)


def is_dockerfile_name(name: str) -> bool:
    if name.endswith(".dockerignore"):  # BuildKit's per-Dockerfile ignore file: Dockerfile.dockerignore
        return False
    if name in ("Dockerfile", "Containerfile"):
        return True
    if name.startswith(("Dockerfile.", "Dockerfile-", "Containerfile.")):
        return True
    return name.endswith((".Dockerfile", ".dockerfile"))


def discover(paths: list[str]) -> list[str]:
    """Files to lint, in order: explicit paths as given (even a missing one, so that it is
    reported), then the Dockerfiles under each folder, sorted."""
    out: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            for found in walk(path):
                if found not in seen:
                    seen.add(found)
                    out.append(found)
        elif path not in seen:
            seen.add(path)
            out.append(path)
    return out


def walk(top: str) -> list[str]:
    found: list[str] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in items:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS and not os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                        subdirs.append(entry.path)
                elif is_dockerfile_name(entry.name) and entry.is_file():
                    found.append(entry.path)
            except OSError:
                continue
        stack.extend(reversed(subdirs))
    return sorted(found)
