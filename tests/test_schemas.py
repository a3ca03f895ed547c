"""The JSON Schemas in runtime_lint/schemas/ describe exactly what `--format json` prints.

Every document runtime-lint prints with `--format json` (check), `images --format json` and
`catalog list --format json` is validated against its Draft 2020-12 schema: the examples, a corpus
of varied Dockerfiles (and files that cannot be read), the benchmark's generated Dockerfiles, and
the catalog with each filter. The schemas use `additionalProperties: false`, so a new key in the
output fails here until the schema describes it (and `schema_version` says which shape it is).
Mutated documents must fail, so these tests can fail. The schemas are read as package data
(importlib.resources), so the installed-wheel pass checks that the wheel ships them.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Cli, Result, write
from jsonschema import Draft202012Validator

from runtime_lint.model import SEVERITY_NAMES
from runtime_lint.release import FIELDS, STATUSES

DAY = ("--as-of", "2026-11-28")
RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
DIGEST = "sha256:" + "4f" * 32
SCHEMA_NAMES = ("report", "images", "catalog-list")
# The images and catalog list documents are built in runtime_lint/commands/images.py and catalog.py.
CLI_TODO = (
    'runtime_lint/commands/ must put "schema_version" (runtime_lint.report.json.SCHEMA_VERSION) in the {} document'
)

# (folder name, Dockerfile text): shapes that exercise every branch of the schemas
CORPUS: list[tuple[str, str | bytes]] = [
    ("init", f"FROM {RT}:13.11.0\n"),
    ("older-patch", f"FROM {RT}:13.10.0\n"),
    ("base-flavor", f"FROM {RT}:12.6.0-base\n"),
    ("python-variant", f"FROM {RT}:12.6.0-python-3.11\n"),
    ("python-base", f"FROM {RT}:12.6.0-python-3.11-base\n"),
    ("arg-default", f"ARG V=13.10.0\nFROM {RT}:${{V}}\n"),
    ("arg-quoted", f'ARG V="12.6.0"\nFROM {RT}:${{V}}-base\n'),
    ("arg-unresolved", f"ARG V\nARG W\nFROM {RT}:${{V}}-${{W}}\n"),
    ("arg-fallback", f"ARG TAG\nFROM {RT}:${{TAG:-13.10.0}}\n"),
    (
        "all-args",
        "ARG REGISTRY=quay.io\nARG IMAGE=astronomer/astro-runtime\nARG TAG=12.5.0\nFROM ${REGISTRY}/${IMAGE}:${TAG}\n",
    ),
    ("one-arg-two-froms", f"ARG RT=12.6.0\nFROM {RT}:${{RT}}-base AS build\nFROM {RT}:${{RT}}\n"),
    ("tag-and-digest", f"FROM {RT}:12.6.0@{DIGEST}\n"),
    ("digest-only", f"FROM {RT}@{DIGEST}\n"),
    ("digest-from-arg", f"ARG V=12.6.0\nFROM {RT}:${{V}}@{DIGEST}\n"),
    (
        "multi-stage",
        "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS builder\nRUN pip wheel -w /wheels x\n\n"
        f"FROM {RT}:13.10.0 AS runtime\nCOPY --from=builder /wheels /wheels\n",
    ),
    ("stage-refs", f"FROM --platform=linux/amd64 {RT}:12.6.0 AS base\nFROM base AS test\nRUN pytest\nFROM base\n"),
    ("stage-ref-case", f"FROM {RT}:13.10.0 AS Build\nFROM build\n"),
    ("platform-arg", f"ARG TARGETPLATFORM\nFROM --platform=$TARGETPLATFORM {RT}:13.11.0\n"),
    ("airflow3", f"FROM {AF3}:3.3-8\n"),
    ("airflow3-older", f"FROM {AF3}:3.1-12-python-3.12\n"),
    ("airflow3-slim", f"FROM {AF3}:3.1-12-slim\n"),
    ("airflow3-floating", f"FROM {AF3}:3.1\n"),
    ("floating-major", f"FROM {RT}:13\n"),
    ("latest", f"FROM {RT}:latest\n"),
    ("no-tag", f"FROM {RT}\n"),
    ("invalid-tag", f"FROM {RT}:13.x\n"),
    ("invalid-suffix", f"FROM {RT}:12.6.0-pythn-3.11\n"),
    ("yanked", f"FROM {RT}:8.0.0\n"),
    ("yanked-airflow3", f"FROM {AF3}:3.1-8\n"),
    ("ended", f"FROM {RT}:4.2.9\n"),
    ("basic-support", f"FROM {RT}:12.12.0\n"),
    ("inferred-in-known-line", f"FROM {RT}:13.99.0\n"),
    ("unknown-line", f"FROM {RT}:99.0.0\n"),
    ("certified", "FROM quay.io/astronomer/ap-airflow:2.2.5-onbuild\n"),
    ("certified-docker-hub", "FROM astronomerinc/ap-airflow:2.1.0-buster\n"),
    ("oss-airflow", "FROM apache/airflow:2.9.0-python3.11\n"),
    ("not-astro", "FROM python:3.12-slim\nRUN echo hi\n"),
    ("empty", ""),
    ("comments-only", "# nothing here\n# FROM quay.io/astronomer/astro-runtime:4.2.9\n"),
    ("from-without-image", "FROM\n"),
    ("unknown-instruction", f"FROMM {RT}:13.10.0\nFROM {RT}:13.10.0\n"),
    ("continuation-at-eof", f"FROM {RT}:13.10.0\nRUN echo \\\n"),
    ("lowercase-from", f"from {RT}:13.10.0 as build\n"),
    ("escape-directive", f"# escape=`\nFROM {RT}:13.10.0\nRUN echo a `\n    b\n"),
    ("inline-ignore", f"FROM {RT}:13.10.0  # runtime-lint: ignore[RL204]\n"),
    ("crlf-bom", f"\ufeffFROM {RT}:13.10.0\r\nRUN echo hi\r\n".encode()),
    ("no-final-newline", f"FROM {RT}:13.10.0"),
    ("unicode", f'# Größe: café ☕\nLABEL who="zoë"\nFROM {RT}:13.10.0\n'),
    ("heredoc", f"FROM {RT}:13.10.0\nRUN <<EOF\necho hi\nEOF\n"),
    ("scratch-and-runtime", f"FROM scratch AS empty\nFROM {RT}:12.1.1\nCOPY --from=empty / /\n"),
    ("many-froms", "".join(f"FROM {RT}:{v}\n" for v in ("11.3.0", "10.9.0", "9.1.0", "7.6.0", "5.5.0"))),
    ("binary", b"\x00\x01\x02FROM\x00\xff"),
    ("not-utf8", b"FROM quay.io/astronomer/astro-runtime:13.10.0\n# caf\xe9\n"),
]


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    """The schemas as the installed package ships them."""
    folder = resources.files("runtime_lint") / "schemas"
    return {name: json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8")) for name in SCHEMA_NAMES}


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(schema: dict[str, Any], doc: Any) -> list[str]:
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in _validator(schema).iter_errors(doc)]


def _json(result: Result, codes: tuple[int, ...] = (0, 1)) -> Any:
    assert result.code in codes, result
    return json.loads(result.out)


def _assert_valid(schema: dict[str, Any], doc: Any) -> None:
    errors = _errors(schema, doc)
    assert not errors, "\n".join(errors[:20])


def _images(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for file in doc["files"]:
        yield from file["images"]


def _corpus(folder: Path) -> Path:
    for name, text in CORPUS:
        write(folder / name / "Dockerfile", text)
    return folder


def _bench_dockerfiles(folder: Path, count: int) -> Path:
    """`count` Dockerfiles from the benchmark's generator (benchmarks/bench.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rng = random.Random(bench.SEED)
    for k in range(count):
        write(folder / f"p{k:03d}" / "Dockerfile", bench.dockerfile(rng))
    return folder


