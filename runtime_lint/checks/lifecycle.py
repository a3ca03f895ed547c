"""Rules about the Runtime release against the catalog, as of the linted day (RL2xx).

Each rule's user documentation is its page in rules/CODE.md. A release's lifecycle, as Astronomer
publishes it: maintenance until its line's end of maintenance, then basic support until the end
of basic support, then nothing. One finding per image says the worst state: RL207 (basic support
ended) supersedes RL202 (maintenance ended), which supersedes RL203 (ending soon).
"""

from __future__ import annotations

from runtime_lint.checks import ERROR, INFO, WARNING, Context, Hit, Image, Option, rule
from runtime_lint.checks.targets import move, no_move

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from runtime_lint.model import Fix, date
    from runtime_lint.release import Release

# "Starting with Astro Runtime 9, Astronomer maintains different Astro Runtime images for each
# supported Python version" (release notes, 9.0.0): no `-python-` tags before it.
PYTHON_VARIANTS_SINCE = (2, 9)


def _line_name(release: Release) -> str:
    channel = f", {release.channel}" if release.channel else ""
    return f"Runtime {release.line}{channel}"


def _update(ctx: Context) -> str:
    return f"(data as of {ctx.catalog.generated}): run 'runtime-lint catalog update' to refresh it"


def _in_days(end: date, day: date) -> str:
    days = (end - day).days
    return "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"


def _upgrade(image: Image, release: Release, ctx: Context) -> tuple[str, Fix | None]:
    """The upgrade part of the message, and the fix (unsafe: a new line is a new Airflow)."""
    tag = image.tag
    target = move(release.era, tag, ctx)
    if target is None or tag is None:
        return f"; {no_move(release.era)}", None
    if target.release.key <= release.key:
        return "; no newer maintained release is known to the catalog", None
    text = f"; upgrade to {target.describe()}"
    description = f"upgrade to {target.tag}"
    if target.tag == tag.with_version(target.release.version):
        fix = image.version_fix(target.release.version, safe=False, description=description)
    else:
        fix = image.tag_fix(target.tag, safe=False, description=description)
    return text + image.unfixable(fix), fix


@rule("RL201", "unknown-runtime-version", ERROR, "A Runtime version that was never published")
def unknown_runtime_version(image: Image, ctx: Context) -> Iterator[Hit]:
    tag = image.tag
    if tag is None or tag.floating or image.release is not None:
        return
    catalog = ctx.catalog
    known = catalog.get(tag.version) or catalog.infer(tag.version)
    if known is not None:  # a release, but not out yet on the linted day
        when = f"released {known.release_date}" if known.release_date else f"published after {known.earliest}"
        yield Hit(f"Astro Runtime {tag.version} was not released yet on {ctx.as_of} ({when})", image.span)
        return
    in_line = catalog.latest_of_line(tag.line, tag.era, ctx.as_of)
    hint = f"; the latest release of Runtime {tag.line} is {in_line.version}" if in_line is not None else ""
    if tag.era == 2 and tag.key[1] == 3 and tag.key[2] >= 1:
        hint += f"; Airflow 3 tags are X.Y-N: did you mean '{tag.key[1]}.{tag.key[2]}-{tag.key[3]}'?"
    yield Hit(f"Astro Runtime {tag.version} is not a published release{hint}", image.span)


