"""The exhibits: one module per figure, each with ``draw(...)`` returning a matplotlib figure.

| exhibit | module | notebook |
|---|---|---|
| fig01_research-scheme | :mod:`helpers.plots.fig01` | 00 |
| data coverage (shown, not saved) | :mod:`helpers.plots.coverage_map` | 01 |
| fig02_innovation-activity | :mod:`helpers.plots.fig02` | 02 |
| fig03_pls-paths | :mod:`helpers.plots.fig03` | 04 |
| fig04_correlations | :mod:`helpers.plots.fig04` | 03 |
| fig05_ipma | :mod:`helpers.plots.fig05` | 04 |
| fig06_city-profile | :mod:`helpers.plots.fig06` | 06 |
| fig07_reconstruction | :mod:`helpers.plots.fig07` | 07 |
| fig08_power | :mod:`helpers.plots.fig08` | 07 |
| fig09_synthetic-paths | :mod:`helpers.plots.fig09` | 07 |
| fig10_specification-curve | :mod:`helpers.plots.fig10` | 05 |

Each takes tables (or result dataclasses) the computing modules made, and labels in the chosen
language; colours and text sizes come from :mod:`helpers.plots.figures` only. Saving is
:func:`helpers.plots.figures.save_figure`'s job. The computing modules never import matplotlib.
"""