# ------------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(schemas: dict[str, dict[str, Any]], name: str) -> None:
    schema = schemas[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/runtime_lint/schemas/{name}.schema.json")
    assert schema["properties"]["schema_version"] == {**schema["properties"]["schema_version"], "const": "1"}


def test_schema_version_matches_the_report_module(schemas: dict[str, dict[str, Any]]) -> None:
    from runtime_lint.report.json import SCHEMA_VERSION

    for schema in schemas.values():
        assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_schemas_share_their_definitions(schemas: dict[str, dict[str, Any]]) -> None:
    """Each schema stands alone (no cross-file $ref); the definitions they share are the same."""
    report, images, catalog_list = (schemas[n]["$defs"] for n in SCHEMA_NAMES)
    for name in ("catalog", "image", "runtime"):
        assert images[name] == report[name], name
    assert catalog_list["catalog"] == report["catalog"]


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_is_closed_and_fully_required(schemas: dict[str, dict[str, Any]], name: str) -> None:
    """Every key is always printed (null when unknown), and no other key is allowed."""
    found = list(_objects(schemas[name]))
    assert found
    for node in found:
        assert node["additionalProperties"] is False, node
        assert sorted(node["required"]) == sorted(node["properties"]), node


def test_enums_match_the_code(schemas: dict[str, dict[str, Any]]) -> None:
    defs = schemas["report"]["$defs"]
    assert set(defs["finding"]["properties"]["severity"]["enum"]) == set(SEVERITY_NAMES.values())
    assert set(defs["runtime"]["properties"]["status"]["enum"]) == {*STATUSES, "floating", "unknown-version"}
    release = schemas["catalog-list"]["$defs"]["release"]
    assert set(release["properties"]["status"]["enum"]) == set(STATUSES)
    assert list(release["properties"]) == [f.name for f in FIELDS] + ["status"]
    for field in FIELDS:
        types = release["properties"][field.name]["type"]
        assert ("null" in types) == field.nullable, field.name
    assert set(release["properties"]["sources"]["propertyNames"]["enum"]) == {f.name for f in FIELDS}


# --------------------------------------------------------------------- check --format json


def test_examples_match_the_report_schema(cli: Cli, schemas: dict[str, dict[str, Any]]) -> None:
    doc = _json(cli("examples/", "--format", "json", *DAY, cwd=ROOT))
    assert len(doc["files"]) == len(list((ROOT / "examples").rglob("Dockerfile")))
    assert doc["schema_version"] == "1"
    _assert_valid(schemas["report"], doc)


@pytest.mark.parametrize(
    "options",
    [
        pytest.param((*DAY,), id="as-of"),
        pytest.param(("--as-of", "2027-03-01"), id="ending-soon"),
        pytest.param(("--as-of", "2021-09-01"), id="long-ago"),
        pytest.param((*DAY, "--ignore", "RL204,RL209"), id="ignore-rules"),
        pytest.param((*DAY, "--build-arg", "V=12.6.0", "--build-arg", "W=base"), id="build-args"),
    ],
)
def test_corpus_matches_the_report_schema(
    cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]], options: tuple[str, ...]
) -> None:
    _corpus(tmp_path)
    result = cli(".", "missing/Dockerfile", "--format", "json", *options, cwd=tmp_path)
    doc = _json(result, codes=(2,))  # files that cannot be read make it exit 2
    _assert_valid(schemas["report"], doc)
    assert len(doc["files"]) == len(CORPUS) + 1


