"""Rules about the Runtime release against the catalog, as of the linted day (RL2xx).

Each rule's user documentation is its page in rules/CODE.md.
"""

from __future__ import annotations

from runtime_lint.checks import ERROR, WARNING, Context, Hit, Image, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from runtime_lint.catalog import Release


def _line_name(release: Release) -> str:
    channel = f", {release.channel}" if release.channel else ""
    return f"Runtime {release.line}{channel}"


@rule("RL201", "unknown-runtime-version", ERROR, "A Runtime version the catalog does not know")
def unknown_runtime_version(image: Image, ctx: Context) -> Iterator[Hit]:
    tag = image.tag
    if tag is None or tag.floating or image.release is not None:
        return
    catalog = ctx.catalog
    known = catalog.get(tag.version)
    if known is not None and known.release_date is not None:
        yield Hit(
            f"Astro Runtime {tag.version} was not released yet on {ctx.as_of} (released {known.release_date})",
            image.span,
        )
        return
    update = f"(data as of {catalog.generated}): run 'runtime-lint catalog update' to refresh it"
    same_era = [r for r in catalog.all() if r.era == tag.era and catalog.exists_on(r, ctx.as_of)]
    if not same_era or tag.key > max(r.key for r in same_era):
        yield Hit(f"Astro Runtime {tag.version} is newer than every release in the catalog {update}", image.span)
        return
    in_line = catalog.latest_of_line(tag.line, tag.era, ctx.as_of)
    if tag.line not in catalog.complete_lines and in_line is not None and tag.key > in_line.key:
        yield Hit(
            f"Astro Runtime {tag.version} is newer than the catalog's releases of Runtime {tag.line} {update}",
            image.span,
        )
        return
    hint = f"; the latest release of Runtime {tag.line} is {in_line.version}" if in_line is not None else ""
    if tag.era == 2 and tag.key[1] == 3 and tag.key[2] >= 1:
        hint += f"; Airflow 3 tags are X.Y-N: did you mean '{tag.key[1]}.{tag.key[2]}-{tag.key[3]}'?"
    yield Hit(f"Astro Runtime {tag.version} is not a published release{hint}", image.span)


@rule("RL202", "end-of-maintenance", ERROR, "The release's maintenance ended before the linted day", fixable="unsafe")
def end_of_maintenance(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_maintenance is None or ctx.as_of <= release.end_of_maintenance:
        return
    assert image.tag is not None
    target = ctx.catalog.newest_maintained(release.era, ctx.as_of, image.tag.python)
    fix = None
    hint = "; upgrade to a maintained Runtime line"
    if target is not None:
        new_tag = image.tag.with_version(target.version)
        hint = f"; upgrade to a maintained line, e.g. '{new_tag}' (Airflow {target.airflow})"
        fix = image.version_fix(target.version, safe=False, description=f"upgrade to {new_tag}")
    yield Hit(
        f"Astro Runtime {release.version} ({_line_name(release)}) reached end of maintenance on "
        f"{release.end_of_maintenance}{hint}",
        image.span,
        fix,
    )


@rule(
    "RL203",
    "maintenance-ending-soon",
    WARNING,
    "The release's maintenance ends within warn-days",
    settings=("warn-days",),
)
def maintenance_ending_soon(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    if release is None or release.end_of_maintenance is None:
        return
    days = (release.end_of_maintenance - ctx.as_of).days
    if days < 0 or days > ctx.settings["warn-days"]:
        return
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    yield Hit(
        f"Astro Runtime {release.version} ({_line_name(release)}) ends maintenance on "
        f"{release.end_of_maintenance} ({when}): plan the upgrade to a newer Runtime line",
        image.span,
    )


@rule("RL204", "patch-not-latest", WARNING, "A newer release of the same support line exists", fixable="safe")
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
        f"{release.line_on(ctx.as_of)}: update to '{new_tag}'",
        image.span,
        fix,
    )


@rule("RL205", "yanked-version", ERROR, "The release was yanked by Astronomer", fixable="safe")
def yanked_version(image: Image, ctx: Context) -> Iterator[Hit]:
    release, tag = image.release, image.tag
    if release is None or tag is None or not release.yanked:
        return
    reason = f": {release.yanked_reason}" if release.yanked_reason else ""
    latest = ctx.catalog.latest(release, ctx.as_of, tag.python)
    fix = None
    hint = "; Astro refuses to deploy it"
    if latest is not None and latest is not release:
        new_tag = tag.with_version(latest.version)
        fix = image.version_fix(latest.version, safe=True, description=f"update to {new_tag}")
        hint = f"; Astro refuses to deploy it: update to '{new_tag}'"
    yield Hit(f"Astro Runtime {release.version} was yanked{reason}{hint}", image.span, fix)


@rule("RL206", "unsupported-python", ERROR, "The Python variant is not published for the release")
def unsupported_python(image: Image, ctx: Context) -> Iterator[Hit]:
    release, tag = image.release, image.tag
    if release is None or tag is None or tag.python is None or release.python_versions is None:
        return
    if tag.python in release.python_versions:
        return
    plain = tag.tag.replace(f"-python-{tag.python}", "")
    if not release.python_versions:
        runs = f"; it runs Python {release.default_python}" if release.default_python else ""
        message = (
            f"Astro Runtime {release.version} publishes no -python- variants (they start with Runtime 9)"
            f"{runs}: use '{plain}'"
        )
    else:
        message = (
            f"Astro Runtime {release.version} is not published for Python {tag.python}; "
            f"its Python variants are {', '.join(release.python_versions)}"
        )
    yield Hit(message, image.span)
