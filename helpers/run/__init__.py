"""Run plumbing: the report contract, a notebook's parameters and record, and the runner.

``python -m helpers.run`` runs the study (:mod:`helpers.run.runner`).
"""
