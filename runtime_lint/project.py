"""An Astro project's requirements files end to end, beside its Dockerfile: read them
(requirements.py), run the project rules (checks/project.py: RL401, RL402), apply the pragmas in
them and the severities of their settings.

    lint_project(dockerfile_result, settings_for, rules) -> [FileResult]

One FileResult per requirements file with findings, whose path is that file: every report format
shows it as it shows a Dockerfile (path, line and column, the line as the text report's frame).
A file without findings has no result, so a clean project reports as before. run.Linter calls
this for a Dockerfile in an Astro project, once per folder and run.

Pragmas are the Dockerfile's (suppressions.py): `# runtime-lint: ignore=RL401 -- reason` on the
comment lines right above a requirement (a blank line ends them), `# runtime-lint: ignore-file`
(`=CODES`) anywhere in the file; rule names work as codes. RL002 and RL003 report the pragmas
of a requirements file as they do a Dockerfile's.
"""

from __future__ import annotations

import os

from runtime_lint.checks.project import ProjectContext, Shipped
from runtime_lint.engine import FileResult
from runtime_lint.image import RUNTIME, clip
from runtime_lint.model import Finding
from runtime_lint.suppressions import (
    file_ignores,
    ignored_above,
    name_rules,
    problems,
    read_pragmas,
    unused,
    unused_messages,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from runtime_lint.checks import Image, Rule
    from runtime_lint.config import Settings
    from runtime_lint.model import Span
    from runtime_lint.suppressions import Pragma

REQUIREMENTS = "requirements.txt"  # what the Runtime image's ONBUILD installs


def lint_project(
    dockerfile: FileResult, settings_for: Callable[[str], Settings], rules: Mapping[str, Rule]
) -> list[FileResult]:
    """The findings in the requirements files of the project the Dockerfile is in."""
    folder = os.path.dirname(dockerfile.path)
    top = os.path.join(folder, REQUIREMENTS)
    if not os.path.lexists(top):
        return []
    project_rules = [(code, r) for code, r in rules.items() if r.scope == "project"]
    if not any(code in settings_for(top).severities for code, _ in project_rules):
        return []  # nothing to report: do not even read it
    from runtime_lint.requirements import scan

    found = scan(folder)
    images = shipped(dockerfile.images)
    known_codes = frozenset(rules)
    names: dict[str, str] | None = None
    results: list[FileResult] = []
    for source in found.files:
        settings = settings_for(source.path)
        enabled = [(code, settings.severities[code], r) for code, r in project_rules if code in settings.severities]
        if not enabled:
            continue
        written = read_pragmas(source.lines)  # RL002 reads them even when they are disregarded
        if written:
            names = names if names is not None else {r.name.lower(): code for code, r in rules.items()}
            name_rules(list(written.values()), names)
        pragmas = {} if settings.options["disable-inline-ignores"] else written
        file_codes = file_ignores(pragmas.values())
        if file_codes == frozenset():
            continue  # `# runtime-lint: ignore-file`
        ctx = ProjectContext(
            source.path,
            source.kind,
            [r for r in found.requirements if r.path == source.path],
            [p for p in found.problems if p.path == source.path],
            dockerfile.path,
            images,
            settings.options,
            known_codes,
        )
        findings: list[Finding] = []
        used: set[tuple[int, str]] = set()  # (pragma line, or 0 for ignore-file; code)
        for code, level, r in enabled:
            for hit in r.check(None, ctx):
                at = ignored_above(source.lines, pragmas, hit.span.line, code)  # first, as engine.py does
                if at is None and file_codes and code in file_codes:
                    at = 0
                if at is not None:
                    used.add((at, code))
                    continue
                severity = level if hit.severity is None else min(level, hit.severity)
                findings.append(Finding(code, r.name, severity, hit.message, hit.span, hit.fix))
        findings += _pragma_findings(written, pragmas, used, settings.severities, rules)
        if not findings:
            continue
        findings.sort(key=Finding.sort_key)
        result = FileResult(source.path)
        result.settings = settings
        result.lines = source.lines
        result.findings = findings
        results.append(result)
    return results


def shipped(images: list[Image]) -> list[Shipped]:
    """Every stage built directly on an Astro Runtime image (each installs requirements.txt in its
    ONBUILD steps), with the Airflow version the catalog says it ships."""
    out: list[Shipped] = []
    for image in images:
        if image.inst.stage_ref is not None or image.family != RUNTIME or image.ref is None:
            continue
        release = image.release
        reference = clip(image.inst.resolved or image.ref.text)
        version = release.version if release is not None else None
        out.append(Shipped(reference, image.inst.span.line, version, release.airflow if release is not None else None))
    return out


def _pragma_findings(
    written: dict[int, Pragma],
    pragmas: dict[int, Pragma],
    used: set[tuple[int, str]],
    severities: Mapping[str, int],
    rules: Mapping[str, Rule],
) -> list[Finding]:
    """RL002 (pragmas `written` that cannot be read, unknown codes) and RL003 (codes of the
    `pragmas` applied that silenced nothing, of the rules that ran) in a requirements file, as
    engine.py reports them in a Dockerfile."""
    hits: list[tuple[str, str, Span]] = []
    if "RL002" in severities:
        hits += [("RL002", message, span) for message, span in problems(written.values(), frozenset(rules))]
    if "RL003" in severities:
        found = unused(pragmas.values(), used, severities)
        hits += [("RL003", message, span) for message, span in unused_messages(found, "the requirement")]
    return [Finding(code, rules[code].name, severities[code], message, span) for code, message, span in hits]
