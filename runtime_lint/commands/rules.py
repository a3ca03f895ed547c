"""`runtime-lint rules`: the rules, with code, name, default severity and fix kind."""

from __future__ import annotations

import sys

from runtime_lint.model import EXIT_OK, SEVERITY_NAMES
from runtime_lint.run import table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from runtime_lint.arguments import RulesArgs
    from runtime_lint.checks import Rule


def rule_json(rule: Rule) -> dict[str, Any]:
    from runtime_lint import rulebook

    return {
        "code": rule.code,
        "name": rule.name,
        "default_severity": SEVERITY_NAMES.get(rule.severity, "off"),
        "summary": rule.summary,
        "fixable": rule.fixable or None,
        "settings": list(rule.settings),
        "url": rulebook.url(rule.code),
    }


def cmd_rules(args: RulesArgs) -> int:
    from runtime_lint.checks import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([rule_json(r) for _, r in sorted(rules.items())], indent=2) + "\n")
        return EXIT_OK
    rows = [["CODE", "NAME", "DEFAULT", "FIX", "SUMMARY"]]
    for code, rule in sorted(rules.items()):
        rows.append([code, rule.name, SEVERITY_NAMES.get(rule.severity, "off"), rule.fixable or "-", rule.summary])
    table(rows, False)
    return EXIT_OK
