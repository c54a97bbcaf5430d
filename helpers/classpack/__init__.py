"""The class pack (issue 21): exercises on the study for students, with automatic feedback.

* ``class/eNN_*.ipynb`` — the exercises' source notebooks (otter-grader ``otter assign`` format:
  solutions and tests with hints), listed in ``class/exercises.yaml``;
* :mod:`helpers.classpack.answers` — what the checks compare a student's result with, computed
  from the study's helpers when the check runs;
* :mod:`helpers.classpack.build` — ``make class`` (student notebooks, autograders, solutions, in
  English, Kazakh and Russian); :mod:`helpers.classpack.grade` grades collected notebooks;
* :mod:`helpers.classpack.source`, :mod:`helpers.classpack.languages`,
  :mod:`helpers.classpack.localise`, :mod:`helpers.classpack.words` — the exercises' texts, their
  translations, the notebooks made in another language, the pack's own words;
* :mod:`helpers.classpack.practice` — the practice survey files (simulated, labelled practice);
* :mod:`helpers.classpack.site` — the site's Class section.
"""
