"""One Astro Runtime release, and the table that declares a release record's fields.

`FIELDS` is the one place a field is declared: its name (the JSON key and the attribute), its
kind, whether it may be null (unknown), how `catalog show` labels it, whether a support line
shares it, and which keys of Astronomer's feed state it. The catalog file (`to_json`,
`from_json`), the bundled module, the feed conversion (`feed.py`), `catalog show` and the build
script (`scripts/build_catalog.py`) all read this table: adding a field is one line here plus data.

Unknown facts are None (null), never guessed. A value derived from other releases of the line, or
from policy, says so in the release's per-field `sources`.
"""

from __future__ import annotations

from runtime_lint.image import TagError, support_line, version_key
from runtime_lint.model import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Kinds of field values, and their JSON forms.
TEXT = "text"  # a string
DAY = "day"  # a date, YYYY-MM-DD
FLAG = "flag"  # true or false
TEXTS = "texts"  # a list of strings
SOURCES = "sources"  # an object: field name -> where its value comes from


class Field:
    """One field of a release record."""

    __slots__ = ("derived", "feed", "kind", "label", "name", "nullable", "per_line")

    def __init__(
        self,
        name: str,
        kind: str,
        label: str,
        *,
        nullable: bool = True,
        per_line: bool = False,
        feed: tuple[str, ...] = (),
        derived: bool = False,
    ) -> None:
        self.name = name
        self.kind = kind
        self.label = label  # how `catalog show` names it
        self.nullable = nullable  # null means unknown
        self.per_line = per_line  # every release of a support line shares it (support is per line)
        self.feed = feed  # keys of Astronomer's feed that state it, the preferred first (`metadata`'s,
        # or `object.key` for another object of the entry)
        self.derived = derived  # written for readers, computed again on reading (from the version)


FIELDS: tuple[Field, ...] = (
    Field("version", TEXT, "version", nullable=False),
    Field("line", TEXT, "support line", nullable=False, derived=True),
    Field("airflow", TEXT, "Airflow", feed=("airflowVersion",)),
    Field("lts", FLAG, "LTS", per_line=True, feed=("LTS",)),
    Field("channel", TEXT, "release channel", per_line=True),  # Astronomer's lifecycle table: Stable or LTS
    Field("feed_channel", TEXT, "feed channel", feed=("channel",)),  # stable, deprecated, alpha, beta
    Field("release_date", DAY, "released", feed=("releaseDate",)),
    Field("first_seen", DAY, "first seen in use"),  # an upper bound of the release date
    # endOfSupport (the feed's older name) means end of maintenance: the newer name wins
    Field("end_of_maintenance", DAY, "end of maintenance", per_line=True, feed=("endOfMaintenance", "endOfSupport")),
    Field("end_of_basic_support", DAY, "end of basic support", per_line=True, feed=("endOfBasicSupport",)),
    Field("yanked", FLAG, "yanked", nullable=False, feed=("yanked",)),
    Field("yanked_reason", TEXT, "yanked because", feed=("yankedReason",)),
    Field("python_versions", TEXTS, "Python variants", feed=("pythonVersions",)),
    Field("default_python", TEXT, "default Python", feed=("defaultPythonVersion",)),
    # the entry's `migrations` object, beside `metadata`: the release migrates Airflow's metadata database
    Field("airflow_db_migration", FLAG, "Airflow database migration", feed=("migrations.airflowDatabase",)),
    Field("source", TEXT, "source", nullable=False),
    Field("sources", SOURCES, "sources", nullable=False),
    Field("note", TEXT, "note", nullable=False),
)
FIELD_NAMES = frozenset(f.name for f in FIELDS)
PER_MAJOR_SINCE = date(2023, 1, 3)  # docs PR #1660: Runtime is supported per major version from this day

# Lifecycle status of a release on a day.
SUPPORTED = "supported"  # maintained, and not ending within warn-days
ENDING_SOON = "ending-soon"  # maintenance ends within warn-days
BASIC_SUPPORT = "basic-support"  # maintenance ended; basic support goes on
ENDED = "ended"  # maintenance ended, and basic support too (or its end is unknown)
YANKED = "yanked"  # Astronomer withdrew the release
UNKNOWN = "unknown"  # the catalog does not know when maintenance ends
STATUSES = (SUPPORTED, ENDING_SOON, BASIC_SUPPORT, ENDED, YANKED, UNKNOWN)
PER_LINE = tuple(f for f in FIELDS if f.per_line)
_EMPTY: dict[str, Any] = {TEXT: "", FLAG: False, SOURCES: {}}  # the value of a non-null field left out


