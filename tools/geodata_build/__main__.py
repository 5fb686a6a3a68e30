"""`python -m tools.geodata_build build|fetch`."""

import sys

from tools.geodata_build.build import main

sys.exit(main())
