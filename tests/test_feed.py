"""`runtime-lint catalog update`: the feed is fetched from a real HTTP server on 127.0.0.1, checked,
merged over the bundled data and written atomically; every failure leaves the cache untouched."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, FROM_CHECKOUT, ROOT, Result

from runtime_lint import catalog as catalog_mod
from runtime_lint import download, feed
from runtime_lint.commands.catalog import cmd_update
from runtime_lint.model import UsageError
from runtime_lint.release import Release

DAY = date(2026, 11, 28)
SOURCE = "feed http://127.0.0.1/feed (2026-11-28)"

# A feed in Astronomer's shape (values invented for the tests): both maps, all three end-of-life
# key names, a yanked release, Python variants, LTS flags, a pre-release key and unknown extra keys.
FEED: dict[str, Any] = {
    "features": {"deprecationWarnings": True},
    "schemaRevision": 7,
    "runtimeVersions": {
        "11.0.0": {
            "metadata": {"airflowVersion": "2.9.0", "channel": "deprecated", "releaseDate": "2024-04-08"},
            "migrations": {"airflowDatabase": True},
        },
        "11.8.0": {
            "metadata": {
                "airflowVersion": "2.9.3",
                "channel": "deprecated",
                "releaseDate": "2024-08-09",
                "endOfSupport": "2025-10-31",
                "LTS": False,
            },
            "migrations": {"airflowDatabase": False},
        },
        "12.6.0": {
            "metadata": {
                "airflowVersion": "2.10.4",
                "channel": "stable",
                "releaseDate": "2025-01-22",
                "endOfSupport": "2026-04-30",
                "imageDigest": "sha256:0123456789abcdef",
            },
            "migrations": {"airflowDatabase": False},
        },
        "12.8.0": {
            "metadata": {
                "airflowVersion": "2.10.5",
                "channel": "stable",
                "releaseDate": "2025-06-30",
                "endOfMaintenance": "2026-10-31",
                "endOfBasicSupport": "2027-04-30",
                "yanked": False,
            },
            "migrations": {"airflowDatabase": False},
        },
        "12.9.0": {
            "metadata": {
                "airflowVersion": "2.10.6",
                "channel": "stable",
                "releaseDate": "2026-09-15",
                "endOfMaintenance": "2027-04-30",
                "endOfBasicSupport": "2027-10-31",
                "pythonVersions": ["3.10", "3.11", "3.12"],
                "LTS": True,
                "releaseNotes": "https://example.invalid/12.9.0",
            },
            "migrations": {"airflowDatabase": False},
        },
        "13.1.0": {
            "metadata": {"airflowVersion": "2.11.0", "channel": "stable", "releaseDate": "2026-01-20", "LTS": False},
            "migrations": {"airflowDatabase": True},
        },
        "13.12.0": {
            "metadata": {
                "airflowVersion": "2.11.3",
                "channel": "stable",
                "releaseDate": "2026-11-10",
                "endOfMaintenance": "2027-04-30",
                "LTS": True,
            },
            "migrations": {"airflowDatabase": False},
        },
        "13.0.0-rc1": {"metadata": {"airflowVersion": "2.11.0rc1", "channel": "beta", "releaseDate": "2025-12-01"}},
    },
    "runtimeVersionsV3": {
        "3.0-9": {
            "metadata": {
                "airflowVersion": "3.0.5",
                "channel": "stable",
                "releaseDate": "2025-08-20",
                "yanked": True,
                "yankedReason": "connection extras fail to deserialize",
            },
            "migrations": {"airflowDatabase": False},
        },
        "3.1-14": {
            "metadata": {
                "airflowVersion": "3.1.7",
                "channel": "stable",
                "releaseDate": "2026-03-02",
                "pythonVersions": ["3.11", "3.12", "3.13"],
                "defaultPythonVersion": "3.12",
                "endOfMaintenance": "2026-12-31",
                "endOfBasicSupport": "2027-06-30",
            },
            "migrations": {"airflowDatabase": False},
        },
        "3.3-4": {
            "metadata": {
                "airflowVersion": "3.3.1",
                "channel": "stable",
                "releaseDate": "2026-10-20",
                "pythonVersions": ["3.12", "3.13"],
                "defaultPythonVersion": "3.12",
            },
            "migrations": {"airflowDatabase": True},
        },
        "3.4-1": {"metadata": {"airflowVersion": "3.4.0", "channel": "beta", "releaseDate": "2026-11-20"}},
        "3.4-1-nightly202611200001": {"metadata": {"airflowVersion": "3.4.0.dev0", "channel": "alpha"}},
    },
}
FEED_BYTES = json.dumps(FEED).encode()
# Real entries of Astronomer's feed, a partial cut taken 2026-09-25 (data/sources/README.md).
SAMPLE = ROOT / "data" / "sources" / "astro-feed-sample-2026-09-25.json"
SAMPLE_BYTES = SAMPLE.read_bytes()


def _with(path: list[str], value: Any) -> bytes:
    """FEED with one value replaced (`path` is a key path; value None deletes it)."""
    data = json.loads(FEED_BYTES)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(data).encode()


# ------------------------------------------------------------------------------ the test server

STOP = threading.Event()  # set at teardown: slow handlers stop waiting


def _send(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200, length: int | None = -1) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    if length is not None:
        handler.send_header("Content-Length", str(len(body) if length == -1 else length))
    handler.end_headers()
    handler.wfile.write(body)


def _endless(handler: BaseHTTPRequestHandler, chunked: bool = False) -> None:
    """Streams far more than 20 MiB without a Content-Length (close-delimited or chunked)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    if chunked:
        handler.protocol_version = "HTTP/1.1"
        handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    handler.close_connection = True
    piece = b"[" + b"0," * 32767
    for _ in range(2000):  # 128 MiB at most
        if STOP.is_set():
            return
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)