@rule(
    "RL202",
    "end-of-maintenance",
    ERROR,
    "The release's maintenance ended before the linted day",
    fixable="unsafe",
    supersedes=("RL203",),
)
def end_of_maintenance(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_maintenance is None or ctx.as_of <= release.end_of_maintenance:
        return
    eobs = release.end_of_basic_support
    if eobs is None:
        basic = "; when basic support ends is unknown"
    elif ctx.as_of <= eobs:
        basic = f"; basic support ends on {eobs} ({_in_days(eobs, ctx.as_of)})"
    else:
        basic = f"; basic support ended on {eobs}"
    hint, fix = _upgrade(image, release, ctx)
    yield Hit(
        f"Astro Runtime {release.version} ({_line_name(release)}) reached end of maintenance on "
        f"{release.end_of_maintenance}{basic}{hint}",
        image.span,
        fix,
    )


@rule(
    "RL203",
    "maintenance-ending-soon",
    WARNING,
    "Maintenance or basic support ends within warn-days",
    options={
        "warn-days": Option(int, 90, minimum=0, unit="days", help="how many days ahead to warn of an end of support")
    },
)
def maintenance_ending_soon(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_maintenance is None:
        return
    day, eom, eobs = ctx.as_of, release.end_of_maintenance, release.end_of_basic_support
    warn = ctx.settings["warn-days"]
    if day <= eom:
        if (eom - day).days > warn:
            return
        after = f"; basic support goes on until {eobs}" if eobs is not None else ""
        what = f"ends maintenance on {eom} ({_in_days(eom, day)}){after}"
    elif eobs is not None and day <= eobs and (eobs - day).days <= warn:
        what = f"ends basic support on {eobs} ({_in_days(eobs, day)}); maintenance ended on {eom}"
    else:
        return
    yield Hit(
        f"Astro Runtime {release.version} ({_line_name(release)}) {what}: plan the upgrade to a newer Runtime line",
        image.span,
    )


@rule("RL204", "patch-not-latest", WARNING, "A newer release of the same support line exists", fixable="safe/unsafe")
def patch_not_latest(image: Image, ctx: Context) -> Iterator[Hit]:
    release, tag = image.release, image.tag
    if release is None or tag is None or release.yanked:
        return  # a yanked release is RL205's, with the same fix
    latest = ctx.catalog.latest(release, ctx.as_of, tag.python)
    if latest is None or latest.key <= release.key:
        return
    new_tag = tag.with_version(latest.version)
    fix = image.version_fix(latest.version, safe=True, description=f"update to {new_tag}")
    yield Hit(
        f"Astro Runtime {release.version} is not the latest release of Runtime "
        f"{release.line_on(ctx.as_of)}: update to '{new_tag}'{image.unfixable(fix)}",
        image.span,
        fix,
    )


@rule("RL205", "yanked-version", ERROR, "The release was yanked by Astronomer", fixable="safe/unsafe")
def yanked_version(image: Image, ctx: Context) -> Iterator[Hit]:
    release, tag = image.release, image.tag
    if release is None or tag is None or not release.yanked:
        return
    reason = f": {release.yanked_reason.rstrip('.')}" if release.yanked_reason else ""
    latest = ctx.catalog.latest(release, ctx.as_of, tag.python)
    fix = None
    hint = "; Astro refuses to deploy it"
    if latest is not None and latest is not release:
        new_tag = tag.with_version(latest.version)
        fix = image.version_fix(latest.version, safe=True, description=f"update to {new_tag}")
        hint = f"; Astro refuses to deploy it: update to '{new_tag}'{image.unfixable(fix)}"
    yield Hit(f"Astro Runtime {release.version} was yanked{reason}{hint}", image.span, fix)


@rule("RL206", "unsupported-python", ERROR, "The Python variant is not published for the release")
def unsupported_python(image: Image, ctx: Context) -> Iterator[Hit]:
    release, tag = image.release, image.tag
    if release is None or tag is None or tag.python is None:
        return
    if release.key[:2] < PYTHON_VARIANTS_SINCE:
        plain = tag.tag.replace(f"-python-{tag.python}", "")
        runs = f"; it runs Python {release.default_python}" if release.default_python else ""
        yield Hit(
            f"Astro Runtime {release.version} publishes no -python- variants (they start with Runtime 9)"
            f"{runs}: use '{plain}'",
            image.span,
        )
        return
    if release.python_versions is None or tag.python in release.python_versions:
        return  # unknown stays quiet
    yield Hit(
        f"Astro Runtime {release.version} is not published for Python {tag.python}; "
        f"its Python variants are {', '.join(release.python_versions)}",
        image.span,
    )


@rule(
    "RL207",
    "end-of-basic-support",
    ERROR,
    "The release's basic support ended before the linted day",
    fixable="unsafe",
    supersedes=("RL202", "RL203"),
)
def end_of_basic_support(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_basic_support is None or ctx.as_of <= release.end_of_basic_support:
        return
    eom = release.end_of_maintenance
    maintenance = f" (maintenance ended on {eom})" if eom is not None else ""
    hint, fix = _upgrade(image, release, ctx)
    yield Hit(
        f"Astro Runtime {release.version} ({_line_name(release)}) reached end of basic support on "
        f"{release.end_of_basic_support}{maintenance}: Astronomer no longer supports it{hint}",
        image.span,
        fix,
    )


@rule("RL208", "lifecycle-unknown", INFO, "The catalog does not know when the release's maintenance ends")
def lifecycle_unknown(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_maintenance is not None:
        return
    yield Hit(
        f"the catalog does not know when maintenance of Runtime {release.line} ends, so it cannot tell whether "
        f"Astro Runtime {release.version} is supported {_update(ctx)}",
        image.span,
    )


@rule(
    "RL209",
    "newer-than-catalog",
    WARNING,
    "A Runtime version newer than every release the catalog knows of its line",
    supersedes=("RL208",),
)
def newer_than_catalog(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.inferred != "newer":
        return
    line = ctx.catalog.line(release.era, release.line)
    where = f"the catalog's releases of Runtime {release.line}" if line else "every release in the catalog"
    lifecycle = (
        f"; linted with the lifecycle of Runtime {release.line}" if release.end_of_maintenance is not None else ""
    )
    yield Hit(f"Astro Runtime {release.version} is newer than {where} {_update(ctx)}{lifecycle}", image.span)