def test_corpus_reaches_every_branch_of_the_report_schema(
    cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]
) -> None:
    """The corpus is worth validating: it prints every status, family, null and non-null form."""
    _corpus(tmp_path)
    docs = [
        _json(cli(".", "missing/Dockerfile", "--format", "json", *days, cwd=tmp_path), codes=(2,))
        for days in (DAY, ("--as-of", "2027-03-01"))
    ]
    images = [i for doc in docs for i in _images(doc)]
    findings = [f for doc in docs for file in doc["files"] for f in file["findings"]]
    runtimes = [i["runtime"] for i in images if i["runtime"] is not None]
    statuses = {r["status"] for r in runtimes}
    assert statuses == set(schemas["report"]["$defs"]["runtime"]["properties"]["status"]["enum"]) - {"unknown-version"}
    assert {i["family"] for i in images} == {"runtime", "certified", "airflow", None}
    assert {r["flavor"] for r in runtimes} == {"base", "non-base"}
    assert any(i["runtime"] is None for i in images)
    assert any(i["stage_ref"] is not None for i in images)
    assert any(i["unresolved"] for i in images)
    assert any(i["digest"] is not None for i in images)
    assert any(i["platform"] is not None for i in images)
    assert any(r["inferred"] for r in runtimes)
    assert {f["severity"] for f in findings} >= {"error", "warning"}
    fixes = [f["fix"] for f in findings if f["fix"] is not None]
    assert any(f["fix"] is None for f in findings)
    assert {fix["safe"] for fix in fixes} == {True, False}
    assert any(fix["replaced_by"] is not None for fix in fixes)
    errors = [file for doc in docs for file in doc["files"] if file["error"] is not None]
    assert {Path(file["path"]).parent.name for file in errors} >= {"missing", "binary", "not-utf8"}


