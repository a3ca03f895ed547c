"""One FROM into the checked image: its reference, family, Runtime tag and catalog release.

`resolve_images(dockerfile, catalog, as_of, runtime_registries)` gives an `Image` for every FROM
of a parsed Dockerfile (dockerfile.py has already expanded its ARGs as BuildKit does); the rules
(checks/) read these Images, and `Image`'s fix helpers turn an edit of the resolved reference into
an edit of the file text it came from (the FROM line or an ARG default), through the
per-character origins of expand.py.
"""

from __future__ import annotations

from runtime_lint.dockerfile import SyntaxProblem
from runtime_lint.image import RUNTIME, TagError, clip, family, parse_reference, parse_runtime_tag
from runtime_lint.model import Fix, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from runtime_lint.catalog import Catalog
    from runtime_lint.dockerfile import Dockerfile, FromInstruction
    from runtime_lint.expand import Origin
    from runtime_lint.image import ImageRef, RuntimeTag
    from runtime_lint.release import Release


class Image:
    """One `FROM` with everything known about its image."""

    __slots__ = ("deployed", "family", "final_family", "inst", "ref", "release", "tag", "tag_error")

    def __init__(self, inst: FromInstruction) -> None:
        self.inst = inst
        self.ref: ImageRef | None = None  # None when unresolved, scratch or an earlier stage
        self.family: str | None = None  # "runtime", "certified", "airflow" or None
        self.tag: RuntimeTag | None = None  # for Runtime images with a valid tag
        self.tag_error: str | None = None  # why a Runtime tag is invalid
        self.release: Release | None = None  # the catalog's release, if it has one on as_of
        self.deployed = False  # the image the last stage builds on (through stage references): what Astro runs
        self.final_family: str | None = None  # family of the image this stage builds on, through stage refs

    @property
    def span(self) -> Span:
        return self.inst.raw_span

    def edit(self, start: int, end: int, replacement: str, safe: bool, description: str) -> Fix | None:
        """A fix replacing resolved characters [start, end) of the image name, at the place in the
        file they come from (the FROM line or an ARG default); None when they do not come from
        one contiguous run of file text (built from several ARGs, or from a --build-arg)."""
        origins = self.inst.resolved_origins
        span = span_of(origins, start, end)
        if span is None:
            return None
        return Fix(span, replacement, safe, description)

    def tag_fix(self, new_tag: str, safe: bool, description: str) -> Fix | None:
        """Replace the tag (or add one) keeping the rest of the reference as written."""
        ref = self.ref
        if ref is None:
            return None
        if ref.digest is not None:
            return self.repin(new_tag, description)
        if ref.tag_start >= 0:
            return self.edit(ref.tag_start, ref.tag_end, new_tag, safe, description)
        name_end = len(ref.text) - (len(ref.digest) + 1 if ref.digest is not None else 0)
        return self.edit(name_end, name_end, ":" + new_tag, safe, description)

    def version_fix(self, new_version: str, safe: bool, description: str) -> Fix | None:
        """Replace only the version part of a Runtime tag (`12.6.0` in `12.6.0-python-3.11-base`),
        so that a version from an ARG is fixed in the ARG even when the suffix is on the FROM line."""
        ref, tag = self.ref, self.tag
        if ref is None or tag is None or ref.tag_start < 0:
            return None
        if ref.digest is not None:
            return self.repin(tag.with_version(new_version), description)
        start = ref.tag_start
        return self.edit(start, start + len(tag.version), new_version, safe, description)

    def unfixable(self, fix: Fix | None) -> str:
        """Why there is no fix, for the message, where the user could expect one: "" otherwise."""
        ref = self.ref
        if fix is not None or ref is None or ref.digest is None:
            return ""
        if ref.tag_start < 0:
            return "; no fix: the image is pinned by digest only, and which release that is cannot be told"
        return (
            "; no fix: the image is pinned by digest and its tag is not written in one place "
            "(an ARG and the FROM line): change the tag and pin the new digest by hand"
        )

    def repin(self, new_tag: str, description: str) -> Fix | None:
        """A digest-pinned image (`:12.6.0@sha256:...`): Docker pulls by the digest, so a new tag
        under the old digest would claim one release and run another. The catalog knows no
        digests: the fix writes the new tag without the digest, as an unsafe fix that says the
        image must be pinned again. None for a digest without a tag (which release it is, is unknown)."""
        ref = self.ref
        if ref is None or ref.tag_start < 0:
            return None
        return self.edit(
            ref.tag_start,
            len(ref.text),
            new_tag,
            False,
            f"{description} and drop the digest, which pins the old release: pin the new one again",
        )


