"""Bad input end to end: nothing a user can point runtime-lint at makes it crash, hang or eat memory.

Every case runs the real command in a subprocess (the `cli` fixture) with RUNTIME_LINT_DEBUG=1, so
an internal error shows as a traceback, under an address-space cap (RLIMIT_AS, inherited by the
child) and a timeout. It must exit 0, 1 or 2 as documented; a file it cannot lint gets exactly one
line on stderr that names it, and the files after it are still linted.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli, Result, write

RT = "quay.io/astronomer/astro-runtime"
DAY = ("--as-of", "2026-11-28", "--no-color")
GOOD = f"FROM {RT}:13.10.0\n"  # one RL204 warning: exit 1
MEMORY_CAP = 1 << 30  # address space for one run; the worst case here needs about a fifth of it
SECONDS = 60.0  # wall-time bound for one run (generous: the test machines are shared and slow)


@contextlib.contextmanager
def capped_memory(limit: int = MEMORY_CAP) -> Iterator[None]:
    """Processes started inside inherit a soft RLIMIT_AS of `limit` (Linux; elsewhere no cap)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if not sys.platform.startswith("linux"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run(cli: Cli, *args: str, cwd: Path, seconds: float = SECONDS) -> Result:
    """The command, checked for what every bad input must give: a documented exit code, no
    traceback or internal error, no memory error, done in bounded time."""
    start = time.monotonic()
    with capped_memory():
        result = cli(*args, cwd=cwd, env={"RUNTIME_LINT_DEBUG": "1"})
    elapsed = time.monotonic() - start
    assert result.code in (0, 1, 2), result
    for bad in ("Traceback", "internal error", "MemoryError", "RecursionError"):
        assert bad not in result.err, result.err[-3000:]
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    return result


def run_briefly(*args: str, cwd: Path, seconds: float = 20.0) -> Result:
    """Like `cli`, with a short timeout: for inputs that could block (FIFOs), so that a hang
    fails the test in seconds rather than the fixture's two minutes."""
    env = dict(os.environ, RUNTIME_LINT_DEBUG="1")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "runtime_lint", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"runtime-lint {' '.join(args)} blocked for {seconds:.0f}s")
    result = Result(proc)
    assert result.code in (0, 1, 2), result
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    return result


def error_lines(result: Result) -> list[str]:
    """stderr without the stale-catalog note."""
    return [line for line in result.err.splitlines() if not line.startswith("runtime-lint: note:")]


