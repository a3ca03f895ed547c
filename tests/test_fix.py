"""`--fix`, `--unsafe-fixes` and `--diff` through the command line, on real files.

Fixes edit the text where a value comes from (the FROM line, or an ARG default), and the file
keeps its line endings, BOM, final newline, mode, owner and symlinks. A file that cannot be
written is an error (exit 2) and is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Result

Cli = Callable[..., Result]
AS_OF = ("--as-of", "2026-11-28")
RUNTIME = "quay.io/astronomer/astro-runtime"
OLD = f"FROM {RUNTIME}:13.10.0\n"  # RL204 patch-not-latest; the latest of Runtime 13 is 13.11.0
NEW = f"FROM {RUNTIME}:13.11.0\n"
# RL202 end-of-maintenance (unsafe fix: 13.11.0) and RL204 (12.12.0, safe)
ENDED = f"FROM {RUNTIME}:12.6.0\n"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def fix(cli: Cli, folder: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return cli(*args, *AS_OF, "-q", cwd=folder, stdin=stdin, env=env)


def errors(result: Result) -> list[str]:
    return [line for line in result.err.splitlines() if line.startswith("runtime-lint: error")]


# ------------------------------------------------------------------------------ what is edited


def test_fix_updates_the_version_and_keeps_the_tag_suffix(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", f"FROM {RUNTIME}:13.10.0-python-3.11-base AS runtime\n")
    result = fix(cli, tmp_path, "Dockerfile", "--fix")
    assert result.code == 0, result
    assert path.read_text(encoding="utf-8") == f"FROM {RUNTIME}:13.11.0-python-3.11-base AS runtime\n"


def test_fix_reports_what_it_fixed(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", OLD)
    result = cli("Dockerfile", "--fix", *AS_OF, cwd=tmp_path)
    assert result.code == 0, result
    assert "Fixed 1 problem." in result.out
    assert "All checks passed" in result.out


def test_a_version_from_an_arg_default_is_fixed_in_the_arg(cli: Cli, tmp_path: Path) -> None:
    before = f"ARG RUNTIME_VERSION=13.10.0\nFROM {RUNTIME}:${{RUNTIME_VERSION}}\n"
    path = write(tmp_path, "Dockerfile", before)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_text(encoding="utf-8") == before.replace("=13.10.0", "=13.11.0")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quoted_arg_default_keeps_its_quotes(cli: Cli, tmp_path: Path, quote: str) -> None:
    before = f"ARG RT={quote}13.10.0{quote}\nFROM {RUNTIME}:${{RT}}-base\n"
    path = write(tmp_path, "Dockerfile", before)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_text(encoding="utf-8") == before.replace("13.10.0", "13.11.0")


def test_an_arg_used_by_two_stages_is_edited_once(cli: Cli, tmp_path: Path) -> None:
    before = (
        "ARG RT=13.10.0\n"
        f"FROM {RUNTIME}:${{RT}}-base AS build\n"
        "RUN pip wheel -w /wheels .\n"
        f"FROM {RUNTIME}:${{RT}}\n"
        "COPY --from=build /wheels /wheels\n"
    )
    path = write(tmp_path, "Dockerfile", before)
    listed = json.loads(cli("Dockerfile", *AS_OF, "--format", "json", cwd=tmp_path).out)
    assert [f["code"] for f in listed["files"][0]["findings"]] == ["RL204", "RL204"]  # one per stage

    result = fix(cli, tmp_path, "Dockerfile", "--fix")
    assert result.code == 0, result
    assert path.read_text(encoding="utf-8") == before.replace("ARG RT=13.10.0", "ARG RT=13.11.0")


def test_a_from_continued_over_lines_is_fixed_in_place(cli: Cli, tmp_path: Path) -> None:
    before = f"FROM \\\n    {RUNTIME}:13.10.0 \\\n    AS base\n"
    path = write(tmp_path, "Dockerfile", before)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_text(encoding="utf-8") == before.replace("13.10.0", "13.11.0")


def test_a_version_from_a_build_arg_is_not_fixable(cli: Cli, tmp_path: Path) -> None:
    before = f"ARG RT=13.11.0\nFROM {RUNTIME}:${{RT}}\n"
    path = write(tmp_path, "Dockerfile", before)
    result = fix(cli, tmp_path, "Dockerfile", "--fix", "--build-arg", "RT=13.10.0")
    assert result.code == 1, result  # the finding stays: the value is not in the file
    assert "RL204" in result.out
    assert path.read_text(encoding="utf-8") == before


# ---------------------------------------------------------------------- what the file keeps


def test_crlf_line_endings_are_kept(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", b"ARG RT=13.10.0\r\nFROM " + RUNTIME.encode() + b":${RT}\r\nUSER astro\r\n")
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_bytes() == b"ARG RT=13.11.0\r\nFROM " + RUNTIME.encode() + b":${RT}\r\nUSER astro\r\n"


def test_a_utf8_bom_is_kept(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", b"\xef\xbb\xbf# caf\xc3\xa9\n" + OLD.encode())
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf# caf\xc3\xa9\n" + NEW.encode()


def test_a_missing_final_newline_stays_missing(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", OLD.rstrip("\n"))
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_bytes() == NEW.rstrip("\n").encode()


@pytest.mark.parametrize("mode", [0o640, 0o751, 0o600])
def test_the_file_mode_is_kept(cli: Cli, tmp_path: Path, mode: int) -> None:
    path = write(tmp_path, "Dockerfile", OLD)
    path.chmod(mode)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_text(encoding="utf-8") == NEW
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_no_temporary_file_is_left_behind(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", OLD)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dockerfile"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_symlinked_file_is_fixed_through_the_link(cli: Cli, tmp_path: Path) -> None:
    target = write(tmp_path, "docker/Dockerfile.base", OLD)
    link = tmp_path / "Dockerfile"
    link.symlink_to(Path("docker") / "Dockerfile.base")
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert link.is_symlink(), "the symlink was replaced by a regular file"
    assert target.read_text(encoding="utf-8") == NEW


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_the_owner_is_kept_when_root_fixes_a_file(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", OLD)
    os.chown(path, 4321, 4321)  # as in a bind mount of a user's checkout into a root container
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_text(encoding="utf-8") == NEW
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4321)


def test_a_second_run_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", f"ARG RT=13.10.0\nFROM {RUNTIME}:${{RT}}-python-3.11\n")
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    fixed = path.read_bytes()
    inode = path.stat().st_ino
    again = cli("Dockerfile", "--fix", *AS_OF, cwd=tmp_path)
    assert again.code == 0, again
    assert "Fixed" not in again.out
    assert path.read_bytes() == fixed
    assert path.stat().st_ino == inode  # not even rewritten with the same content


# ------------------------------------------------------------------------------- what fails


def test_a_read_only_file_is_an_error_and_is_left_untouched(cli: Cli, tmp_path: Path) -> None:
    """Also as root, who may write anything: the mode bits say the file is not to be changed."""
    path = write(tmp_path, "Dockerfile", OLD)
    path.chmod(0o444)
    result = fix(cli, tmp_path, "Dockerfile", "--fix")
    assert result.code == 2, result
    assert errors(result) == ["runtime-lint: error: Dockerfile: cannot fix: the file is read-only"]
    assert path.read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_other_files_are_still_fixed_when_one_is_read_only(cli: Cli, tmp_path: Path) -> None:
    locked = write(tmp_path, "a/Dockerfile", OLD)
    locked.chmod(0o444)
    free = write(tmp_path, "b/Dockerfile", OLD)
    result = fix(cli, tmp_path, ".", "--fix")
    assert result.code == 2, result
    assert len(errors(result)) == 1
    assert locked.read_text(encoding="utf-8") == OLD
    assert free.read_text(encoding="utf-8") == NEW


def test_fix_and_diff_together_are_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", OLD)
    result = fix(cli, tmp_path, "Dockerfile", "--fix", "--diff")
    assert result.code == 2
    assert len(errors(result)) == 1
    assert path.read_text(encoding="utf-8") == OLD


def test_unsafe_fixes_need_fix_or_diff(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", ENDED)
    result = fix(cli, tmp_path, "Dockerfile", "--unsafe-fixes")
    assert result.code == 2
    assert "--unsafe-fixes needs --fix or --diff" in result.err


# -------------------------------------------------------------------------------- unsafe fixes


def test_fix_applies_only_safe_fixes(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", ENDED)
    result = cli("Dockerfile", "--fix", *AS_OF, "--format", "concise", cwd=tmp_path)
    assert result.code == 1, result  # RL202 remains: its fix changes the Airflow version
    assert path.read_text(encoding="utf-8") == f"FROM {RUNTIME}:12.12.0\n"  # RL204's, within Runtime 12
    assert "RL202" in result.out
    assert "RL204" not in result.out
    assert "1 more with --fix --unsafe-fixes" in result.out


def test_unsafe_fixes_upgrade_to_a_maintained_line(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", ENDED)
    result = fix(cli, tmp_path, "Dockerfile", "--fix", "--unsafe-fixes")
    assert result.code == 0, result
    assert path.read_text(encoding="utf-8") == f"FROM {RUNTIME}:13.11.0\n"


# ------------------------------------------------------------------------------------- --diff


def test_diff_prints_a_unified_diff_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", "# base image\n" + OLD)
    mtime = path.stat().st_mtime_ns
    result = fix(cli, tmp_path, "Dockerfile", "--diff")
    assert result.code == 1, result
    assert result.out.splitlines(keepends=True) == [
        "--- a/Dockerfile\n",
        "+++ b/Dockerfile\n",
        "@@ -1,2 +1,2 @@\n",
        " # base image\n",
        f"-{OLD}",
        f"+{NEW}",
    ]
    assert path.read_text(encoding="utf-8") == "# base image\n" + OLD
    assert path.stat().st_mtime_ns == mtime


def test_diff_with_nothing_to_fix_prints_nothing_and_exits_0(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", NEW)
    result = fix(cli, tmp_path, "Dockerfile", "--diff")
    assert (result.code, result.out) == (0, "")


def test_diff_shows_unsafe_fixes_only_when_asked(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", ENDED)
    safe = fix(cli, tmp_path, "Dockerfile", "--diff")
    assert f"+FROM {RUNTIME}:12.12.0\n" in safe.out
    unsafe = fix(cli, tmp_path, "Dockerfile", "--diff", "--unsafe-fixes")
    assert f"+FROM {RUNTIME}:13.11.0\n" in unsafe.out
    assert (safe.code, unsafe.code) == (1, 1)
    assert path.read_text(encoding="utf-8") == ENDED


def test_diff_marks_a_missing_final_newline(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", OLD.rstrip("\n"))
    result = fix(cli, tmp_path, "Dockerfile", "--diff")
    assert result.out.endswith(
        f"-{OLD.rstrip()}\n\\ No newline at end of file\n+{NEW.rstrip()}\n\\ No newline at end of file\n"
    )


CASES: dict[str, bytes] = {
    "plain": OLD.encode(),
    "arg": f"ARG RT=13.10.0\nFROM {RUNTIME}:${{RT}}-base AS a\nFROM {RUNTIME}:${{RT}}\n".encode(),
    "crlf": f"# x\r\nARG RT=13.10.0\r\nFROM {RUNTIME}:${{RT}}\r\n".encode(),
    "no-newline": OLD.rstrip("\n").encode(),
    "bom": b"\xef\xbb\xbf" + OLD.encode(),
    # characters str.splitlines() splits on but git does not: they are inside a line
    "separators": ("# a\u2028b\x0cc\x1dd\x85e\rf\n" + OLD).encode(),
}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_diff_applies_to_what_fix_writes(cli: Cli, tmp_path: Path, case: str) -> None:
    """`git apply` of the --diff output gives exactly the bytes --fix writes, and paths found
    under a folder (`./docker/Dockerfile`) come out as `a/docker/Dockerfile`."""
    write(tmp_path, "diffed/docker/Dockerfile", CASES[case])
    fixed = write(tmp_path, "fixed/docker/Dockerfile", CASES[case])
    diff = subprocess.run(  # bytes: text mode would turn the diff's CRLF lines into LF
        [sys.executable, "-m", "runtime_lint", ".", "--diff", *AS_OF, "-q"],
        cwd=tmp_path / "diffed",
        capture_output=True,
        timeout=120,
    )
    assert diff.returncode == 1, diff
    assert diff.stdout.startswith(b"--- a/docker/Dockerfile\n+++ b/docker/Dockerfile\n"), diff.stdout
    patch = write(tmp_path, "fix.patch", diff.stdout)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    applied = subprocess.run(
        ["git", "apply", "--unsafe-paths", str(patch)],
        cwd=tmp_path / "diffed",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert applied.returncode == 0, applied.stderr
    assert fix(cli, tmp_path / "fixed", ".", "--fix").code == 0
    assert fixed.read_bytes() == CASES[case].replace(b"13.10.0", b"13.11.0")
    assert (tmp_path / "diffed/docker/Dockerfile").read_bytes() == fixed.read_bytes()


# -------------------------------------------------------------------------------------- stdin


def test_fix_on_stdin_prints_the_fixed_text(cli: Cli, tmp_path: Path) -> None:
    result = fix(cli, tmp_path, "-", "--fix", stdin=OLD)
    assert (result.code, result.out) == (0, NEW)


def test_fix_on_stdin_prints_the_text_even_when_nothing_changes(cli: Cli, tmp_path: Path) -> None:
    """`runtime-lint --fix - < in > out` must not leave `out` empty when `in` is fine."""
    result = fix(cli, tmp_path, "-", "--fix", stdin=NEW)
    assert (result.code, result.out) == (0, NEW)


def test_fix_on_stdin_exits_1_when_findings_remain(cli: Cli, tmp_path: Path) -> None:
    result = fix(cli, tmp_path, "-", "--fix", stdin=ENDED)
    assert result.code == 1, result
    assert result.out == f"FROM {RUNTIME}:12.12.0\n"


def test_fix_on_stdin_writes_the_bytes_it_read(tmp_path: Path) -> None:
    """BOM, CRLF and non-ASCII come back byte for byte, whatever the locale's encoding."""
    data = b"\xef\xbb\xbf# caf\xc3\xa9 \xe2\x98\x83\r\n" + OLD.replace("\n", "\r\n").encode()
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "-", "--fix", *AS_OF, "-q"],
        input=data,
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == data.replace(b"13.10.0", b"13.11.0")


