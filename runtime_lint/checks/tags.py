"""Rules about the file and the image reference itself (RL0xx, RL1xx).

Each rule's user documentation is its page in rules/CODE.md.
"""

from __future__ import annotations

from runtime_lint.checks import ERROR, INFO, WARNING, Context, Hit, Image, Option, rule
from runtime_lint.checks.targets import move, no_move
from runtime_lint.expand import (
    NO_DEFAULT,
    PLATFORM,
    POSITIONAL,
    PREDEFINED_ARGS,
    REQUIRED,
    TARGET,
    UNDECLARED,
    UNDECLARED_DEFAULT,
    UNDECLARED_IN_ARG,
    UNDECLARED_UNUSED,
)
from runtime_lint.image import CERTIFIED, RUNTIME, clip, usual_era
from runtime_lint.model import Span
from runtime_lint.suppressions import problems, unused_messages

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


RUNTIME_AF2 = "quay.io/astronomer/astro-runtime"
RUNTIME_AF3 = "astrocrpublic.azurecr.io/runtime"


@rule("RL001", "dockerfile-syntax", ERROR, "A line Docker cannot parse", scope="file")
def dockerfile_syntax(image: Image | None, ctx: Context) -> Iterator[Hit]:
    for problem in ctx.dockerfile.problems:
        yield Hit(problem.message, problem.span)


@rule("RL002", "invalid-suppression", WARNING, "A runtime-lint pragma that cannot be understood", scope="file")
def invalid_suppression(image: Image | None, ctx: Context) -> Iterator[Hit]:
    for message, span in problems(ctx.dockerfile.pragmas, ctx.known_codes):
        yield Hit(message, span)


@rule("RL003", "unused-suppression", INFO, "A runtime-lint pragma that silences nothing", scope="suppressions")
def unused_suppression(image: Image | None, ctx: Context) -> Iterator[Hit]:
    for message, span in unused_messages(ctx.unused_suppressions, "the FROM"):
        yield Hit(message, span)


@rule("RL101", "untagged-image", ERROR, "A Runtime image with no tag, or `latest`", fixable="unsafe")
def untagged_image(image: Image, ctx: Context) -> Iterator[Hit]:
    ref = image.ref
    if ref is None or image.family != RUNTIME:
        return
    if ref.tag is not None and ref.tag.lower() != "latest":
        return
    era = usual_era(ref)
    target = move(era, None, ctx)
    fix = None
    if target is not None:
        version = target.release.version
        fix = image.tag_fix(version, safe=False, description=f"pin to {version}")
        suggestion = f"; pin a release such as {target.describe(ref.name)}"
    else:
        suggestion = f"; {no_move(era)}"
    if ref.tag is None and ref.digest is not None:
        message = (
            "Runtime image pinned by digest only: add its tag (image:TAG@sha256:...) so its version can be checked"
        )
    elif ref.tag is None:
        message = "Runtime image has no tag: Docker pulls 'latest', which moves with every release"
    else:
        message = "Runtime image uses 'latest', which moves with every release"
    yield Hit(message + suggestion, image.span, fix)


@rule("RL102", "invalid-runtime-tag", ERROR, "A tag that fits neither Runtime tag form", fixable="unsafe")
def invalid_runtime_tag(image: Image, ctx: Context) -> Iterator[Hit]:
    if image.family != RUNTIME or image.ref is None or image.ref.tag is None:
        return
    if image.tag_error is not None:
        yield Hit(image.tag_error, image.span)
        return
    tag = image.tag
    if tag is None or not tag.floating:
        return
    pinned = ctx.catalog.latest_of_line(tag.version, 3, ctx.as_of) if "." in tag.version else None
    if pinned is None:
        yield Hit(f"floating tag '{tag.tag}' moves with every release: pin an X.Y-N release", image.span)
        return
    new_tag = pinned.version + tag.suffix
    fix = image.version_fix(pinned.version, safe=False, description=f"pin to {new_tag}")
    yield Hit(f"floating tag '{tag.tag}' moves with every release: pin it, e.g. '{new_tag}'", image.span, fix)


