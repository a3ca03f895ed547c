"""The catalog of Astro Runtime releases and their lifecycle as of a given day.

Where the catalog comes from (first that applies): `--catalog PATH` (or the `catalog` setting),
the cached catalog written by `runtime-lint catalog update` when it is newer than the bundled one,
the catalog bundled in `runtime_lint/data/catalog.json` (built by `scripts/build_catalog.py`).

Lifecycle, as Astronomer publishes it (rules/RL202.md has the details):
- maintenance ends on the last day of a month: a release is maintained through that day;
- only the newest release of a support line is supported: per major (`12`) for `X.Y.Z` tags since
  2023-01-03, per `major.minor` before that; per `X.Y` for `X.Y-N` tags;
- a yanked release cannot be deployed at all;
- a release published after the "as of" day does not exist for that run.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.image import TagError, support_line, version_key
from runtime_lint.model import UsageError, date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

FORMAT = 1
MAX_CATALOG_BYTES = 20 * 1024 * 1024
PER_MAJOR_SINCE = date(2023, 1, 3)  # docs PR #1660: support per major version
BUNDLED = os.path.join(os.path.dirname(__file__), "data", "catalog.json")

SUPPORTED = "supported"
ENDING_SOON = "ending-soon"
ENDED = "ended"
YANKED = "yanked"
UNKNOWN = "unknown"
STATUSES = (SUPPORTED, ENDING_SOON, ENDED, YANKED, UNKNOWN)


class Release:
    """One Runtime release. Unknown facts are None, never guessed."""

    __slots__ = (
        "airflow",
        "channel",
        "default_python",
        "end_of_basic_support",
        "end_of_maintenance",
        "feed_channel",
        "first_seen",
        "inferred",
        "key",
        "line",
        "note",
        "python_versions",
        "release_date",
        "source",
        "sources",
        "version",
        "yanked",
        "yanked_reason",
    )

    def __init__(self, version: str) -> None:
        self.version = version
        self.key = version_key(version)
        self.line = support_line(version)
        self.airflow: str | None = None
        self.channel: str | None = None  # lifecycle channel: "Stable" or "LTS"
        self.feed_channel: str | None = None  # the feed's: stable, deprecated, alpha, beta
        self.release_date: date | None = None
        self.first_seen: date | None = None  # seen in use by then: an upper bound of release_date
        self.end_of_maintenance: date | None = None  # last day maintained
        self.end_of_basic_support: date | None = None
        self.yanked = False
        self.yanked_reason: str | None = None
        self.python_versions: tuple[str, ...] | None = None  # published -python-M.m variants
        self.default_python: str | None = None
        self.source = ""
        self.sources: dict[str, str] = {}  # per-field source, where it differs from `source`
        self.note = ""
        self.inferred = False  # not in the catalog: facts shared by its whole support line

    @property
    def era(self) -> int:
        return self.key[0]

    def line_on(self, day: date) -> str:
        """The support line on `day`: `X.Y.Z` releases were supported per major.minor before 2023."""
        if self.era == 2 and day < PER_MAJOR_SINCE:
            return f"{self.key[1]}.{self.key[2]}"
        return self.line

    def publishes(self, python: str | None) -> bool:
        """Not known to lack the `-python-M.m` variant (True when none is asked for, or unknown)."""
        return python is None or self.python_versions is None or python in self.python_versions

    def released_after(self, day: date) -> bool:
        """Known to be published after `day` (so it did not exist on that day)."""
        return self.release_date is not None and self.release_date > day

    def status(self, day: date, warn_days: int) -> str:
        if self.yanked:
            return YANKED
        if self.end_of_maintenance is None:
            return UNKNOWN
        if day > self.end_of_maintenance:
            return ENDED
        if (self.end_of_maintenance - day).days <= warn_days:
            return ENDING_SOON
        return SUPPORTED

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "line": self.line,
            "airflow": self.airflow,
            "channel": self.channel,
            "feed_channel": self.feed_channel,
            "release_date": _iso(self.release_date),
            "first_seen": _iso(self.first_seen),
            "end_of_maintenance": _iso(self.end_of_maintenance),
            "end_of_basic_support": _iso(self.end_of_basic_support),
            "yanked": self.yanked,
            "yanked_reason": self.yanked_reason,
            "python_versions": list(self.python_versions) if self.python_versions is not None else None,
            "default_python": self.default_python,
            "source": self.source,
            "sources": self.sources,
            "note": self.note,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


class Catalog:
    """All releases, plus where the data came from and how old it is.

    Releases are built from their raw entries when first needed: a lint run touches one support
    line, not all 160 releases. Catalog files are validated in full when read; the bundled data is
    checked by the test suite.
    """

    __slots__ = (
        "_built",
        "_lines",
        "_memo",
        "_raw",
        "_sorted",
        "complete_lines",
        "generated",
        "origin",
        "path",
        "source",
    )

    def __init__(
        self,
        raw: Iterable[dict[str, Any]],
        source: str,
        generated: date,
        path: str,
        origin: str,
        complete_lines: Iterable[str] = (),
    ) -> None:
        self._raw: dict[str, dict[str, Any]] = {}
        self._lines: dict[tuple[int, str], list[str]] = {}
        for item in raw:
            version = item["version"]
            if not isinstance(version, str):
                raise TypeError("version must be a string")
            if version in self._raw:
                raise ValueError(f"{version} is listed twice")
            self._raw[version] = item
            era = 3 if "-" in version else 2
            line = version.split("-")[0] if era == 3 else version.split(".")[0]
            self._lines.setdefault((era, line), []).append(version)
        self._built: dict[str, Release] = {}
        self._sorted: list[Release] | None = None
        self._memo: dict[tuple[Any, ...], Release | None] = {}  # answers of latest()/newest_maintained()
        self.source = source
        self.generated = generated  # the day the data was true
        self.path = path
        self.origin = origin  # "bundled", "cache" or "file"
        # Support lines whose every release is listed: a version missing from one of these was never
        # published. For the others (known from releases seen in use) a missing version may exist.
        self.complete_lines = frozenset(complete_lines)

    def __len__(self) -> int:
        return len(self._raw)

    def get(self, version: str) -> Release | None:
        release = self._built.get(version)
        if release is None:
            item = self._raw.get(version)
            if item is None:
                return None
            try:
                release = release_from_json(item)
            except (KeyError, TypeError, ValueError) as exc:
                raise UsageError(f"catalog {self.path}: not a runtime-lint catalog ({_describe(exc)})") from None
            self._built[version] = release
        return release

    def infer(self, version: str) -> Release | None:
        """A release the catalog does not list, in a support line it does not list in full (one known
        from releases seen in use): between that line's known releases it most likely exists, and
        what the whole line shares (channel, end of maintenance, Airflow minor, default Python,
        since support is per line) applies to it. None when the line is complete, unknown, or
        the version is newer than every release of the line the catalog knows."""
        try:
            release = Release(version)
        except TagError:
            return None
        siblings = self.line(release.era, release.line)
        if release.line in self.complete_lines or not siblings or release.key > max(s.key for s in siblings):
            return None

        def shared(values: Iterable[Any]) -> Any:
            found = set(values)
            return found.pop() if len(found) == 1 else None

        release.channel = shared(s.channel for s in siblings)
        release.end_of_maintenance = shared(s.end_of_maintenance for s in siblings)
        release.end_of_basic_support = shared(s.end_of_basic_support for s in siblings)
        release.default_python = shared(s.default_python for s in siblings)
        release.airflow = shared(".".join(s.airflow.split(".")[:2]) if s.airflow else None for s in siblings)
        release.inferred = True
        release.source = (
            f"not in the catalog: inferred from its {len(siblings)} known releases of Runtime {release.line}"
        )
        return release

    def all(self) -> list[Release]:
        """Every release, oldest first."""
        if self._sorted is None:
            self._sorted = sorted((self._get(v) for v in self._raw), key=lambda r: r.key)
        return self._sorted

    def line(self, era: int, line: str) -> list[Release]:
        """The releases of one support line (`12`, `3.1`)."""
        return [self._get(v) for v in self._lines.get((era, line), ())]

    def _get(self, version: str) -> Release:
        release = self.get(version)
        assert release is not None
        return release

    def exists_on(self, release: Release, day: date) -> bool:
        """Certainly published by `day`: by its release date, by when it was seen in use, or
        (for entries with neither) by the day the catalog's data was true."""
        if release.release_date is not None:
            return release.release_date <= day
        if release.first_seen is not None:
            return release.first_seen <= day
        return self.generated <= day

    def latest(self, release: Release, day: date, python: str | None = None) -> Release | None:
        """The newest release of `release`'s support line on `day` that can be used: not yanked,
        not alpha/beta, published by then, and publishing the same Python variant when pinned."""
        memo = ("latest", release.version, release.inferred, day, python)
        if memo not in self._memo:
            self._memo[memo] = self._latest(release, day, python)
        return self._memo[memo]

    def _latest(self, release: Release, day: date, python: str | None) -> Release | None:
        line = release.line_on(day)
        best: Release | None = None
        for candidate in self.line(release.era, release.line):
            if candidate.line_on(day) != line:
                continue
            if candidate.yanked or candidate.feed_channel in ("alpha", "beta"):
                continue
            if candidate is not release and not self.exists_on(candidate, day):
                continue
            if not candidate.publishes(python):
                continue
            if best is None or candidate.key > best.key:
                best = candidate
        return best

    def latest_of_line(self, line: str, era: int, day: date) -> Release | None:
        best: Release | None = None
        for candidate in self.line(era, line):
            if candidate.yanked or not self.exists_on(candidate, day):
                continue
            if best is None or candidate.key > best.key:
                best = candidate
        return best

    def newest_maintained(self, era: int, day: date, python: str | None = None) -> Release | None:
        """The newest release of an era that exists on `day`, is not yanked, not out of maintenance,
        and not known to lack the Python variant when one is pinned. Lines are tried newest first
        (every release of a newer line is newer), so only the lines needed are built."""
        memo = ("newest", era, day, python)
        if memo in self._memo:
            return self._memo[memo]
        lines = sorted((line for e, line in self._lines if e == era), key=line_key, reverse=True)
        best: Release | None = None
        for line in lines:
            for candidate in self.line(era, line):
                if candidate.yanked or not self.exists_on(candidate, day) or not candidate.publishes(python):
                    continue
                if candidate.end_of_maintenance is not None and day > candidate.end_of_maintenance:
                    continue
                if best is None or candidate.key > best.key:
                    best = candidate
            if best is not None:
                break
        self._memo[memo] = best
        return best

    def with_airflow(self, airflow: str, day: date) -> Release | None:
        """The newest usable release shipping exactly this Airflow version, else this major.minor."""
        minor = ".".join(airflow.split(".")[:2])
        usable = [r for r in self.all() if r.airflow is not None and not r.yanked and self.exists_on(r, day)]
        exact = [r for r in usable if r.airflow == airflow]
        if exact:
            return exact[-1]
        same_minor = [r for r in usable if ".".join(r.airflow.split(".")[:2]) == minor]  # type: ignore[union-attr]
        return same_minor[-1] if same_minor else None


