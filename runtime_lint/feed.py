"""Refreshing the catalog from Astronomer's feed (`runtime-lint catalog update`).

The feed (https://updates.astronomer.io/astronomer-runtime, the one astro-cli and the in-image
version check read) is a JSON object with two maps from tag to release: `runtimeVersions` for
`X.Y.Z` tags and `runtimeVersionsV3` for `X.Y-N` tags. Each release has a `metadata` object with
`airflowVersion`, `channel` (stable, deprecated, alpha, beta), `releaseDate` and, depending on the
feed's age, `pythonVersions`, `defaultPythonVersion`, `yanked`, `yankedReason`, `LTS` and the end
of maintenance as `endOfSupport` (older name) or `endOfMaintenance` plus `endOfBasicSupport`.

`catalog update` downloads the feed (or reads a saved copy with `--from-file`), checks its shape,
merges it over the bundled data and writes the result atomically into the user cache, where
`catalog.load()` picks it up. Nothing is written unless every step succeeded: the previous cache
stays as it was, and the command exits 2 with one line saying why.

This module is only imported by `catalog update`: linting never touches the network, and the
network code (urllib) is imported inside the functions that use it. The feed's keys
for each catalog field are declared in `release.FIELDS`.
"""

from __future__ import annotations

import os
import re
import sys

from runtime_lint.catalog import FORMAT, Catalog, default_cache_path, from_json, line_key, to_json
from runtime_lint.config import FEED_URL
from runtime_lint.image import TagError, version_key
from runtime_lint.model import UsageError
from runtime_lint.release import DAY, FIELDS, FLAG, TEXTS, Field, Release

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import http.client
    import urllib.request
    from collections.abc import Callable
    from datetime import date
    from typing import IO, Any

MAX_BYTES = 20 * 1024 * 1024  # the feed is well under 1 MiB; anything this big is not the feed
LOOPBACK_NAMES = ("localhost",)
_CHUNK = 64 * 1024

# A Runtime version followed by a pre-release or build suffix: `3.0-1-nightly202503310001`,
# `13.0.0-rc1`, `3.1-1.dev1` (astro-cli's version comparison accepts these).
_PRE_RELEASE = re.compile(r"([0-9]+\.[0-9]+(?:\.[0-9]+|-[0-9]+))[-.+][0-9A-Za-z][0-9A-Za-z.+-]*")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAPS = ("runtimeVersions", "runtimeVersionsV3")


class FeedError(UsageError):
    """The feed could not be fetched, or is not Astronomer's Runtime feed: one line saying why."""


# ------------------------------------------------------------------------------------- command


def cmd_update(args: argparse.Namespace) -> int:
    """`runtime-lint catalog update`: fetch, check, merge, write; exit 2 on any failure."""
    from datetime import date

    today = date.today()
    timeout = float(args.timeout)
    if not 0 < timeout < float("inf"):
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if args.from_file is not None:
        if args.url is not None:
            raise UsageError("--url and --from-file cannot be used together")
        label = f"feed file {args.from_file}"
        raw = read_file(args.from_file)
        source = f"feed file {os.path.basename(args.from_file)} ({today})"
        complete = bool(getattr(args, "complete", False))
    else:
        url = args.url if args.url is not None else configured_url(args.config)
        label = f"feed {url}"
        raw = download(url, timeout, progress=sys.stderr.isatty())
        source = f"feed {url} ({today})"
        complete = True  # the feed itself lists every release of the lines it covers
    catalog = convert(parse(raw, label), source, today, label=label, complete=complete)
    output = args.output if args.output is not None else default_cache_path()
    write_catalog(catalog, output)
    if not args.quiet:
        sys.stdout.write(f"runtime-lint: {summary(catalog)}; written to {output}\n")
    return 0


def configured_url(config_path: str | None) -> str:
    """The `feed-url` setting of the config in effect here (or --config), else Astronomer's feed."""
    from runtime_lint.config import Finder

    config = Finder(config_path).for_file(os.path.join(os.getcwd(), "Dockerfile"))
    if config is None:
        return FEED_URL
    url = config.values.get("feed-url", FEED_URL)
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"config {config.path}: feed-url must be a URL string, got {url!r}")
    return url.strip()


