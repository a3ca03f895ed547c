#!/usr/bin/env python3
"""Where runtime-lint's time goes, phase by phase, in one process (a developer's tool).

    python benchmarks/phases.py [FILE_OR_FOLDER ...]     # default: the 2,000-file bench corpus

Prints the best of --repeat runs of: discovery, reading, settings, parsing, image resolution,
rules (the rest of engine.lint_text) and rendering the text report, in ms total and µs per file.
It uses internal APIs (commands.make_linter, cli.build_parser, engine, report); adjust it when they
change.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # bench.py (also when run with -P / PYTHONSAFEPATH)
try:  # the installed runtime_lint (the compiled build measures as users get it), else this checkout
    import runtime_lint  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.dirname(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from bench import _cache_dir, make_corpus  # benchmarks/ is sys.path[0] when run as a script

    from runtime_lint.cli import build_parser
    from runtime_lint.commands import make_linter
    from runtime_lint.discover import discover
    from runtime_lint.dockerfile import parse
    from runtime_lint.engine import lint_text, read_source
    from runtime_lint.report import Run, render
    from runtime_lint.resolve import resolve_images

    paths = args.paths or make_corpus(os.path.join(_cache_dir(), "corpus"), 2000)
    cli_args = build_parser("check").parse(["--as-of", "2026-11-28", "--no-color", *paths])
    best: dict[str, float] = {}

    def clock(name: str, start: float) -> float:
        now = time.perf_counter()
        best[name] = min(best.get(name, float("inf")), now - start)
        return now

    for _ in range(args.repeat):
        linter = make_linter(cli_args)
        t = time.perf_counter()
        files = discover(paths)
        t = clock("discover", t)
        texts = [read_source(f)[0] for f in files]
        t = clock("read", t)
        settings = [linter.settings_for(f) for f in files]
        t = clock("settings", t)
        catalogs = [linter.catalog(s.catalog) for s in settings]
        t = clock("catalog", t)
        dfs = [parse(x) for x in texts]
        t = clock("parse", t)
        for df, s, c in zip(dfs, settings, catalogs, strict=True):
            resolve_images(df, c, s.as_of, s.options["runtime-registries"])
        t = clock("resolve images", t)
        results = [
            lint_text(f, x, s, c, linter.rules, linter.build_args)
            for f, x, s, c in zip(files, texts, settings, catalogs, strict=True)
        ]
        t = clock("lint_text (parse+resolve+rules)", t)
        run = Run(settings[0].as_of, catalogs[0], linter.rules)
        run.color = False
        out = render("text", results, run)
        t = clock("render text", t)
    del out
    n = len(files)
    best["rules (lint_text - parse - resolve)"] = (
        best["lint_text (parse+resolve+rules)"] - best["parse"] - best["resolve images"]
    )
    import runtime_lint.dockerfile

    build = "pure Python" if runtime_lint.dockerfile.__file__.endswith(".py") else "compiled (mypyc)"
    print(f"{n} files, best of {args.repeat}, {build}: {os.path.dirname(runtime_lint.dockerfile.__file__)}")
    for name, seconds in best.items():
        print(f"  {name:<38}{seconds * 1000:9.1f} ms{seconds * 1e6 / max(n, 1):9.1f} µs/file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
