"""The catalog of Astro Runtime releases and their lifecycle as of a given day.

Where the catalog comes from (first that applies): `--catalog PATH` (or the `catalog` setting),
the cached catalog written by `runtime-lint catalog update` when it is at least as new as the
bundled one, the catalog bundled in `runtime_lint/data/catalog.json` (built from `data/sources/`
by `scripts/build_catalog.py`). A release's fields are declared in `release.FIELDS`.

Lifecycle, as Astronomer publishes it (rules/RL202.md and RL207.md have the details):
- a support line (the major for `X.Y.Z` tags since 2023-01-03, `major.minor` before; `X.Y` for
  `X.Y-N` tags) has one end of maintenance and one end of basic support for all its releases;
- only the newest release of a support line is supported; a yanked release cannot be deployed;
- a release published after the "as of" day does not exist for that run. A release whose date is
  unknown has bounds (see `Catalog._bound`): before them it does not exist, after them it surely
  does, and in between it may: it is linted if used, but never proposed as an upgrade.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.image import TagError
from runtime_lint.model import UsageError, date
from runtime_lint.release import FIELDS, PER_LINE, Release, parse_day, release_from_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

FORMAT = 1
MAX_CATALOG_BYTES = 20 * 1024 * 1024
BUNDLED = os.path.join(os.path.dirname(__file__), "data", "catalog.json")
PRE_RELEASE_CHANNELS = ("alpha", "beta")


class Catalog:
    """All releases, plus where the data came from and how old it is.

    Releases are built from their raw entries when first needed, a support line at a time: a lint
    run touches one or two lines, not all 200 releases. Catalog files are validated in full when
    read; the bundled data is checked by the test suite.
    """

    __slots__ = (
        "_built",
        "_lines",
        "_memo",
        "_raw",
        "_sorted",
        "base_generated",
        "complete_lines",
        "feed_schema",
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
        feed_schema: str | None = None,
        base_generated: date | None = None,
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
        self._memo: dict[tuple[Any, ...], Any] = {}  # answers of the queries below, per day
        self.source = source
        self.generated = generated  # the day the data was true: nothing newer is known
        self.path = path
        self.origin = origin  # "bundled", "cache" or "file"
        # Support lines whose every release is listed: a version missing from one of these was never
        # published. For the others (known from releases seen in use) a missing version may exist.
        self.complete_lines = frozenset(complete_lines)
        self.feed_schema = feed_schema  # schemaVersion of the feed merged in, if any
        self.base_generated = base_generated  # for a cache: the bundled data it was merged over

    def __len__(self) -> int:
        return len(self._raw)

    # ------------------------------------------------------------------------------ releases

    def get(self, version: str) -> Release | None:
        """The release, with its existence bounds; None when the catalog does not list it."""
        release = self._built.get(version)
        if release is None:
            if version not in self._raw:
                return None
            era = 3 if "-" in version else 2
            line = version.split("-")[0] if era == 3 else version.split(".")[0]
            self._build_line(era, line)
            release = self._built[version]
        return release

    def _build_line(self, era: int, line: str) -> list[Release]:
        versions = self._lines.get((era, line), [])
        releases = []
        for version in versions:
            release = self._built.get(version)
            if release is None:
                try:
                    release = release_from_json(self._raw[version])
                except (KeyError, TypeError, ValueError) as exc:  # a name per type (scripts/hatch_build.py)
                    raise UsageError(f"catalog {self.path}: not a runtime-lint catalog ({_describe(exc)})") from None
                self._built[version] = release
            releases.append(release)
        releases.sort(key=lambda r: r.key)
        for release in releases:
            self._bound(release, releases)
        return releases

    def _bound(self, release: Release, line: list[Release]) -> None:
        """When `release` can have been published, from its line: no earlier than the newest dated
        release before it (by version), and no later than the oldest dated release after it, the
        day it was first seen in use, or the day of the data, whichever comes first."""
        if release.release_date is not None:
            release.earliest = release.certain = release.release_date
            return
        before = [r.release_date for r in line if r.key < release.key and r.release_date is not None]
        after = [r.release_date for r in line if r.key > release.key and r.release_date is not None]
        latest = min([*after, *([release.first_seen] if release.first_seen else []), self.generated])
        earliest = max(before) if before else None
        release.earliest = min(earliest, latest) if earliest is not None else None
        release.certain = latest

    def line(self, era: int, line: str) -> list[Release]:
        """The releases of one support line (`12`, `3.1`), oldest first."""
        key = ("line", era, line)
        if key not in self._memo:
            self._memo[key] = self._build_line(era, line)
        releases: list[Release] = self._memo[key]
        return releases

    def lines(self, era: int) -> list[str]:
        """The support lines of an era, newest first."""
        return sorted((line for e, line in self._lines if e == era), key=line_key, reverse=True)

    def all(self) -> list[Release]:
        """Every release, oldest first."""
        if self._sorted is None:
            self._sorted = sorted((r for era, line in self._lines for r in self.line(era, line)), key=lambda r: r.key)
        return self._sorted

    def infer(self, version: str) -> Release | None:
        """A version the catalog does not list, in a support line it knows only in part (from
        releases seen in use), or newer than every release it knows of its line or era: it is
        most likely a release, and what a support line shares (lifecycle, channel, LTS) applies
        to it. Python variants and the Airflow minor are taken when the known releases on both
        sides agree. None when the version cannot be a release: missing from a line the catalog
        knows completely, or in a line older than the era's newest that the catalog does not know."""
        try:
            release = Release(version)
        except TagError:
            return None
        siblings = self.line(release.era, release.line)
        newest = max((r.key for r in self.all() if r.era == release.era), default=None)
        if release.line in self.complete_lines:
            return None
        if siblings:
            release.inferred = "newer" if release.key > siblings[-1].key else "between"
        elif newest is None or release.key > newest:
            release.inferred = "newer"
        else:
            return None
        for field in PER_LINE:
            setattr(release, field.name, _shared(getattr(s, field.name) for s in siblings))
        lower = [s for s in siblings if s.key < release.key]
        upper = [s for s in siblings if s.key > release.key]
        if lower and upper:
            for name in ("python_versions", "default_python"):
                setattr(release, name, _shared([getattr(lower[-1], name), getattr(upper[0], name)]))
            release.airflow = _shared([lower[-1].airflow_minor, upper[0].airflow_minor])
        elif lower and release.inferred == "newer":
            release.airflow = _shared(s.airflow_minor for s in siblings)
        if self.deprecated(release.era, release.line):
            release.feed_channel = "deprecated"
        release.earliest = lower[-1].earliest if lower else None
        release.certain = upper[0].certain if upper else None
        where = f"its {len(siblings)} known releases of Runtime {release.line}" if siblings else "no known release"
        release.source = f"not in the catalog (data as of {self.generated}): what its support line shares, from {where}"
        return release

    # ------------------------------------------------------------------------------ as of a day

    def exists(self, release: Release, day: date) -> bool | None:
        """True: published by `day`; False: not yet; None: it may or may not have been."""
        if release.certain is not None and release.certain <= day:
            return True
        if release.earliest is not None and day < release.earliest:
            return False
        if release.inferred == "newer" and release.earliest is None:
            return None
        return None if release.certain is None or release.earliest is None or release.earliest <= day else False

    def deprecated(self, era: int, line: str) -> bool:
        """Astronomer's feed marks the line deprecated, which retires the whole line (astro-cli)."""
        return any(r.feed_channel == "deprecated" for r in self.line(era, line))

    def latest(self, release: Release, day: date, python: str | None = None) -> Release | None:
        """The newest release of `release`'s support line that surely exists on `day` and can be
        used: not yanked, not alpha/beta, publishing the pinned Python variant (`release` itself
        counts when it is usable)."""
        key = ("latest", release.version, release.inferred, day, python)
        if key not in self._memo:
            line = release.line_on(day)
            best: Release | None = None
            for candidate in self.line(release.era, release.line):
                if candidate.line_on(day) != line or not self._usable(candidate, day, known_date=False):
                    continue
                if candidate.publishes(python) and (best is None or candidate.key > best.key):
                    best = candidate
            if release.inferred and not release.yanked and (best is None or release.key > best.key):
                best = release
            self._memo[key] = best
        found: Release | None = self._memo[key]
        return found

    def latest_of_line(self, line: str, era: int, day: date) -> Release | None:
        """The newest release of a line that surely exists on `day` and is not yanked."""
        best: Release | None = None
        for candidate in self.line(era, line):
            if self._usable(candidate, day, known_date=False) and (best is None or candidate.key > best.key):
                best = candidate
        return best

    def upgrade_target(self, era: int, day: date, line: str | None = None, lts: bool = False) -> Release | None:
        """The release to move an image of this era to: the newest, by version, with a known release
        date on or before `day`, not yanked or a pre-release, in a line not deprecated by then and
        whose maintenance is known to go on past `day`. Only in `line`, if given; only of an LTS
        line, with `lts`. None when there is none."""
        key = ("target", era, day, line, lts)
        if key not in self._memo:
            best: Release | None = None
            for name in self.lines(era) if line is None else [line]:
                # the feed's `deprecated` is known from the day of the data: before it, a line was
                # not known to be retired (Runtime 12 was the newest Airflow 2 line in 2025)
                if day >= self.generated and self.deprecated(era, name):
                    continue
                for candidate in self.line(era, name):
                    eom = candidate.end_of_maintenance
                    if not self._usable(candidate, day, known_date=True) or eom is None or day > eom:
                        continue
                    if lts and not (candidate.lts is True or candidate.channel == "LTS"):
                        continue
                    if best is None or candidate.key > best.key:
                        best = candidate
                if best is not None:
                    break  # lines are tried newest first: every release of a newer line is newer
            self._memo[key] = best
        found: Release | None = self._memo[key]
        return found

    def with_airflow(self, airflow: str, day: date) -> Release | None:
        """The newest release surely out on `day`, not yanked, shipping exactly this Airflow
        version, else this Airflow major.minor (context for a Certified image's move)."""
        minor = ".".join(airflow.split(".")[:2])
        usable = [r for r in self.all() if r.airflow is not None and self._usable(r, day, known_date=False)]
        exact = [r for r in usable if r.airflow == airflow]
        if exact:
            return exact[-1]
        same_minor = [r for r in usable if r.airflow_minor == minor]
        return same_minor[-1] if same_minor else None

    def _usable(self, release: Release, day: date, known_date: bool) -> bool:
        if release.yanked or release.feed_channel in PRE_RELEASE_CHANNELS:
            return False
        if known_date:
            return release.release_date is not None and release.release_date <= day
        return self.exists(release, day) is True


