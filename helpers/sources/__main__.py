from helpers.sources.cli import main

raise SystemExit(main())
