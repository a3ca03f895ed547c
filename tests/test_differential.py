"""Our parser against dockerfile-parse (a dependency, and the parser the Python world uses).

Both must find the same FROM instructions on the same lines and, where dockerfile-parse expands
ARGs the way Docker does, the same images. The cases where they differ are Docker semantics that
dockerfile-parse does not implement; those are pinned here with what Docker does.
"""

from __future__ import annotations

import io

import pytest
from dockerfile_parse import DockerfileParser
from test_shapes import SHAPES

from runtime_lint.dockerfile import parse

# dockerfile-parse keeps a UTF-8 BOM in the first instruction (BuildKit strips it).
BOM = {name for name, text, _, _ in SHAPES if text.startswith("\ufeff")}
# dockerfile-parse expands `${V:-word}` to ':-word}' and an ARG with no value to '' (BuildKit: the
# default word, and an image runtime-lint reports as unresolved).
EXPANSION = {"ARG without default", "ARG default via modifier"}


def reference(text: str) -> DockerfileParser:
    return DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")))


@pytest.mark.parametrize(("name", "text"), [(s[0], s[1]) for s in SHAPES if s[0] not in BOM], ids=lambda v: str(v)[:40])
def test_same_from_lines(name: str, text: str) -> None:
    theirs = [item["startline"] + 1 for item in reference(text).structure if item["instruction"] == "FROM"]
    assert [inst.span.line for inst in parse(text).froms] == theirs


@pytest.mark.parametrize(
    ("name", "text"), [(s[0], s[1]) for s in SHAPES if s[0] not in BOM | EXPANSION], ids=lambda v: str(v)[:40]
)
def test_same_images(name: str, text: str) -> None:
    ours = [inst.resolved for inst in parse(text).froms]
    assert ours == reference(text).parent_images


def test_where_docker_and_dockerfile_parse_differ() -> None:
    modifier = "ARG RUNTIME\nFROM quay.io/astronomer/astro-runtime:${RUNTIME:-12.8.0}\n"
    assert reference(modifier).parent_images == ["quay.io/astronomer/astro-runtime::-12.8.0}"]
    assert parse(modifier).froms[0].resolved == "quay.io/astronomer/astro-runtime:12.8.0"
    bom = "\ufeffFROM quay.io/astronomer/astro-runtime:12.8.0\n"
    assert [i["instruction"] for i in reference(bom).structure] != ["FROM"]
    assert parse(bom).froms[0].raw == "quay.io/astronomer/astro-runtime:12.8.0"
