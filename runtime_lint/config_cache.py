"""The parsed-config cache: what each config file's TOML gave, by the file's exact bytes."""

from __future__ import annotations

import os

from runtime_lint import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A speed device that pays: the settings read from each config file, kept in the user cache folder
# by the file's exact bytes, so that a run over an unchanged config file imports neither `tomllib`
# nor `re` (8.7 ms of imports together by `python -X importtime`; measured 2026-12-03, 60 runs of
# the hook entry on one Dockerfile in a project whose pyproject.toml configures runtime-lint: fastest
# 46.4 ms without the cache, 30.4 ms with it). marshal is built in; a damaged, foreign or unwritable
# cache is ignored. Values marshal cannot hold (TOML dates) are not cached. Each file of an `extend`
# chain has its own entry (its own bytes), so a changed base is read again.
MISS = object()
_CACHE_ENTRIES = 64
# Part of every key: entries written by another version, or before what a file's bytes give changed
# (format 2: a [tool.runtime_lint] table became an error, no longer "not ours"), are never used.
_FORMAT = f"{__version__}:2"


def _cache_file() -> str:
    from runtime_lint.catalog import default_cache_path

    return os.path.join(os.path.dirname(default_cache_path()), "config-cache.marshal")


# The cache file's entries, read once per process (by cache file): the files of an `extend` chain,
# and the configs of a monorepo's folders, are looked up without reading it again.
_LOADED: dict[str, dict[str, Any]] = {}


def _cache_read() -> dict[str, Any]:
    path = _cache_file()
    entries = _LOADED.get(path)
    if entries is None:
        entries = _LOADED[path] = _cache_load(path)
    return entries


def _cache_load(path: str) -> dict[str, Any]:
    import marshal

    try:
        with open(path, "rb") as handle:
            entries = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def cache_get(key: str, raw: bytes) -> Any:
    entry = _cache_read().get(f"{_FORMAT}\0{key}")
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == raw:
        return entry[1]
    return MISS


def cache_put(key: str, raw: bytes, found: dict[str, Any] | None) -> None:
    import marshal

    from runtime_lint.fix import replace_file

    entries = _cache_read()
    key = f"{_FORMAT}\0{key}"
    entries.pop(key, None)
    while len(entries) >= _CACHE_ENTRIES:
        entries.pop(next(iter(entries)))
    entries[key] = (raw, found)
    path = _cache_file()
    try:
        data = marshal.dumps(entries)
    except ValueError:  # a value marshal cannot hold (a TOML date): read the file each time
        del entries[key]  # and keep the others cacheable
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        replace_file(path, data, 0o600)  # atomic; on failure the old cache (if any) stands
    except OSError:
        return
