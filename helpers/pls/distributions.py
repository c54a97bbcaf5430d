"""The normal and Student t functions the engine needs, from ``scipy.special``.

``scipy.stats`` costs about half a second to import, which every notebook kernel that imports
the engine would pay; the engine needs only four functions of two distributions, and
``scipy.stats`` computes them with the ``scipy.special`` functions used here (``norm.cdf`` is
``ndtr``, ``norm.ppf`` is ``ndtri``, ``t.sf(x, df)`` is ``stdtr(df, -x)``), so the values are
the same bit for bit (tests/test_pls_distributions.py compares them on a grid that includes
0, the probabilities 0 and 1, values outside [0, 1], infinities and NaN).

``scipy.special`` itself is imported at the first call, not with the engine: its import costs a
kernel over a tenth of a second (its array-API layer loads ``numpy.f2py``), and a kernel that
reads its bootstrap back from the study's cache (notebook 04 for every city after the first)
never calls these functions.
"""

from __future__ import annotations

import numpy as np


def _special():
    # deferred: scipy.special loads at the first call (see the module's docstring)
    from scipy import special

    return special


def norm_cdf(x):
    """Standard normal distribution function, as ``scipy.stats.norm.cdf``."""
    return _special().ndtr(np.asarray(x, dtype=float))[()]


def norm_ppf(q):
    """Standard normal quantile function, as ``scipy.stats.norm.ppf`` (NaN outside [0, 1])."""
    return _special().ndtri(np.asarray(q, dtype=float))[()]


def t_sf(x, df):
    """Student t survival function ``P(T_df > x)``, as ``scipy.stats.t.sf`` (``df > 0``)."""
    return _special().stdtr(df, -np.asarray(x, dtype=float))[()]
