"""``python -m helpers.site``: build the reading edition (:mod:`helpers.site.book`)."""

from helpers.site.book import main

raise SystemExit(main())
