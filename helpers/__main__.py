"""``python -m helpers`` is the ``workbook`` command."""

import sys

from helpers.cli import main

sys.exit(main())
