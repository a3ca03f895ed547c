"""Image reference normalisation, families and the Runtime tag grammar."""

from __future__ import annotations

import pytest

from runtime_lint.image import (
    AIRFLOW,
    CERTIFIED,
    RUNTIME,
    TagError,
    family,
    parse_reference,
    parse_runtime_tag,
    support_line,
    version_key,
)

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("ubuntu", "docker.io", "library/ubuntu", None, None),
        ("ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", None),
        ("apache/airflow:2.10.0", "docker.io", "apache/airflow", "2.10.0", None),
        ("docker.io/library/python:3.12", "docker.io", "library/python", "3.12", None),
        ("index.docker.io/apache/airflow", "docker.io", "apache/airflow", None, None),
        ("quay.io/astronomer/astro-runtime:12.6.0", "quay.io", "astronomer/astro-runtime", "12.6.0", None),
        ("localhost/mirror/runtime:1", "localhost", "mirror/runtime", "1", None),
        ("registry.example.com:5000/astro/runtime:3.0-4", "registry.example.com:5000", "astro/runtime", "3.0-4", None),
        (f"quay.io/astronomer/astro-runtime@{DIGEST}", "quay.io", "astronomer/astro-runtime", None, DIGEST),
        (f"quay.io/astronomer/astro-runtime:12.6.0@{DIGEST}", "quay.io", "astronomer/astro-runtime", "12.6.0", DIGEST),
    ],
)
def test_reference_normalisation(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest, ref.error) == (registry, repository, tag, digest, None)
    if tag is not None:
        assert text[ref.tag_start : ref.tag_end] == tag


def test_absent_tag_is_not_latest() -> None:
    assert parse_reference("quay.io/astronomer/astro-runtime").tag is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("quay.io/Astronomer/astro-runtime:1", "must be lower case"),
        ("img:bad:tag", "invalid tag"),
        ("img@sha256:xyz", "invalid digest"),
        ("quay.io/astro--/x", "invalid repository"),
        ("a" * 300, "longer than 255"),
    ],
)
def test_invalid_references_say_why(text: str, error: str) -> None:
    found = parse_reference(text).error
    assert found is not None and error in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quay.io/astronomer/astro-runtime:12.6.0", RUNTIME),
        ("astrocrpublic.azurecr.io/runtime:3.0-4", RUNTIME),
        ("astrocrpublic.azurecr.io/runtime:12.6.0", RUNTIME),  # either era on either registry
        ("QUAY.IO/astronomer/astro-runtime:12.6.0", RUNTIME),
        ("quay.io/astronomer/ap-airflow:2.3.4-onbuild", CERTIFIED),
        ("astronomerinc/ap-airflow:1.10.12-1-alpine3.10-onbuild", CERTIFIED),
        ("apache/airflow:2.10.0", AIRFLOW),
        ("python:3.12", None),
        ("quay.io/astronomer/astro-runtime-dev:12.6.0", None),
    ],
)
def test_families(text: str, expected: str | None) -> None:
    assert family(parse_reference(text)) == expected


def test_extra_runtime_registries() -> None:
    ref = parse_reference("mirror.corp.example/astronomer/astro-runtime:12.6.0")
    assert family(ref) is None
    assert family(ref, ["mirror.corp.example/astronomer/astro-runtime/"]) == RUNTIME


@pytest.mark.parametrize(
    ("tag", "version", "flavor", "python", "variants", "line"),
    [
        ("12.6.0", "12.6.0", "non-base", None, (), "12"),
        ("12.6.0-base", "12.6.0", "base", None, (), "12"),
        ("9.0.0-python-3.8", "9.0.0", "non-base", "3.8", (), "9"),
        ("11.0.0-python-3.11-slim-base", "11.0.0", "base", "3.11", ("slim",), "11"),
        ("13.7.0-slim-python-3.12", "13.7.0", "non-base", "3.12", ("slim",), "13"),
        ("3.0-4", "3.0-4", "non-base", None, (), "3.0"),
        ("3.1-12-python-3.11-base", "3.1-12", "base", "3.11", (), "3.1"),
        ("3.1-1-ubi9-python-3.11", "3.1-1", "non-base", "3.11", ("ubi9",), "3.1"),
        ("3.2-3-slim-base", "3.2-3", "base", None, ("slim",), "3.2"),
    ],
)
def test_runtime_tags(
    tag: str, version: str, flavor: str, python: str | None, variants: tuple[str, ...], line: str
) -> None:
    parsed = parse_runtime_tag(tag)
    assert (parsed.version, parsed.flavor, parsed.python, parsed.variants, parsed.line) == (
        version,
        flavor,
        python,
        variants,
        line,
    )
    assert parsed.with_version("99.0.0") == "99.0.0" + tag[len(version) :]


@pytest.mark.parametrize(
    ("tag", "hint"),
    [
        ("v9.1.0", "no 'v' prefix; use '9.1.0'"),
        ("9.1.0-slimmer", "unknown suffix '-slimmer'"),
        ("12.6", "did you mean '12.6.0'"),
        ("12.6.0-base-python-3.11", "'-base' must come last"),
        ("12.6.0-python", "must be followed by a Python version"),
        ("12.6.0-python-3", "must be followed by a Python version"),
        ("12.6.0-slim-slim", "appears twice"),
        ("12.6.0-4", "mixes both tag forms"),
        ("12.06.0", "not a Runtime tag"),
        ("latest-base", "not a Runtime tag"),
        ("12.6.0rc1", "unexpected 'rc1'"),
    ],
)
def test_invalid_runtime_tags_explain_themselves(tag: str, hint: str) -> None:
    with pytest.raises(TagError) as exc:
        parse_runtime_tag(tag)
    assert hint in str(exc.value)


@pytest.mark.parametrize("tag", ["3", "3.1", "3.1-base", "3.1-python-3.12"])
def test_floating_airflow3_tags(tag: str) -> None:
    parsed = parse_runtime_tag(tag)
    assert parsed.floating
    assert parsed.version == tag.split("-")[0]


def test_version_order_puts_every_airflow3_tag_after_airflow2_tags() -> None:
    ordered = ["3.0.0", "4.0.10", "9.10.0", "12.6.0", "13.8.0", "3.0-1", "3.0-10", "3.1-1", "3.10-1"]
    assert sorted(reversed(ordered), key=version_key) == ordered
    assert support_line("12.6.0") == "12"
    assert support_line("3.1-4") == "3.1"
