"""Every output, byte for byte, as recorded in tests/golden/ by scripts/record_outputs.py.

The redesign above the rules must not change what runtime-lint prints. A deliberate change of
behaviour re-records with `python scripts/record_outputs.py`, and the commit shows the diff.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_outputs_are_what_was_recorded() -> None:
    """Also in the compiled pass: the compiled build must print what the source prints."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "record_outputs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
