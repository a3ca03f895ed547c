"""The upgrade planner of `runtime-lint upgrade`: where one Runtime image should move, and what the
move crosses. Pure: a catalog, the image's release and tag, the day and the target in; a `Plan`
out. It reads no files, prints nothing and never reads the clock (the command does all three).

Targets (`--to`):
- `lts`: the newest maintained release of an LTS line of the image's era (the default for
  Airflow 2 images). Airflow 3 has no LTS line so far: that is an error that suggests `latest`.
- `latest`: the newest maintained release of any era (the default for Airflow 3 images), so an
  Airflow 2 image may cross to Airflow 3.
- `airflow2`, `airflow3`: the newest maintained release of that era.
- a support line (`13`, `3.1`): its newest maintained release; a version (`13.11.0`, `3.2-10`):
  exactly that release.
A target is never yanked, never a release without a known release date or dated after the day,
never in a line whose maintenance ended or that Astronomer's feed deprecates (the rules of
`Catalog.upgrade_target`, shared with the fixes). "Newest" is by version. The new tag keeps the
flavor and the Python variant when the target publishes it (`checks.targets.retag`, as the fixes).

Astronomer upgrades a Deployment from Airflow 2 to Airflow 3 only from Runtime 12.0.0 or later
(astro-cli's deploy check: "Can only upgrade deployment from Airflow 2 to Airflow 3 with
deployment at Astro Runtime 12.0.0 or higher"). A plan from 11.x or older to Airflow 3 therefore
goes through the newest maintained 12+ release first: that first step is what the edit writes.
Each step of the plan (`Plan.steps`) says what it crosses, the yanked releases it skips and its
notes; the plan's own lists are the whole journey's.
"""

from __future__ import annotations

from runtime_lint.checks.targets import retag
from runtime_lint.image import TagError, parse_runtime_tag, version_key
from runtime_lint.model import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.catalog import Catalog
    from runtime_lint.image import RuntimeTag
    from runtime_lint.model import date
    from runtime_lint.release import Release

LATEST = "latest"
LTS = "lts"
AIRFLOW2 = "airflow2"
AIRFLOW3 = "airflow3"
KEYWORDS = (LATEST, LTS, AIRFLOW2, AIRFLOW3)
LINE = "line"
VERSION = "version"

AIRFLOW2_REPOSITORY = "quay.io/astronomer/astro-runtime"
AIRFLOW3_REPOSITORY = "astrocrpublic.azurecr.io/runtime"
# where Astronomer publishes each era's images (astro-cli; image architecture docs, 2025-09)
OFFICIAL = {
    2: frozenset({AIRFLOW2_REPOSITORY, "astrocrpublic.azurecr.io/astronomer/astro-runtime"}),
    3: frozenset({AIRFLOW3_REPOSITORY}),
}
TWO_STEP_FROM = (2, 12, 0, 0)  # Runtime 12.0.0: the oldest release Astro upgrades to Airflow 3 from

# Plan statuses
UPGRADE = "upgrade"  # there is a move to make
CURRENT = "current"  # nothing to do: the image is on the target (or newer)
ERROR = "error"  # no plan: `error` says why in one line


class TargetError(UsageError):
    """An `--to` value that is none of the accepted forms: one line (exit 2)."""


class Target:
    """A parsed `--to` value: a keyword, a support line (era and line) or a version."""

    __slots__ = ("era", "kind", "text", "value")

    def __init__(self, kind: str, text: str, value: str = "", era: int = 0) -> None:
        self.kind = kind  # a keyword, LINE or VERSION
        self.text = text  # as the user wrote it
        self.value = value  # the line (`13`, `3.1`) or the version (`13.11.0`, `3.2-10`)
        self.era = era  # of a line or version: 2 (X.Y.Z) or 3 (X.Y-N)


