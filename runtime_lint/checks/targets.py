"""Where an image should move to: the upgrade target of RL202, RL207, RL101 and RL105.

The target is `Catalog.upgrade_target`: the newest release, as of the linted day, with a known
release date, not yanked, in maintenance, in a line that is not deprecated. An Airflow 2 image
stays on Airflow 2: moving to Airflow 3 is a migration, not a fix. The new tag keeps the image's
flavor and Python variant when the target publishes that variant; otherwise it moves to the
target's default Python and says so. Other suffixes (`-slim`, `-ubi9`) are kept, and the message
asks to check that the tag is published: the catalog does not list them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.checks import Context
    from runtime_lint.image import RuntimeTag
    from runtime_lint.release import Release


class Move:
    """A proposed upgrade: the target release, the new tag, and what the message should say."""

    __slots__ = ("caveats", "release", "tag")

    def __init__(self, release: Release, tag: str, caveats: list[str]) -> None:
        self.release = release
        self.tag = tag
        self.caveats = caveats  # what the user must know about the new tag

    def describe(self, image: str = "") -> str:
        """`'13.11.0-base' (Airflow 2.11.2, maintained until 2027-04-30)` plus the caveats;
        `image` is put before the tag (`quay.io/astronomer/astro-runtime:13.11.0`)."""
        target = self.release
        airflow = f"Airflow {target.airflow}" if target.airflow else "Airflow version unknown"
        until = f"maintained until {target.end_of_maintenance}"
        extra = "".join(f"; {caveat}" for caveat in self.caveats)
        name = f"{image}:{self.tag}" if image else self.tag
        return f"'{name}' ({airflow}, {until}){extra}"


def move(era: int, tag: RuntimeTag | None, ctx: Context) -> Move | None:
    """The move for an image of this era (with this tag, if it has a Runtime tag); None when no
    release qualifies (for Airflow 2: no Airflow 2 line is maintained any more)."""
    target = ctx.catalog.upgrade_target(era, ctx.as_of)
    if target is None:
        return None
    return retag(target, tag)


def retag(target: Release, tag: RuntimeTag | None) -> Move:
    """The move to `target` for an image with this tag (None: no Runtime tag): the flavor and the
    Python variant are kept when the target publishes that variant, else the tag moves to the
    target's default Python and a caveat says so. Shared by the fixes and `runtime-lint upgrade`."""
    if tag is None:
        return Move(target, target.version, [])
    caveats: list[str] = []
    suffix = tag.suffix
    if tag.python is not None and not target.publishes(tag.python):
        suffix = suffix.replace(f"-python-{tag.python}", "")
        default = target.default_python or "unknown"
        caveats.append(
            f"{target.version} is not published for Python {tag.python}: the new tag runs its default Python "
            f"({default}), so check your dependencies"
        )
    if tag.variants:
        shown = ", ".join(f"-{variant}" for variant in tag.variants)
        caveats.append(f"check that the {shown} tag is published for {target.version} (the catalog does not list them)")
    return Move(target, target.version + suffix, caveats)


def no_move(era: int) -> str:
    """What to say when there is no target."""
    if era == 2:
        return (
            "no Airflow 2 line of Astro Runtime is maintained any more: the way on is Airflow 3 "
            "(astrocrpublic.azurecr.io/runtime), a migration rather than a tag change"
        )
    return "no maintained Runtime release is known to the catalog: run 'runtime-lint catalog update'"
