#!/usr/bin/env python3
"""Record (or check) what runtime-lint prints, byte for byte, on the examples and a corpus.

    python scripts/record_outputs.py           # write tests/golden/
    python scripts/record_outputs.py --check   # exit 1 and show a diff if the output changed

The redesign of the layers above the rules (issue 13) must not change any output: this records
every format of `check`, and `images` and `catalog list`, on examples/ and on 40 Dockerfiles of the
benchmark corpus (benchmarks/bench.py, fixed seed), as of a fixed day, with the bundled catalog.
What legitimately differs between machines is normalised: runtime-lint's version and absolute
paths. A deliberate change of behaviour re-records with this script, and the commit shows the diff.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
AS_OF = "2026-11-28"
CORPUS_SIZE = 40


def _formats() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from runtime_lint.report import FORMATS

    return list(FORMATS)


def _corpus(base: str) -> None:
    """The benchmark's corpus generator (benchmarks/bench.py, a script, so loaded by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.make_corpus(base, CORPUS_SIZE)


def _run(args: list[str], cwd: str, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"


def _normalise(text: str, cwd: str) -> str:
    import re

    from runtime_lint import __version__

    # the bundled catalog is wherever runtime_lint is installed (the checkout, or a compiled install)
    text = re.sub(r'[^\s"(]*runtime_lint/data/catalog\.json', "<bundled catalog>", text)
    for path in sorted({cwd, os.path.realpath(cwd), str(ROOT)}, key=len, reverse=True):
        text = text.replace(path, "<dir>")
    return text.replace(f'"{__version__}"', '"<version>"').replace(
        f"runtime-lint {__version__}", "runtime-lint <version>"
    )


def outputs() -> dict[str, str]:
    """Name of a golden file -> what runtime-lint prints now."""
    recorded: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as work:
        # the runtime_lint this Python imports: the checkout (editable install) or an installed build
        env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=os.path.join(work, "cache"))
        # what a CI sets that changes the output: the format, the job summary, the repository root
        for name in ("RUNTIME_LINT_FORMAT", "RUNTIME_LINT_SUMMARY", "GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS"):
            env.pop(name, None)
        for name in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR", "FORCE_COLOR"):
            env.pop(name, None)
        _corpus(work)
        targets = {"examples": (str(ROOT), ["examples"]), "corpus": (work, [f"n{CORPUS_SIZE}"])}
        for name, (cwd, paths) in targets.items():
            for fmt in _formats():
                run = _run(["check", *paths, "--as-of", AS_OF, "--format", fmt], cwd, env)
                recorded[f"{name}.check.{fmt}.txt"] = _normalise(run, cwd)
            for fmt in ("table", "json"):
                run = _run(["images", *paths, "--as-of", AS_OF, "--format", fmt], cwd, env)
                recorded[f"{name}.images.{fmt}.txt"] = _normalise(run, cwd)
        for fmt in ("table", "json"):
            run = _run(["catalog", "list", "--as-of", AS_OF, "--format", fmt], work, env)
            recorded[f"catalog.list.{fmt}.txt"] = _normalise(run, work)
    return recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with tests/golden/ instead of writing")
    args = parser.parse_args(argv)
    now = outputs()
    if args.check:
        changed = 0
        for name, text in sorted(now.items()):
            path = GOLDEN / name
            before = path.read_text(encoding="utf-8") if path.exists() else ""
            if before != text:
                changed += 1
                diff = difflib.unified_diff(before.splitlines(True), text.splitlines(True), f"a/{name}", f"b/{name}")
                sys.stdout.writelines(list(diff)[:60])
        extra = sorted(p.name for p in GOLDEN.glob("*.txt") if p.name not in now)
        for name in extra:
            print(f"recorded but no longer produced: {name}")
        return 1 if changed or extra else 0
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.txt"):
        old.unlink()
    for name, text in now.items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"recorded {len(now)} outputs in {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
