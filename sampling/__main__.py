"""`python -m sampling verify task.json`: re-run a published draw and say whether it matches (exit 0) or not (1)."""

from sampling.draw import main

raise SystemExit(main())