def _slow(handler: BaseHTTPRequestHandler) -> None:
    STOP.wait(20)
    _send(handler, FEED_BYTES)


def _trickle(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.end_headers()
    handler.wfile.write(b"{")
    for _ in range(200):
        if STOP.wait(0.1):
            return
        handler.wfile.write(b" ")
        handler.wfile.flush()


ROUTES: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
    "/feed": lambda h: _send(h, FEED_BYTES),
    "/sample": lambda h: _send(h, SAMPLE_BYTES),
    "/feed-v2-only": lambda h: _send(h, _with(["runtimeVersionsV3"], None)),
    "/404": lambda h: _send(h, b'{"error": "not found"}', 404),
    "/500": lambda h: _send(h, b"oops", 500),
    "/bad-json": lambda h: _send(h, b"<html>captive portal</html>"),
    "/truncated-json": lambda h: _send(h, FEED_BYTES[:-10]),
    "/wrong-shape": lambda h: _send(h, b'{"version": "1.0", "available_releases": []}'),
    "/list": lambda h: _send(h, b"[1, 2, 3]"),
    "/no-metadata": lambda h: _send(h, _with(["runtimeVersions", "12.9.0", "metadata"], None)),
    "/no-airflow": lambda h: _send(h, _with(["runtimeVersions", "12.9.0", "metadata", "airflowVersion"], None)),
    "/bad-date": lambda h: _send(h, _with(["runtimeVersionsV3", "3.3-4", "metadata", "releaseDate"], "2026-02-30")),
    "/bad-key": lambda h: _send(h, _with(["runtimeVersions", "latest"], {"metadata": {}})),
    "/huge": lambda h: _send(h, FEED_BYTES, length=64 * 1024 * 1024),
    "/short-length": lambda h: _send(h, FEED_BYTES + b" " * (1024 * 1024), length=100),
    "/endless": _endless,
    "/endless-chunked": lambda h: _endless(h, chunked=True),
    "/slow": _slow,
    "/trickle": _trickle,
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/redirect-http"):
            self.send_response(302)
            self.send_header("Location", "http://example.invalid/feed")
            self.end_headers()
            return
        if self.path.startswith("/redirect-local"):
            self.send_response(301)
            self.send_header("Location", "/feed")
            self.end_headers()
            return
        route = ROUTES.get(self.path)
        try:
            if route is None:
                _send(self, b"{}", 404)
            else:
                route(self)
        except OSError:  # the client hung up (too large, timeout): expected
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    STOP.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: connecting is refused


# ------------------------------------------------------------------------------------- helpers


def _cache() -> Path:
    return Path(catalog_mod.default_cache_path())


def _old_cache() -> bytes:
    """A previous cache (here: the bundled catalog) to prove failures leave it alone."""
    path = _cache()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalog_mod.BUNDLED, path)
    return path.read_bytes()


def _assert_untouched(before: bytes) -> None:
    path = _cache()
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["catalog.json"]  # no temporary file left behind


def _assert_one_error_line(result: Result, *expected: str) -> None:
    assert result.code == 2, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1 and result.err.endswith("\n"), result.err
    assert result.err.startswith("runtime-lint: error: "), result.err
    for text in expected:
        assert text in result.err, result.err


def _dockerfile(tmp_path: Path, tag: str = "12.6.0") -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(f"FROM quay.io/astronomer/astro-runtime:{tag}\n")
    return path


# --------------------------------------------------------------------------- end to end: success


