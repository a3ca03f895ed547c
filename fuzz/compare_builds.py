#!/usr/bin/env python3
"""Does the mypyc-compiled build find exactly what the pure-Python source finds?

    RUNTIME_LINT_SOURCE=. python fuzz/compare_builds.py FILE_OR_FOLDER ... > pure.jsonl
    python -P fuzz/compare_builds.py FILE_OR_FOLDER ... > compiled.jsonl   # an installed wheel
    cmp pure.jsonl compiled.jsonl

The first line names the build that ran (the file `runtime_lint.dockerfile` was loaded from).
Then one JSON line per input (every file under each folder, in sorted order, read as bytes,
the first byte choosing the mode as in fuzz_parser.py): the parse snapshot, every rule's
findings and fixes, ARG expansion, the reference and the tag grammar on the text, or the
exception any of them raised. mypyc checks types at run time where the interpreter does not, so
a value of the wrong type that the source lets through becomes a TypeError in the compiled
build; this finds such places. RUNTIME_LINT_SOURCE=DIR imports runtime_lint from DIR (a
checkout) instead of the installed package. tests/test_builds.py runs this on the seeds.
"""

from __future__ import annotations

import json
import os
import sys

if os.environ.get("RUNTIME_LINT_SOURCE"):
    sys.path.insert(0, os.path.abspath(os.environ["RUNTIME_LINT_SOURCE"]))

from datetime import date

from runtime_lint import catalog as catalog_module
from runtime_lint import dockerfile
from runtime_lint.checks import all_rules
from runtime_lint.config import Config, resolve
from runtime_lint.dockerfile import parse, snapshot
from runtime_lint.engine import lint_text
from runtime_lint.expand import Var, expand
from runtime_lint.image import family, parse_reference, parse_runtime_tag

DAY = date(2026, 11, 28)
RULES = all_rules()
POLICY = {
    "select": ["ALL"],
    "allowed-registries": ["quay.io/astronomer", "astrocrpublic.azurecr.io"],
    "required-channel": "lts",
    "minimum-version": "12.0.0",
}
SETTINGS = resolve(Config(None, "/", POLICY), {"as-of": DAY}, RULES, "Dockerfile", DAY)
CATALOG = catalog_module.load(None, cache="/nonexistent/runtime-lint-compare-cache.json")
ENV = {"TAG": Var("12.6.0", [(1, k) for k in range(1, 7)]), "A": Var(None), "B": Var("")}


def attempt(what: str, func: object, *args: object) -> object:
    try:
        return func(*args)  # type: ignore[operator]
    except Exception as exc:  # recorded: both builds must fail the same way
        return f"{what} raised {type(exc).__name__}: {exc}"


def describe(data: bytes) -> dict[str, object]:
    mode, body = (data[0], data[1:]) if data else (0, b"")
    text = body.decode("utf-8", "replace")
    build_args = {"TAG": "3.1-2", "REG": "astrocrpublic.azurecr.io"} if mode & 1 else None
    out: dict[str, object] = {}
    out["parse"] = repr(attempt("parse", lambda: snapshot(parse(text, build_args))))
    result = attempt("lint", lint_text, "Dockerfile", text, SETTINGS, CATALOG, RULES, build_args, bool(mode & 4))
    if isinstance(result, str):
        out["lint"] = result
    else:
        findings = result.findings  # type: ignore[attr-defined]
        out["lint"] = [(f.code, f.severity, f.message, repr(f.span), repr(f.fix), f.stage) for f in findings]
    if len(text) <= 4096:
        escape = "`" if mode & 2 else "\\"
        origins: list[tuple[int, int] | None] = [(1, k) for k in range(1, len(text) + 1)]
        expanded = attempt("expand", expand, text, origins, ENV, escape)
        if not isinstance(expanded, str):
            expanded = repr((expanded.text, expanded.origins, expanded.unresolved))  # type: ignore[attr-defined]
        out["expand"] = expanded
        ref = attempt("reference", parse_reference, text)
        out["reference"] = ref if isinstance(ref, str) else [repr(ref), family(ref, [])]  # type: ignore[arg-type]
        tag = attempt("tag", parse_runtime_tag, text)
        if not isinstance(tag, str):
            tag = [getattr(tag, name) for name in ("tag", "version", "era", "key", "line", "suffix", "flavor")]
        out["tag"] = tag
    return out


def inputs(paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(os.path.join(folder, name) for name in sorted(names))
        else:
            found.append(path)
    return found


def main(argv: list[str]) -> int:
    out = sys.stdout
    out.write(json.dumps({"build": os.path.basename(dockerfile.__file__ or "")}) + "\n")
    for path in inputs(argv):
        with open(path, "rb") as handle:
            data = handle.read()
        out.write(json.dumps(describe(data), sort_keys=True, default=repr) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
