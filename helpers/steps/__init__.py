"""The steps behind the notebooks: ``nbNN_<notebook>.py`` computes what notebook NN shows.

Each notebook's main module is named like the notebook (``nb04_pls_estimation`` for
``notebooks/04_pls_estimation.ipynb``); a support module of the same notebook shares its prefix
(``nb04_editions``).
"""