def test_update_then_lint_uses_the_new_data(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    dockerfile = _dockerfile(tmp_path, "13.11.0")
    before = cli("check", str(dockerfile), "--as-of", "2026-11-28", "--format", "concise", cwd=tmp_path)
    assert before.code == 0, before

    result = cli("catalog", "update", "--url", f"{server}/feed", cwd=tmp_path)
    assert result.code == 0, result
    assert result.err == ""
    assert result.out.count("\n") == 1
    assert f"written to {_cache()}" in result.out
    assert "newest 3.3-8 (Airflow 3) and 13.12.0 (Airflow 2)" in result.out
    assert re.search(r"data as of \d{4}-\d{2}-\d{2}; written to ", result.out)

    after = cli("check", str(dockerfile), "--as-of", "2026-11-28", "--format", "concise", cwd=tmp_path)
    assert "RL204" in after.out and "update to '13.12.0'" in after.out, after

    listed = cli("catalog", "list", "--format", "json", "--as-of", "2026-11-28", cwd=tmp_path)
    doc = json.loads(listed.out)
    assert doc["catalog"]["origin"] == "cache"
    assert doc["catalog"]["path"] == str(_cache())
    day = doc["catalog"]["generated"]  # the download day
    assert doc["catalog"]["source"].startswith(f"feed {server}/feed ({day})")
    versions = {r["version"]: r for r in doc["releases"]}
    assert versions["13.12.0"]["channel"] == "LTS"
    assert versions["13.12.0"]["source"] == f"feed {server}/feed ({day})"
    assert versions["12.9.0"]["sources"]["release_date"] == f"feed {server}/feed ({day})"  # known, now dated
    assert "3.0.0" in versions  # the feed omits it: kept from the bundled data
    assert "13.0.0-rc1" not in versions


def test_update_writes_a_catalog_that_reads_back(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "catalog.json"
    result = cli("catalog", "update", "--url", f"{server}/feed", "--output", str(out), "--quiet", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "", "")
    written = catalog_mod.read(str(out), "file")
    assert date.today() - written.generated <= timedelta(days=1)  # the download day (a run may cross midnight)
    release = written.get("12.6.0")
    assert release is not None
    assert release.airflow == "2.10.4"
    assert release.end_of_maintenance == date(2026, 4, 30)  # endOfSupport
    assert release.first_seen == date(2025, 1, 27)  # the bundled data's, the feed has none
    assert not _cache().exists()  # --output: the user cache is not touched
    shown = json.loads(cli("catalog", "show", "12.9.0", "--format", "json", "--catalog", str(out)).out)
    assert shown["python_versions"] == ["3.10", "3.11", "3.12"]
    assert shown["end_of_basic_support"] == "2027-10-31"


def test_feed_url_setting(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    (tmp_path / ".runtime-lint.toml").write_text(f'feed-url = "{server}/feed"\n')
    result = cli("catalog", "update", cwd=tmp_path)
    assert result.code == 0, result
    assert catalog_mod.read(str(_cache()), "cache").get("12.9.0") is not None
    # --url wins over the setting
    result = cli("catalog", "update", "--url", f"{server}/404", cwd=tmp_path)
    _assert_one_error_line(result, "HTTP 404")
    # --config FILE is read too
    config = tmp_path / "elsewhere.toml"
    config.write_text(f'feed-url = "{server}/500"\n')
    result = cli("catalog", "update", "--config", str(config), cwd=tmp_path)
    _assert_one_error_line(result, "HTTP 500")


def test_old_feed_without_v3_map(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    result = cli("catalog", "update", "--url", f"{server}/feed-v2-only", cwd=tmp_path)
    assert result.code == 0, result
    assert "newest 3.3-8 (Airflow 3) and 13.12.0 (Airflow 2)" in result.out  # 3.3-8: the bundled data's


def test_redirect_within_loopback(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    result = cli("catalog", "update", "--url", f"{server}/redirect-local", cwd=tmp_path)
    assert result.code == 0, result


def test_from_file(cli: Callable[..., Result], tmp_path: Path) -> None:
    saved = tmp_path / "astronomer-runtime.json"
    saved.write_bytes(FEED_BYTES)
    result = cli("catalog", "update", "--from-file", str(saved), cwd=tmp_path)
    assert result.code == 0, result
    cached = catalog_mod.read(str(_cache()), "cache")
    assert cached.source.startswith(f"feed file astronomer-runtime.json ({cached.generated})")
    assert cached.complete_lines == catalog_mod.bundled().complete_lines  # a file is a partial cut
    after = cli(
        "check", str(_dockerfile(tmp_path, "13.11.0")), "--as-of", "2026-11-28", "--format", "concise", cwd=tmp_path
    )
    assert "update to '13.12.0'" in after.out, after


def test_the_sample_of_astronomers_feed_changes_nothing_the_bundled_data_knows(
    cli: Callable[..., Result], server: str, tmp_path: Path
) -> None:
    """The bundled data holds every fact of the 2026-09-25 feed cut; fetched from a URL, the cut
    still marks no line complete, because it lacks releases the bundled data knows of each line."""
    out = tmp_path / "catalog.json"
    result = cli("catalog", "update", "--url", f"{server}/sample", "--output", str(out), "--quiet", cwd=tmp_path)
    assert (result.code, result.err) == (0, ""), result
    merged, bundled = catalog_mod.read(str(out), "file"), catalog_mod.bundled()
    assert merged.feed_schema == "1.8"
    assert merged.complete_lines == bundled.complete_lines
    assert [r.to_json() for r in merged.all()] == [r.to_json() for r in bundled.all()]
    three = merged.get("3.0-18")
    assert three is not None and three.end_of_basic_support == date(2027, 10, 30)  # verbatim, not a month end
    shown = json.loads(cli("catalog", "show", "3.3-8", "--format", "json", "--catalog", str(out)).out)
    assert (shown["end_of_maintenance"], shown["end_of_basic_support"]) == ("2028-07-31", "2029-01-31")
    assert shown["default_python"] == "3.14"


def test_a_whole_feed_marks_the_lines_it_lists_in_full_complete() -> None:
    bundled = catalog_mod.bundled()
    line = [r.version for r in bundled.line(3, "3.3")]
    meta = {"airflowVersion": "3.3.2", "channel": "stable"}
    whole = {"runtimeVersionsV3": {version: {"metadata": meta} for version in line}}
    assert "3.3" in feed.convert(whole, SOURCE, DAY, complete=True).complete_lines
    assert "3.3" not in feed.convert(whole, SOURCE, DAY).complete_lines  # not said to be whole
    partial = {"runtimeVersionsV3": {version: {"metadata": meta} for version in line[1:]}}
    assert "3.3" not in feed.convert(partial, SOURCE, DAY, complete=True).complete_lines


def test_from_file_complete(cli: Callable[..., Result], tmp_path: Path) -> None:
    saved = tmp_path / "whole.json"
    meta = {"airflowVersion": "3.3.2", "channel": "stable"}
    saved.write_text(
        json.dumps({"runtimeVersionsV3": {r.version: {"metadata": meta} for r in catalog_mod.bundled().line(3, "3.3")}})
    )
    result = cli("catalog", "update", "--from-file", str(saved), "--complete", "--quiet", cwd=tmp_path)
    assert result.code == 0, result
    assert "3.3" in catalog_mod.read(str(_cache()), "cache").complete_lines
    linted = tmp_path / "Dockerfile"
    linted.write_text("FROM astrocrpublic.azurecr.io/runtime:3.3-5\n")  # missing from the now complete line
    lint = cli("check", str(linted), "--as-of", "2026-11-28", "--format", "concise", cwd=tmp_path)
    assert "RL201" in lint.out, lint


def test_from_file_refusals(cli: Callable[..., Result], tmp_path: Path) -> None:
    before = _old_cache()
    missing = cli("catalog", "update", "--from-file", str(tmp_path / "nope.json"), cwd=tmp_path)
    _assert_one_error_line(missing, "no such file")
    bad = tmp_path / "bad.json"
    bad.write_text('{"runtimeVersions": {"12.9.0": {}}}')
    _assert_one_error_line(cli("catalog", "update", "--from-file", str(bad), cwd=tmp_path), "no metadata object")
    both = cli("catalog", "update", "--from-file", str(bad), "--url", "https://example.invalid/", cwd=tmp_path)
    _assert_one_error_line(both, "cannot be used together")
    _assert_untouched(before)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/404", "HTTP 404 Not Found"),
        ("/500", "HTTP 500"),
        ("/bad-json", "not valid JSON"),
        ("/truncated-json", "not valid JSON"),
        ("/wrong-shape", "Astronomer Certified feed"),
        ("/list", "top level must be an object"),
        ("/no-metadata", "runtimeVersions['12.9.0']: no metadata object"),
        ("/no-airflow", "metadata.airflowVersion is missing"),
        ("/bad-date", "metadata.releaseDate '2026-02-30' is not a YYYY-MM-DD date"),
        ("/bad-key", "key 'latest' is not a Runtime version"),
        ("/huge", "more than the 20 MiB limit"),
        ("/short-length", "not valid JSON"),  # only the declared 100 bytes are read
        ("/endless", "larger than the 20 MiB limit"),
        ("/endless-chunked", "larger than the 20 MiB limit"),
        ("/redirect-http", "redirect target 'http://example.invalid/feed' must use https"),
    ],
)
def test_failures_leave_the_cache_alone(
    cli: Callable[..., Result], server: str, tmp_path: Path, path: str, expected: str
) -> None:
    before = _old_cache()
    result = cli("catalog", "update", "--url", f"{server}{path}", cwd=tmp_path)
    _assert_one_error_line(result, expected)
    _assert_untouched(before)


def test_timeout(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    before = _old_cache()
    result = cli("catalog", "update", "--url", f"{server}/slow", "--timeout", "0.5", cwd=tmp_path)
    _assert_one_error_line(result, "within 0.5 seconds")
    _assert_untouched(before)


def test_timeout_bounds_the_whole_download(cli: Callable[..., Result], server: str, tmp_path: Path) -> None:
    before = _old_cache()
    result = cli("catalog", "update", "--url", f"{server}/trickle", "--timeout", "1", cwd=tmp_path)
    _assert_one_error_line(result, "no complete answer within 1 seconds")
    _assert_untouched(before)


def test_connection_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    before = _old_cache()
    result = cli("catalog", "update", "--url", f"http://127.0.0.1:{_free_port()}/feed", cwd=tmp_path)
    _assert_one_error_line(result, "cannot connect", "refused")
    _assert_untouched(before)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://updates.astronomer.io/astronomer-runtime", "must use https"),
        ("http://10.0.0.1/feed", "must use https"),
        ("file:///etc/passwd", "must be an https:// URL"),
        ("ftp://127.0.0.1/feed", "must be an https:// URL"),
        ("https://", "must be an https:// URL"),
    ],
)
def test_refused_urls(cli: Callable[..., Result], tmp_path: Path, url: str, expected: str) -> None:
    before = _old_cache()
    _assert_one_error_line(cli("catalog", "update", "--url", url, cwd=tmp_path), expected)
    _assert_untouched(before)


def test_bad_timeout(cli: Callable[..., Result], tmp_path: Path) -> None:
    _assert_one_error_line(
        cli("catalog", "update", "--timeout", "0", cwd=tmp_path), "--timeout must be a positive number"
    )


@pytest.fixture
def read_only_cache() -> Iterator[bytes]:
    """An old cache in a folder made unwritable: by its mode, or for root (whom modes do not
    stop) by the immutable attribute where the file system and privileges allow it."""
    before = _old_cache()
    folder = _cache().parent
    folder.chmod(0o555)
    immutable = False
    try:
        if os.access(folder, os.W_OK):
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a folder read-only here (root without chattr +i)")
            immutable = True
        yield before
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_unwritable_cache_folder(
    cli: Callable[..., Result], server: str, tmp_path: Path, read_only_cache: bytes
) -> None:
    result = cli("catalog", "update", "--url", f"{server}/feed", cwd=tmp_path)
    _assert_one_error_line(result, f"cannot write {_cache()}")
    _assert_untouched(read_only_cache)


def test_disk_full(server: str, tmp_path: Path) -> None:
    """The file size limit makes writing fail as a full disk does (EFBIG), even for root."""
    import resource

    before = _old_cache()

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = subprocess.run(
        [sys.executable, "-m", "runtime_lint", "catalog", "update", "--url", f"{server}/feed"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        preexec_fn=limit,
    )
    _assert_one_error_line(Result(proc), f"cannot write {_cache()}", "(nothing was changed)")
    _assert_untouched(before)


def test_linting_never_imports_network_code(tmp_path: Path) -> None:
    dockerfile = _dockerfile(tmp_path)
    code = (
        "import sys\n"
        "from runtime_lint.cli import main\n"
        f"main(['check', {str(dockerfile)!r}, '--as-of', '2026-11-28', '--quiet'])\n"
        "main(['catalog', 'list', '--as-of', '2026-11-28'])\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('urllib.request', 'http.client', 'runtime_lint.feed')))\n"
        "sys.stderr.write(repr(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.stderr.endswith("[]"), proc.stderr


# ----------------------------------------------------------------------------- units: the shape


def test_releases_reads_every_field() -> None:
    stated, skipped = feed.releases(json.loads(FEED_BYTES))
    assert sorted(skipped) == ["13.0.0-rc1", "3.4-1-nightly202611200001"]
    assert stated["12.6.0"] == {
        "airflow": "2.10.4",
        "feed_channel": "stable",
        "release_date": "2025-01-22",
        "end_of_maintenance": "2026-04-30",
        "airflow_db_migration": False,  # the entry's `migrations` object, beside `metadata`
    }
    assert stated["11.0.0"]["airflow_db_migration"] is True
    assert stated["12.8.0"]["end_of_maintenance"] == "2026-10-31"
    assert stated["12.8.0"]["end_of_basic_support"] == "2027-04-30"
    assert stated["12.8.0"]["yanked"] is False
    assert stated["3.0-9"]["yanked"] is True
    assert stated["3.0-9"]["yanked_reason"] == "connection extras fail to deserialize"
    assert stated["3.1-14"]["python_versions"] == ["3.11", "3.12", "3.13"]
    assert stated["3.1-14"]["default_python"] == "3.12"
    assert stated["12.9.0"]["lts"] is True
    assert stated["3.4-1"]["feed_channel"] == "beta"


def test_end_of_maintenance_wins_over_end_of_support() -> None:
    data = {"runtimeVersions": {"12.0.0": {"metadata": {"airflowVersion": "2.10.0", "channel": "stable"}}}}
    meta = data["runtimeVersions"]["12.0.0"]["metadata"]
    meta.update({"endOfSupport": "2025-01-31", "endOfMaintenance": "2025-03-31"})
    assert feed.releases(data)[0]["12.0.0"]["end_of_maintenance"] == "2025-03-31"
    del meta["endOfMaintenance"]
    assert feed.releases(data)[0]["12.0.0"]["end_of_maintenance"] == "2025-01-31"


def test_empty_strings_and_nulls_are_not_stated() -> None:
    meta = {"airflowVersion": "2.10.0", "channel": "Stable", "releaseDate": "", "yanked": None, "pythonVersions": None}
    stated = feed.releases({"runtimeVersions": {"12.0.0": {"metadata": meta}}, "runtimeVersionsV3": None})[0]
    assert stated == {"12.0.0": {"airflow": "2.10.0", "feed_channel": "stable"}}


def test_date_times_count_as_their_day() -> None:
    meta = {"airflowVersion": "3.0.0", "channel": "stable", "releaseDate": "2025-04-22T15:00:00Z"}
    assert feed.releases({"runtimeVersionsV3": {"3.0-1": {"metadata": meta}}})[0]["3.0-1"]["release_date"] == (
        "2025-04-22"
    )


def test_the_form_of_a_tag_decides_its_era_not_its_map() -> None:
    meta = {"metadata": {"airflowVersion": "3.0.0", "channel": "stable"}}
    stated, _ = feed.releases({"runtimeVersions": {"3.0-1": meta}})
    assert list(stated) == ["3.0-1"]
    with pytest.raises(UsageError, match="listed in both"):
        feed.releases({"runtimeVersions": {"3.0-1": meta}, "runtimeVersionsV3": {"3.0-1": meta}})


GOOD = {"metadata": {"airflowVersion": "2.10.0", "channel": "stable"}}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "top level must be an object"),
        ({}, "no runtimeVersions or runtimeVersionsV3"),
        ({"runtimeVersions": None}, "no runtimeVersions or runtimeVersionsV3"),
        ({"format": 1, "releases": []}, "runtime-lint catalog; use it with --catalog"),
        ({"runtimeVersions": []}, "runtimeVersions must be an object"),
        ({"runtimeVersions": {"12.0.0": []}}, "runtimeVersions['12.0.0']: must be an object"),
        ({"runtimeVersions": {"12.0.0": {"migrations": {}}}}, "no metadata object"),
        ({"runtimeVersions": {"12.0.0": {"metadata": "x"}}}, "no metadata object"),
        ({"runtimeVersions": {"12.0.0": {"metadata": {"airflowVersion": "2.10.0"}}}}, "metadata.channel is missing"),
        ({"runtimeVersions": {"12.0.0": {"metadata": {"airflowVersion": 2, "channel": "s"}}}}, "must be a string"),
        ({"runtimeVersions": {"latest": GOOD}}, "runtimeVersions: key 'latest' is not a Runtime version"),
        ({"runtimeVersions": {"12.x": GOOD}}, "key '12.x' is not a Runtime version"),
        ({"runtimeVersions": {"12.06.0": GOOD}}, "key '12.06.0' is not a Runtime version"),
        ({"runtimeVersionsV3": {"3.1": GOOD}}, "runtimeVersionsV3: key '3.1' is not a Runtime version"),
    ],
)
def test_refused_shapes(data: Any, expected: str) -> None:
    with pytest.raises(UsageError, match=None) as info:
        feed.releases(data, "feed X")
    message = str(info.value)
    assert message.startswith("feed X: ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("releaseDate", "2026-13-01", "metadata.releaseDate '2026-13-01' is not a YYYY-MM-DD date"),
        ("releaseDate", "next week", "is not a YYYY-MM-DD date"),
        ("endOfSupport", "2026-04", "metadata.endOfSupport '2026-04' is not"),
        ("endOfMaintenance", 20260430, "metadata.endOfMaintenance must be a string, got a number"),
        ("endOfBasicSupport", "31/10/2027", "metadata.endOfBasicSupport"),
        ("yanked", "yes", "metadata.yanked must be true or false, got a string"),
        ("LTS", 1, "metadata.LTS must be true or false"),
        ("pythonVersions", "3.12", "metadata.pythonVersions must be a list of strings"),
        ("pythonVersions", [3.12], "metadata.pythonVersions must be a list of strings"),
    ],
)
def test_refused_values(key: str, value: Any, expected: str) -> None:
    meta: dict[str, Any] = {"airflowVersion": "2.10.0", "channel": "stable", key: value}
    with pytest.raises(UsageError) as info:
        feed.releases({"runtimeVersions": {"12.0.0": {"metadata": meta}}})
    assert expected in str(info.value)


