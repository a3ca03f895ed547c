"""`python -m runtime_lint`."""

import sys

from runtime_lint.cli import main

sys.exit(main())
