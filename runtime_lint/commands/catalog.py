"""`runtime-lint catalog list|show|update`: the release catalog."""

from __future__ import annotations

import os
import sys

from runtime_lint.commands import color
from runtime_lint.model import EXIT_OK, UsageError, date
from runtime_lint.run import table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import CatalogArgs, CatalogListArgs, CatalogShowArgs, CatalogUpdateArgs
    from runtime_lint.catalog import Catalog


def _catalog_settings(args: CatalogArgs) -> tuple[Catalog, date, int]:
    from runtime_lint import catalog as catalog_mod
    from runtime_lint.checks import all_rules
    from runtime_lint.config import Finder, parse_day, resolve

    finder = Finder(args.config)

    over: dict[str, Any] = {}
    if args.as_of:
        over["as-of"] = parse_day(args.as_of, "--as-of")
    if args.catalog:
        over["catalog"] = args.catalog
    settings = resolve(
        finder.for_file(os.path.join(os.getcwd(), "Dockerfile")), over, all_rules(), "Dockerfile", date.today()
    )
    return catalog_mod.load(settings.catalog), settings.as_of, settings.options["warn-days"]


def cmd_list(args: CatalogListArgs) -> int:
    """`runtime-lint catalog list`: the releases and their status as of the day."""
    catalog, as_of, warn_days = _catalog_settings(args)
    releases = catalog.all()
    releases = [r for r in releases if catalog.exists(r, as_of) is not False]
    if args.line:
        releases = [r for r in releases if r.line == args.line]
    if args.status:
        releases = [r for r in releases if r.status(as_of, warn_days) == args.status]
    if args.format == "json":
        import json

        from runtime_lint.report.json import SCHEMA_VERSION, catalog_info

        doc = {
            "schema_version": SCHEMA_VERSION,
            "as_of": as_of.isoformat(),
            "catalog": catalog_info(catalog),
            "releases": [r.to_json() | {"status": r.status(as_of, warn_days)} for r in releases],
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    rows = [["VERSION", "LINE", "AIRFLOW", "CHANNEL", "RELEASED", "MAINTAINED UNTIL", "BASIC SUPPORT UNTIL", "STATUS"]]
    for r in releases:
        rows.append(
            [
                r.version,
                r.line,
                r.airflow or "-",
                r.channel or "-",
                str(r.release_date or (f"by {r.first_seen}" if r.first_seen else "-")),
                str(r.end_of_maintenance or "unknown"),
                str(r.end_of_basic_support or "unknown"),
                r.status(as_of, warn_days),
            ]
        )
    table(
        rows,
        color(args),
        f"as of {as_of}; catalog: {catalog.origin} ({catalog.path}), data as of {catalog.generated}",
    )
    return EXIT_OK


def cmd_show(args: CatalogShowArgs) -> int:
    """`runtime-lint catalog show VERSION`: every field of one release, with its source."""
    catalog, as_of, warn_days = _catalog_settings(args)
    release = catalog.get(args.version.strip())
    if release is None:
        raise UsageError(f"Runtime {args.version} is not in the catalog ({catalog.path})")
    data = release.to_json() | {"status": release.status(as_of, warn_days)}
    latest = catalog.latest(release, as_of)
    data["latest_in_line"] = latest.version if latest is not None else None
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    from runtime_lint.release import FIELDS, shown

    fields = [f for f in FIELDS if f.name != "sources"]
    width = max(len("latest in line"), *(len(f.label) for f in fields))
    for field in fields:
        label, value = field.label, getattr(release, field.name)
        source = release.sources.get(field.name)
        text = "-" if field.name == "yanked_reason" and not release.yanked else shown(field, value)
        sys.stdout.write(f"{label:<{width}}  {text}{f'  [source: {source}]' if source else ''}\n")
    sys.stdout.write(f"{'status':<{width}}  {data['status']}\n")
    sys.stdout.write(f"{'latest in line':<{width}}  {data['latest_in_line'] or 'unknown'}\n")
    sys.stdout.write(f"(as of {as_of}; catalog: {catalog.origin}, data as of {catalog.generated})\n")
    return EXIT_OK


# ------------------------------------------------------------------------------ catalog update


def cmd_update(args: CatalogUpdateArgs) -> int:
    """`runtime-lint catalog update`: fetch (or read a saved feed), check, merge over the bundled
    data, write atomically into the user cache (or --output); exit 2 on any failure, and then the
    previous cache is left as it was."""
    from datetime import date

    from runtime_lint.catalog import default_cache_path
    from runtime_lint.download import download
    from runtime_lint.feed import convert, parse, read_file, write_catalog

    today = date.today()
    timeout = float(args.timeout)
    if not 0 < timeout < float("inf"):
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if args.from_file is not None:
        if args.url is not None:
            raise UsageError("--url and --from-file cannot be used together")
        label = f"feed file {args.from_file}"
        raw = read_file(args.from_file)
        source = f"feed file {os.path.basename(args.from_file)} ({today})"
        complete = args.complete
    else:
        url = args.url if args.url is not None else configured_url(args.config)
        label = f"feed {url}"
        raw = download(url, timeout, progress=sys.stderr.isatty())
        source = f"feed {url} ({today})"
        complete = True  # the feed itself lists every release of the lines it covers
    catalog = convert(parse(raw, label), source, today, label=label, complete=complete)
    output = args.output if args.output is not None else default_cache_path()
    write_catalog(catalog, output)
    if not args.quiet:
        sys.stdout.write(f"runtime-lint: {summary(catalog)}; written to {output}\n")
    return 0


def configured_url(config_path: str | None) -> str:
    """The `feed-url` setting of the config in effect here (or --config), else Astronomer's feed."""
    from runtime_lint.config import FEED_URL, Finder

    config = Finder(config_path).for_file(os.path.join(os.getcwd(), "Dockerfile"))
    if config is None:
        return FEED_URL
    url = config.values.get("feed-url", FEED_URL)
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"config {config.path}: feed-url must be a URL string, got {url!r}")
    return url.strip()


def summary(catalog: Catalog) -> str:
    """`172 releases, newest 3.3-4 (Airflow 3) and 13.9.0 (Airflow 2), data as of 2026-11-28`."""
    from runtime_lint.release import Release

    newest: dict[int, Release] = {}
    for release in catalog.all():
        if release.yanked or release.feed_channel in ("alpha", "beta"):
            continue
        if release.era not in newest or release.key > newest[release.era].key:
            newest[release.era] = release
    parts = [f"{newest[era].version} (Airflow {era})" for era in (3, 2) if era in newest]
    shown = f", newest {' and '.join(parts)}" if parts else ""
    return f"catalog updated: {len(catalog)} releases{shown}, data as of {catalog.generated}"
