"""The survey commands for a class: ``python -m helpers.survey convert FILE``.

Only the command lives here; the loader is :mod:`helpers.steps.nb07_survey` and the reading of
form exports :mod:`helpers.steps.nb07_survey_files`.
"""
