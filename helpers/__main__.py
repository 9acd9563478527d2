"""``python -m helpers`` is the ``workbook`` command."""

import sys

from helpers.run.cli import main

sys.exit(main())
