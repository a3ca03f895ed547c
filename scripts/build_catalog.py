#!/usr/bin/env python3
"""Build runtime_lint/data/catalog.json from the research data on Astro Runtime releases.

    python scripts/build_catalog.py ../shared/data/astro-runtime-releases.json
    python scripts/build_catalog.py ../shared/data/astro-runtime-releases.json \
        --from-feed astronomer-runtime.json --generated 2026-12-01

The input is the research team's list (one entry per release with its sources, see
../shared/data/astro-runtime-facts.md). This script keeps every fact it states, converts
month-granular end-of-maintenance ("2024-06") to the last day of the month as Astronomer's policy
says, and adds the few facts the notes carry in prose: yanked reasons, the day a tag was first
seen in use, published Python variants and default Python per major. Nothing unknown is invented:
an unknown stays null. Run it again after the research data changes; a test checks that the
bundled file is what this script produces.

With `--from-feed`, a saved copy of Astronomer's feed (https://updates.astronomer.io/astronomer-runtime)
is merged over the research data, as `runtime-lint catalog update` does for a user's cache: use it
to refresh the bundled data for a release. Both runtime_lint/data/catalog.json and the module
form runtime_lint/data/bundled.py are written.
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "runtime_lint" / "data" / "catalog.json"
# The same data as a Python module: importing its compiled form is faster than the json module
# plus parsing (a pre-commit hook pays start-up on every commit). catalog.json stays the canonical file.
MODULE = ROOT / "runtime_lint" / "data" / "bundled.py"

# The newest snapshot the research data was read from (astro-runtime-facts.md, table at the top).
SOURCE_DATE = "2026-08-17"
SOURCE = (
    "runtime-lint research data (astro-runtime-facts.md): Astronomer docs release notes and "
    "lifecycle policy @0fd057ff (2024-08-09), astro-cli @ed93cc59 (2026-08-13), Dockerfile history "
    "of Astronomer repositories (to 2026-08-17)"
)
DOCS = "github:astronomer/docs@0fd057ffad1b58cad42a9bb7f05315506d825847"

# Default Python per Runtime major: docs runtime-image-architecture table (2024-08) for 4-11,
# astro-cli airflow/standalone.go af2RuntimePythonDefaults for 12 and 13.
DEFAULT_PYTHON = {
    4: "3.9",
    5: "3.9",
    6: "3.9",
    7: "3.9",
    8: "3.10",
    9: "3.11",
    10: "3.11",
    11: "3.11",
    12: "3.12",
    13: "3.12",
}
DEFAULT_PYTHON_SOURCE = {
    **{m: f"{DOCS} astro/runtime-image-architecture.mdx (default Python per major)" for m in range(4, 12)},
    12: "github:astronomer/astro-cli@ed93cc59 airflow/standalone.go af2RuntimePythonDefaults",
    13: "github:astronomer/astro-cli@ed93cc59 airflow/standalone.go af2RuntimePythonDefaults",
}
# "Starting with Astro Runtime 9, Astronomer maintains different Astro Runtime images for each
# supported Python version"; 9.0.0 shipped 3.8, 3.9, 3.10 and 3.11 (release notes 9.0.0).
PYTHON_VARIANTS_SOURCE = f"{DOCS} astro/runtime-release-notes.md (Astro Runtime 9.0.0) and runtime-image-architecture"
PYTHON_9_0_0 = ["3.8", "3.9", "3.10", "3.11"]

_FIRST_SEEN = re.compile(r"first observed in .*? on (\d{4}-\d{2}-\d{2})")
_YANKED_DOC = re.compile(r"yanked/restricted in lifecycle doc: (.+?\.)")
_YANKED_FIXTURE = re.compile(r"yankedReason '([^']+)'")


def end_of_month(month: str | None) -> str | None:
    """'2024-06' -> '2024-06-30'; a full date is kept."""
    if month is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", month):
        return month
    year, mon = (int(p) for p in month.split("-"))
    return f"{year:04d}-{mon:02d}-{calendar.monthrange(year, mon)[1]:02d}"


def version_key(version: str) -> tuple[int, ...]:
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.(\d+)|-(\d+))", version)
    if m is None:
        raise SystemExit(f"not a Runtime version: {version}")
    major, minor, patch, build = m.groups()
    return (2, int(major), int(minor), int(patch)) if patch is not None else (3, int(major), int(minor), int(build))


def convert(entry: dict[str, Any]) -> dict[str, Any]:
    version = entry["version"]
    key = version_key(version)
    note = entry.get("note") or ""
    sources: dict[str, str] = {}
    yanked = bool(entry.get("yanked"))
    reason = None
    if yanked:
        m = _YANKED_DOC.search(note) or _YANKED_FIXTURE.search(note)
        reason = m.group(1).rstrip(".") if m else None
    seen = _FIRST_SEEN.search(note)
    default_python = None
    python_versions: list[str] | None = None
    if key[0] == 2:
        default_python = DEFAULT_PYTHON.get(key[1])
        if default_python is not None:
            sources["default_python"] = DEFAULT_PYTHON_SOURCE[key[1]]
        if key[1] < 9:
            python_versions = []
            sources["python_versions"] = PYTHON_VARIANTS_SOURCE
        elif version == "9.0.0":
            python_versions = PYTHON_9_0_0
            sources["python_versions"] = PYTHON_VARIANTS_SOURCE
    channel = entry.get("channel")
    return {
        "version": version,
        "line": str(key[1]) if key[0] == 2 else f"{key[1]}.{key[2]}",
        "airflow": entry.get("airflow"),
        "channel": channel,
        "feed_channel": None,
        "release_date": entry.get("release_date"),
        "first_seen": seen.group(1) if seen else None,
        "end_of_maintenance": end_of_month(entry.get("end_of_maintenance")),
        "end_of_basic_support": None,
        "yanked": yanked,
        "yanked_reason": reason,
        "python_versions": python_versions,
        "default_python": default_python,
        "source": entry["source"],
        "sources": sources,
        "note": note,
    }


# Lines whose every release is in the release notes: an unknown version of these was never
# published. Line 4 has no notes for 4.2.2 and 4.2.3; 12, 13 and the Airflow 3 lines are known only
# from PRs and Dockerfiles seen in use, so a version missing there may well exist.
RELEASE_NOTES = "runtime-release-notes.md"
KNOWN_GAPS = {"4"}


def complete_lines(releases: list[dict[str, Any]]) -> list[str]:
    lines: dict[str, bool] = {}
    for release in releases:
        from_notes = RELEASE_NOTES in release["source"] and release["release_date"] is not None
        lines[release["line"]] = lines.get(release["line"], True) and from_notes
    return sorted(
        (line for line, ok in lines.items() if ok and line not in KNOWN_GAPS),
        key=lambda s: [int(p) for p in s.split(".")],
    )


def build(entries: list[dict[str, Any]]) -> dict[str, Any]:
    releases = sorted((convert(e) for e in entries), key=lambda r: version_key(r["version"]))
    versions = [r["version"] for r in releases]
    if len(set(versions)) != len(versions):
        raise SystemExit("duplicate versions in the input")
    return {
        "format": 1,
        "source": SOURCE,
        "generated": SOURCE_DATE,
        "complete_lines": complete_lines(releases),
        "releases": releases,
    }


def merge_feed(catalog: dict[str, Any], feed_path: Path, generated: str | None) -> dict[str, Any]:
    """The research data with a saved feed merged over it, by runtime-lint's own feed conversion."""
    from datetime import date

    sys.path.insert(0, str(ROOT))
    from runtime_lint import catalog as catalog_mod
    from runtime_lint import feed
    from runtime_lint.model import UsageError

    day = date.fromisoformat(generated) if generated else date.today()
    base = catalog_mod.from_json(catalog, "research data", "bundled")
    try:
        raw = feed.read_file(str(feed_path))
        merged = feed.convert(feed.parse(raw, str(feed_path)), f"feed file {feed_path.name} ({day})", day, base=base)
    except UsageError as exc:
        raise SystemExit(f"build_catalog: {exc}") from None
    return catalog_mod.to_json(merged)


