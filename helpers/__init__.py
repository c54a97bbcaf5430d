"""The study's code, in layers; a module imports only from its own layer or below.

    site/       the reading edition (``python -m helpers.site``), the survey form, README findings
    plots/      drawing: the type scale and style (figures.py), one module per exhibit (figNN.py)
    classpack/  the class pack's exercises and answers (beside plots/: neither imports the other)
    steps/      what each notebook computes: notebook NN -> steps/nbNN_<notebook>.py
    run/        the runner (``python -m helpers.run``), parameters, records, the report contract
    sources/    extraction of data/ from the publishers' files (``python -m helpers.sources``)
    pls/        the PLS-SEM engine;  stats.py: general statistics
    registers/  paths, regions, labels, palette, the article's numbers, tables, data, quality rules,
                verdicts, sentences

import-linter checks the layers and that no package has an import cycle (``[tool.importlinter]``
in pyproject.toml, run by tests/test_layers.py).
"""
