#!/usr/bin/env python3
"""Build the bundled catalog (runtime_lint/data/catalog.json and bundled.py) from data/sources/.

    python scripts/build_catalog.py            # rebuild from data/sources/astro-runtime-releases.json
    python scripts/build_catalog.py --check    # exit 1 if the committed files are not what it makes

The input is the release list in data/sources/ (one entry per release, every field with its
source; data/sources/README.md says where it comes from). The fields are the ones declared in
`runtime_lint.release.FIELDS`; this script:
- turns a month-only date (`2026-02`, from a lifecycle table) into its last day, as Astronomer's
  policy says, and keeps a full date (from the feed) verbatim: `2027-10-30` is not a month end;
- checks that the releases of a support line agree on what a line shares (end of maintenance and
  of basic support, LTS, channel) and gives a release that lacks one the line's value, recorded
  as derived from the line in its sources;
- marks complete the lines whose every release is in Astronomer's release notes (COMPLETE_LINES).
Nothing unknown is invented: an unknown stays null. An input key that FIELDS does not declare is
an error, so a new field is declared before it is used.
"""

from __future__ import annotations

import argparse
import calendar
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runtime_lint.catalog import FORMAT  # noqa: E402
from runtime_lint.image import support_line, version_key  # noqa: E402
from runtime_lint.release import DAY, FIELDS, PER_LINE, release_from_json  # noqa: E402

INPUT = ROOT / "data" / "sources" / "astro-runtime-releases.json"
OUT = ROOT / "runtime_lint" / "data" / "catalog.json"
# The same data as a Python module: importing it is faster than the json module plus parsing (a
# pre-commit hook pays start-up on every commit). catalog.json stays the canonical file.
MODULE = OUT.with_name("bundled.py")

# The newest dated source of the data: the cut of Astronomer's feed taken on 2026-09-25. Nothing
# published after it could be read, so a newer release is unknown, not absent.
GENERATED = "2026-09-25"
SOURCE = (
    "data/sources/astro-runtime-releases.json: Astronomer's release notes and lifecycle policy "
    "(github:astronomer/docs@0fd057ffad1b58cad42a9bb7f05315506d825847, 2024-08-09), the Software 0.35 "
    "lifecycle table (github:astronomer/astronomer-docs-resources@18c87249808a7fc4093e63546eb7accb8439cde9, "
    "2025-09-03), a cut of https://updates.astronomer.io/astronomer-runtime taken 2026-09-25 "
    "(github:astronomer/astro-cli@fc27cd1d495e5ecc0217310b6da5a10f1d97b04d pkg/runtimeversions/testdata/catalog.json), "
    "and public Dockerfiles that used the tags"
)
# Lines whose every release has a section in the 2024 release notes (github:astronomer/docs@0fd057ff
# astro/runtime-release-notes.md): a version missing from them was never published. Not 4 (no notes
# for 4.2.2 and 4.2.3), not 11 (the notes stop at 11.8.0, the line went on to 11.20.0), not 12, 13
# or the Airflow 3 lines (known from a partial feed cut and from tags seen in use).
COMPLETE_LINES = ("3", "5", "6", "7", "8", "9", "10")
RENAMED = {"field_sources": "sources"}  # input key -> field name


def last_day(value: str) -> str:
    """'2026-02' -> '2026-02-28'; a full YYYY-MM-DD date is kept as it is."""
    parts = value.split("-")
    if len(parts) == 3:
        return value
    year, month = int(parts[0]), int(parts[1])
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def convert(entry: dict[str, Any]) -> dict[str, Any]:
    """One input entry as a catalog release object, every declared field present."""
    known = {f.name for f in FIELDS}
    item = {RENAMED.get(key, key): value for key, value in entry.items()}
    unknown = sorted(set(item) - known)
    if unknown:
        raise SystemExit(f"build_catalog: {entry.get('version')}: undeclared field(s) {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = item.get(field.name)
        if field.name == "line":
            value = support_line(item["version"])
        elif field.kind == DAY and isinstance(value, str):
            value = last_day(value)
        elif field.name == "yanked":
            value = bool(value)
        elif field.name == "sources":
            value = dict(value or {})
        out[field.name] = value
    try:
        release_from_json(out)  # the catalog must be able to read it: fail here, not in a lint run
    except (TypeError, ValueError) as exc:
        raise SystemExit(f"build_catalog: {exc}") from None
    return out


def apply_line_values(releases: list[dict[str, Any]]) -> None:
    """What a support line shares: every release of the line has the same value, or none."""
    lines: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        lines.setdefault(release["line"], []).append(release)
    for line, members in lines.items():
        for field in PER_LINE:
            values = {r[field.name] for r in members if r[field.name] is not None}
            if len(values) > 1:
                shown = ", ".join(sorted(map(str, values)))
                raise SystemExit(f"build_catalog: the releases of Runtime {line} disagree on {field.name}: {shown}")
            if not values:
                continue
            value = values.pop()
            having = next(r for r in members if r[field.name] is not None)
            origin = having["sources"].get(field.name, having["source"])
            if origin.startswith("derived from the line"):
                origin = origin.split(": ", 1)[1] if ": " in origin else origin
            for release in members:
                if release[field.name] is None:
                    release[field.name] = value
                    release["sources"][field.name] = f"derived from the line {line}: {having['version']}, {origin}"


def build(entries: list[dict[str, Any]]) -> dict[str, Any]:
    releases = sorted((convert(e) for e in entries), key=lambda r: version_key(r["version"]))
    versions = [r["version"] for r in releases]
    if len(set(versions)) != len(versions):
        raise SystemExit("build_catalog: a version is listed twice in the input")
    apply_line_values(releases)
    lines = {r["line"] for r in releases}
    return {
        "format": FORMAT,
        "source": SOURCE,
        "generated": GENERATED,
        "feed_schema": None,
        "complete_lines": [line for line in COMPLETE_LINES if line in lines],
        "fields": [f.name for f in FIELDS],
        "releases": releases,
    }


def render(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"


def render_module(catalog: dict[str, Any]) -> str:
    """catalog.json as a Python module (one release per line)."""
    lines = [
        '"""The bundled release catalog, generated by scripts/build_catalog.py from data/sources/: do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "TYPE_CHECKING = False",
        "if TYPE_CHECKING:",
        "    from typing import Any",
        "",
        f"SOURCE = {catalog['source']!r}",
        f"GENERATED = {catalog['generated']!r}",
        f"FEED_SCHEMA: str | None = {catalog['feed_schema']!r}",
        f"COMPLETE_LINES = {tuple(catalog['complete_lines'])!r}",
        "RELEASES: tuple[dict[str, Any], ...] = (",
        *(f"    {release!r}," for release in catalog["releases"]),
        ")",
    ]
    return "\n".join(lines) + "\n"


def outputs(source: Path = INPUT, output: Path = OUT) -> dict[Path, str]:
    """What the build writes, by path."""
    catalog = build(json.loads(source.read_text(encoding="utf-8")))
    return {output: render(catalog), output.with_name("bundled.py"): render_module(catalog)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("releases", nargs="?", type=Path, default=INPUT, help="the release list (default: %(default)s)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output files are out of date")
    args = parser.parse_args(argv)
    written = outputs(args.releases, args.output)
    if args.check:
        stale = [str(p) for p, text in written.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"out of date: {', '.join(stale)}; run scripts/build_catalog.py", file=sys.stderr)
            return 1
        return 0
    for path, text in written.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