def summary(catalog: Catalog) -> str:
    """`172 releases, newest 3.3-4 (Airflow 3) and 13.9.0 (Airflow 2), data as of 2026-11-28`."""
    newest: dict[int, Release] = {}
    for release in catalog.all():
        if release.yanked or release.feed_channel in ("alpha", "beta"):
            continue
        if release.era not in newest or release.key > newest[release.era].key:
            newest[release.era] = release
    parts = [f"{newest[era].version} (Airflow {era})" for era in (3, 2) if era in newest]
    shown = f", newest {' and '.join(parts)}" if parts else ""
    return f"catalog updated: {len(catalog)} releases{shown}, data as of {catalog.generated}"


# ------------------------------------------------------------------------------------ fetching


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


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return _one_line(reason.strerror)
    return _one_line(str(reason)) or type(reason).__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_file(path: str, max_bytes: int = MAX_BYTES) -> bytes:
    """A saved feed's bytes (same size limit as a download)."""
    from runtime_lint.files import FileError, read_regular

    try:
        return read_regular(path, max_bytes, "feed")
    except FileError as exc:
        raise FeedError(f"feed file {path}: {exc}") from None


def parse(raw: bytes, label: str = "feed") -> Any:
    """The feed's JSON (any encoding JSON allows); a FeedError naming `label` if it is not JSON."""
    import json

    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise FeedError(f"{label}: not valid JSON ({_one_line(str(exc))[:200]})") from None


# ---------------------------------------------------------------------------------- converting