@rule(
    "RL103",
    "image-flavor",
    INFO,
    "The deployed image's flavor is not the one configured",
    options={
        "flavor": Option(
            str,
            "non-base",
            choices=("non-base", "base", "any"),
            help="the image flavor to deploy: non-base, base or any",
        )
    },
)
def image_flavor(image: Image, ctx: Context) -> Iterator[Hit]:
    wanted = ctx.settings["flavor"]
    tag = image.tag
    if wanted == "any" or tag is None or not image.deployed or image.family != RUNTIME:
        return
    if tag.flavor == wanted:
        return
    if wanted == "non-base":
        yield Hit(
            f"'{tag.tag}' is a -base image: it skips the ONBUILD steps that install requirements.txt, "
            "packages.txt and copy the project; Astronomer recommends the non-base image "
            f"'{tag.tag.removesuffix('-base')}' unless you build those steps yourself",
            image.span,
        )
    else:
        yield Hit(
            f"'{tag.tag}' is a non-base image but the flavor setting asks for base: use '{tag.tag}-base'",
            image.span,
        )


_WHY = {
    UNDECLARED: "is not declared by an ARG before the first FROM",
    UNDECLARED_IN_ARG: "is not declared by an ARG before the one that uses it",
    NO_DEFAULT: "has no default",
    POSITIONAL: "is a positional parameter, which a Dockerfile never has",
    PLATFORM: "depends on the build platform",
    TARGET: "is the stage the build targets (its --target, 'default' without one)",
    REQUIRED: "must be set (${VAR:?}) and has no value",
}


@rule("RL104", "unresolved-image", WARNING, "The image cannot be resolved from the ARGs it uses")
def unresolved_image(image: Image, ctx: Context) -> Iterator[Hit]:
    inst = image.inst
    unresolved = inst.unresolved
    # BuildKit builds what a variable without a value expands to (""): only a result that is not
    # a valid reference, or a variable that is not declared (UndefinedArgInFrom), is reported
    undeclared = [name for name, why in inst.empty.items() if why == UNDECLARED]
    defaulted = [name for name, why in inst.empty.items() if why == UNDECLARED_DEFAULT]
    unused = [name for name, why in inst.empty.items() if why == UNDECLARED_UNUSED]
    known = [*ctx.dockerfile.args, *sorted(PREDEFINED_ARGS)] if undeclared or defaulted or unused else []
    if defaulted:
        yield _defaulted_hit(defaulted, known, image)
    if unused:
        yield _unused_hit(unused, known, image)
    if not unresolved and not undeclared:
        return
    hint = ""
    if undeclared:
        hint += "; declare " + " and ".join(f"'ARG {name}=...'" for name in undeclared) + " before the first FROM"
    settable = [name for name, why in unresolved.items() if why in (NO_DEFAULT, REQUIRED)]
    if settable:
        hint += "; give it a default or pass " + " ".join(f"--build-arg {name}=..." for name in settable)
    if not unresolved:
        parts = _not_declared(undeclared, known)
        them = "it" if len(undeclared) == 1 else "them"
        yield Hit(f"{parts}: BuildKit expands {them} to the empty string (UndefinedArgInFrom){hint}", image.span)
        return
    reasons = dict(unresolved)
    for name in undeclared:
        reasons.setdefault(name, UNDECLARED)
    parts = "; ".join(
        _not_declared([name], known) if why == UNDECLARED else f"{name} {_WHY.get(why, why)}"
        for name, why in reasons.items()
    )
    if inst.expansion is not None:
        them = "it" if len(unresolved) == 1 else "them"
        parts += f", so BuildKit expands {them} to '' and '{clip(inst.expansion)}' is not a valid reference"
    yield Hit(f"image '{inst.raw}' cannot be resolved: {parts}{hint}", image.span)


def _not_declared(names: list[str], known: list[str]) -> str:
    """`V is not declared by an ARG before the first FROM (did you mean W?)`, for each name."""
    parts = []
    for name in names:
        meant = suggestion(name, known)
        parts.append(f"{name} {_WHY[UNDECLARED]}" + (f" (did you mean {meant}?)" if meant else ""))
    return "; ".join(parts)


def suggestion(name: str, known: list[str]) -> str | None:
    """The name `name` was probably meant to be, as BuildKit suggests it for UndefinedArgInFrom
    (util/suggest.Search, case-sensitive): the first of the closest `known` names, fewer than
    3 edits away (Levenshtein distance)."""
    best, most = None, 3
    for option in known:
        if option == name:
            return None
        distance = _edits(name, option)
        if distance < most:
            best, most = option, distance
    return best


