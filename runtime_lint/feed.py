"""Astronomer's Runtime feed as catalog data: checking its shape, converting it (schema 1.8) into
catalog releases merged over the bundled data, and writing the catalog file atomically.

The feed (https://updates.astronomer.io/astronomer-runtime, the one astro-cli and the in-image
version check read) is a JSON object with two maps from tag to release: `runtimeVersions` for
`X.Y.Z` tags and `runtimeVersionsV3` for `X.Y-N` tags. Each release has a `metadata` object with
`airflowVersion`, `channel` (stable, deprecated, alpha, beta), `releaseDate` and, depending on the
feed's age, `pythonVersions`, `defaultPythonVersion`, `yanked`, `yankedReason`, `LTS` and the end
of maintenance as `endOfSupport` (older name) or `endOfMaintenance` plus `endOfBasicSupport`,
and `migrations.airflowDatabase`. The top level's `schemaVersion` (1.8 in 2026) is recorded. The
feed's keys for each catalog field are declared in `release.FIELDS`.

Fetching it is `download.py`; the command is `commands/catalog.py` (`catalog update`). Linting
never imports either.
"""

from __future__ import annotations

import os
import re

from runtime_lint.catalog import FORMAT, Catalog, from_json, line_key, to_json
from runtime_lint.image import TagError, version_key
from runtime_lint.model import UsageError
from runtime_lint.release import DAY, FIELDS, FLAG, TEXTS, Field, Release

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

MAX_BYTES = 20 * 1024 * 1024  # the feed is well under 1 MiB; anything this big is not the feed

# A Runtime version followed by a pre-release or build suffix: `3.0-1-nightly202503310001`,
# `13.0.0-rc1`, `3.1-1.dev1` (astro-cli's version comparison accepts these).
_PRE_RELEASE = re.compile(r"([0-9]+\.[0-9]+(?:\.[0-9]+|-[0-9]+))[-.+][0-9A-Za-z][0-9A-Za-z.+-]*")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAPS = ("runtimeVersions", "runtimeVersionsV3")


class FeedError(UsageError):
    """The feed could not be fetched, or is not Astronomer's Runtime feed: one line saying why."""


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
            value = _nested(entry, key) if "." in key else _value(field, meta, key)
            if value is None and key == "LTS":
                value = _flag(entry, "LTS", "LTS")  # older feeds put LTS beside metadata
            if value is not None:
                stated[field.name] = value
                break
    stated["feed_channel"] = stated["feed_channel"].lower()
    if stated.get("yanked") is False and "yanked_reason" not in stated:
        stated["yanked_reason"] = None  # not yanked (any more): an older reason no longer applies
    return stated


def _nested(entry: dict[str, Any], key: str) -> bool | None:
    """A flag in another object of the entry than `metadata`: `migrations.airflowDatabase` is
    `{"metadata": {...}, "migrations": {"airflowDatabase": true}}` (None: not stated)."""
    outer, inner = key.split(".", 1)
    nested = entry.get(outer)
    if nested is None:
        return None
    if not isinstance(nested, dict):
        raise FeedError(f"{outer} must be an object, got {_json_type(nested)}")
    return _flag(nested, inner, key)


def _value(field: Field, meta: dict[str, Any], key: str) -> Any:
    """One feed value in catalog form (None: not stated); FeedError when it has the wrong type."""
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
