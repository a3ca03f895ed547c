"""Team policies (RL3xx): off by default, enabled by giving their setting.

Each rule's user documentation is its page in rules/CODE.md.
"""

from __future__ import annotations

from runtime_lint.checks import OFF, VERSION, Context, Hit, Image, Option, rule
from runtime_lint.image import version_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


def registry_allowed(registry: str, patterns: list[str]) -> bool:
    """hadolint's forms: `*`, `*.example.com` (suffix), `prefix*`, or an exact registry name."""
    registry = registry.lower()
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern == "*":
            return True
        if pattern.startswith("*") and registry.endswith(pattern[1:]):
            return True
        if pattern.endswith("*") and registry.startswith(pattern[:-1]):
            return True
        if registry == pattern:
            return True
    return False


@rule(
    "RL301",
    "registry-not-allowed",
    OFF,
    "The image comes from a registry not in allowed-registries",
    options={"allowed-registries": Option(list, None, help="registries images may come from (`*.corp.example` globs)")},
)
def registry_not_allowed(image: Image, ctx: Context) -> Iterator[Hit]:
    ref = image.ref
    allowed = ctx.settings["allowed-registries"]
    if ref is None or image.inst.is_scratch or registry_allowed(ref.registry, allowed):
        return
    listed = ", ".join(allowed) if allowed else "it is empty"
    yield Hit(f"registry '{ref.registry}' is not in allowed-registries ({listed})", image.span)


@rule(
    "RL302",
    "channel-policy",
    OFF,
    "The release is not on the required release channel",
    options={
        "required-channel": Option(
            str, None, choices=("stable", "lts"), ignore_case=True, help="the release channel required: stable or lts"
        )
    },
)
def channel_policy(image: Image, ctx: Context) -> Iterator[Hit]:
    release = image.release
    required = ctx.settings["required-channel"].lower()
    if release is None:
        return
    if required == "stable":
        # LTS lines are a subset of the Stable channel: only pre-releases and deprecated ones fail;
        # a line the feed marks deprecated is known to be so from the day of the data on
        channel = release.feed_channel.lower() if release.feed_channel is not None else "stable"
        if channel == "deprecated" and ctx.as_of < ctx.catalog.generated:
            channel = "stable"
        if channel != "stable":
            yield Hit(
                f"Astro Runtime {release.version} is a {release.feed_channel} release; policy requires stable",
                image.span,
            )
        return
    if release.channel is None:
        yield Hit(
            f"cannot tell whether Astro Runtime {release.version} is an LTS release: the catalog does not "
            "know the channel of its line; run 'runtime-lint catalog update'",
            image.span,
        )
    elif release.channel.lower() != "lts":
        message = f"Astro Runtime {release.version} is on the {release.channel} channel; policy requires LTS"
        yield Hit(message, image.span)


@rule(
    "RL303",
    "below-minimum-version",
    OFF,
    "The Runtime version is older than minimum-version",
    options={"minimum-version": Option(VERSION, None, help="the oldest Runtime version allowed (X.Y.Z or X.Y-N)")},
)
def below_minimum_version(image: Image, ctx: Context) -> Iterator[Hit]:
    tag = image.tag
    minimum = ctx.settings["minimum-version"]
    if tag is None or tag.floating or tag.key >= version_key(minimum):
        return
    yield Hit(f"Astro Runtime {tag.version} is older than minimum-version {minimum}", image.span)
