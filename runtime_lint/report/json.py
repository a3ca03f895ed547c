"""`--format json`: a stable document for other tools (documented in README, "JSON output").

Positions are 1-based; `end_column` is exclusive (the column just after the span), as in SARIF.
The document's shape is described by runtime_lint/schemas/report.schema.json; `schema_version`
names that shape, and a change to it (a new key too) comes with a schema update. A file's `path`
is relative to the repository root, with forward slashes (report_path).
"""

from __future__ import annotations

import json

from runtime_lint import __version__
from runtime_lint.report import Tally, report_path, report_root

# The `schema_version` of the JSON documents (check, `images`, `catalog list`): see runtime_lint/schemas/.
SCHEMA_VERSION = "1"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Image
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run


def render(results: list[FileResult], run: Run) -> str:
    return json.dumps(document(results, run), indent=2, ensure_ascii=False) + "\n"


def document(results: list[FileResult], run: Run) -> dict[str, Any]:
    root = report_root()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "runtime-lint", "version": __version__},
        "as_of": run.as_of.isoformat(),
        "catalog": catalog_info(run.catalog),
        "files": [file_object(result, run, root) for result in results],
        "summary": {
            "files": len(results),
            "findings": sum(len(r.findings) for r in results),
            "by_severity": Tally.of(results).by_severity,
            "errors": sum(1 for r in results if r.error is not None),
        },
    }


def catalog_info(catalog: Catalog) -> dict[str, Any]:
    return {
        "source": catalog.source,
        "generated": catalog.generated.isoformat(),
        "releases": len(catalog),
        "feed_schema": catalog.feed_schema,
        "origin": catalog.origin,
        "path": catalog.path,
    }


def file_object(result: FileResult, run: Run, root: str | None = None) -> dict[str, Any]:
    return {
        "path": report_path(result.path, root),
        "error": result.error,
        "images": [image_object(image, run, warn_days(result)) for image in result.images],
        "findings": [finding_object(f, result.findings) for f in result.findings],
    }


def warn_days(result: FileResult) -> int:
    return int(result.settings.options["warn-days"]) if result.settings is not None else 90


def image_object(image: Image, run: Run, warn_days: int) -> dict[str, Any]:
    inst, ref = image.inst, image.ref
    runtime: dict[str, Any] | None = None
    if image.tag is not None:
        tag, release = image.tag, image.release
        status = "floating" if tag.floating else "unknown-version"
        latest = None
        if release is not None:
            status = release.status(run.as_of, warn_days)
            newest = run.catalog.latest(release, run.as_of, tag.python)
            latest = newest.version if newest is not None else None
        runtime = {
            "version": tag.version,
            "line": tag.line or None,
            "flavor": tag.flavor,
            "python": tag.python,
            "variants": list(tag.variants),
            "airflow": release.airflow if release else None,
            "channel": release.channel if release else None,
            "release_date": iso_day(release.release_date) if release else None,
            "end_of_maintenance": iso_day(release.end_of_maintenance) if release else None,
            "end_of_basic_support": iso_day(release.end_of_basic_support) if release else None,
            "status": status,
            "latest": latest,
            "inferred": bool(release.inferred) if release else False,
        }
    return {
        "line": inst.raw_span.line,
        "column": inst.raw_span.column,
        "end_line": inst.raw_span.end_line,
        "end_column": inst.raw_span.end_column,
        "raw": inst.raw,
        "resolved": inst.resolved,
        "unresolved": sorted(inst.unresolved),
        "registry": ref.registry if ref else None,
        "repository": ref.repository if ref else None,
        "tag": ref.tag if ref else None,
        "digest": ref.digest if ref else None,
        "family": image.family,
        "airflow": image_airflow(image),
        "alias": inst.alias,
        "platform": inst.platform_resolved if inst.platform is not None else None,  # as BuildKit uses it
        "platform_raw": inst.platform,  # as written
        "stage_ref": inst.stage_ref,
        "runtime": runtime,
    }


def image_airflow(image: Image) -> str | None:
    """The Airflow version the image carries, as precisely as it is known: the catalog's for a
    Runtime release (`2.11.2`, or `2.10` where no source gives the patch), the tag's for an
    Astronomer Certified image (`2.3.4-onbuild`) or an OSS `apache/airflow` one
    (`2.9.3-python3.11`, `slim-2.9.3`); None when unknown (`latest`, a floating tag)."""
    from runtime_lint.checks.tags import _certified_airflow  # the tag grammar RL105 reads
    from runtime_lint.image import AIRFLOW, CERTIFIED

    if image.release is not None:
        return image.release.airflow
    ref = image.ref
    if ref is None or ref.tag is None or image.family not in (CERTIFIED, AIRFLOW):
        return None
    tag = ref.tag
    if image.family == AIRFLOW and tag.startswith("slim-"):
        tag = tag[len("slim-") :]
    airflow = _certified_airflow(tag)
    return airflow if airflow is not None and airflow.isascii() else None


def finding_object(finding: Finding, others: list[Finding] | None = None) -> dict[str, Any]:
    """A finding; `others` (the file's findings) tell whether another finding's fix replaces its fix."""
    from runtime_lint.fix import replaced_by

    span, fix = finding.span, finding.fix
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity_name,
        "message": finding.message,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fix": None
        if fix is None
        else {
            "replacement": fix.replacement,
            "line": fix.span.line,
            "column": fix.span.column,
            "end_line": fix.span.end_line,
            "end_column": fix.span.end_column,
            "safe": fix.safe,
            "description": fix.description,
            # the code whose fix --fix --unsafe-fixes writes here instead (they edit the same text)
            "replaced_by": replaced_by(finding, others) if others is not None else None,
        },
    }


def iso_day(day: date | None) -> str | None:
    """A day as JSON writes it (`2026-12-03`), or None."""
    return day.isoformat() if day is not None else None
