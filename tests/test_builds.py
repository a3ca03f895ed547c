"""The mypyc-compiled build (scripts/hatch_build.py) against the pure-Python source.

- In .ci/run's second pass, where runtime_lint is an installed, compiled wheel, the same inputs
  go through fuzz/compare_builds.py once with that build and once with this checkout's source,
  and every parse, finding, fix, expansion and grammar result must be the same.
- In every pass, the modules that get compiled are checked for what mypyc compiles differently
  from the interpreter (the list in scripts/hatch_build.py), so that the source pass catches it.
"""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COMPILED, ROOT

SCRIPT = ROOT / "fuzz" / "compare_builds.py"

needs_compiled = pytest.mark.skipif(not COMPILED, reason="runtime_lint is not the compiled build here")


def _describe(paths: list[str], source: bool) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "RUNTIME_LINT_SOURCE"}
    env["PYTHONSAFEPATH"] = "1"  # never this checkout by accident: only through RUNTIME_LINT_SOURCE
    if source:
        env["RUNTIME_LINT_SOURCE"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *paths], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.splitlines()


def _inputs(folder: Path, count: int) -> list[str]:
    """The examples and `count` Astro project Dockerfiles from the benchmark's generator, as
    fuzz inputs: a first byte choosing the mode (build args, escape, Astro project), all modes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rng = random.Random(20261129)
    texts = [p.read_bytes() for p in sorted((ROOT / "examples").rglob("Dockerfile*"))]
    texts += [bench.dockerfile(rng).encode("utf-8") for _ in range(count)]
    paths: list[str] = []
    for k, text in enumerate(texts):
        path = folder / f"input-{k:04d}"
        path.write_bytes(bytes([k % 8]) + text)
        paths.append(str(path))
    return paths


@needs_compiled
def test_compiled_build_agrees_with_the_source(tmp_path: Path) -> None:
    shapes = [str(ROOT / "fuzz" / "seeds"), *_inputs(tmp_path, 400)]
    compiled = _describe(shapes, source=False)
    source = _describe(shapes, source=True)
    assert json.loads(compiled[0])["build"] != "dockerfile.py", compiled[0]
    assert json.loads(source[0])["build"] == "dockerfile.py", source[0]
    assert len(compiled) == len(source) > 600
    differ = [k for k, (a, b) in enumerate(zip(compiled[1:], source[1:], strict=True)) if a != b]
    assert not differ, f"{len(differ)} inputs differ, first: compiled {compiled[differ[0] + 1][:2000]}"
    # the inputs reached the rules: not every result is empty or an error
    findings = sum(bool(json.loads(line)["lint"]) for line in source[1:] if line.startswith("{"))
    assert findings > 300


def _compiled_modules() -> list[str]:
    tree = ast.parse((ROOT / "scripts" / "hatch_build.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COMPILED" for t in node.targets):
            modules = ast.literal_eval(node.value)
            assert isinstance(modules, tuple) and modules
            return list(modules)
    raise AssertionError("no COMPILED in scripts/hatch_build.py")


def mypyc_pitfalls(source: str) -> list[str]:
    """Lines of `source` that behave differently once compiled by mypyc."""
    found: list[str] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            types: dict[str, set[str]] = {}
            for inner in ast.walk(node):
                if isinstance(inner, ast.ExceptHandler) and inner.name:
                    kind = ast.unparse(inner.type) if inner.type is not None else "BaseException"
                    types.setdefault(inner.name, set()).add(kind)
            found += [
                f"{node.name}: 'as {name}' names {sorted(kinds)}" for name, kinds in types.items() if len(kinds) > 1
            ]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ("__dict__", "__slots__")
            and isinstance(node.ctx, ast.Load)
        ):
            found.append(f"line {node.lineno}: reads {node.attr}")
        elif (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
            and node.orelse
        ):
            found.append(f"line {node.lineno}: 'if TYPE_CHECKING' with an else")
    return found


@pytest.mark.parametrize("module", _compiled_modules())
def test_compiled_modules_avoid_mypyc_pitfalls(module: str) -> None:
    assert mypyc_pitfalls((ROOT / module).read_text(encoding="utf-8")) == []


def test_the_pitfall_check_finds_each_pitfall() -> None:
    source = """
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
else:
    date = None

class A:
    __slots__ = ("x",)

    def names(self) -> list[str]:
        return list(self.__dict__) + list(type(self).__slots__)

def read() -> None:
    try:
        pass
    except OSError as exc:
        raise
    try:
        pass
    except ValueError as exc:
        raise
"""
    found = mypyc_pitfalls(source)
    assert len(found) == 4, found
    assert any("'as exc' names ['OSError', 'ValueError']" in f for f in found)
    assert sum("reads" in f for f in found) == 2
    assert any("with an else" in f for f in found)


@pytest.mark.parametrize(
    ("value", "mode"),
    [(None, "off"), ("", "off"), ("0", "off"), ("1", "on"), ("true", "on"), ("auto", "auto"), (" AUTO ", "auto")],
)
def test_compiling_is_opt_in(monkeypatch: pytest.MonkeyPatch, value: str | None, mode: str) -> None:
    """A plain `pip install .` (and every pre-commit hook environment) gets the pure build."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import hatch_build
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    if value is None:
        monkeypatch.delenv("RUNTIME_LINT_COMPILE", raising=False)
    else:
        monkeypatch.setenv("RUNTIME_LINT_COMPILE", value)
    assert hatch_build.compile_mode() == mode
    monkeypatch.setenv("RUNTIME_LINT_COMPILE", "sometimes")
    with pytest.raises(ValueError, match="RUNTIME_LINT_COMPILE"):
        hatch_build.compile_mode()