# ----------------------------------------------------------------------------- units: the merge


def test_merge_keeps_what_the_feed_omits_and_records_sources() -> None:
    bundled = catalog_mod.bundled()
    merged = feed.convert(json.loads(FEED_BYTES), SOURCE, DAY)
    assert merged.generated == DAY
    assert merged.source == f"{SOURCE}, over the bundled data as of {bundled.generated}"
    assert merged.feed_schema is None  # the test feed has no schemaVersion: the bundled data's stays
    assert len(merged) == len(bundled) + 2  # 13.12.0 and 3.4-1 are new; no known release is dropped
    assert {r.version for r in bundled.all()} <= {r.version for r in merged.all()}

    old, new = bundled.get("12.6.0"), merged.get("12.6.0")
    assert old is not None and new is not None
    assert (new.airflow, new.release_date, new.feed_channel) == ("2.10.4", date(2025, 1, 22), "stable")
    assert (new.first_seen, new.note, new.source, new.default_python) == (
        old.first_seen,
        old.note,
        old.source,
        old.default_python,
    )
    assert new.sources["airflow"] == SOURCE
    assert new.sources["end_of_maintenance"] == SOURCE
    assert new.sources["default_python"] == old.sources["default_python"]  # the feed does not state it
    assert "first_seen" not in new.sources

    fresh = merged.get("13.12.0")
    assert fresh is not None
    assert (fresh.source, fresh.sources, fresh.note) == (SOURCE, {}, "")
    assert fresh.end_of_maintenance == date(2027, 4, 30)
    same = merged.get("12.9.0")  # the feed states a Python list the bundled data has: no new source
    assert same is not None and same.python_versions == ("3.10", "3.11", "3.12")
    known = bundled.get("12.9.0")
    assert known is not None and same.sources.get("python_versions") == known.sources.get("python_versions")
    assert same.sources["release_date"] == SOURCE

    untouched = merged.get("3.0.0")
    assert untouched is not None and untouched.to_json() == bundled.get("3.0.0").to_json()  # type: ignore[union-attr]
    assert merged.get("13.0.0-rc1") is None