def test_unknown_version_status_matches(cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]) -> None:
    """A release the catalog does not know in a line it does not know either (`unknown-version`),
    from a catalog file of one release: the `file` origin too."""
    bundled = json.loads((resources.files("runtime_lint") / "data" / "catalog.json").read_text(encoding="utf-8"))
    bundled["releases"] = [r for r in bundled["releases"] if r["version"] == "13.10.0"]
    bundled["complete_lines"] = []
    catalog = write(tmp_path / "catalog.json", json.dumps(bundled))
    _corpus(tmp_path / "corpus")
    doc = _json(cli("corpus", "--format", "json", "--catalog", str(catalog), *DAY, cwd=tmp_path), codes=(2,))
    _assert_valid(schemas["report"], doc)
    assert doc["catalog"]["origin"] == "file"
    assert doc["catalog"]["releases"] == 1


def test_stdin_matches_the_report_schema(cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]) -> None:
    result = cli("-", "--stdin-filename", "x/Dockerfile", "--format", "json", *DAY, cwd=tmp_path, stdin=CORPUS[1][1])
    _assert_valid(schemas["report"], _json(result))


def test_benchmark_corpus_matches_the_report_schema(
    cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]
) -> None:
    _bench_dockerfiles(tmp_path, 80)
    doc = _json(cli(".", "--format", "json", *DAY, cwd=tmp_path))
    assert len(doc["files"]) == 80
    _assert_valid(schemas["report"], doc)


# ------------------------------------------------------------------- images --format json


@pytest.mark.parametrize("where", ["examples", "corpus", "bench"])
def test_images_match_the_images_schema(
    cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]], where: str
) -> None:
    if where == "examples":
        result = cli("images", "examples/", "--format", "json", *DAY, cwd=ROOT)
    elif where == "corpus":
        _corpus(tmp_path)
        result = cli("images", ".", "missing/Dockerfile", "--format", "json", *DAY, cwd=tmp_path)
    else:
        _bench_dockerfiles(tmp_path, 40)
        result = cli("images", ".", "--format", "json", *DAY, cwd=tmp_path)
    doc = _json(result, codes=(0, 2))
    assert doc.get("schema_version") == "1", CLI_TODO.format("`images --format json`")
    _assert_valid(schemas["images"], doc)


def test_images_objects_are_the_report_image_objects(cli: Cli, tmp_path: Path) -> None:
    _corpus(tmp_path)
    images = _json(cli("images", ".", "--format", "json", *DAY, cwd=tmp_path), codes=(0, 2))
    report = _json(cli(".", "--format", "json", *DAY, cwd=tmp_path), codes=(2,))
    assert [f["images"] for f in images["files"]] == [f["images"] for f in report["files"]]


# ------------------------------------------------------------- catalog list --format json


