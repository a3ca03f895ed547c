"""`runtime-lint upgrade`: an upgrade plan for every Astro Runtime image of the Dockerfiles, and
with `--write` (or `--diff`) the edit that makes it.

The plan itself is `runtime_lint/upgrade.py` (pure); this module finds the images (the run's
Linter: every stage, ARGs and --build-arg resolved as for `check`), turns each plan into edits of
the file text (the FROM line or the ARG default the tag comes from, through the per-character
origins of expand.py, as the fixes do), writes them with fix.py (atomic, line endings and every
other byte kept) and prints the plans.

Exit codes: 0 nothing to do, or every plan written; 1 a plan exists that was not written (with
--diff: the diff is not empty); 2 an error (a file that cannot be read, an image without a
plan, an --to that names no usable release).
"""

from __future__ import annotations

import os
import sys

from runtime_lint.model import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Fix, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import UpgradeArgs
    from runtime_lint.catalog import Catalog
    from runtime_lint.engine import FileResult
    from runtime_lint.model import date
    from runtime_lint.release import Release
    from runtime_lint.report import Run
    from runtime_lint.resolve import Image
    from runtime_lint.upgrade import Crossing, Plan, Step, Target


class Entry:
    """One Runtime image of one file, its plan and the edits that make it."""

    __slots__ = ("fixes", "image", "plan", "result", "unwritable", "written")

    def __init__(self, result: FileResult, image: Image, plan: Plan) -> None:
        self.result = result
        self.image = image
        self.plan = plan
        self.fixes: list[Fix] = []
        self.unwritable = ""  # why the plan has no edit ("" when it has one, or needs none)
        self.written = False


def cmd_upgrade(args: UpgradeArgs) -> int:
    from runtime_lint.commands import color, make_linter
    from runtime_lint.discover import discover
    from runtime_lint.run import error_line, report_run
    from runtime_lint.upgrade import parse_target

    if args.diff and args.write:
        raise UsageError("--diff and --write cannot be used together (--diff writes nothing)")
    target = parse_target(args.to) if args.to is not None else None
    paths = args.paths or ["."]
    if "-" in paths:
        raise UsageError("upgrade edits files: name the Dockerfile instead of '-'")
    linter = make_linter(args)
    linter.slim = False  # the edits need the text and the per-character origins
    files = discover(paths)
    if not files:
        raise UsageError(f"no Dockerfiles found under {', '.join(paths)}")
    results = [linter.lint(path) for path in files]
    errors = False
    entries: list[Entry] = []
    for result in results:
        if result.error is not None:
            sys.stderr.write(error_line(result))
            errors = True
            continue
        settings = result.settings
        assert settings is not None
        catalog = linter.catalog(settings.catalog)
        for image in result.images:
            if image.inst.stage_ref is not None or image.family != "runtime":
                continue
            plan = _plan(image, catalog, settings.as_of, target)
            entry = Entry(result, image, plan)
            if plan.status == "upgrade":
                _edit(entry)
                _requirements(result.path, plan)
            entries.append(entry)
    run = report_run(results, linter, color(args))
    diff = _apply(entries, results, args)
    if args.diff:
        sys.stdout.write(diff)
    elif args.format == "json":
        _json(entries, results, run)
    else:
        _text(entries, run)
    if errors or any(e.plan.status == "error" for e in entries):
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if diff else EXIT_OK
    pending = [e for e in entries if e.plan.status == "upgrade" and not e.written]
    return EXIT_FINDINGS if pending else EXIT_OK


def _plan(image: Image, catalog: Catalog, as_of: date, target: Target | None) -> Plan:
    """The plan for one Runtime image, or a failed one saying why none can be made."""
    from runtime_lint.upgrade import failed, plan

    requested = target.text if target is not None else "default"
    ref, tag, release = image.ref, image.tag, image.release
    if tag is None:
        if ref is None or ref.tag is None:
            why = (
                "the image is pinned by digest only: which release it is cannot be told"
                if ref is not None and ref.digest is not None
                else "the image has no tag (Docker pulls 'latest'): pin a Runtime version first"
            )
        elif ref.tag.lower() == "latest":
            why = "the 'latest' tag names no release: pin a Runtime version first"
        else:
            why = f"not a Runtime tag: {image.tag_error or ref.tag}"
        return failed(None, requested, why)
    assert ref is not None  # a Runtime tag is read from the reference's tag
    if tag.floating:
        return failed(
            None, requested, f"the floating tag '{tag.tag}' follows its line by itself: pin a Runtime version"
        )
    if release is None:
        known = catalog.get(tag.version)
        why = (
            f"Runtime {tag.version} was not released yet on {as_of}"
            if known is not None
            else f"Runtime {tag.version} is not a release the catalog knows (data as of {catalog.generated})"
        )
        return failed(None, requested, why)
    return plan(catalog, release, tag, ref.name, as_of, target)


