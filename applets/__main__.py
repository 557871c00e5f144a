"""`python -m applets` and the zipapp: the same dispatcher as the pybox console script."""

import sys

from applets.main import main

sys.exit(main())