def test_diff_on_stdin(cli: Cli, tmp_path: Path) -> None:
    result = fix(cli, tmp_path, "-", "--diff", "--stdin-filename", "docker/Dockerfile", stdin=OLD)
    assert result.code == 1
    assert result.out.startswith("--- a/docker/Dockerfile\n+++ b/docker/Dockerfile\n")


# --------------------------------------------------------------------------- JSON fix objects


def apply_json_fixes(text: str, fixes: list[dict[str, Any]]) -> str:
    """Apply fix objects as a JSON consumer would: 1-based lines and columns, end exclusive."""
    starts = [0]
    for k, char in enumerate(text):
        if char == "\n":
            starts.append(k + 1)
    spans = {}
    for f in fixes:
        start = starts[f["line"] - 1] + f["column"] - 1
        end = starts[f["end_line"] - 1] + f["end_column"] - 1
        spans[(start, end)] = f["replacement"]
    for (start, end), replacement in sorted(spans.items(), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


JSON_CASES = {
    "suffix": f"FROM {RUNTIME}:13.10.0-python-3.11-base\n",
    "arg": f"ARG RT=13.10.0\nFROM {RUNTIME}:${{RT}}-base AS a\nRUN true\nFROM {RUNTIME}:${{RT}}\n",
    "continued": f"FROM \\\n  {RUNTIME}:13.10.0 \\\n  AS base\n",
    "crlf": f"ARG RT=13.10.0\r\nFROM {RUNTIME}:${{RT}}\r\n",
    "non-ascii": f"# café ☃\nARG RT='13.10.0'\nFROM {RUNTIME}:${{RT}}\n",
    "two-images": f"FROM {RUNTIME}:13.10.0 AS a\nFROM {RUNTIME}:13.9.0\n",
}


@pytest.mark.parametrize("case", sorted(JSON_CASES))
def test_json_fix_objects_are_the_edits_fix_applies(cli: Cli, tmp_path: Path, case: str) -> None:
    text = JSON_CASES[case]
    path = write(tmp_path, "Dockerfile", text)
    doc = json.loads(cli("Dockerfile", *AS_OF, "--format", "json", cwd=tmp_path).out)
    fixes = [f["fix"] for f in doc["files"][0]["findings"] if f["fix"] is not None]
    assert fixes and all(f["safe"] for f in fixes)
    assert fix(cli, tmp_path, "Dockerfile", "--fix").code == 0
    assert path.read_bytes().decode("utf-8") == apply_json_fixes(text, fixes)
