"""`runtime-lint images`: every FROM image with its Runtime release and lifecycle."""

from __future__ import annotations

import sys

from runtime_lint.model import EXIT_ERROR, EXIT_OK
from runtime_lint.run import (
    Linter,
    lint_with_progress,
    report_run,
    show_progress,
    table,
    use_color,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Args = Any  # an args.Namespace from args.Command.parse


def cmd_images(args: Args) -> int:
    from runtime_lint.discover import discover

    linter = Linter(args)
    paths = discover(args.paths or ["."])
    results = lint_with_progress(linter, paths) if show_progress(len(paths)) else [linter.lint(p) for p in paths]
    run = report_run(results, linter, args)
    for result in results:
        if result.error is not None:
            sys.stderr.write(f"runtime-lint: error: {result.path}: {result.error}\n")
    if args.format == "json":
        import json

        from runtime_lint.report.json import SCHEMA_VERSION, catalog_info, image_object, warn_days

        doc = {
            "schema_version": SCHEMA_VERSION,
            "as_of": run.as_of.isoformat(),
            "catalog": catalog_info(run.catalog),
            "files": [
                {"path": r.path, "error": r.error, "images": [image_object(i, run, warn_days(r)) for i in r.images]}
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        from runtime_lint.report.json import image_object, warn_days

        rows = [
            [
                "FILE",
                "LINE",
                "IMAGE",
                "RUNTIME",
                "AIRFLOW",
                "MAINTAINED UNTIL",
                "BASIC SUPPORT UNTIL",
                "STATUS",
                "LATEST",
            ]
        ]
        for r in results:
            for image in r.images:
                obj = image_object(image, run, warn_days(r))
                rt = obj["runtime"] or {}
                name = obj["resolved"] or obj["raw"]
                if obj["stage_ref"] is not None:
                    name = f"{name} (stage {obj['stage_ref']})"
                rows.append(
                    [
                        r.path,
                        str(obj["line"]),
                        name,
                        rt.get("version") or "-",
                        rt.get("airflow") or "-",
                        (rt.get("end_of_maintenance") or "unknown") if rt else "-",
                        (rt.get("end_of_basic_support") or "unknown") if rt else "-",
                        rt.get("status") or _image_status(obj),
                        rt.get("latest") or "-",
                    ]
                )
        table(
            rows,
            use_color(args),
            f"as of {run.as_of}; catalog: {run.catalog.origin}, data as of {run.catalog.generated}",
        )
    return EXIT_ERROR if any(r.error is not None for r in results) else EXIT_OK


def _image_status(obj: dict[str, Any]) -> str:
    """The STATUS of an image row that has no Runtime release."""
    if obj["family"] == "certified":
        return "retired"  # Astronomer Certified (ap-airflow): no longer supported
    return "unresolved" if obj["unresolved"] else "-"
