"""`python -m apk_py`: the pk command line."""

import sys

from apk_py.cli import main

sys.exit(main())
