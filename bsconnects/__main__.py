"""``python -m bsconnects`` is the ``bsconnects`` command."""

from .cli import main

raise SystemExit(main())