def line_key(line: str) -> tuple[int, ...]:
    """Sort key of a support line: `3.10` after `3.9`."""
    return tuple(int(part) for part in line.split("."))


def default_cache_path() -> str:
    """Where `catalog update` writes: the platform's user cache folder."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "runtime-lint", "Cache", "catalog.json")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/runtime-lint/catalog.json")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "runtime-lint", "catalog.json")


def load(path: str | None = None, cache: str | None = None) -> Catalog:
    """Load the catalog in use: `path` if given, else the cache when newer, else the bundled one."""
    if path is not None:
        return read(path, "file")
    from runtime_lint.data import bundled

    generated = date.fromisoformat(bundled.GENERATED)
    cache = cache if cache is not None else default_cache_path()
    if os.path.isfile(cache):
        try:
            cached = read(cache, "cache")
        except UsageError:
            cached = None  # a damaged cache never stops linting; `catalog update` replaces it
        if cached is not None and cached.generated >= generated:
            return cached
    return Catalog(bundled.RELEASES, bundled.SOURCE, generated, BUNDLED, "bundled", bundled.COMPLETE_LINES)


def read(path: str, origin: str) -> Catalog:
    """Read and fully validate a catalog file; any problem is a UsageError naming the file."""
    import json

    from runtime_lint.files import FileError, read_regular

    try:
        data = json.loads(read_regular(path, MAX_CATALOG_BYTES, "catalog"))
    except FileError as unreadable:
        raise UsageError(f"catalog {path}: {unreadable}") from None
    except (ValueError, UnicodeDecodeError) as not_json:
        raise UsageError(f"catalog {path}: not valid JSON ({not_json})") from None
    except RecursionError:
        raise UsageError(f"catalog {path}: not valid JSON (nested too deeply)") from None
    try:
        catalog = from_json(data, path, origin)
    except (KeyError, TypeError, ValueError, AttributeError) as wrong:  # a name per type (scripts/hatch_build.py)
        raise UsageError(f"catalog {path}: not a runtime-lint catalog ({_describe(wrong)})") from None
    catalog.all()  # validates every entry now, not in the middle of a run
    return catalog


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc}"
    return str(exc)


def from_json(data: Any, path: str = "<memory>", origin: str = "file") -> Catalog:
    if not isinstance(data, dict):
        raise TypeError("top level must be an object")
    if data.get("format") != FORMAT:
        raise ValueError(f"unsupported catalog format {data.get('format')!r} (expected {FORMAT})")
    releases = data["releases"]
    if not isinstance(releases, list) or not releases:
        raise ValueError("releases must be a non-empty list")
    if not all(isinstance(item, dict) for item in releases):
        raise TypeError("each release must be an object")
    complete = data.get("complete_lines", [])
    if not isinstance(complete, list) or not all(isinstance(line, str) for line in complete):
        raise TypeError("complete_lines must be a list of support lines")
    generated = _day(data["generated"], "generated")
    return Catalog(releases, str(data["source"]), generated, path, origin, complete)


def release_from_json(item: Any) -> Release:
    if not isinstance(item, dict):
        raise TypeError("each release must be an object")
    version = item["version"]
    if not isinstance(version, str):
        raise TypeError("version must be a string")
    try:
        release = Release(version)
    except TagError as exc:
        raise ValueError(str(exc)) from None
    release.airflow = _opt_str(item.get("airflow"), "airflow")
    release.channel = _opt_str(item.get("channel"), "channel")
    release.feed_channel = _opt_str(item.get("feed_channel"), "feed_channel")
    release.release_date = _opt_day(item.get("release_date"), "release_date")
    release.first_seen = _opt_day(item.get("first_seen"), "first_seen")
    release.end_of_maintenance = _opt_day(item.get("end_of_maintenance"), "end_of_maintenance")
    release.end_of_basic_support = _opt_day(item.get("end_of_basic_support"), "end_of_basic_support")
    yanked = item.get("yanked", False)
    if not isinstance(yanked, bool):
        raise TypeError(f"{version}: yanked must be true or false")
    release.yanked = yanked
    release.yanked_reason = _opt_str(item.get("yanked_reason"), "yanked_reason")
    pythons = item.get("python_versions")
    if pythons is not None:
        if not isinstance(pythons, list) or not all(isinstance(p, str) for p in pythons):
            raise TypeError(f"{version}: python_versions must be a list of strings")
        release.python_versions = tuple(pythons)
    release.default_python = _opt_str(item.get("default_python"), "default_python")
    release.source = str(item.get("source", ""))
    sources = item.get("sources") or {}
    if not isinstance(sources, dict):
        raise TypeError(f"{version}: sources must be an object")
    release.sources = {str(k): str(v) for k, v in sources.items()}
    release.note = str(item.get("note") or "")
    return release


def _opt_str(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{field} must be a string or null")


def _opt_day(value: Any, field: str) -> date | None:
    if value is None:
        return None
    return _day(value, field)


def _day(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise TypeError(f"{field} must be a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field} '{value}' is not a YYYY-MM-DD date") from None


def to_json(catalog: Catalog) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "source": catalog.source,
        "generated": catalog.generated.isoformat(),
        "complete_lines": sorted(catalog.complete_lines, key=line_key),
        "releases": [r.to_json() for r in catalog.all()],
    }