def _edits(a: str, b: str) -> int:
    """The Levenshtein distance: insertions, deletions and substitutions turning `a` into `b`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _defaulted_hit(names: list[str], known: list[str], image: Image) -> Hit:
    """`${V:-12.6.0}` with V not declared: the default is built, and a --build-arg is ignored."""
    parts = _not_declared(names, known)
    them = "it" if len(names) == 1 else "them"
    passing = " and ".join(f"--build-arg {name}=..." for name in names)
    verb = "is" if len(names) == 1 else "are"
    declare = " and ".join(f"'ARG {name}=...'" for name in names)
    return Hit(
        f"{parts}: BuildKit uses the default the FROM gives {them}, and a {passing} {verb} not used "
        f"(UndefinedArgInFrom); declare {declare} before the first FROM",
        image.span,
    )


def _unused_hit(names: list[str], known: list[str], image: Image) -> Hit:
    """`${V:-$W}` with V set and W not declared: BuildKit's lexer reads the word, and warns."""
    parts = _not_declared(names, known)
    them = "it" if len(names) == 1 else "them"
    declare = " and ".join(f"'ARG {name}=...'" for name in names)
    return Hit(
        f"{parts}: BuildKit warns about {them} (UndefinedArgInFrom), though the image name does not use "
        f"the part that has {them}; declare {declare} before the first FROM, or remove {them}",
        image.span,
    )


@rule("RL105", "retired-image", ERROR, "An Astronomer Certified image, no longer supported", fixable="unsafe")
def retired_image(image: Image, ctx: Context) -> Iterator[Hit]:
    ref = image.ref
    if ref is None or image.family != CERTIFIED:
        return
    airflow = _certified_airflow(ref.tag)
    message = "Astronomer Certified images (ap-airflow) are retired and no longer supported"
    target = ctx.catalog.upgrade_target(2, ctx.as_of)  # Airflow 2 stays on Airflow 2
    if target is None:
        yield Hit(f"{message}; {no_move(2)}", image.span)
        return
    # the ONBUILD steps of an -onbuild image are what the non-base Runtime image does
    onbuild = ref.tag is not None and "onbuild" in ref.tag
    new_tag = target.version if onbuild else target.version + "-base"
    new_image = f"{RUNTIME_AF2}:{new_tag}"
    same = ctx.catalog.with_airflow(airflow, ctx.as_of) if airflow else None
    context = f"; Runtime {same.version} shipped Airflow {same.airflow}" if same is not None else ""
    airflow_of = f"Airflow {target.airflow}" if target.airflow else "Airflow version unknown"
    message += f": move to {new_image} ({airflow_of}, maintained until {target.end_of_maintenance}){context}"
    fix = (
        image.edit(0, len(ref.text), new_image, False, f"move to {new_image}") if image.inst.resolved_origins else None
    )
    yield Hit(message, image.span, fix)


def _certified_airflow(tag: str | None) -> str | None:
    """The Airflow version of an AC tag: `2.3.4-7-onbuild` -> `2.3.4`, `1.10.12-1-alpine3.10` -> `1.10.12`."""
    if not tag:
        return None
    head = tag.split("-", 1)[0]
    parts = head.split(".")
    if len(parts) >= 2 and all(p.isdigit() for p in parts):
        return head
    return None


@rule(
    "RL106",
    "no-runtime-image",
    WARNING,
    "An Astro project whose final stage is not an Astro Runtime image",
    scope="file",
)
def no_runtime_image(image: Image | None, ctx: Context) -> Iterator[Hit]:
    if not ctx.astro_project:
        return
    if not ctx.images:
        lines = ctx.dockerfile.lines
        yield Hit(
            "no FROM instruction: an Astro project deploys from an Astro Runtime image "
            f"({RUNTIME_AF2} or {RUNTIME_AF3})",
            Span(1, 1, 1, len(lines[0]) + 1 if lines else 1),
        )
        return
    final = ctx.images[-1]
    if final.inst.unresolved or final.final_family in (RUNTIME, CERTIFIED):
        return  # a Certified image is RL105's, which names the Runtime release to move to
    yield Hit(
        f"the final stage builds on '{final.inst.resolved}', not an Astro Runtime image: Astro deploys "
        f"only images based on {RUNTIME_AF2} or {RUNTIME_AF3}",
        final.span,
    )