def parse_target(text: str) -> Target:
    """`--to`'s value; TargetError (one line) when it is none of the forms."""
    word = text.strip().lower()
    if word in KEYWORDS:
        return Target(word, text)
    if word.isdigit():  # `13`: a Runtime major, the support line of X.Y.Z releases
        return Target(LINE, text, str(int(word)), 2)
    major, dot, minor = word.partition(".")
    if dot and major.isdigit() and minor.isdigit():  # `3.1`: an Airflow 3 support line
        return Target(LINE, text, f"{int(major)}.{int(minor)}", 3)
    try:
        key = version_key(word)
    except TagError:
        raise TargetError(
            f"unknown --to value '{text}': use latest, lts, airflow2, airflow3, a support line "
            "(13, 3.1) or a Runtime version (13.11.0, 3.2-10)"
        ) from None
    return Target(VERSION, text, word, key[0])


def default_target(era: int) -> Target:
    """`lts` for Airflow 2 images, `latest` for Airflow 3 ones."""
    return Target(LTS if era == 2 else LATEST, "")


class Crossing:
    """One thing the move crosses: an Airflow minor or major, a database migration, the registry
    of Airflow 3, the Python version, project files (kind "requirements")."""

    __slots__ = ("after", "before", "certain", "kind", "message", "releases")

    def __init__(
        self,
        kind: str,
        message: str,
        before: str | None = None,
        after: str | None = None,
        releases: list[str] | None = None,
        certain: bool = True,
    ) -> None:
        self.kind = kind
        self.message = message
        self.before = before
        self.after = after
        self.releases = releases or []  # the Airflow minors crossed, the releases that migrate the database
        self.certain = certain  # False: the catalog does not say, and the move may cross it


class Step:
    """One step of a plan: from `before` to `after` with the new `tag` (and `repository`, on a move
    to Airflow 3), what it crosses, the yanked releases it skips and its notes."""

    __slots__ = ("after", "before", "crossings", "notes", "repository", "skipped", "tag")

    def __init__(self, before: Release, after: Release, tag: str) -> None:
        self.before = before
        self.after = after
        self.tag = tag
        self.repository: str | None = None  # None: the image's repository is kept
        self.crossings: list[Crossing] = []
        self.skipped: list[Release] = []
        self.notes: list[str] = []


class Plan:
    """The plan for one image. With status UPGRADE: `target` is where the image goes, `step` is
    what the edit writes now (the target, or the 12+ release of a two-step move), `tag` and
    `repository` the new tag and, on a move to Airflow 3, the new repository; `steps` the steps
    (one, or two: the edit writes the first, the next run plans the second)."""

    __slots__ = (
        "crossings",
        "error",
        "notes",
        "release",
        "repository",
        "requested",
        "skipped",
        "status",
        "step",
        "steps",
        "tag",
        "target",
    )

    def __init__(self, release: Release | None, requested: str) -> None:
        self.release = release  # the image's release (None when unknown)
        self.requested = requested  # the --to value in use (the default's keyword when none was given)
        self.status = ERROR
        self.error: str | None = None
        self.target: Release | None = None
        self.step: Release | None = None
        self.tag: str | None = None
        self.repository: str | None = None  # None: the image's repository is kept
        self.crossings: list[Crossing] = []
        self.skipped: list[Release] = []  # yanked releases on the way
        self.notes: list[str] = []
        self.steps: list[Step] = []

    @property
    def two_step(self) -> bool:
        return self.step is not None and self.target is not None and self.step is not self.target

    def add(self, crossing: Crossing, whole: bool = True) -> None:
        """A crossing the command finds (a requirements pin), into the step whose release it names
        and, with `whole`, into the plan's own list."""
        if whole:
            self.crossings.append(crossing)
        for step in self.steps:
            if step.after.version in crossing.releases:
                step.crossings.append(crossing)

    def note(self, text: str) -> None:
        """A note on the edit (the first step) the command adds."""
        self.notes.append(text)
        if self.steps:
            self.steps[0].notes.append(text)


def failed(release: Release | None, requested: str, error: str) -> Plan:
    out = Plan(release, requested)
    out.error = error
    return out