def _edit(entry: Entry) -> None:
    """The edits of the file text that write the plan's step: the version (or the whole tag, when a
    suffix changes), the repository on a move to Airflow 3, and the digest, which is dropped: a
    digest pins one release's image, the catalog knows no digests, and a new tag under the old
    digest would claim one release and run another. Each part is edited where it is written (the
    FROM line, or an ARG default); a part built from several places, or from a --build-arg, cannot
    be edited, and the plan says so."""
    image, plan = entry.image, entry.plan
    ref, tag, step = image.ref, image.tag, plan.step
    assert ref is not None and tag is not None and step is not None and plan.tag is not None
    description = f"upgrade to {plan.tag}"
    parts: list[tuple[int, int, str]] = []
    if plan.repository is not None:
        parts.append((0, ref.tag_start - 1, plan.repository))
    if plan.tag == tag.with_version(step.version):
        parts.append((ref.tag_start, ref.tag_start + len(tag.version), step.version))
    else:
        parts.append((ref.tag_start, ref.tag_end, plan.tag))
    if ref.digest is not None:
        parts.append((ref.tag_end, len(ref.text), ""))
        plan.note(
            f"the image is pinned by digest ({ref.digest[:19]}...), which pins {tag.version}: the edit drops it; "
            "pin the new image's digest again"
        )
    fixes: list[Fix] = []
    for start, end, replacement in parts:
        fix = image.edit(start, end, replacement, False, description)
        if fix is None:
            entry.unwritable = (
                "the reference is not written in one place for each part (several ARGs, or a --build-arg): "
                f"change it to {plan.repository or ref.name}:{plan.tag} by hand"
            )
            return
        fixes.append(fix)
    entry.fixes = fixes


def _requirements(path: str, plan: Plan) -> None:
    """Project files that pin what the new image provides (crossings of kind "requirements"): an
    `apache-airflow` requirement in the Astro project's requirements.txt (and the files it
    includes, read by runtime_lint/requirements.py, as rule RL401 reads them) that rules out the
    Airflow version of the release the edit writes, or of the final target: in the step of each
    release it rules out, and once in the plan's own list. Requirements the move does not break
    are RL401's business (`runtime-lint check`), not the plan's."""
    from runtime_lint.upgrade import Crossing

    folder = os.path.dirname(path) or "."
    if not os.path.isfile(os.path.join(folder, "requirements.txt")):
        return
    from runtime_lint.requirements import excludes, is_airflow, read_requirements

    requirements, _ = read_requirements(folder)  # problems reading them are `check`'s to report
    releases = [r for r in (plan.step, plan.target) if r is not None and r.airflow is not None]
    seen: set[tuple[str, int]] = set()
    for requirement in requirements:
        if not is_airflow(requirement) or not requirement.specifier:
            continue
        for release in dict.fromkeys(releases):  # the step, then the target (once if the same)
            airflow = release.airflow
            assert airflow is not None
            try:
                broken = excludes(requirement.specifier, airflow)
            except ValueError:
                continue
            where = (requirement.path, requirement.line)
            if broken:
                plan.add(
                    Crossing(
                        "requirements",
                        f"{requirement.path}:{requirement.line}: '{requirement.text}' rules out Airflow {airflow} "
                        f"of {release.version}: drop the pin (the image provides Airflow) or change it",
                        requirement.specifier,
                        airflow,
                        [release.version],
                    ),
                    where not in seen,
                )
                seen.add(where)


def _apply(entries: list[Entry], results: list[FileResult], args: UpgradeArgs) -> str:
    """Apply each file's edits: written with --write, returned as a unified diff with --diff."""
    from runtime_lint.fix import FixError, apply, unified_diff, write_atomic

    diffs: list[str] = []
    for result in results:
        mine = [e for e in entries if e.result is result and e.fixes]
        if not mine:
            continue
        text, changed = apply(result.text, [fix for e in mine for fix in e.fixes])
        if not changed:
            continue
        if args.diff:
            diffs.append(unified_diff(result.path, result.text, text, result.bom))
        elif args.write:
            try:
                write_atomic(result.path, text, result.bom)
            except FixError as exc:
                for entry in mine:
                    entry.unwritable = str(exc)
                continue
            for entry in mine:
                entry.written = True
    return "".join(diffs)