def _shared(values: Iterable[Any]) -> Any:
    """The one value all of `values` have (None when they differ, or there are none)."""
    found = {tuple(v) if isinstance(v, list) else v for v in values}
    return found.pop() if len(found) == 1 else None


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


def bundled() -> Catalog:
    """The catalog shipped with runtime-lint (never the cache)."""
    from runtime_lint.data import bundled as data

    return Catalog(
        data.RELEASES,
        data.SOURCE,
        date.fromisoformat(data.GENERATED),
        BUNDLED,
        "bundled",
        data.COMPLETE_LINES,
        data.FEED_SCHEMA,
    )


class Loaded:
    """The catalog in use, and why the cache was passed over (a warning for the user), if it was."""

    __slots__ = ("catalog", "warning")

    def __init__(self, catalog: Catalog, warning: str | None = None) -> None:
        self.catalog = catalog
        self.warning = warning


def load(path: str | None = None, cache: str | None = None) -> Catalog:
    """Load the catalog in use: `path` if given, else the cache when it is usable, else the bundled one."""
    return load_with_warning(path, cache).catalog


def load_with_warning(path: str | None = None, cache: str | None = None) -> Loaded:
    if path is not None:
        return Loaded(read(path, "file"))
    shipped = bundled()
    cache = cache if cache is not None else default_cache_path()
    if not os.path.isfile(cache):
        return Loaded(shipped)
    try:
        cached = read(cache, "cache")
    except UsageError as damaged:  # a damaged cache never stops linting; `catalog update` replaces it
        return Loaded(shipped, f"{damaged}; using the bundled data instead (run 'runtime-lint catalog update')")
    if cached.generated < shipped.generated or (
        cached.base_generated is not None and cached.base_generated < shipped.generated
    ):
        return Loaded(shipped)  # made from older data than runtime-lint now ships
    return Loaded(cached)


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
    schema = data.get("feed_schema")
    if schema is not None and not isinstance(schema, str):
        raise TypeError("feed_schema must be a string or null")
    base = data.get("base_generated")
    generated = parse_day(data["generated"], "generated")
    base_day = parse_day(base, "base_generated") if base is not None else None
    return Catalog(releases, str(data["source"]), generated, path, origin, complete, schema, base_day)


def to_json(catalog: Catalog) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "source": catalog.source,
        "generated": catalog.generated.isoformat(),
        "feed_schema": catalog.feed_schema,
        "complete_lines": sorted(catalog.complete_lines, key=line_key),
        "fields": [f.name for f in FIELDS],
        "releases": [r.to_json() for r in catalog.all()],
    }
    if catalog.base_generated is not None:
        doc["base_generated"] = catalog.base_generated.isoformat()
    return doc