def test_merge_channels_and_yanked() -> None:
    merged = feed.convert(json.loads(FEED_BYTES), SOURCE, DAY)

    def get(version: str) -> Release:
        release = merged.get(version)
        assert release is not None
        return release

    assert get("13.12.0").channel == "LTS"  # LTS: true
    assert get("3.4-1").channel is None  # no LTS flag, a line the bundled data does not know
    assert get("11.8.0").channel == "LTS"  # LTS: false, but the lifecycle table says LTS: kept
    assert "channel" not in get("11.8.0").sources
    assert get("11.0.0").yanked  # the feed does not say: the bundled data's yank stands
    assert get("3.0-9").yanked_reason == "connection extras fail to deserialize"
    assert get("3.0-9").sources["yanked_reason"] == SOURCE
    assert get("3.4-1").feed_channel == "beta"
    assert get("3.1-14").status(AS_OF, 90) == "ending-soon"


def test_feed_un_yanking_clears_the_reason() -> None:
    meta = {"airflowVersion": "2.9.0", "channel": "stable", "yanked": False}
    merged = feed.convert({"runtimeVersions": {"11.0.0": {"metadata": meta}}}, SOURCE, DAY)
    release = merged.get("11.0.0")
    assert release is not None
    assert (release.yanked, release.yanked_reason) == (False, None)
    assert release.sources["yanked"] == release.sources["yanked_reason"] == SOURCE