# ---------------------------------------------------------------------------------------- output


def _image_name(entry: Entry) -> str:
    ref = entry.image.ref
    return ref.name if ref is not None else ""


def _new_image(entry: Entry) -> str:
    plan = entry.plan
    return f"{plan.repository or _image_name(entry)}:{plan.tag}"


def _status(entry: Entry, as_of: date) -> str:
    release = entry.plan.release
    return _target_status(entry, release, as_of) if release is not None else "unknown"


def _target_status(entry: Entry, release: Release, as_of: date) -> str:
    """The release's lifecycle status with the file's warn-days, as `check` and `images` judge it."""
    from runtime_lint.report.json import warn_days

    return release.status(as_of, warn_days(entry.result))


def release_json(release: Release, status: str | None = None) -> dict[str, Any]:
    """A release as a plan's `from`, `via` or `to` shows it."""
    from runtime_lint.report.json import iso_day

    doc: dict[str, Any] = {
        "version": release.version,
        "airflow": release.airflow,
        "line": release.line,
        "channel": release.channel,
        "release_date": iso_day(release.release_date),
        "end_of_maintenance": iso_day(release.end_of_maintenance),
        "end_of_basic_support": iso_day(release.end_of_basic_support),
    }
    if status is not None:
        doc["status"] = status
    return doc


def _crossing_json(crossing: Crossing) -> dict[str, Any]:
    return {
        "kind": crossing.kind,
        "from": crossing.before,
        "to": crossing.after,
        "releases": crossing.releases,
        "certain": crossing.certain,
        "message": crossing.message,
    }


def _skipped_json(skipped: list[Release]) -> list[dict[str, Any]]:
    return [{"version": r.version, "yanked_reason": r.yanked_reason} for r in skipped]


def _steps_json(entry: Entry) -> list[dict[str, Any]]:
    """The plan's steps: the first with the image the edit writes, the second (of a two-step plan)
    with none (it is planned once the first is deployed)."""
    return [
        {
            "from": step.before.version,
            "to": step.after.version,
            "image": _new_image(entry) if index == 0 else None,
            "crosses": [_crossing_json(c) for c in step.crossings],
            "skipped": _skipped_json(step.skipped),
            "notes": step.notes,
        }
        for index, step in enumerate(entry.plan.steps)
    ]


def _edit_json(entry: Entry) -> dict[str, Any] | None:
    if not entry.fixes:
        return None
    lines = entry.result.text.split("\n")
    return {
        "written": entry.written,
        "changes": [
            {
                "line": fix.span.line,
                "column": fix.span.column,
                "end_line": fix.span.end_line,
                "end_column": fix.span.end_column,
                "old": lines[fix.span.line - 1][fix.span.column - 1 : fix.span.end_column - 1],
                "new": fix.replacement,
            }
            for fix in entry.fixes
        ],
    }


def _plan_json(entry: Entry, as_of: date) -> dict[str, Any]:
    plan, image = entry.plan, entry.image
    ref = image.ref
    source: dict[str, Any] | None = None
    if plan.release is not None:
        source = release_json(plan.release, _status(entry, as_of))
        source["image"] = ref.text if ref is not None else image.inst.resolved
    target = via = None
    if plan.target is not None and plan.step is not None:
        target = release_json(plan.target)
        if plan.two_step:
            via = release_json(plan.step)
            via["image"] = _new_image(entry)
            target["image"] = None  # the second step's tag is planned once the first is deployed
        else:
            target["image"] = _new_image(entry)
    span = image.inst.raw_span
    return {
        "path": entry.result.path,
        "line": span.line,
        "column": span.column,
        "stage": image.inst.index,
        "image": image.inst.resolved,
        "to_requested": plan.requested,
        "status": plan.status,
        "error": plan.error,
        "from": source,
        "to": target,
        "via": via,
        "crosses": [_crossing_json(c) for c in plan.crossings],
        "skipped": _skipped_json(plan.skipped),
        "notes": [*plan.notes, *([entry.unwritable] if entry.unwritable else [])],
        "steps": _steps_json(entry),
        "edit": _edit_json(entry),
    }


