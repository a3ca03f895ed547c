"""Rules about an Astro project's other files: requirements.txt and the files it includes (RL4xx).

These rules have `scope="project"`: runtime_lint/project.py reads the files
(runtime_lint/requirements.py) and calls each rule once per requirements file with a
ProjectContext; the rules themselves read nothing. Each rule's documentation is rules/CODE.md.
"""

from __future__ import annotations

from runtime_lint.checks import ERROR, WARNING, Hit, rule
from runtime_lint.image import clip
from runtime_lint.model import Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from runtime_lint.requirements import Problem, Requirement

AIRFLOW = "apache-airflow"  # requirements.AIRFLOW, without importing it on every run


class Shipped:
    """A Runtime image of the Dockerfile and the Airflow version it ships (None: unknown)."""

    __slots__ = ("airflow", "line", "reference", "version")

    def __init__(self, reference: str, line: int, version: str | None, airflow: str | None) -> None:
        self.reference = reference  # the image as resolved, for messages
        self.line = line  # of its FROM in the Dockerfile
        self.version = version  # the Runtime release, if the catalog has it
        self.airflow = airflow  # "2.11.2", or only the minor ("2.10") where that is all the catalog knows


class ProjectContext:
    """What a project rule may read: one requirements file's requirements and problems, and the
    Runtime images of the Dockerfile whose project it is."""

    __slots__ = ("dockerfile", "images", "kind", "known_codes", "path", "problems", "requirements", "settings")

    def __init__(
        self,
        path: str,
        kind: str,
        requirements: list[Requirement],
        problems: list[Problem],
        dockerfile: str,
        images: list[Shipped],
        settings: dict[str, Any],
        known_codes: frozenset[str],
    ) -> None:
        self.path = path  # the requirements file
        self.kind = kind  # "requirement", or "constraint" for a file named by `-c`
        self.requirements = requirements
        self.problems = problems
        self.dockerfile = dockerfile  # its path
        self.images = images  # every stage built directly on an Astro Runtime image
        self.settings = settings
        self.known_codes = known_codes


@rule(
    "RL401",
    "airflow-in-requirements",
    ERROR,
    "requirements.txt asks for apache-airflow, which the Runtime image already ships",
    scope="project",
)
def airflow_in_requirements(image: None, ctx: ProjectContext) -> Iterator[Hit]:
    known: dict[str, Shipped] = {}  # Airflow version -> the first image that ships it
    for shipped in ctx.images:
        if shipped.airflow is not None and shipped.version is not None:
            known.setdefault(shipped.airflow, shipped)
    for req in ctx.requirements:
        if req.key != AIRFLOW:
            continue
        span = Span(req.line, req.column, req.line, req.end_column)
        kind = "constraint" if req.kind == "constraint" else "requirement"
        what = f"{kind} '{clip(req.text)}'"
        if not known:
            yield Hit(
                f"{what}: the Runtime image ships Airflow, but which version is unknown ({_unknown(ctx)}), "
                f"so the pin cannot be checked; pip would re-resolve apache-airflow on every build: "
                f"remove the {kind}, the image provides Airflow",
                span,
                severity=WARNING,
            )
            continue
        from runtime_lint.requirements import excludes

        several = len(known) > 1
        excluded = [s for airflow, s in known.items() if excludes(req.specifier, airflow)]
        if excluded:
            which = " and ".join(f"Airflow {_airflow(s.airflow)}, which {_label(s, several)} ships" for s in excluded)
            yield Hit(
                f"{what} excludes {which}: pip would replace the image's Airflow or fail to install; "
                f"remove the {kind}, the image provides Airflow {_provided(known)}",
                span,
            )
            continue
        ships = " and ".join(f"{_label(s, several)} ships Airflow {_airflow(s.airflow)}" for s in known.values())
        yield Hit(
            f"{what}: {ships}, and pip would re-resolve apache-airflow with your other requirements on every "
            f"build; remove the {kind}, the image provides Airflow {_provided(known)}",
            span,
            severity=WARNING,
        )


@rule(
    "RL402",
    "unreadable-requirements",
    WARNING,
    "A requirements file or line that cannot be read, so its Airflow pins go unchecked",
    scope="project",
)
def unreadable_requirements(image: None, ctx: ProjectContext) -> Iterator[Hit]:
    for problem in ctx.problems:
        span = Span(problem.line, problem.column, problem.line, problem.end_column)
        yield Hit(f"{problem.message}: runtime-lint cannot check it for an apache-airflow pin", span)


def _airflow(version: str | None) -> str:
    """2.11.2, or 2.10.x where only the minor is known."""
    assert version is not None
    return version if version.count(".") >= 2 else f"{version}.x"


def _label(shipped: Shipped, several: bool) -> str:
    label = f"Astro Runtime {shipped.version}"
    return f"{label} (FROM on line {shipped.line})" if several else label


def _provided(known: dict[str, Shipped]) -> str:
    return " or ".join(_airflow(version) for version in known)


def _unknown(ctx: ProjectContext) -> str:
    runtime = [s.reference for s in ctx.images]
    if not runtime:
        return f"{ctx.dockerfile} names no Astro Runtime image that runtime-lint can resolve"
    return f"the catalog does not know the Airflow of '{clip(runtime[0], 60)}'"