def span_of(origins: list[Origin], start: int, end: int) -> Span | None:
    if start == end:  # an insertion: right after the previous character
        if start == 0 or start > len(origins):
            return None
        before = origins[start - 1]
        if before is None:
            return None
        return Span(before[0], before[1] + 1, before[0], before[1] + 1)
    if start < 0 or end > len(origins):
        return None
    run = origins[start:end]
    first = run[0]
    if first is None:
        return None
    for k, origin in enumerate(run):
        if origin is None or origin[0] != first[0] or origin[1] != first[1] + k:
            return None
    return Span(first[0], first[1], first[0], first[1] + len(run))


def resolve_images(df: Dockerfile, catalog: Catalog, as_of: date, runtime_registries: list[str]) -> list[Image]:
    """An Image for every FROM: its reference, family, Runtime tag and catalog release."""
    images: list[Image] = []
    for inst in df.froms:
        image = Image(inst)
        images.append(image)
        if inst.stage_ref is not None:
            image.final_family = images[inst.stage_ref].final_family
            continue
        if inst.resolved is None or inst.is_scratch:
            continue
        ref = _reference(inst.resolved)
        image.ref = ref
        if ref.error is not None:
            message = f"invalid image reference '{clip(inst.resolved)}': {ref.error}{_stage_hint(df, inst)}"
            df.problems.append(SyntaxProblem(inst.raw_span, message))
        image.family = family(ref, runtime_registries)
        image.final_family = image.family
        if image.family != RUNTIME or ref.tag is None or ref.tag.lower() == "latest":
            continue
        tag = _runtime_tag(ref.tag)
        if isinstance(tag, str):
            image.tag_error = tag
            continue
        image.tag = tag
        if not tag.floating:
            release = catalog.get(tag.version) or catalog.infer(tag.version)
            if release is not None and catalog.exists(release, as_of) is not False:
                image.release = release
    if images:
        deployed = images[-1]
        while deployed.inst.stage_ref is not None:
            deployed = images[deployed.inst.stage_ref]
        deployed.deployed = True
    return images


def _stage_hint(df: Dockerfile, inst: FromInstruction) -> str:
    """`FROM Build` after `AS Build`: BuildKit keeps stage names in lower case and looks a FROM
    name up as written (dockerfile2llb/convert.go addState), so it is no stage but an image name."""
    wanted = (inst.resolved or "").lower()
    for earlier in df.froms[: inst.index]:
        if earlier.alias is not None and earlier.alias.lower() == wanted:
            return (
                f"; stage '{earlier.alias}' (line {earlier.span.line}) is known as '{wanted}', and FROM finds a "
                f"stage only by that name: write '{wanted}'"
            )
    return ""


# A monorepo's Dockerfiles name the same few images over and over: each reference and tag is
# parsed once per run. The parsed objects are shared, so nothing may change them.
_refs: dict[str, ImageRef] = {}
_tags: dict[str, RuntimeTag | str] = {}  # str: why the tag is not a Runtime tag
_MEMO_SIZE = 4096


def _reference(text: str) -> ImageRef:
    ref = _refs.get(text)
    if ref is None:
        if len(_refs) >= _MEMO_SIZE:
            _refs.clear()
        ref = _refs[text] = parse_reference(text)
    return ref


def _runtime_tag(text: str) -> RuntimeTag | str:
    tag = _tags.get(text)
    if tag is None:
        if len(_tags) >= _MEMO_SIZE:
            _tags.clear()
        try:
            tag = parse_runtime_tag(text)
        except TagError as exc:
            tag = str(exc)
        _tags[text] = tag
    return tag