@pytest.mark.parametrize(
    "options",
    [
        pytest.param((), id="all"),
        pytest.param(("--line", "12"), id="line-12"),
        pytest.param(("--line", "3.1"), id="line-3.1"),
        pytest.param(("--line", "99"), id="no-such-line"),
        *(pytest.param(("--status", s), id=f"status-{s}") for s in STATUSES),
        pytest.param(("--line", "13", "--status", "supported"), id="line-and-status"),
    ],
)
def test_catalog_list_matches_the_catalog_list_schema(
    cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]], options: tuple[str, ...]
) -> None:
    doc = _json(cli("catalog", "list", "--format", "json", *DAY, *options, cwd=tmp_path), codes=(0,))
    assert doc.get("schema_version") == "1", CLI_TODO.format("`catalog list --format json`")
    _assert_valid(schemas["catalog-list"], doc)
    if "--status" in options:
        assert {r["status"] for r in doc["releases"]} <= {options[options.index("--status") + 1]}


def test_catalog_list_on_other_days_matches(cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]) -> None:
    statuses: set[str] = set()
    for day in ("2021-09-01", "2026-11-28", "2027-03-01"):
        doc = _json(cli("catalog", "list", "--format", "json", "--as-of", day, cwd=tmp_path), codes=(0,))
        assert doc.get("schema_version") == "1", CLI_TODO.format("`catalog list --format json`")
        _assert_valid(schemas["catalog-list"], doc)
        statuses |= {r["status"] for r in doc["releases"]}
    assert statuses >= {"supported", "ending-soon", "basic-support", "ended", "yanked"}


# -------------------------------------------------------------------- the schemas can fail


def _valid_report() -> dict[str, Any]:
    """A document as `--format json` prints it, with an image, a finding and a fix."""
    image = {
        "line": 2, "column": 6, "end_line": 2, "end_column": 43,
        "raw": f"{RT}:${{V}}", "resolved": f"{RT}:13.10.0", "unresolved": [],
        "registry": "quay.io", "repository": "astronomer/astro-runtime", "tag": "13.10.0", "digest": None,
        "family": "runtime", "airflow": "2.11.2", "alias": None, "platform": None, "platform_raw": None,
        "stage_ref": None,
        "runtime": {
            "version": "13.10.0", "line": "13", "flavor": "non-base", "python": None, "variants": [],
            "airflow": "2.11.2", "channel": "LTS", "release_date": "2026-08-22",
            "end_of_maintenance": "2027-04-30", "end_of_basic_support": "2027-11-30",
            "status": "supported", "latest": "13.11.0", "inferred": False,
        },
    }  # fmt: skip
    finding = {
        "code": "RL204", "name": "patch-not-latest", "severity": "warning", "message": "update",
        "line": 2, "column": 6, "end_line": 2, "end_column": 43,
        "fix": {
            "replacement": "13.11.0", "line": 1, "column": 7, "end_line": 1, "end_column": 14,
            "safe": True, "description": "update to 13.11.0", "replaced_by": None,
        },
    }  # fmt: skip
    return {
        "schema_version": "1",
        "tool": {"name": "runtime-lint", "version": "0.2.0"},
        "as_of": "2026-11-28",
        "catalog": {
            "source": "s",
            "generated": "2026-09-25",
            "releases": 204,
            "feed_schema": None,
            "origin": "bundled",
            "path": "/x/catalog.json",
        },
        "files": [{"path": "Dockerfile", "error": None, "images": [image], "findings": [finding]}],
        "summary": {"files": 1, "findings": 1, "by_severity": {"error": 0, "warning": 1, "info": 0}, "errors": 0},
    }


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value

    return mutate


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return mutate


