"""One file end to end: read, parse, resolve images, run the rules, apply ignores.

read_source(path) -> text           (or a FileError: binary, not UTF-8, not a file, ...)
parse(text)       -> Dockerfile     (dockerfile.py)
resolve_images()  -> [Image]        (resolve.py: image.py + catalog.py)
run rules         -> [Finding]      (checks/)
ignores           -> inline pragmas, severities from the settings
"""

from __future__ import annotations

import os
import sys

from runtime_lint.checks import Context, Image
from runtime_lint.dockerfile import parse
from runtime_lint.files import FileError, decode_utf8, read_regular
from runtime_lint.model import Finding
from runtime_lint.resolve import resolve_images
from runtime_lint.suppressions import file_ignores as file_ignores_of
from runtime_lint.suppressions import name_rules, naming, unused

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from runtime_lint.catalog import Catalog
    from runtime_lint.checks import Rule
    from runtime_lint.config import Settings
    from runtime_lint.dockerfile import Dockerfile

    Plan = tuple[list[tuple[str, int, Rule]], frozenset[str]]  # rules in the order they run, known codes

MAX_BYTES = 16 * 1024 * 1024  # no real Dockerfile comes near this


class FileResult:
    """What linting one file produced."""

    __slots__ = ("bom", "dockerfile", "error", "findings", "images", "lines", "path", "settings", "text")

    def __init__(self, path: str) -> None:
        self.path = path
        self.text = ""
        self.dockerfile: Dockerfile | None = None
        self.lines: list[str] = []  # the file's lines, for reports (see slim)
        self.images: list[Image] = []
        self.findings: list[Finding] = []
        self.error: str | None = None
        self.settings: Settings | None = None
        self.bom = False

    def slim(self) -> None:
        """Keep only what the reports need, so that memory stays flat over thousands of files: the
        lines findings point at (others become ""), not the text, parse tree or per-character origins."""
        keep: set[int] = set()
        for finding in self.findings:
            keep.update(range(finding.span.line, finding.span.end_line + 1))
        self.lines = [line if k in keep else "" for k, line in enumerate(self.lines, 1)]
        self.text = ""
        self.dockerfile = None
        for image in self.images:
            image.inst.resolved_origins = []
            image.inst.logical = ""


def read_source(path: str) -> tuple[str, bool]:
    """The text of a Dockerfile and whether it had a UTF-8 BOM; FileError on anything else."""
    return decode(read_regular(path, MAX_BYTES, "Dockerfile"))


def read_stdin() -> tuple[str, bool]:
    """Standard input's text, as read_source reads a file."""
    return decode(sys.stdin.buffer.read())


def decode(data: bytes) -> tuple[str, bool]:
    if len(data) > MAX_BYTES:
        raise FileError(f"too large for a Dockerfile (limit {MAX_BYTES // 1048576} MiB)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError("is UTF-16 encoded; Docker reads Dockerfiles as UTF-8")
    bom = data.startswith(b"\xef\xbb\xbf")
    text = decode_utf8(data)
    return (text[1:] if bom else text), bom


def lint_text(
    path: str,
    text: str,
    settings: Settings,
    catalog: Catalog,
    rules: Mapping[str, Rule],
    build_args: Mapping[str, str] | None = None,
    astro_project: bool | None = None,
) -> FileResult:
    """Lint Dockerfile text; `path` is used for messages and Astro project detection (unless the
    settings say whether it is one, or the caller already knows: `astro_project`)."""
    result = FileResult(path)
    result.text = text
    result.settings = settings
    df = parse(text, build_args)
    result.dockerfile = df
    result.lines = df.lines
    options = settings.options
    images = resolve_images(df, catalog, settings.as_of, options["runtime-registries"])
    result.images = images
    astro = settings.astro_project
    if astro is None:
        astro = is_astro_project(path) if astro_project is None else astro_project
    order, known_codes = _plan(settings.severities, rules)
    if df.pragmas:
        name_rules(df.pragmas, _rule_names(rules))
    ctx = Context(path, df, images, catalog, settings.as_of, options, astro, known_codes)
    inline = not options["disable-inline-ignores"]
    file_ignores = file_ignores_of(df.pragmas) if inline else None
    if file_ignores == frozenset():
        return result  # `# runtime-lint: ignore-file`
    findings: list[Finding] = []
    used: set[tuple[int, str]] = set()  # (pragma line, code): suppressions that silenced something
    targets = [image for image in images if image.inst.stage_ref is None]
    file_target: list[Image | None] = [None]
    for code, severity, rule in order:
        if rule.scope == "suppressions" and inline:
            ctx.unused_suppressions = unused(df.pragmas, used, settings.severities)
        for image in targets if rule.scope == "image" else file_target:
            for hit in rule.check(image, ctx):
                if inline:
                    on = image if image is not None else _image_at(images, hit.span.line)
                    pragma = naming(on.inst.pragmas, code) if on is not None else None
                    if pragma is not None:
                        used.add((pragma.span.line, code))
                        continue
                if file_ignores and code in file_ignores:
                    used.add((0, code))
                    continue
                stage = image.inst.index if image is not None else None
                findings.append(Finding(code, rule.name, severity, hit.message, hit.span, hit.fix, stage))
    findings = _without_superseded(findings, rules)
    findings.sort(key=Finding.sort_key)
    result.findings = findings
    return result


def _without_superseded(findings: list[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """One finding per image for a state that has a worse one (RL207 over RL202 over RL203): a
    reported finding drops those its rule supersedes on the same stage. A superseding rule that is
    off or suppressed reports nothing, so the lesser finding stays."""
    dropped = {
        (finding.stage, code)
        for finding in findings
        if finding.stage is not None and finding.code in rules
        for code in rules[finding.code].supersedes
    }
    if not dropped:
        return findings
    return [finding for finding in findings if (finding.stage, finding.code) not in dropped]


def is_astro_project(path: str) -> bool:
    """Is the Dockerfile at `path` in an Astro project (`.astro/` beside it, as `astro dev init` makes)?"""
    return os.path.isdir(os.path.join(os.path.dirname(path), ".astro"))  # "" + ".astro": the current folder


_SCOPE_ORDER = {"image": 0, "file": 1, "suppressions": 2}
_plans: dict[tuple[tuple[tuple[str, int], ...], int, int], tuple[Mapping[str, Rule], Plan]] = {}


def _plan(severities: Mapping[str, int], rules: Mapping[str, Rule]) -> Plan:
    """The enabled rules in the order they run (image rules, then file rules, then the rules about
    suppressions: RL003 needs to know which suppressions the others used), and every known rule
    code. Worked out once per set of severities and rules, not per file."""
    key = (tuple(severities.items()), id(rules), len(rules))
    cached = _plans.get(key)
    if cached is not None and cached[0] is rules:
        return cached[1]
    order = sorted(
        # "project" rules are about the project's other files: project.py runs them
        ((code, level, rules[code]) for code, level in severities.items() if rules[code].scope != "project"),
        key=lambda item: _SCOPE_ORDER[item[2].scope],
    )
    if len(_plans) > 64:
        _plans.clear()
    plan = (order, frozenset(rules))
    _plans[key] = (rules, plan)
    return plan


def _rule_names(rules: Mapping[str, Rule]) -> dict[str, str]:
    """Lower-case rule name -> code (only files with pragmas need it)."""
    return {rule.name.lower(): code for code, rule in rules.items()}


def _image_at(images: list[Image], line: int) -> Image | None:
    """The FROM whose instruction covers `line` (for file rules that report on a FROM)."""
    for image in images:
        if image.inst.span.line <= line <= image.inst.span.end_line:
            return image
    return None