def _json(entries: list[Entry], results: list[FileResult], run: Run) -> None:
    import json

    from runtime_lint.report.json import SCHEMA_VERSION, catalog_info

    doc = {
        "schema_version": SCHEMA_VERSION,
        "as_of": run.as_of.isoformat(),
        "catalog": catalog_info(run.catalog),
        "plans": [_plan_json(e, run.as_of) for e in entries],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.error is not None],
    }
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _text(entries: list[Entry], run: Run) -> None:
    for entry in entries:
        plan, image = entry.plan, entry.image
        where = f"{entry.result.path}:{image.inst.raw_span.line}"
        shown = image.inst.resolved or image.inst.raw
        if plan.status == "error":  # on stderr, as every error: one line
            sys.stdout.flush()
            sys.stderr.write(f"runtime-lint: error: {where}: {shown}: cannot plan an upgrade: {plan.error}\n")
            continue
        release = plan.release
        assert release is not None
        if plan.status == "current":
            extra = "".join(f"; {note}" for note in plan.notes)
            sys.stdout.write(f"{where}: {shown}: nothing to do for --to {plan.requested}{extra}\n\n")
            continue
        _upgrade_text(entry, shown, where, run)
    pending = sum(1 for e in entries if e.plan.status == "upgrade" and not e.written)
    written = sum(1 for e in entries if e.written)
    failed = sum(1 for e in entries if e.plan.status == "error")
    parts = [f"{len(entries)} Runtime image{'s' if len(entries) != 1 else ''}"]
    if pending:
        parts.append(f"{pending} to upgrade")
    if written:
        parts.append(f"{written} written")
    if failed:
        parts.append(f"{failed} without a plan")
    if not (pending or written or failed):
        parts.append("nothing to do")
    sys.stdout.write(
        f"{', '.join(parts)}. Planned as of {run.as_of} against the {run.catalog.origin} release catalog "
        f"(data as of {run.catalog.generated}).\n"
    )


def _upgrade_text(entry: Entry, shown: str, where: str, run: Run) -> None:
    """A plan with a move: the releases side by side, then what it crosses (step by step for a
    two-step plan), and the edit."""
    from runtime_lint.run import table

    plan = entry.plan
    release, target, step = plan.release, plan.target, plan.step
    assert release is not None and target is not None and step is not None
    sys.stdout.write(f"{where}: upgrade {shown} (--to {plan.requested})\n")
    columns = [release, *([step] if plan.two_step else []), target]
    head = ["", "FROM", *(["THEN (step 1)", "TO (step 2)"] if plan.two_step else ["TO"])]
    rows = [
        head,
        ["Runtime", *[r.version for r in columns]],
        ["Airflow", *[r.airflow or "unknown" for r in columns]],
        ["channel", *[r.channel or "unknown" for r in columns]],
        ["status", _status(entry, run.as_of), *[_target_status(entry, r, run.as_of) for r in columns[1:]]],
        ["maintained until", *[str(r.end_of_maintenance or "unknown") for r in columns]],
        ["basic support until", *[str(r.end_of_basic_support or "unknown") for r in columns]],
    ]
    sys.stdout.flush()
    table(rows, run.color)
    new = _new_image(entry)
    out: list[str] = [f"  {'first step' if plan.two_step else 'new image'}: {new}\n"]
    if plan.two_step:
        first, second = plan.steps
        out.append(f"  step 1: {first.before.version} -> {first.after.version}, what the edit writes\n")
        out.extend(_findings(first, "    "))
        out.append(
            f"  step 2: {second.before.version} -> {second.after.version}, planned on the next run, once "
            f"{first.after.version} is deployed\n"
        )
        out.extend(_findings(second, "    "))
    else:
        out.extend(_findings(plan, "  "))
    if entry.unwritable:
        out.append(f"  no edit: {entry.unwritable}\n")
    elif entry.written:
        later = " (step 1); step 2 comes on the next run, once it is deployed" if plan.two_step else ""
        out.append(f"  written: {os.path.basename(entry.result.path)} now uses {new}{later}\n")
    else:
        which = "step 1" if plan.two_step else "it"
        out.append(f"  edit: run with --write to apply {which}, or --diff to see it\n")
    sys.stdout.write("".join(out) + "\n")


def _findings(part: Plan | Step, indent: str) -> list[str]:
    """What a plan, or one of its steps, crosses, the yanked releases it skips and its notes."""
    out = [f"{indent}crosses: {crossing.message}\n" for crossing in part.crossings]
    for skipped in part.skipped:
        reason = f": {skipped.yanked_reason}" if skipped.yanked_reason else ""
        out.append(f"{indent}skips yanked {skipped.version}{reason}\n")
    out.extend(f"{indent}note: {note}\n" for note in part.notes)
    return out