def test_merge_lets_the_new_release_be_the_latest() -> None:
    merged = feed.convert(json.loads(FEED_BYTES), SOURCE, DAY)
    release = merged.get("13.11.0")
    assert release is not None
    latest = merged.latest(release, AS_OF)
    assert latest is not None and latest.version == "13.12.0"
    target = merged.upgrade_target(2, AS_OF)
    assert target is not None and target.version == "13.12.0"
    beta_line = merged.get("3.4-1")
    assert beta_line is not None and merged.latest(beta_line, AS_OF) is None  # beta is never suggested


# ----------------------------------------------------------------------------- units: fetching


@pytest.mark.parametrize(
    "url",
    [
        "https://updates.astronomer.io/astronomer-runtime",
        "http://127.0.0.1:8080/feed",
        "http://127.1.2.3/feed",
        "http://[::1]:8080/feed",
        "http://localhost/feed",
        "HTTP://LOCALHOST/feed",
    ],
)
def test_allowed_urls(url: str) -> None:
    download.check_url(url)


@pytest.mark.parametrize(
    "url",
    ["http://example.com/feed", "http://localhost.example.com/", "file:///tmp/feed.json", "data:,{}", "//x/y", "x"],
)
def test_refused_url_units(url: str) -> None:
    with pytest.raises(UsageError):
        download.check_url(url)


