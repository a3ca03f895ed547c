"""Build hook: compile runtime-lint's hot modules with mypyc into a platform wheel.

Parsing, ARG expansion, the rules and the text report run once per Dockerfile; compiled to C
with mypyc (as black and mypy ship themselves) they take about 40% less time, which is what a
monorepo of thousands of Dockerfiles sees. Start-up is unchanged, so a pre-commit run on a few
files gains nothing and loses nothing.

Compiling is opt-in. RUNTIME_LINT_COMPILE decides, when a wheel is built (`pip install .`,
`pip wheel .`):
- unset, empty or `0` (the default): do not compile. A plain `pip install .` and every pre-commit
  hook environment get the pure-Python build in seconds: compiling takes about 50 s against 4 s,
  to save about 40 us a Dockerfile, which only a monorepo of thousands of files notices;
- `1`: compile, and fail the build if compiling fails (release wheels, CI's compiled pass);
- `auto`: compile; if that fails (no C compiler, no Python headers), say why and build the
  pure-Python wheel instead, which behaves the same, only slower.
Editable installs (`pip install -e .`) are never compiled: a compiled module next to its source
would shadow every later edit of it.

The compiling happens in a temporary copy of the package, so the source tree never holds a
compiled file. The wheel keeps every `.py` file beside its compiled module (Python imports the
compiled one first), for reading and for tracebacks of the modules that stay interpreted.

What compiled modules must not do (each was a bug the compiled test pass found):
- give one `except ... as NAME` name to different exception types in one function: mypyc types
  the name by its first use, and the second raises TypeError;
- read `__dict__` or `__slots__` of their classes: compiled classes have neither (mypyc keeps
  the attribute names in `__mypyc_attrs__`);
- rely on `if TYPE_CHECKING: ... else: ...`: mypyc compiles the `else` as unreachable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# What runs once per Dockerfile, from finding it to printing its report. model.py stays
# interpreted: it picks the C `date` type at import time, a branch mypy (rightly, for type
# checking) calls unreachable. args.py and the other report formats run once per run.
COMPILED = (
    "runtime_lint/cli.py",
    "runtime_lint/run.py",
    "runtime_lint/commands/__init__.py",
    "runtime_lint/commands/check.py",
    "runtime_lint/discover.py",
    "runtime_lint/dockerfile.py",
    "runtime_lint/heredoc.py",
    "runtime_lint/lines.py",
    "runtime_lint/suppressions.py",
    "runtime_lint/expand.py",
    "runtime_lint/image.py",
    "runtime_lint/engine.py",
    "runtime_lint/resolve.py",
    "runtime_lint/files.py",
    "runtime_lint/config.py",
    "runtime_lint/config_cache.py",
    "runtime_lint/catalog.py",
    "runtime_lint/checks/__init__.py",
    "runtime_lint/checks/tags.py",
    "runtime_lint/checks/lifecycle.py",
    "runtime_lint/checks/policy.py",
    "runtime_lint/report/__init__.py",
    "runtime_lint/report/text.py",
)
BUILD_REQUIRES = ("mypy==2.4.1", "setuptools>=68")  # mypyc comes with mypy
GROUP = "runtime_lint"  # the shared runtime library: runtime_lint__mypyc.<platform suffix>
MODES = {"auto": "auto", "": "off", "1": "on", "true": "on", "yes": "on", "0": "off", "false": "off", "no": "off"}

SETUP = """\
from setuptools import setup
from mypyc.build import mypycify

setup(
    name="runtime-lint-compiled",
    ext_modules=mypycify({paths!r}, opt_level="3", debug_level="0", group_name={group!r}),
)
"""


class CompileError(Exception):
    pass


def compile_mode() -> str:
    """The build mode RUNTIME_LINT_COMPILE asks for: auto, on or off."""
    raw = os.environ.get("RUNTIME_LINT_COMPILE", "").strip().lower()
    mode = MODES.get(raw)
    if mode is None:
        raise ValueError(f"RUNTIME_LINT_COMPILE must be auto, 1 or 0, got {raw!r}")
    return mode


class MypycBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        """What compiling needs in the build environment; nothing when not compiling."""
        return [] if compile_mode() == "off" else list(BUILD_REQUIRES)

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._work: str | None = None
        if self.target_name != "wheel" or version == "editable":
            return
        mode = compile_mode()
        if mode == "off":
            return
        try:
            built = self._compile()
        except CompileError as exc:
            if mode == "on":
                raise
            self.app.display_warning(f"runtime-lint: building the pure-Python wheel: mypyc failed: {exc}")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)

    def _compile(self) -> dict[str, str]:
        """Compile COMPILED in a copy of the package; {built file: its path in the wheel}."""
        work = self._work = tempfile.mkdtemp(prefix="runtime-lint-mypyc-")
        shutil.copytree(
            os.path.join(self.root, "runtime_lint"),
            os.path.join(work, "runtime_lint"),
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"),
        )
        with open(os.path.join(work, "mypy.ini"), "w", encoding="utf-8") as handle:
            # The build environment holds no run-time dependencies (rich, tomli): their types are
            # Any here, which compiles the same. Strict checking is the test suite's job.
            handle.write("[mypy]\nignore_missing_imports = True\n")
        with open(os.path.join(work, "setup.py"), "w", encoding="utf-8") as handle:
            handle.write(SETUP.format(paths=list(COMPILED), group=GROUP))
        lib = os.path.join(work, "lib")
        temp = os.path.join(work, "tmp")
        command = [sys.executable, "setup.py", "build_ext", "--build-lib", lib, "--build-temp", temp]
        try:
            done = subprocess.run(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        except OSError as exc:
            raise CompileError(str(exc)) from None
        if done.returncode != 0:
            lines = [line.strip() for line in done.stdout.decode("utf-8", "replace").splitlines() if line.strip()]
            errors = [line for line in lines if "error" in line.lower()] or lines or ["no output"]
            raise CompileError(errors[-1][:500])
        built: dict[str, str] = {}
        for folder, _dirs, names in os.walk(lib):
            for name in names:
                if name.endswith((".so", ".pyd")):
                    path = os.path.join(folder, name)
                    built[path] = os.path.relpath(path, lib).replace(os.sep, "/")
        expected = len(COMPILED) + 1  # each module and the shared library
        if len(built) != expected:
            raise CompileError(f"expected {expected} compiled files, found {sorted(built.values())}")
        return built