class Release:
    """One Runtime release. Unknown facts are None, never guessed."""

    __slots__ = (
        "airflow",
        "airflow_db_migration",
        "certain",
        "channel",
        "default_python",
        "earliest",
        "end_of_basic_support",
        "end_of_maintenance",
        "feed_channel",
        "first_seen",
        "inferred",
        "key",
        "line",
        "lts",
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
        self.lts: bool | None = None
        self.channel: str | None = None
        self.feed_channel: str | None = None
        self.release_date: date | None = None
        self.first_seen: date | None = None
        self.end_of_maintenance: date | None = None  # the last day maintained
        self.end_of_basic_support: date | None = None  # the last day of basic support
        self.yanked = False
        self.yanked_reason: str | None = None
        self.python_versions: tuple[str, ...] | None = None  # published -python-M.m variants
        self.default_python: str | None = None
        self.airflow_db_migration: bool | None = None
        self.source = ""
        self.sources: dict[str, str] = {}  # per-field source, where it differs from `source`
        self.note = ""
        # Set by the catalog: when the release certainly did not exist yet before (`earliest`) and
        # certainly existed from (`certain`); None: no bound known. Equal when the date is known.
        self.earliest: date | None = None
        self.certain: date | None = None
        self.inferred = ""  # not in the catalog: "between" known releases of its line, or "newer" than all

    @property
    def era(self) -> int:
        """2 for `X.Y.Z` (Airflow 2) releases, 3 for `X.Y-N` (Airflow 3)."""
        return self.key[0]

    @property
    def airflow_minor(self) -> str | None:
        return ".".join(self.airflow.split(".")[:2]) if self.airflow else None

    def line_on(self, day: date) -> str:
        """The support line on `day`: `X.Y.Z` releases were supported per major.minor before 2023."""
        if self.era == 2 and day < PER_MAJOR_SINCE:
            return f"{self.key[1]}.{self.key[2]}"
        return self.line

    def status(self, day: date, warn_days: int) -> str:
        if self.yanked:
            return YANKED
        eom = self.end_of_maintenance
        if eom is None:
            return UNKNOWN
        if day <= eom:
            return ENDING_SOON if (eom - day).days <= warn_days else SUPPORTED
        eobs = self.end_of_basic_support
        return BASIC_SUPPORT if eobs is not None and day <= eobs else ENDED

    def publishes(self, python: str | None) -> bool:
        """Not known to lack the `-python-M.m` variant (True when none is asked for, or unknown)."""
        return python is None or self.python_versions is None or python in self.python_versions

    def to_json(self) -> dict[str, Any]:
        return {f.name: _to_json(f, getattr(self, f.name)) for f in FIELDS}


def _to_json(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.kind == DAY:
        return value.isoformat()
    if field.kind == TEXTS:
        return list(value)
    if field.kind == SOURCES:
        return dict(value)
    return value


def release_from_json(item: Any) -> Release:
    """A Release from its catalog-file object; TypeError or ValueError saying what is wrong."""
    if not isinstance(item, dict):
        raise TypeError("each release must be an object")
    version = item["version"]
    if not isinstance(version, str):
        raise TypeError("version must be a string")
    try:
        release = Release(version)
    except TagError as exc:
        raise ValueError(str(exc)) from None
    for field in FIELDS:
        if field.derived or field.name == "version":
            continue
        value = item.get(field.name)
        if value is None:
            if not field.nullable:
                value = _EMPTY[field.kind]
        else:
            value = _from_json(field, value, version)
        setattr(release, field.name, value)
    return release


def _from_json(field: Field, value: Any, version: str) -> Any:
    kind, name = field.kind, field.name
    if kind == TEXT:
        if not isinstance(value, str):
            raise TypeError(f"{version}: {name} must be a string{' or null' if field.nullable else ''}")
        return value
    if kind == FLAG:
        if not isinstance(value, bool):
            raise TypeError(f"{version}: {name} must be true or false")
        return value
    if kind == DAY:
        return parse_day(value, f"{version}: {name}")
    if kind == TEXTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{version}: {name} must be a list of strings")
        return tuple(value)
    if not isinstance(value, dict):  # SOURCES
        raise TypeError(f"{version}: {name} must be an object")
    return {str(k): str(v) for k, v in value.items()}


def parse_day(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} '{value}' is not a YYYY-MM-DD date") from None


def shown(field: Field, value: Any) -> str:
    """A field's value as `catalog show` prints it."""
    if value is None:
        return "unknown"
    if field.kind == FLAG:
        return "yes" if value else "no"
    if field.kind == TEXTS:
        return ", ".join(value) if value else "(none)"
    text = str(value)  # a date's str() is its ISO form
    return text if text != "" else "-"
