"""`python -m runtime_lint`."""

from runtime_lint.cli import run

run()