def assert_file_error(result: Result, name: str, *words: str) -> None:
    """Exactly one stderr line names `name`, and it is an error line holding `words`."""
    lines = [line for line in error_lines(result) if name in line]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("runtime-lint: error: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]


# Files that are not UTF-8 Dockerfiles --------------------------------------------------------------


UNREADABLE_CONTENT = {
    "binary.Dockerfile": (bytes(range(256)) * 40, "binary"),
    "nul.Dockerfile": (b"FROM scratch\n\x00RUN true\n", "NUL"),
    "invalid-utf8.Dockerfile": (f"FROM {RT}:12.6.0\nRUN echo ".encode() + b"\xff\xfe\n", "line 2"),
    "latin1.Dockerfile": ("# café\n".encode("latin-1") + GOOD.encode(), "not valid UTF-8"),
    "surrogate.Dockerfile": (b"# \xed\xa0\x80\n" + GOOD.encode(), "not valid UTF-8"),
    "truncated-utf8.Dockerfile": (GOOD.encode() + b"# \xe2\x82", "not valid UTF-8"),
    "utf16-le-bom.Dockerfile": (GOOD.encode("utf-16"), "UTF-16"),
    "utf16-be-bom.Dockerfile": (b"\xfe\xff" + GOOD.encode("utf-16-be"), "UTF-16"),
    "utf16-no-bom.Dockerfile": (GOOD.encode("utf-16-le"), "binary"),
    "utf32.Dockerfile": (GOOD.encode("utf-32"), "UTF-16"),  # starts with the UTF-16 LE BOM bytes
}


@pytest.mark.parametrize("name", sorted(UNREADABLE_CONTENT))
def test_undecodable_file_is_one_error_line_and_linting_goes_on(cli: Cli, tmp_path: Path, name: str) -> None:
    data, word = UNREADABLE_CONTENT[name]
    write(tmp_path / name, data)
    write(tmp_path / "after" / "Dockerfile", GOOD)
    result = run(cli, name, "after/Dockerfile", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, name, word)
    assert "after/Dockerfile:1:6: RL204" in result.out  # reported, and went on to the next file


def test_every_bad_file_in_a_folder_is_reported_once(cli: Cli, tmp_path: Path) -> None:
    for name, (data, _) in UNREADABLE_CONTENT.items():
        write(tmp_path / "repo" / name.replace(".Dockerfile", "") / "Dockerfile", data)
    write(tmp_path / "repo" / "zz-good" / "Dockerfile", GOOD)
    result = run(cli, "repo", *DAY, "--format", "json", cwd=tmp_path)
    assert result.code == 2
    assert len(error_lines(result)) == len(UNREADABLE_CONTENT)
    files = json.loads(result.out)["files"]
    assert sum(1 for f in files if f["error"]) == len(UNREADABLE_CONTENT)
    assert [f["path"] for f in files if not f["error"]] == [os.path.join("repo", "zz-good", "Dockerfile")]


def test_utf8_bom_and_odd_line_endings_are_read(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "bom.Dockerfile", b"\xef\xbb\xbf" + GOOD.encode())
    write(tmp_path / "crlf.Dockerfile", GOOD.replace("\n", "\r\n"))
    write(tmp_path / "cr-only.Dockerfile", f"# a\rFROM {RT}:13.10.0\r")  # one line: a comment
    write(tmp_path / "no-newline.Dockerfile", GOOD.rstrip("\n"))
    result = run(cli, "bom.Dockerfile", "crlf.Dockerfile", "cr-only.Dockerfile", "no-newline.Dockerfile", *DAY,
                 "--format", "json", cwd=tmp_path)  # fmt: skip
    assert result.code == 1
    findings = {f["path"]: [d["code"] for d in f["findings"]] for f in json.loads(result.out)["files"]}
    assert findings["bom.Dockerfile"] == findings["crlf.Dockerfile"] == findings["no-newline.Dockerfile"] == ["RL204"]
    assert "RL204" not in findings["cr-only.Dockerfile"]


@pytest.mark.parametrize("text", ["", "\n\n\n", "# only a comment\n# and another\n", "# syntax=docker/dockerfile:1\n"])
def test_empty_and_comment_only_files(cli: Cli, tmp_path: Path, text: str) -> None:
    write(tmp_path / "Dockerfile", text)
    result = run(cli, "Dockerfile", *DAY, cwd=tmp_path)
    assert result.code in (0, 1)
    assert error_lines(result) == []


# Size ------------------------------------------------------------------------------------------------


def test_50_mb_file_is_refused_quickly(cli: Cli, tmp_path: Path) -> None:
    line = b"RUN echo hello world\n"
    with open(tmp_path / "big.Dockerfile", "wb") as handle:
        handle.write(GOOD.encode())
        chunk = line * 100_000
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    write(tmp_path / "after" / "Dockerfile", GOOD)
    result = run(cli, "big.Dockerfile", "after/Dockerfile", *DAY, cwd=tmp_path, seconds=20)
    assert result.code == 2
    assert_file_error(result, "big.Dockerfile", "too large")
    assert "after/Dockerfile" in result.out


def test_a_file_just_under_the_size_limit_is_linted(cli: Cli, tmp_path: Path) -> None:
    from runtime_lint.engine import MAX_BYTES

    body = b"RUN pip install --no-cache-dir apache-airflow-providers-snowflake\n"
    count = (MAX_BYTES - 4096) // len(body)
    write(tmp_path / "Dockerfile", GOOD.encode() + body * count)
    result = run(cli, "Dockerfile", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert "Dockerfile:1:6: RL204" in result.out


# Shapes that stress the parser -------------------------------------------------------------------------


def _lines(n: int, line: str) -> str:
    return line * n


STRESS = {
    # name: (text, expected exit code, something the output must hold or "")
    "continuation-100k-run": (GOOD + "RUN echo \\\n" + _lines(100_000, "    x \\\n") + "    end\n", 1, "RL204"),
    "continuation-100k-from": ("FROM \\\n" + _lines(100_000, "  \\\n") + f"{RT}:13.10.0\n", 1, "RL204"),
    "continuation-100k-comments": ("FROM \\\n" + _lines(100_000, "# c\n") + f"{RT}:13.10.0\n", 1, "RL204"),
    "continuation-at-eof": (GOOD + "RUN echo \\\n", 1, "RL204"),
    "escape-only-lines": (GOOD + _lines(100_000, "\\\n"), 1, "RL204"),
    "from-10k": (_lines(10_000, GOOD), 1, "RL204"),
    "from-10k-aliases": ("".join(f"FROM {RT}:13.10.0 AS s{k}\n" for k in range(10_000)), 1, "RL204"),
    "from-10k-stage-chain": (f"FROM {RT}:13.10.0 AS s\n" + _lines(10_000, "FROM s AS s\n"), 1, "RL204"),
    "from-10k-unresolved": (_lines(10_000, f"FROM {RT}:$TAG\n"), 1, ""),
    "heredoc-unterminated": (GOOD + "RUN <<EOF\n" + _lines(100_000, "echo hi\n"), 1, "RL204"),
    "heredoc-100k-markers": (GOOD + "RUN " + "<<A " * 100_000 + "\nA\n", 1, "RL204"),
    "directives-10k": (_lines(10_000, "# syntax=docker/dockerfile:1\n") + GOOD, 1, ""),
    "pragmas-10k": (_lines(10_000, "# runtime-lint: ignore=RL204\n") + GOOD, 0, ""),
    "arg-100k": ("".join(f"ARG A{k}=v{k}\n" for k in range(100_000)) + f"FROM {RT}:13.10.0\n", 1, "RL204"),
    "arg-200k-words": ("ARG " + " ".join(f"A{k}=v" for k in range(200_000)) + "\n" + GOOD, 1, "RL204"),
    "unterminated-quote": (f'ARG T="12.6.0\nFROM {RT}:$T\n', 1, ""),
    "unterminated-brace": (f"FROM {RT}:${{TAG\n", 1, ""),
    "lone-dollars": (f"FROM {RT}:12.6.0$$$$$\n", 1, ""),
    # versions with more digits than Python converts to int (4,300) come only through an ARG:
    # the FROM line itself is capped at 4,096 characters
    "arg-5000-digit-version": (f"ARG V={'1' * 5000}.0.0\nFROM {RT}:$V\n", 1, "RL102"),
    "arg-5000-digit-airflow3": (f"ARG V=3.0-{'1' * 5000}\nFROM astrocrpublic.azurecr.io/runtime:$V\n", 1, "RL102"),
}


@pytest.mark.parametrize("name", sorted(STRESS))
def test_parser_stress(cli: Cli, tmp_path: Path, name: str) -> None:
    text, code, expect = STRESS[name]
    write(tmp_path / "Dockerfile", text)
    result = run(cli, "Dockerfile", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == code, result.out[-2000:]
    assert expect in result.out
    assert error_lines(result) == []


# ARG expansion that loops, nests or multiplies -------------------------------------------------------------


def _images(result: Result) -> list[dict[str, object]]:
    images: list[dict[str, object]] = json.loads(result.out)["files"][0]["images"]
    return images


def test_args_that_refer_to_each_other_in_a_loop(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"ARG A=$B\nARG B=$A\nARG C=${{C}}x\nFROM {RT}:${{A}}\nFROM {RT}:$C\n")
    result = run(cli, "images", "Dockerfile", *DAY, "--format", "json", cwd=tmp_path)
    first, second = _images(result)
    assert first["resolved"] is None and first["unresolved"] == ["B"]  # ARGs are read top-down
    assert second["resolved"] == f"{RT}:x" and second["unresolved"] == []  # C was undeclared: empty


def test_nested_defaults_resolve(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", f"ARG C=12.6.0\nFROM {RT}:${{A:-${{B:-${{C}}}}}}\n")
    result = run(cli, "images", "Dockerfile", *DAY, "--format", "json", cwd=tmp_path)
    assert _images(result)[0]["resolved"] == f"{RT}:12.6.0"


@pytest.mark.parametrize("levels", [33, 1_000, 10_000])
def test_deeply_nested_defaults_are_a_syntax_problem(cli: Cli, tmp_path: Path, levels: int) -> None:
    deep = "${A:-" * levels + "12.6.0" + "}" * levels
    write(tmp_path / "from.Dockerfile", f"FROM {RT}:{deep}\n")
    write(tmp_path / "arg.Dockerfile", f"ARG T={deep}\nFROM {RT}:$T\n")
    for name in ("from.Dockerfile", "arg.Dockerfile"):
        result = run(cli, name, *DAY, "--format", "concise", cwd=tmp_path)
        assert result.code == 1
        assert "RL001" in result.out and ("nested more than" in result.out or "too long" in result.out)


ARG_BOMBS = {
    # each grows (or scans) far beyond any real Dockerfile, from a few kilobytes of text
    "chain-x10": "ARG A0=" + "x" * 4000 + "\n"
    + "".join(f"ARG A{k}=" + f"${{A{k - 1}}}" * 10 + "\n" for k in range(1, 9))
    + f"FROM {RT}:${{A8}}\n",
    "one-line-x2000": "ARG A=" + "x" * 4000 + "\nARG B=" + "$A" * 2000 + f"\nFROM {RT}:$B\n",
    "from-x2000": "ARG A=" + "x" * 100_000 + f"\nFROM {RT}:" + "$A" * 2000 + "\n",
    "replace-every-char": "ARG A=" + "x" * 100_000 + "\nARG B=" + "y" * 100_000 + f"\nFROM {RT}:${{A//?/$B}}\n",
    "trim-long-value": "ARG A=" + "x" * 200_000 + f"\nFROM {RT}:${{A%%*y}}\nFROM {RT}:${{A#*y}}\n",
    "trim-many-times": "ARG A=" + "x" * 4000 + "\n" + "".join(f"FROM {RT}:" + "${A%y}" * 600 + "\n" for _ in range(50)),
    "unresolved-fan-out": "ARG A=" + "".join(f"$U{k}" for k in range(20_000)) + "\n"
    + "".join(f"ARG B{k}=$A\n" for k in range(20_000)) + f"FROM {RT}:$B1\n",
    "one-mb-default": "ARG A=" + "x" * 1_000_000 + f"\nFROM {RT}:$A\n",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ARG_BOMBS))
def test_arg_expansion_is_bounded_in_time_and_memory(cli: Cli, tmp_path: Path, name: str) -> None:
    write(tmp_path / "Dockerfile", ARG_BOMBS[name])
    result = run(cli, "Dockerfile", *DAY, "--format", "concise", cwd=tmp_path, seconds=30)
    assert result.code == 1
    assert error_lines(result) == []
    if name not in ("trim-many-times", "unresolved-fan-out"):
        assert "RL001" in result.out, result.out[-2000:]  # says why the image is not checked


def test_running_out_of_expansion_budget_is_reported_once(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", "".join(f"ARG A{k}=" + "x" * 1000 + "\n" for k in range(1000)) + GOOD)
    result = run(cli, "Dockerfile", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert result.out.count("RL001") == 1 and "expand to more than" in result.out
    assert "Dockerfile:1001:6: RL204" in result.out  # the image after it is still checked


# Very long lines ---------------------------------------------------------------------------------------


MB = 1_000_000
LONG_LINES = {
    "run": (GOOD + "RUN echo " + "x" * MB + "\n", "RL204"),
    "comment": ("# " + "x" * MB + "\n" + GOOD, "RL204"),
    "pragma": ("# runtime-lint: ignore=" + "RL204," * (MB // 6) + "\n" + GOOD, ""),
    "directive": ("# syntax=" + "x" * MB + "\n" + GOOD, "RL204"),
    "from-operand": (f"FROM {RT}:" + "x" * MB + "\n", "too long"),
    "from-alias": (f"FROM {RT}:13.10.0 AS " + "x" * MB + "\n", "RL204"),
    "from-flag": ("FROM --platform=" + "x" * MB + f" {RT}:13.10.0\n", "RL204"),
    "arg-name": ("ARG " + "A" * MB + "=1\n" + GOOD, "RL204"),
    "label": (GOOD + 'LABEL a="' + "x" * MB + '"\n', "RL204"),
}


@pytest.mark.parametrize("name", sorted(LONG_LINES))
def test_one_megabyte_lines(cli: Cli, tmp_path: Path, name: str) -> None:
    text, expect = LONG_LINES[name]
    write(tmp_path / "Dockerfile", text)
    result = run(cli, "Dockerfile", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code in (0, 1)
    assert expect in result.out
    assert error_lines(result) == []
    assert len(result.out) < 64 * 1024, "a finding must not echo a megabyte of source"


# Paths that are not regular files ----------------------------------------------------------------------------


def test_fifo_given_as_a_path_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.Dockerfile")
    write(tmp_path / "after" / "Dockerfile", GOOD)
    result = run_briefly("fifo.Dockerfile", "after/Dockerfile", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, "fifo.Dockerfile", "not a regular file")
    assert "after/Dockerfile" in result.out


def test_fifo_found_in_a_folder_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    write(tmp_path / "svc" / "Dockerfile", GOOD)
    result = run_briefly(".", *DAY, "--format", "concise", cwd=tmp_path)
    assert result.code == 1
    assert "svc/Dockerfile:1:6: RL204" in result.out


def test_socket_given_as_a_path(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "sock.Dockerfile"
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(path))
        except OSError as exc:  # pragma: no cover - path too long for AF_UNIX
            pytest.skip(f"cannot bind a socket here: {exc}")
        result = run(cli, "sock.Dockerfile", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, "sock.Dockerfile", "not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_device_given_as_a_path(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):  # pragma: no cover
        pytest.skip(f"no {device}")
    result = run_briefly(device, *DAY, cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, device, "not a regular file")


def test_directory_named_dockerfile(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    result = run(cli, "Dockerfile", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert len(error_lines(result)) == 1 and "Dockerfile" in error_lines(result)[0]
    write(tmp_path / "Dockerfile" / "Dockerfile", GOOD)  # a folder named Dockerfile holding one
    assert run(cli, ".", *DAY, "--format", "concise", cwd=tmp_path).code == 1


def test_unreadable_file(cli: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root reads a chmod 000 file anyway (CAP_DAC_OVERRIDE), so there is nothing to test
        pytest.skip("running as root: file permissions do not apply")
    path = write(tmp_path / "secret.Dockerfile", GOOD)
    path.chmod(0)
    try:
        result = run(cli, "secret.Dockerfile", *DAY, cwd=tmp_path)
    finally:
        path.chmod(0o644)
    assert result.code == 2
    assert_file_error(result, "secret.Dockerfile", "permission denied")


def test_unreadable_folder_is_skipped_without_a_traceback(cli: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: folder permissions do not apply")
    write(tmp_path / "locked" / "Dockerfile", GOOD)
    write(tmp_path / "open" / "Dockerfile", GOOD)
    (tmp_path / "locked").chmod(0)
    try:
        result = run(cli, ".", *DAY, "--format", "concise", cwd=tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert result.code == 1
    assert "open/Dockerfile" in result.out


def test_dangling_and_looping_symlinks(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "dangling.Dockerfile").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop1.Dockerfile").symlink_to(tmp_path / "loop2.Dockerfile")
    (tmp_path / "loop2.Dockerfile").symlink_to(tmp_path / "loop1.Dockerfile")
    write(tmp_path / "after" / "Dockerfile", GOOD)
    result = run(cli, "dangling.Dockerfile", "loop1.Dockerfile", "after/Dockerfile", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, "dangling.Dockerfile", "no such file")
    assert_file_error(result, "loop1.Dockerfile")
    assert "after/Dockerfile" in result.out
    # found in a folder: a symlink that leads nowhere is not a Dockerfile; loops are not followed
    (tmp_path / "after" / "up").symlink_to(tmp_path)
    (tmp_path / "after" / "self").symlink_to(tmp_path / "after")
    scan = run(cli, ".", *DAY, "--format", "concise", cwd=tmp_path)
    assert scan.code == 1
    assert error_lines(scan) == []


# Configuration and catalog files that are not what they claim -------------------------------------------------


CONFIGS: dict[str, tuple[bytes, str]] = {
    "garbage": (b"[[[ not toml = = =\n", "invalid TOML"),
    "not-utf8": (b"select = ['RL1']\n# \xff\n", "UTF-8"),
    "binary": (bytes(range(256)), "config"),
    "wrong-types": (b"select = 5\nfail-on = ['x']\n", "config"),
    "unknown-key": (b"selekt = ['RL1']\n", "unknown key"),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_config_that_is_not_valid(cli: Cli, tmp_path: Path, name: str) -> None:
    data, word = CONFIGS[name]
    write(tmp_path / "found" / ".runtime-lint.toml", data)
    write(tmp_path / "found" / "Dockerfile", GOOD)
    write(tmp_path / "given.toml", data)
    write(tmp_path / "Dockerfile", GOOD)
    discovered = run(cli, "found/Dockerfile", *DAY, cwd=tmp_path)
    given = run(cli, "Dockerfile", "--config", "given.toml", *DAY, cwd=tmp_path)
    for result, path in ((discovered, ".runtime-lint.toml"), (given, "given.toml")):
        assert result.code == 2
        assert_file_error(result, path, word)


# --config and --catalog name files that are read the same way (runtime_lint.files.read_regular)
SETTING_FILES = [("--config", ".toml", "select = "), ("--catalog", ".json", "")]


@pytest.mark.parametrize(("option", "suffix", "prefix"), SETTING_FILES)
def test_setting_file_that_is_not_a_file(cli: Cli, tmp_path: Path, option: str, suffix: str, prefix: str) -> None:
    write(tmp_path / "Dockerfile", GOOD)
    (tmp_path / f"folder{suffix}").mkdir()
    for path in (f"folder{suffix}", f"missing{suffix}"):
        result = run(cli, "Dockerfile", option, path, *DAY, cwd=tmp_path)
        assert result.code == 2
        assert_file_error(result, path)


@pytest.mark.parametrize(("option", "suffix", "prefix"), SETTING_FILES)
def test_setting_file_fifo_does_not_block(tmp_path: Path, option: str, suffix: str, prefix: str) -> None:
    write(tmp_path / "Dockerfile", GOOD)
    os.mkfifo(tmp_path / f"fifo{suffix}")
    result = run_briefly("Dockerfile", option, f"fifo{suffix}", *DAY, cwd=tmp_path, seconds=5)
    assert result.code == 2
    assert_file_error(result, f"fifo{suffix}")


@pytest.mark.parametrize(("option", "suffix", "prefix"), SETTING_FILES)
def test_deeply_nested_setting_file(tmp_path: Path, option: str, suffix: str, prefix: str) -> None:
    write(tmp_path / "Dockerfile", GOOD)
    write(tmp_path / f"deep{suffix}", prefix + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run_briefly("Dockerfile", option, f"deep{suffix}", *DAY, cwd=tmp_path)
    assert result.code == 2
    assert_file_error(result, f"deep{suffix}")


CATALOGS: dict[str, bytes] = {
    "not-json": b"{not json",
    "empty": b"",
    "binary": bytes(range(256)),
    "utf16": '{"format": 1}'.encode("utf-16"),
    "a-list": b"[1, 2, 3]",
    "a-string": b'"catalog"',
    "null": b"null",
    "empty-object": b"{}",
    "no-releases": b'{"format": 1, "source": "x", "generated": "2026-01-01", "releases": []}',
    "releases-string": b'{"format": 1, "source": "x", "generated": "2026-01-01", "releases": "12.6.0"}',
    "release-number": b'{"format": 1, "source": "x", "generated": "2026-01-01", "releases": [12]}',
    "version-number": b'{"format": 1, "source": "x", "generated": "2026-01-01", "releases": [{"version": 5}]}',
    "bad-date": b'{"format": 1, "source": "x", "generated": "2026-13-45", "releases": [{"version": "12.6.0"}]}',
    "huge-int": b'{"format": ' + b"9" * 10_000 + b"}",
    "nan": b'{"format": NaN, "releases": [{"version": "12.6.0", "yanked": Infinity}]}',
}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_catalog_that_is_not_a_catalog(cli: Cli, tmp_path: Path, name: str) -> None:
    write(tmp_path / "Dockerfile", GOOD)
    write(tmp_path / f"{name}.json", CATALOGS[name])
    for command in ("check", "images"):
        result = run(cli, command, "Dockerfile", "--catalog", f"{name}.json", *DAY, cwd=tmp_path)
        assert result.code == 2
        assert_file_error(result, f"{name}.json", "catalog")


# Names that do not survive printing ------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in names")
def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "names")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.Dockerfile"), "wb") as handle:
        handle.write(GOOD.encode())
    # a user's UTF-8 locale: stdout is strict, not the surrogateescape of Python's C-locale mode
    env = dict(os.environ, RUNTIME_LINT_DEBUG="1", PYTHONIOENCODING="utf-8:strict")
    failures = []
    for fmt in ("text", "concise", "json", "github", "sarif"):
        for output in ((), ("-o", "report.out")):
            proc = subprocess.run(
                [sys.executable, "-m", "runtime_lint", "names", *DAY, "--format", fmt, *output],
                cwd=tmp_path,
                capture_output=True,
                env=env,
                timeout=120,
            )
            err = proc.stderr.decode("utf-8", "replace")
            if proc.returncode != 1 or "Traceback" in err:
                failures.append(f"{fmt} {' '.join(output) or 'stdout'}: exit {proc.returncode}")
    assert failures == []


# --- the Astro project around the Dockerfile: requirements.txt (RL401/RL402) and `upgrade` -------


def _astro_project(root: Path, requirements: bytes) -> Path:
    write(root / "Dockerfile", GOOD)
    (root / ".astro").mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_bytes(requirements)
    return root


@pytest.mark.parametrize(
    "name, data",
    [
        ("binary", b"apache-airflow==2.9.3\n\x00\x01\x02" * 1000),
        ("not-utf8", b"apache-airflow==2.9.3\n\xff\xfe\xfa\n"),
        ("huge", b"# airflow\n" + b"x" * (20 * 1024 * 1024)),
        ("one-long-line", b"apache-airflow" + b"=" * (2 * 1024 * 1024) + b"\n"),
        ("many-airflow-lines", b"apache-airflow>=2\n" * 50_000),
    ],
)
def test_bad_requirements_file_never_crashes(cli: Cli, tmp_path: Path, name: str, data: bytes) -> None:
    project = _astro_project(tmp_path / name, data)
    for command in (("check",), ("upgrade",)):
        result = run(cli, *command, str(project), *DAY[:2], cwd=tmp_path)
        assert result.code in (1, 2), result


def test_requirements_include_loop_is_read_once(cli: Cli, tmp_path: Path) -> None:
    project = _astro_project(tmp_path / "p", b"-r other.txt\napache-airflow==2.9.3\n")
    (project / "other.txt").write_bytes(b"-r requirements.txt\n-c requirements.txt\n")
    result = run(cli, "check", str(project), *DAY, "--format", "json", cwd=tmp_path)
    assert result.code == 1, result
    found = [f for entry in json.loads(result.out)["files"] for f in entry["findings"] if f["code"] == "RL401"]
    assert len(found) == 1, found


def test_upgrade_of_a_bad_dockerfile_is_one_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"FROM \x00\xff binary")
    result = run(cli, "upgrade", "Dockerfile", *DAY[:2], cwd=tmp_path)
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1, result.err
