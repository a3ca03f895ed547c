"""Refreshing the catalog from Astronomer's feed (runtime-lint catalog update)."""

from __future__ import annotations

from runtime_lint.model import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def cmd_update(args: argparse.Namespace) -> int:
    raise UsageError("catalog update is not available yet")