def releases(data: Any, label: str = "feed") -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Check the feed's shape; return, per version, the fields it states (in catalog form), and
    the keys skipped.

    What is refused (FeedError), so that a wrong file or a changed format never becomes data:
    - a top level that is not an object, or has neither a `runtimeVersions` nor a
      `runtimeVersionsV3` object (either may be missing: older feeds have no V3 map);
    - a release that is not an object, has no `metadata` object, no `airflowVersion` or `channel`
      string, a date that is not YYYY-MM-DD, a value of the wrong type;
    - a key that is not a Runtime version at all (`latest`, `12.x`, `12.06.0`);
    - the same version in both maps.
    What is skipped: keys that are a Runtime version plus a pre-release suffix
    (`3.0-1-nightly202503310001`, `13.0.0-rc1`): they are real feed entries, but not tags that a
    catalog of releases can hold. The tag's form decides its era, not the map it is listed in
    (astro-cli compares both maps alike). Unknown keys anywhere are ignored; null, and an empty
    string for text fields, count as not stated.
    """
    if not isinstance(data, dict):
        raise FeedError(f"{label}: not Astronomer's Runtime feed (the top level must be an object)")
    maps = {name: data[name] for name in MAPS if name in data and data[name] is not None}
    if not maps:
        hint = ""
        if "available_releases" in data:
            hint = " (this is the Astronomer Certified feed; use .../astronomer-runtime)"
        elif "releases" in data and "format" in data:
            hint = " (this is a runtime-lint catalog; use it with --catalog)"
        raise FeedError(f"{label}: not Astronomer's Runtime feed (no runtimeVersions or runtimeVersionsV3){hint}")
    out: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    for name, versions in maps.items():
        if not isinstance(versions, dict):
            raise FeedError(f"{label}: {name} must be an object mapping versions to releases")
        for key, entry in versions.items():
            where = f"{name}[{_show(key)}]"
            try:
                version = _version(key)
            except FeedError as exc:
                raise FeedError(f"{label}: {name}: {exc}") from None
            if version is None:
                skipped.append(key)
                continue
            if version in out:
                raise FeedError(f"{label}: {version} is listed in both runtimeVersions and runtimeVersionsV3")
            try:
                out[version] = _stated(entry)
            except FeedError as exc:
                raise FeedError(f"{label}: {where}: {exc}") from None
    return out, skipped


def _show(key: str) -> str:
    return repr(key if len(key) <= 40 else key[:37] + "...")


def _version(key: str) -> str | None:
    """The Runtime version of a feed key; None for a pre-release (skipped); FeedError otherwise."""
    try:
        version_key(key)
        return key
    except TagError:
        pass
    match = _PRE_RELEASE.fullmatch(key)
    if match is not None:
        try:
            version_key(match.group(1))
            return None
        except TagError:
            pass
    raise FeedError(f"key {_show(key)} is not a Runtime version (X.Y.Z or X.Y-N)")


# Feed values checked as PEP 440 versions (kept as written).
_VERSIONS = frozenset({"airflow", "python_versions", "default_python"})


def _stated(entry: Any) -> dict[str, Any]:
    """The catalog fields one feed release states, read by the feed keys of `release.FIELDS`."""
    if not isinstance(entry, dict):
        raise FeedError("must be an object")
    meta = entry.get("metadata")
    if not isinstance(meta, dict):
        raise FeedError("no metadata object")
    _text(meta, "airflowVersion", required=True)
    _text(meta, "channel", required=True)
    stated: dict[str, Any] = {}
    for field in FIELDS:
        for key in field.feed:  # the preferred key first: endOfMaintenance over endOfSupport
            value = _value(field, meta, key)
            if value is None and key == "LTS":
                value = _flag(entry, "LTS", "LTS")  # older feeds put LTS beside metadata
            if value is not None:
                stated[field.name] = value
                break
    stated["feed_channel"] = stated["feed_channel"].lower()
    if stated.get("yanked") is False and "yanked_reason" not in stated:
        stated["yanked_reason"] = None  # not yanked (any more): an older reason no longer applies
    return stated


def _value(field: Field, meta: dict[str, Any], key: str) -> Any:
    """One feed value in catalog form (None: not stated); FeedError when it has the wrong type."""
    if "." in key:  # a nested key: migrations.airflowDatabase
        outer, inner = key.split(".", 1)
        nested = meta.get(outer)
        if nested is None:
            return None
        if not isinstance(nested, dict):
            raise FeedError(f"metadata.{outer} must be an object, got {_json_type(nested)}")
        return _value(field, nested, inner)
    if field.kind == DAY:
        return _date(meta, key)
    if field.kind == FLAG:
        return _flag(meta, key)
    if field.kind == TEXTS:
        values = meta.get(key)
        if values is None:
            return None
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise FeedError(f"metadata.{key} must be a list of strings")
        return [_pep440(key, v.strip()) for v in values]
    text = _text(meta, key)
    return _pep440(key, text) if text is not None and field.name in _VERSIONS else text


def _pep440(key: str, value: str) -> str:
    """An Airflow or Python version, checked as a PEP 440 version (packaging) and kept as written."""
    from packaging.version import InvalidVersion, Version

    try:
        Version(value)
    except InvalidVersion:
        raise FeedError(f"metadata.{key} '{_one_line(value)[:40]}' is not a version") from None
    return value


def _text(meta: dict[str, Any], key: str, required: bool = False) -> Any:
    value = meta.get(key)
    if value is None or value == "":
        if required:
            raise FeedError(f"metadata.{key} is missing")
        return None
    if not isinstance(value, str):
        raise FeedError(f"metadata.{key} must be a string, got {_json_type(value)}")
    return value.strip()


def _date(meta: dict[str, Any], key: str) -> str | None:
    """A YYYY-MM-DD date; a date-time (`2025-08-20T00:00:00Z`) counts as its day."""
    from datetime import date

    value = _text(meta, key)
    if value is None:
        return None
    day = value[:10]
    if _DAY.fullmatch(day) and (len(value) == 10 or value[10] in "T "):
        try:
            return date.fromisoformat(day).isoformat()
        except ValueError:
            pass
    raise FeedError(f"metadata.{key} '{_one_line(value)[:40]}' is not a YYYY-MM-DD date")


def _flag(meta: dict[str, Any], key: str, where: str | None = None) -> bool | None:
    value = meta.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise FeedError(f"{where or 'metadata.' + key} must be true or false, got {_json_type(value)}")


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def convert(
    data: Any,
    source: str,
    generated: date,
    base: Catalog | None = None,
    label: str = "feed",
    complete: bool = False,
) -> Catalog:
    """The catalog for a feed: `base` (the bundled data by default) with what the feed states.

    The feed wins for every field it states; what it omits keeps the base's value, and no release
    of the base is ever dropped. A field the feed changes records `source` in the release's
    `sources`; a release only the feed knows has `source` as its source. The feed's `LTS` flag
    sets the line's channel (LTS or Stable, Astronomer's lifecycle table). `complete` (the whole
    feed, fetched from its URL) marks complete each line of which it lists every release the base
    knows: a version missing from it was never published. A feed that lacks a known release is a
    partial cut for that line. A saved file is taken as partial unless the user says otherwise.
    """
    from runtime_lint.catalog import bundled

    stated, _ = releases(data, label)
    base = base if base is not None else bundled()
    items: dict[str, dict[str, Any]] = {}
    for release in base.all():
        items[release.version] = release.to_json() | {"sources": dict(release.sources)}
    for version, fields in stated.items():
        fields = dict(fields)
        known = version in items
        if not known:
            items[version] = Release(version).to_json() | {"source": source}
        item = items[version]
        # LTS: true puts the line on the LTS channel; LTS: false only fills in an unknown channel
        # (Astronomer's lifecycle table names the channel; the flag may just be left unset)
        if fields.get("lts") is True:
            fields["channel"] = "LTS"
        elif fields.get("lts") is False and item["channel"] is None:
            fields["channel"] = "Stable"
        for field, value in fields.items():
            if item.get(field) == value:
                continue
            item[field] = value
            if known:
                item["sources"][field] = source
    lines = set(base.complete_lines)
    if complete:  # a line is complete only if the feed lists every release known of it
        listed: dict[str, set[str]] = {}
        for version in stated:
            listed.setdefault(Release(version).line, set()).add(version)
        for line, versions in listed.items():
            if all(r.version in versions for r in base.all() if r.line == line):
                lines.add(line)
    schema = data.get("schemaVersion") if isinstance(data, dict) else None
    doc = {
        "format": FORMAT,
        "source": f"{source}, over the {base.origin} data as of {base.generated}",
        "generated": max(generated, base.generated).isoformat(),
        "feed_schema": str(schema) if schema is not None else base.feed_schema,
        "complete_lines": sorted(lines, key=line_key),
        "base_generated": base.generated.isoformat(),
        "releases": sorted(items.values(), key=lambda item: version_key(item["version"])),
    }
    try:
        catalog = from_json(doc, label, "cache")
        catalog.all()
    except (KeyError, TypeError, ValueError) as exc:  # a bug, not the feed's fault: still one line
        raise FeedError(f"{label}: cannot convert it ({exc})") from None
    return catalog


# ------------------------------------------------------------------------------------- writing


def render(catalog: Catalog) -> str:
    """The catalog file's text (the format of runtime_lint/data/catalog.json)."""
    import json

    return json.dumps(to_json(catalog), indent=1, ensure_ascii=False) + "\n"


def write_catalog(catalog: Catalog, path: str) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace. On any failure the
    file at `path` is left as it was and a UsageError says why."""
    from runtime_lint.fix import TempFileError, replace_file

    data = render(catalog).encode("utf-8")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: cannot create {folder}: {_reason(exc)}") from None
    if os.path.isdir(path):
        raise UsageError(f"cannot write {path}: is a directory")
    try:
        replace_file(path, data, _mode(path))
    except TempFileError as exc:
        raise UsageError(f"cannot write {path}: cannot create a file in {folder}: {_reason(exc)}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_reason(exc)} (nothing was changed)") from None


def _mode(path: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    import stat

    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# ----------------------------------------------------------------------------------- scripting
