"""`--format checkstyle`: Checkstyle XML, as Checkstyle's XMLLogger (and hadolint) write it.

    <?xml version="1.0" encoding="UTF-8"?>
    <checkstyle version="4.3">
      <file name="Dockerfile">
        <error line="1" column="6" severity="warning" message="..." source="runtime-lint.RL204"/>
      </file>
    </checkstyle>

For the tools that read it (Jenkins Warnings NG, reviewdog, SonarQube, GitLab's and Azure's
converters). Every linted file gets a `<file>`, an empty one when it is clean, as XMLLogger does.
`severity` is the finding's (`error`, `warning`, `info`: Checkstyle's own levels); `source` is
`runtime-lint.CODE`. A file that could not be linted gets one `error` on line 1 with `source`
`runtime-lint.file-error`, as Checkstyle reports a file it cannot read. `version` is 4.3, the
format version hadolint and ShellCheck write. Paths are relative to the repository root
(report_path).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from runtime_lint.model import SEVERITY_NAMES
from runtime_lint.report import report_path, report_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.engine import FileResult
    from runtime_lint.model import Finding
    from runtime_lint.report import Run

VERSION = "4.3"
SOURCE_PREFIX = "runtime-lint."
FILE_ERROR = SOURCE_PREFIX + "file-error"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot hold at all (C0 controls but tab, CR and LF; lone surrogates; FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text that XML 1.0 can carry: what it cannot is replaced by U+FFFD (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)


def serialize(root: ET.Element) -> str:
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def render(results: list[FileResult], run: Run) -> str:
    root = ET.Element("checkstyle", version=VERSION)
    folder = report_root()
    for result in results:
        root.append(file_element(result, report_path(result.path, folder)))
    return serialize(root)


def file_element(result: FileResult, path: str) -> ET.Element:
    """A file's `<file>`; `path` as shown (report_path)."""
    element = ET.Element("file", name=xml_text(path))
    if result.error is not None:
        message = f"runtime-lint could not lint this file: {result.error}"
        attrs = {"line": "1", "severity": "error", "message": xml_text(message), "source": FILE_ERROR}
        ET.SubElement(element, "error", attrs)
    for finding in sorted(result.findings, key=lambda f: f.sort_key()):
        ET.SubElement(element, "error", error_attributes(finding))
    return element


def error_attributes(finding: Finding) -> dict[str, str]:
    """`line` (1-based; 1 for a finding with no place), `column` (1-based, left out when unknown,
    as XMLLogger does), `severity`, `message`, `source`."""
    attrs = {"line": str(max(1, finding.span.line))}
    if finding.span.line >= 1 and finding.span.column >= 1:
        attrs["column"] = str(finding.span.column)
    attrs["severity"] = SEVERITY_NAMES[finding.severity]
    attrs["message"] = xml_text(finding.message or finding.name)
    attrs["source"] = SOURCE_PREFIX + finding.code
    return attrs
