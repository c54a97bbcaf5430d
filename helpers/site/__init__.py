"""The reading edition: the static site (:mod:`helpers.site.book`) and the printable survey form.

``python -m helpers.site`` builds the site from the last run of the study.
"""