def plan(
    catalog: Catalog,
    release: Release,
    tag: RuntimeTag,
    repository: str,
    as_of: date,
    target: Target | None = None,
) -> Plan:
    """The plan to move the image (`release`, with this `tag`, from `repository`) to `target`
    (None: the default of the image's era) as of `as_of`."""
    wanted = target if target is not None else default_target(release.era)
    out = Plan(release, wanted.text or wanted.kind)
    final = _resolve(catalog, release, wanted, as_of, out)
    if final is None:
        return out
    if final.key == release.key:
        out.status = CURRENT
        return out
    if final.key < release.key:
        if wanted.kind in (LINE, VERSION, AIRFLOW2):
            out.error = (
                f"{final.version} is older than the image's {release.version}: Astro refuses to deploy a "
                "downgraded Runtime version"
            )
            return out
        out.status = CURRENT
        out.notes.append(
            f"{release.version} is newer than {final.version}, the newest release the catalog can propose "
            f"for '{out.requested}' on {as_of}"
        )
        return out
    step = final
    if release.era == 2 and final.era == 3 and release.key < TWO_STEP_FROM:
        via = _first_step(catalog, final, as_of, out)
        if via is None:
            return out
        step = via
    out.status = UPGRADE
    out.target = final
    out.step = step
    first = _step(catalog, release, tag, repository, step, as_of)
    first.notes[:0] = out.notes  # the two-step notes
    out.steps.append(first)
    out.tag, out.repository = first.tag, first.repository
    if out.two_step:
        out.steps.append(_step(catalog, step, parse_runtime_tag(first.tag), repository, final, as_of))
        # the whole journey, with the Python of the image the edit writes
        out.crossings = _crossings(catalog, release, tag, repository, final, step, first, as_of)
    else:
        out.crossings = list(first.crossings)
    out.notes = [note for s in out.steps for note in s.notes]
    out.skipped = [r for s in out.steps for r in s.skipped]
    return out


def _first_step(catalog: Catalog, final: Release, day: date, out: Plan) -> Release | None:
    """The first step of a move from below 12.0.0 to Airflow 3, with the notes that say so (None,
    with `out.error`, when there is none)."""
    via = _stepping_stone(catalog, day)
    if via is None:
        out.error = (
            f"Astro upgrades a Deployment to Airflow 3 only from Runtime 12.0.0 or later, and no release of "
            f"Runtime 12 or later that is not yanked and has a known release date is known on {day}"
        )
        return None
    out.notes.append(
        f"two steps: Astro upgrades a Deployment from Airflow 2 to Airflow 3 only from Runtime 12.0.0 or "
        f"later, so deploy {via.version} first, then run 'runtime-lint upgrade --to {out.requested}' again "
        f"for {final.version}; the edit writes the first step"
    )
    if via.end_of_maintenance is None or day > via.end_of_maintenance:
        out.notes.append(f"{via.version} is no longer maintained: use it only as the step to Airflow 3")
    return via


def _step(catalog: Catalog, before: Release, tag: RuntimeTag, repository: str, after: Release, day: date) -> Step:
    """The step from `before` (with this `tag`, from `repository`) to `after`."""
    move = retag(after, tag)
    out = Step(before, after, move.tag)
    out.notes.extend(move.caveats)
    era_move = before.era == 2 and after.era == 3
    if era_move:
        out.repository = AIRFLOW3_REPOSITORY
        if repository not in OFFICIAL[2]:
            out.notes.append(
                f"the image came from {repository}: the edit names Astronomer's Airflow 3 repository "
                f"{AIRFLOW3_REPOSITORY}; mirror it there if you pull through {repository}"
            )
    elif repository not in OFFICIAL[after.era]:
        out.notes.append(f"the image comes from {repository}: check that it publishes {move.tag}")
    out.skipped = [r for r in _way(catalog, before, after, day) if r.yanked]
    out.crossings = _crossings(catalog, before, tag, repository, after, after, out, day)
    if era_move:
        out.notes.append("check your DAGs with ruff's Airflow 3 rules: ruff check --select AIR3 dags/")
        out.notes.append("run 'astro dev upgrade-test' before deploying")
    return out


