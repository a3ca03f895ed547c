"""Downloading Astronomer's Runtime feed: https only (plain http to this machine), redirects
checked as the URL is, a size cap whatever Content-Length says, a timeout over the whole
download, a progress bar on a terminal. Any failure is one FeedError line.

Only `catalog update` imports this module; the network code (urllib) is imported inside the
functions that use it.
"""

from __future__ import annotations

from runtime_lint.feed import MAX_BYTES, FeedError, _one_line, _reason

TYPE_CHECKING = False
if TYPE_CHECKING:
    import http.client
    import urllib.request
    from collections.abc import Callable
    from typing import IO

LOOPBACK_NAMES = ("localhost",)
_CHUNK = 64 * 1024


def check_url(url: str, what: str = "feed URL") -> None:
    """Only https, except plain http to this machine (a test server, a local mirror)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FeedError(f"{what} '{url}' is not a valid URL ({exc})") from None
    if parts.scheme not in ("https", "http") or not host:
        raise FeedError(f"{what} '{url}' must be an https:// URL")
    if parts.scheme == "http" and not is_loopback(host):
        raise FeedError(f"{what} '{url}' must use https (plain http is only allowed to localhost)")


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def download(url: str, timeout: float, max_bytes: int = MAX_BYTES, progress: bool = False) -> bytes:
    """The feed's bytes. `timeout` bounds each network wait and the whole download; more than
    `max_bytes` is refused, whatever Content-Length says. Any failure is a FeedError."""
    import http.client
    import time
    import urllib.error
    import urllib.request

    from runtime_lint import __version__

    check_url(url)
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": f"runtime-lint/{__version__}"}
    )
    deadline = time.monotonic() + timeout
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            declared = _content_length(response.headers.get("Content-Length"))
            if declared is not None and declared > max_bytes:
                raise FeedError(f"feed {url}: the answer is {declared} bytes, more than the {_size(max_bytes)} limit")
            advance, stop = _progress(declared) if progress else (None, None)
            try:
                return _read(response, url, max_bytes, deadline, timeout, advance)
            finally:
                if stop is not None:
                    stop()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FeedError(f"feed {url}: HTTP {exc.code} {_one_line(str(exc.reason))}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FeedError(f"feed {url}: no answer within {timeout:g} seconds") from None
        raise FeedError(f"feed {url}: cannot connect: {_reason(exc.reason)}") from None
    except TimeoutError:
        raise FeedError(f"feed {url}: no complete answer within {timeout:g} seconds") from None
    except http.client.IncompleteRead:
        raise FeedError(f"feed {url}: the download was cut short") from None
    except http.client.HTTPException as exc:
        raise FeedError(f"feed {url}: not a valid HTTP answer ({type(exc).__name__})") from None
    except OSError as exc:
        raise FeedError(f"feed {url}: download failed: {_reason(exc)}") from None
    except ValueError as exc:  # http.client.InvalidURL and friends
        raise FeedError(f"feed {url}: not a valid URL ({_one_line(str(exc))})") from None


def _opener(url: str) -> urllib.request.OpenerDirector:
    """urllib's opener, checking every redirect target as the URL itself is checked; requests to
    this machine never go through a proxy."""
    import urllib.request

    class CheckedRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: http.client.HTTPMessage,
            newurl: str,
        ) -> urllib.request.Request | None:
            check_url(newurl, f"feed {url}: redirect target")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    from urllib.parse import urlsplit

    handlers: list[urllib.request.BaseHandler] = [CheckedRedirects()]
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _read(
    response: http.client.HTTPResponse,
    url: str,
    max_bytes: int,
    deadline: float,
    timeout: float,
    advance: Callable[[int], None] | None,
) -> bytes:
    import time

    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise FeedError(f"feed {url}: the answer is larger than the {_size(max_bytes)} limit")
        chunks.append(chunk)
        if advance is not None:
            advance(len(chunk))


def _progress(total: int | None) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A transient progress bar on stderr (only used when stderr is a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    bar = Progress(
        TextColumn("downloading the Runtime feed"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("feed", total=total)
    bar.start()

    def advance(size: int) -> None:
        bar.update(task, advance=size)

    return advance, bar.stop


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:g} MiB" if count >= 1024 * 1024 else f"{count} bytes"
