"""``python -m helpers.run``: the study runner (:mod:`helpers.run.runner`)."""

from helpers.run.runner import main

raise SystemExit(main())