def _resolve(catalog: Catalog, release: Release, wanted: Target, day: date, out: Plan) -> Release | None:
    """The release the target names, or None with `out.error` saying why."""
    kind = wanted.kind
    if kind == LTS:
        found = catalog.upgrade_target(release.era, day, lts=True)
        if found is None:
            lines = " (its lines are all on the Stable channel)" if release.era == 3 else ""
            out.error = (
                f"no maintained LTS release of Airflow {release.era}{lines} is known on {day}: "
                "use --to latest for the newest maintained release"
            )
        return found
    if kind == LATEST:
        found = catalog.upgrade_target(3, day) or catalog.upgrade_target(2, day)
        if found is None:
            out.error = f"no maintained Runtime release is known on {day}: run 'runtime-lint catalog update'"
        return found
    if kind in (AIRFLOW2, AIRFLOW3):
        era = 2 if kind == AIRFLOW2 else 3
        if era < release.era:
            out.error = f"the image is on Airflow {release.era}: Astro cannot move a Deployment back to Airflow 2"
            return None
        found = catalog.upgrade_target(era, day)
        if found is None:
            hint = ": use --to airflow3" if era == 2 else ": run 'runtime-lint catalog update'"
            out.error = f"no Airflow {era} line of Astro Runtime is maintained on {day}{hint}"
        return found
    if kind == LINE:
        members = catalog.line(wanted.era, wanted.value)
        if not members:
            hint = " (for Airflow 3, use airflow3 or a line such as 3.1)" if wanted.value == "3" else ""
            out.error = f"Runtime {wanted.value} is not a support line the catalog knows{hint}"
            return None
        found = catalog.upgrade_target(wanted.era, day, line=wanted.value)
        if found is None:
            hint = " (for Airflow 3, use airflow3 or a line such as 3.1)" if wanted.value == "3" else ""
            why = _why_not_line(catalog, wanted, day)
            out.error = f"no release of Runtime {wanted.value} can be proposed on {day}: {why}{hint}"
        return found
    found = catalog.get(wanted.value)
    if found is None:
        out.error = f"Runtime {wanted.value} is not a release the catalog knows (data as of {catalog.generated})"
        return None
    why = _why_not(catalog, found, day)
    if why:
        out.error = f"Runtime {found.version} cannot be proposed on {day}: {why}"
        return None
    return found


def _why_not_line(catalog: Catalog, wanted: Target, day: date) -> str:
    members = catalog.line(wanted.era, wanted.value)
    reasons = [_why_not(catalog, member, day) for member in reversed(members)]
    ends = {m.end_of_maintenance for m in members}
    if len(ends) == 1:  # the line shares its end of maintenance: say that rather than the newest's reason
        eom = ends.pop()
        if eom is None:
            return "its end of maintenance is unknown"
        if day > eom:
            return f"its maintenance ended on {eom}"
    if day >= catalog.generated and catalog.deprecated(wanted.era, wanted.value):
        return "Astronomer's feed deprecates the line"
    return reasons[0] if reasons else "it has no releases"


def _why_not(catalog: Catalog, release: Release, day: date) -> str:
    """Why a release cannot be a target on `day` ("" when it can)."""
    if release.yanked:
        reason = f" ({release.yanked_reason})" if release.yanked_reason else ""
        return f"Astronomer yanked it{reason}"
    if release.feed_channel in ("alpha", "beta"):
        return f"it is a pre-release ({release.feed_channel})"
    if release.release_date is None:
        return "its release date is unknown (run 'runtime-lint catalog update')"
    if release.release_date > day:
        return f"it was released on {release.release_date}"
    eom = release.end_of_maintenance
    if eom is None:
        return "its end of maintenance is unknown"
    if day > eom:
        return f"its maintenance ended on {eom}"
    if day >= catalog.generated and catalog.deprecated(release.era, release.line):
        return f"Astronomer's feed deprecates Runtime {release.line}"
    return ""


def _stepping_stone(catalog: Catalog, day: date) -> Release | None:
    """The first step of an Airflow 2 to 3 move from below 12.0.0: the newest maintained Airflow 2
    release of 12.0.0 or later; failing that, the newest one that is not yanked and has a known
    release date (not maintained: a stepping stone only)."""
    found = catalog.upgrade_target(2, day)
    if found is not None and found.key >= TWO_STEP_FROM:
        return found
    usable = [
        r
        for r in catalog.all()
        if r.era == 2
        and r.key >= TWO_STEP_FROM
        and not r.yanked
        and r.release_date is not None
        and r.release_date <= day
        and r.feed_channel not in ("alpha", "beta")
    ]
    return usable[-1] if usable else None