def test_download(server: str) -> None:
    assert download.download(f"{server}/feed", 5) == FEED_BYTES


def test_download_stops_reading_at_the_limit(server: str) -> None:
    with pytest.raises(UsageError, match="larger than the 1 MiB limit"):
        download.download(f"{server}/endless", 5, max_bytes=1024 * 1024)
    with pytest.raises(UsageError, match="more than the 1000 bytes limit"):
        download.download(f"{server}/feed", 5, max_bytes=1000)


def test_download_shows_progress_on_a_terminal(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert download.download(f"{server}/feed", 5, progress=True) == FEED_BYTES
    assert "Runtime feed" in terminal.getvalue()


def test_cmd_update_shows_no_progress_off_a_terminal(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from types import SimpleNamespace

    args = SimpleNamespace(
        url=f"{server}/feed", from_file=None, output=str(tmp_path / "c.json"), timeout=5.0, config=None, quiet=False
    )
    assert cmd_update(args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("runtime-lint: catalog updated: ")


# ------------------------------------------------------------------------------ units: writing


def test_write_is_atomic_when_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "catalog.json"
    target.write_bytes(b"previous catalog")
    catalog = feed.convert(json.loads(FEED_BYTES), SOURCE, DAY)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UsageError, match="No space left on device"):
        feed.write_catalog(catalog, str(target))
    assert target.read_bytes() == b"previous catalog"
    assert os.listdir(tmp_path) == ["catalog.json"]


def test_write_refuses_when_no_file_can_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    target = tmp_path / "catalog.json"
    target.write_bytes(b"previous catalog")

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(UsageError, match="Permission denied"):
        feed.write_catalog(catalog_mod.bundled(), str(target))
    assert target.read_bytes() == b"previous catalog"


def test_write_keeps_the_mode_and_refuses_folders(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    target.write_text("{}")
    target.chmod(0o640)
    feed.write_catalog(catalog_mod.bundled(), str(target))
    assert target.stat().st_mode & 0o777 == 0o640
    assert catalog_mod.read(str(target), "file").generated == catalog_mod.bundled().generated
    with pytest.raises(UsageError, match="is a directory"):
        feed.write_catalog(catalog_mod.bundled(), str(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(UsageError, match="cannot create"):
        feed.write_catalog(catalog_mod.bundled(), str(blocker / "sub" / "catalog.json"))


def test_bundled_data_round_trips(tmp_path: Path) -> None:
    """render() writes the bundled catalog's own layout: regenerating from data keeps the format."""
    assert feed.render(catalog_mod.bundled()) == Path(catalog_mod.BUNDLED).read_text(encoding="utf-8")
    source = ROOT.joinpath("runtime_lint", "data", "catalog.json")
    if FROM_CHECKOUT:
        assert source.samefile(catalog_mod.BUNDLED)
    else:  # an installed wheel carries a copy
        assert source.read_bytes() == Path(catalog_mod.BUNDLED).read_bytes()


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            {"airflowVersion": "two point ten", "channel": "stable"},
            "metadata.airflowVersion 'two point ten' is not a version",
        ),
        (
            {"airflowVersion": "2.10.0", "channel": "stable", "pythonVersions": ["3.12", "py3"]},
            "'py3' is not a version",
        ),
        (
            {"airflowVersion": "2.10.0", "channel": "stable", "defaultPythonVersion": "latest"},
            "'latest' is not a version",
        ),
    ],
)
def test_versions_in_the_feed_are_checked(meta: dict[str, Any], message: str) -> None:
    data = {"runtimeVersions": {"12.9.0": {"metadata": meta}}}
    with pytest.raises(UsageError, match=re.escape(message)):
        feed.convert(data, "test", AS_OF)