def render(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"


def render_module(catalog: dict[str, Any]) -> str:
    """catalog.json as a Python module (one release per line)."""
    lines = [
        '"""The bundled release catalog, generated from catalog.json by scripts/build_catalog.py: do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "TYPE_CHECKING = False",
        "if TYPE_CHECKING:",
        "    from typing import Any",
        "",
        f"SOURCE = {catalog['source']!r}",
        f"GENERATED = {catalog['generated']!r}",
        f"COMPLETE_LINES = {tuple(catalog['complete_lines'])!r}",
        "RELEASES: tuple[dict[str, Any], ...] = (",
        *(f"    {release!r}," for release in catalog["releases"]),
        ")",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("releases", type=Path, help="astro-runtime-releases.json from the research data")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is out of date")
    parser.add_argument(
        "--from-feed", type=Path, metavar="FEED.json", help="merge a saved Astronomer feed over the data"
    )
    parser.add_argument("--generated", help="with --from-feed: the day the feed was saved (default: today)")
    args = parser.parse_args(argv)
    catalog = build(json.loads(args.releases.read_text(encoding="utf-8")))
    if args.from_feed is not None:
        catalog = merge_feed(catalog, args.from_feed, args.generated)
    outputs = {args.output: render(catalog), args.output.with_name("bundled.py"): render_module(catalog)}
    if args.check:
        stale = [str(p) for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"out of date: {', '.join(stale)}; run scripts/build_catalog.py", file=sys.stderr)
            return 1
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    print(f"{len(catalog['releases'])} releases, data as of {catalog['generated']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