FINDING = "files/0/findings/0"
IMAGE = "files/0/images/0"
MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("severity fatal", _set(f"{FINDING}/severity", "fatal")),
    ("missing summary", _drop("summary")),
    ("missing fix.replaced_by", _drop(f"{FINDING}/fix/replaced_by")),
    ("missing image.runtime", _drop(f"{IMAGE}/runtime")),
    ("unknown top-level key", _set("extra", 1)),
    ("unknown image key", _set(f"{IMAGE}/size", 1)),
    ("unknown fix key", _set(f"{FINDING}/fix/unsafe", True)),
    ("status deprecated", _set(f"{IMAGE}/runtime/status", "deprecated")),
    ("family unknown", _set(f"{IMAGE}/family", "other")),
    ("flavor slim", _set(f"{IMAGE}/runtime/flavor", "slim")),
    ("line 0", _set(f"{FINDING}/line", 0)),
    ("column as text", _set(f"{IMAGE}/column", "6")),
    ("fix.safe as text", _set(f"{FINDING}/fix/safe", "yes")),
    ("bad code", _set(f"{FINDING}/code", "E501")),
    ("bad date", _set("as_of", "28/11/2026")),
    ("impossible date", _set(f"{IMAGE}/runtime/end_of_maintenance", "2027-02-30")),
    ("schema_version 2", _set("schema_version", "2")),
    ("schema_version missing", _drop("schema_version")),
    ("tool renamed", _set("tool/name", "hadolint")),
    ("origin remote", _set("catalog/origin", "remote")),
    ("by_severity without info", _drop("summary/by_severity/info")),
    ("error with images", _set("files/0/error", "no such file or directory")),
    ("null message", _set(f"{FINDING}/message", None)),
]


def test_the_reference_document_is_valid(schemas: dict[str, dict[str, Any]]) -> None:
    _assert_valid(schemas["report"], _valid_report())


@pytest.mark.parametrize(("what", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_mutated_report_fails(
    schemas: dict[str, dict[str, Any]], what: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    doc = copy.deepcopy(_valid_report())
    mutate(doc)
    assert _errors(schemas["report"], doc), f"{what}: the schema accepted it"


def test_a_mutated_catalog_list_fails(cli: Cli, tmp_path: Path, schemas: dict[str, dict[str, Any]]) -> None:
    doc = _json(cli("catalog", "list", "--format", "json", *DAY, "--line", "13", cwd=tmp_path), codes=(0,))
    doc["schema_version"] = "1"  # the mutations below are what must fail, whether cli.py adds it yet or not
    _assert_valid(schemas["catalog-list"], doc)
    for what, path, value in [
        ("status floating", "status", "floating"),
        ("yanked null", "yanked", None),
        ("unknown field", "size", 1),
        ("sources of an unknown field", "sources", {"colour": "x"}),
        ("python_versions as text", "python_versions", "3.12"),
    ]:
        bad = copy.deepcopy(doc)
        bad["releases"][0][path] = value
        assert _errors(schemas["catalog-list"], bad), f"{what}: the schema accepted it"
    bad = copy.deepcopy(doc)
    del bad["releases"][0]["note"]
    assert _errors(schemas["catalog-list"], bad), "missing note: the schema accepted it"


def test_a_mutated_images_document_fails(cli: Cli, schemas: dict[str, dict[str, Any]]) -> None:
    doc = _json(cli("images", "examples/", "--format", "json", *DAY, cwd=ROOT), codes=(0,))
    doc["schema_version"] = "1"  # the mutations below are what must fail, whether cli.py adds it yet or not
    _assert_valid(schemas["images"], doc)
    bad = copy.deepcopy(doc)
    bad["files"][0]["findings"] = []  # `images` prints no findings
    assert _errors(schemas["images"], bad)
    bad = copy.deepcopy(doc)
    bad["files"][0]["images"][0]["runtime"]["status"] = "fatal"
    assert _errors(schemas["images"], bad)


def test_platform_is_what_buildkit_uses_and_platform_raw_what_is_written(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text(
        f'ARG ARCH=arm64\nFROM --platform="linux/${{ARCH}}" {RT}:13.11.0\nFROM --platform=linux/amd64 {RT}:13.11.0\n'
    )
    doc = json.loads(cli("Dockerfile", *DAY, "--format", "json", cwd=tmp_path).out)
    first, second = doc["files"][0]["images"]
    assert (first["platform"], first["platform_raw"]) == ("linux/arm64", '"linux/${ARCH}"')
    assert (second["platform"], second["platform_raw"]) == ("linux/amd64", "linux/amd64")
