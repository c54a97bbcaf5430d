"""``python -m helpers.survey convert FILE [--city NAME | --out PATH]``: a form export (Google
Forms, Microsoft Forms; CSV or .xlsx; Kazakh, Russian or English) to the study's response CSV."""

from helpers.survey.cli import main

raise SystemExit(main())
