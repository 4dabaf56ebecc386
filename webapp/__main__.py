"""`python -m webapp serve|migrate|create-admin|...`: the app's own command line."""
from __future__ import annotations

import sys

from .manage import main

if __name__ == "__main__":
    sys.exit(main())
