"""The class pack (issue 21): exercises on the study for students, with automatic feedback.

* ``class/eNN_*.ipynb`` — the exercises' source notebooks (otter-grader ``otter assign`` format:
  solutions and tests with hints), listed in ``class/exercises.yaml``;
* :mod:`helpers.classpack.answers` — what the checks compare a student's result with, computed
  from the study's helpers when the check runs;
* :mod:`helpers.classpack.build` — ``make class`` (student notebooks, autograders, solutions);
* :mod:`helpers.classpack.practice` — the practice survey files (simulated, labelled practice);
* :mod:`helpers.classpack.site` — the site's Class section.
"""
