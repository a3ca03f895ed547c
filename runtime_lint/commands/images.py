"""`runtime-lint images`: every FROM image with its Runtime release and lifecycle.

`--format table` (default), `json` or `csv` (RFC 4180: a header row, then one row per image, the
table's columns). `--summary` rolls the images up: how many each support line and status has.
"""

from __future__ import annotations

import sys

from runtime_lint.commands import color, make_linter
from runtime_lint.model import EXIT_ERROR, EXIT_OK
from runtime_lint.run import error_line, lint_with_progress, report_run, show_progress, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import ImagesArgs
    from runtime_lint.engine import FileResult
    from runtime_lint.report import Run

    Shown = tuple[str, FileResult, list[dict[str, Any]]]  # a file's path as shown, result and image objects

COLUMNS = [
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
SUMMARY_COLUMNS = ["SUPPORT LINE", "STATUS", "IMAGES"]

# What the RUNTIME column says of an Airflow image that is not Astro Runtime, by family
_KINDS = {"certified": "Astronomer Certified", "airflow": "apache/airflow (OSS)"}
# The STATUS of an image without a Runtime release: Certified images are retired, and Astro
# deploys only Astro Runtime images (astro-cli: "is not based on Astro Runtime and is not supported")
_STATUSES = {"certified": "retired", "airflow": "not-runtime"}
# Order of the statuses in the summary
_STATUS_ORDER = (
    "supported",
    "ending-soon",
    "basic-support",
    "ended",
    "yanked",
    "unknown",
    "floating",
    "unknown-version",
    "retired",
    "not-runtime",
    "unresolved",
)


def cmd_images(args: ImagesArgs) -> int:
    from runtime_lint.discover import discover
    from runtime_lint.report import report_path, report_root
    from runtime_lint.report.json import image_object, warn_days

    linter = make_linter(args)
    paths = discover(args.paths or ["."])
    results = lint_with_progress(linter, paths) if show_progress(len(paths)) else [linter.lint(p) for p in paths]
    run = report_run(results, linter, color(args))
    for result in results:
        if result.error is not None:
            sys.stderr.write(error_line(result))
    root = report_root()  # paths as in check's machine formats: relative to the CI's checkout
    objects = [(report_path(r.path, root), r, [image_object(i, run, warn_days(r)) for i in r.images]) for r in results]
    summary = _summary(objects) if args.summary else None
    if args.format == "json":
        _print_json(objects, run, summary)
    else:
        if summary is not None:
            rows = [SUMMARY_COLUMNS] + [
                [row["label"], row["status"] or "-", str(row["images"])] for row in summary["rows"]
            ]
            count = f"{summary['images']} image{'s' if summary['images'] != 1 else ''} in {summary['files']} file"
            caption = f"{count}{'s' if summary['files'] != 1 else ''}; "
        else:
            rows = [COLUMNS] + [_row(path, obj) for path, _, images in objects for obj in images]
            caption = ""
        caption += f"as of {run.as_of}; catalog: {run.catalog.origin}, data as of {run.catalog.generated}"
        if args.format == "csv":
            _print_csv(rows)
        else:
            table(rows, run.color, caption)
    return EXIT_ERROR if any(r.error is not None for r in results) else EXIT_OK


def _print_json(objects: list[Shown], run: Run, summary: Any) -> None:
    import json

    from runtime_lint.report.json import SCHEMA_VERSION, catalog_info

    doc = {
        "schema_version": SCHEMA_VERSION,
        "as_of": run.as_of.isoformat(),
        "catalog": catalog_info(run.catalog),
        "files": [{"path": path, "error": r.error, "images": images} for path, r, images in objects],
        "summary": summary,
    }
    sys.stdout.write(json.dumps(doc, indent=2) + "\n")


def _print_csv(rows: list[list[str]]) -> None:
    """RFC 4180: fields with a comma, a quote or a line break quoted, quotes doubled, CRLF line ends."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    sys.stdout.write(buffer.getvalue())


def _row(path: str, obj: dict[str, Any]) -> list[str]:
    """One image's row of the table (and of the CSV); `path`: the file's, as shown (report_path)."""
    rt = obj["runtime"] or {}
    family = obj["family"]
    name = obj["resolved"] or obj["raw"]
    if obj["stage_ref"] is not None:
        name = f"{name} (stage {obj['stage_ref']})"
    # an Airflow image (Runtime, Certified, apache/airflow) whose Airflow version is not known says
    # so; other images have none
    airflow_image = family == "runtime" or family in _KINDS
    return [
        path,
        str(obj["line"]),
        name,
        rt.get("version") or _KINDS.get(family or "", "-"),
        obj["airflow"] or ("unknown" if airflow_image else "-"),
        (rt.get("end_of_maintenance") or "unknown") if rt else "-",
        (rt.get("end_of_basic_support") or "unknown") if rt else "-",
        _status(obj) or "-",
        rt.get("latest") or "-",
    ]


def _status(obj: dict[str, Any]) -> str | None:
    """The STATUS of an image: its release's, or what is known of an image without one."""
    if obj["runtime"] is not None:
        status: str = obj["runtime"]["status"]
        return status
    if obj["family"] in _STATUSES:
        return _STATUSES[obj["family"]]
    return "unresolved" if obj["unresolved"] else None


def _group(obj: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """The family, support line and label an image is counted under in the summary."""
    family, rt = obj["family"], obj["runtime"]
    if family == "runtime":
        line = rt["line"] if rt is not None else None
        return family, line, f"Runtime {line}" if line else "Runtime (line unknown)"
    if family in _KINDS:
        return family, None, _KINDS[family]
    return None, None, "unknown" if obj["unresolved"] else "other image"


def _summary_key(family: str | None, line: str | None, label: str, status: str | None) -> tuple[Any, ...]:
    """Runtime lines in version order (Airflow 2 lines, then Airflow 3), then the other kinds."""
    if family == "runtime" and line:
        place: tuple[Any, ...] = (0, 3 if "." in line else 2, tuple(int(n) for n in line.split(".")))
    else:
        kinds = ("runtime", "certified", "airflow", "other image", "unknown")
        place = (1, kinds.index(family or label), ())
    rank = _STATUS_ORDER.index(status) if status in _STATUS_ORDER else len(_STATUS_ORDER)
    return (*place, rank)


def _summary(objects: list[Shown]) -> dict[str, Any]:
    """How many images each support line and status has; a FROM naming an earlier stage is not
    another image, and is not counted."""
    counts: dict[tuple[str | None, str | None, str, str | None], int] = {}
    for _, _, images in objects:
        for obj in images:
            if obj["stage_ref"] is None:
                key = (*_group(obj), _status(obj))
                counts[key] = counts.get(key, 0) + 1
    rows = [
        {"family": family, "line": line, "label": label, "status": status, "images": n}
        for (family, line, label, status), n in sorted(counts.items(), key=lambda item: _summary_key(*item[0]))
    ]
    return {"files": len(objects), "images": sum(counts.values()), "rows": rows}
