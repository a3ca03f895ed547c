"""A few dozen Dockerfile shapes seen in Astro projects, linted through the installed command.

Each case: the Dockerfile, the images runtime-lint must resolve (in order), and the rule codes it
must report, as of 2026-11-28 with the bundled catalog.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
DIGEST = "sha256:" + "4f" * 32

SHAPES: list[tuple[str, str, list[str | None], list[str]]] = [
    ("astro dev init", f"FROM {RT}:13.11.0\n", [f"{RT}:13.11.0"], []),
    ("astro dev init, older", f"FROM {RT}:13.10.0\n", [f"{RT}:13.10.0"], ["RL204"]),
    ("airflow 3 init", f"FROM {AF3}:3.3-8\n", [f"{AF3}:3.3-8"], []),
    ("airflow 3, python pinned", f"FROM {AF3}:3.1-12-python-3.12\n", [f"{AF3}:3.1-12-python-3.12"], ["RL204"]),
    (
        "system packages as root",
        f"FROM {RT}:12.12.0\n\nUSER root\nRUN apt-get update && apt-get install -y postgresql-client && \\\n"
        "    rm -rf /var/lib/apt/lists/*\n\nUSER astro\n",
        [f"{RT}:12.12.0"],
        ["RL202"],
    ),
    (
        "dbt in a virtualenv",
        f"FROM {RT}:13.10.0\n\nRUN python -m venv dbt_venv && source dbt_venv/bin/activate && \\\n"
        "    pip install --no-cache-dir dbt-postgres && deactivate\n",
        [f"{RT}:13.10.0"],
        ["RL204"],
    ),
    (
        "commented-out FROM above the real one",
        f"# FROM {RT}:13.1.0\n#USER root\nFROM {RT}:13.11.0\nENV HOST=0.0.0.0\n",
        [f"{RT}:13.11.0"],
        [],
    ),
    (
        "ENV over continuation lines",
        f"FROM {RT}:12.6.0\nCOPY --chown=astro:astro include/.aws /home/astro/.aws\n"
        "ENV CLUSTER=a \\\n    STORAGE_PATH=/efs \\\n    SERVER=b\n",
        [f"{RT}:12.6.0"],
        ["RL202", "RL204"],
    ),
    (
        "retired Certified image",
        "FROM quay.io/astronomer/ap-airflow:2.2.5-onbuild\n",
        ["quay.io/astronomer/ap-airflow:2.2.5-onbuild"],
        ["RL105"],
    ),
    (
        "Certified on Docker Hub",
        "FROM astronomerinc/ap-airflow:1.10.12-buster-onbuild\n",
        ["astronomerinc/ap-airflow:1.10.12-buster-onbuild"],
        ["RL105"],
    ),
    ("OSS airflow in an Astro project", "FROM apache/airflow:2.10.2\n", ["apache/airflow:2.10.2"], ["RL106"]),
    ("digest pinned", f"FROM {RT}:13.11.0@{DIGEST}\n", [f"{RT}:13.11.0@{DIGEST}"], []),
    ("digest only", f"FROM {RT}@{DIGEST}\n", [f"{RT}@{DIGEST}"], ["RL101"]),
    ("latest", f"FROM {RT}:latest\n", [f"{RT}:latest"], ["RL101"]),
    ("untagged", f"FROM {RT}\n", [RT], ["RL101"]),
    (
        "base flavor",
        f"FROM {RT}:13.11.0-base\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        [f"{RT}:13.11.0-base"],
        ["RL103"],
    ),
    (
        "ARG version",
        f"ARG ASTRO_RUNTIME_VERSION=13.10.0\nFROM {RT}:${{ASTRO_RUNTIME_VERSION}}\n",
        [f"{RT}:13.10.0"],
        ["RL204"],
    ),
    (
        "ARG registry and image",
        'ARG REGISTRY=quay.io\nARG IMAGE="astronomer/astro-runtime"\nARG TAG=13.11.0\nFROM $REGISTRY/$IMAGE:$TAG\n',
        [f"{RT}:13.11.0"],
        [],
    ),
    ("ARG without default", f"ARG RUNTIME\nFROM {RT}:${{RUNTIME}}\n", [None], ["RL104"]),
    ("ARG default via modifier", f"ARG RUNTIME\nFROM {RT}:${{RUNTIME:-13.11.0}}\n", [f"{RT}:13.11.0"], []),
    (
        "multi-stage wheel builder",
        f"FROM {RT}:13.11.0-base AS builder\nRUN pip wheel -w /wheels private-pkg\n"
        f"FROM {RT}:13.11.0\nCOPY --from=builder /wheels /tmp/wheels\n",
        [f"{RT}:13.11.0-base", f"{RT}:13.11.0"],
        [],
    ),
    (
        "stage reused as final",
        f"FROM {RT}:13.11.0 AS base\nRUN echo one\nFROM base\nRUN echo two\n",
        [f"{RT}:13.11.0", "base"],
        [],
    ),
    (
        "node build stage then runtime",
        f"FROM node:20-alpine AS ui\nRUN npm ci\nFROM {RT}:13.11.0\n"
        "COPY --from=ui /app/dist /usr/local/airflow/include/ui\n",
        ["node:20-alpine", f"{RT}:13.11.0"],
        [],
    ),
    ("platform pinned", f"FROM --platform=linux/amd64 {RT}:13.11.0\n", [f"{RT}:13.11.0"], []),
    ("lower case keywords", f"from {RT}:13.11.0 as Final\nrun echo ok\n", [f"{RT}:13.11.0"], []),
    ("CRLF line endings", f"FROM {RT}:13.10.0\r\nUSER root\r\n", [f"{RT}:13.10.0"], ["RL204"]),
    ("BOM", f"\ufeffFROM {RT}:13.11.0\n", [f"{RT}:13.11.0"], []),
    ("no final newline", f"FROM {RT}:13.11.0", [f"{RT}:13.11.0"], []),
    (
        "heredoc RUN",
        f"# syntax=docker/dockerfile:1\nFROM {RT}:13.11.0\nRUN <<EOF\nset -e\necho FROM inside heredoc\nEOF\n",
        [f"{RT}:13.11.0"],
        [],
    ),
    (
        "FROM split over lines",
        f"FROM \\\n    {RT}:13.10.0-python-3.11 \\\n    AS runtime\n",
        [f"{RT}:13.10.0-python-3.11"],
        ["RL204"],
    ),
    ("v prefix typo", f"FROM {RT}:v12.8.0\n", [f"{RT}:v12.8.0"], ["RL102"]),
    (
        "airflow 3 on quay registry name typo",
        "FROM quay.io/astronomer/astro-runtime:3.0-4\n",
        [f"{RT}:3.0-4"],
        ["RL204"],
    ),
    ("yanked release", f"FROM {RT}:11.1.0\n", [f"{RT}:11.1.0"], ["RL205", "RL207"]),
    ("yanked airflow 3", f"FROM {AF3}:3.0-9\n", [f"{AF3}:3.0-9"], ["RL205"]),
    ("newer than catalog", f"FROM {RT}:13.12.0\n", [f"{RT}:13.12.0"], ["RL209"]),
    (
        "python variant before Runtime 9",
        f"FROM {RT}:7.6.0-python-3.9\n",
        [f"{RT}:7.6.0-python-3.9"],
        ["RL202", "RL206"],
    ),
    ("floating airflow 3 tag", f"FROM {AF3}:3.1\n", [f"{AF3}:3.1"], ["RL102"]),
    ("escape directive", f"# escape=`\nFROM `\n  {RT}:13.11.0\n", [f"{RT}:13.11.0"], []),
    ("instruction before FROM", f"LABEL team=data\nFROM {RT}:13.11.0\n", [f"{RT}:13.11.0"], ["RL001"]),
]


@pytest.mark.parametrize(("name", "text", "images", "codes"), SHAPES, ids=[s[0] for s in SHAPES])
def test_shape(
    cli: Callable[..., Result], tmp_path: Path, name: str, text: str, images: list[str | None], codes: list[str]
) -> None:
    project = tmp_path / "project"
    (project / ".astro").mkdir(parents=True)
    (project / "Dockerfile").write_bytes(text.encode("utf-8"))
    result = cli("project", "--as-of", "2026-11-28", "--format", "json", cwd=tmp_path)
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err
    (file,) = json.loads(result.out)["files"]
    assert [i["resolved"] for i in file["images"]] == images
    assert sorted({f["code"] for f in file["findings"]}) == codes
    assert result.code == (1 if any(f["severity"] in ("error", "warning") for f in file["findings"]) else 0)
