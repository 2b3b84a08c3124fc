"""`python -m service`: the command-line face of Atelier."""

from service.cli import main

raise SystemExit(main())
