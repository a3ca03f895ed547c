"""`runtime-lint explain CODE`: a rule's page."""

from __future__ import annotations

import os
import sys

from runtime_lint.commands.rules import rule_json
from runtime_lint.model import EXIT_OK, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from runtime_lint.arguments import ExplainArgs
    from runtime_lint.checks import Rule


def find_rule(code: str, rules: dict[str, Rule]) -> Rule:
    wanted = code.strip()
    if wanted.upper() in rules:
        return rules[wanted.upper()]
    for rule in rules.values():
        if rule.name == wanted:
            return rule
    raise UsageError(f"unknown rule '{code}' (see 'runtime-lint rules')")


def cmd_explain(args: ExplainArgs) -> int:
    from runtime_lint import rulebook
    from runtime_lint.checks import all_rules

    rule = find_rule(args.code, all_rules())
    page = rulebook.page(rule.code)
    if page is None:
        page = f"# {rule.code} {rule.name}\n\n{rule.summary}\n"
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(rule_json(rule) | {"doc": page}, indent=2) + "\n")
    elif sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(page))
    else:
        sys.stdout.write(page if page.endswith("\n") else page + "\n")
    return EXIT_OK