def _way(catalog: Catalog, release: Release, final: Release, day: date) -> list[Release]:
    """The releases after `release` up to `final`."""
    return [r for r in catalog.all() if release.key < r.key <= final.key and catalog.exists(r, day) is not False]


def _crossings(
    catalog: Catalog,
    release: Release,
    tag: RuntimeTag,
    repository: str,
    final: Release,
    runs: Release,
    move: Step,
    day: date,
) -> list[Crossing]:
    """What the move from `release` to `final` crosses; the Python is that of `runs`, the release
    of the image `move` writes (its tag, and its repository on a move to Airflow 3)."""
    way = _way(catalog, release, final, day)
    out: list[Crossing] = []
    before, after = release.airflow_minor, final.airflow_minor
    minors: list[str] = []
    for r in way:
        minor = r.airflow_minor
        if minor is not None and minor != before and minor not in minors:
            minors.append(minor)
    minor_changes = before is None or after is None or before != after
    if minor_changes:
        shown_before, shown_after = before or "unknown", after or "unknown"
        message = f"Airflow {shown_before} to {shown_after}"
        through = [minor for minor in minors if minor != after]
        if through:
            message += f" (through {', '.join(through)})"
        if before is None or after is None:
            message += ": the catalog does not know the Airflow version of both releases"
        certain = before is not None and after is not None
        out.append(Crossing("airflow-minor", message, before, after, minors, certain))
    if release.era == 2 and final.era == 3:
        out.append(Crossing("airflow-major", "Airflow 2 to Airflow 3: a migration, not a tag change", "2", "3"))
    _migrations(way, minor_changes, out)
    if move.repository is not None:
        message = (
            f"Airflow 3 images are published at {AIRFLOW3_REPOSITORY}, with X.Y-N tags ({move.tag}), "
            f"not at {repository} with X.Y.Z tags: the edit rewrites the whole image reference"
        )
        out.append(Crossing("registry", message, repository, AIRFLOW3_REPOSITORY))
    _python(release, tag, runs, out)
    return out


def _migrations(way: list[Release], minor_changes: bool, out: list[Crossing]) -> None:
    """Airflow metadata database migrations on the way (the feed's `migrations.airflowDatabase`)."""
    known = [r.version for r in way if r.airflow_db_migration is True]
    silent = [r.version for r in way if r.airflow_db_migration is None]
    consequence = "the upgrade takes longer and cannot be rolled back"
    if known:
        more = f"; the catalog does not say for {len(silent)} other release(s) on the way" if silent else ""
        message = f"Airflow database migration in {', '.join(known)}: {consequence}{more}"
        out.append(Crossing("db-migration", message, releases=known))
    elif silent and minor_changes:
        message = (
            f"may include an Airflow database migration (the Airflow minor changes, and the catalog does not say "
            f"for {len(silent)} release(s) on the way): if it does, {consequence}"
        )
        out.append(Crossing("db-migration", message, certain=False))
    elif silent:
        message = f"the catalog does not say whether {len(silent)} release(s) on the way migrate the Airflow database"
        out.append(Crossing("db-migration", message, certain=False))


def _python(release: Release, tag: RuntimeTag, step: Release, out: list[Crossing]) -> None:
    """The Python the image runs before and after, when it changes (or either is unknown)."""
    before = tag.python or release.default_python
    kept = tag.python is not None and step.publishes(tag.python)
    after = tag.python if kept else step.default_python
    if before == after and before is not None:
        return
    if tag.python is not None and not kept:
        return  # the caveat of retag says it
    if before is None or after is None:
        message = (
            f"the default Python of {release.version if before is None else step.version} is unknown: "
            "check which Python the new image runs"
        )
    else:
        message = f"the default Python changes from {before} ({release.version}) to {after} ({step.version})"
    out.append(Crossing("python", message, before, after, certain=before is not None and after is not None))
