"""``python -m lif_rules`` runs the command line."""

from .cli import main

raise SystemExit(main())
