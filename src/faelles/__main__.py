import sys

from faelles.cli import main

sys.exit(main())
