"""Admissibility of an estimated PLS path model (``fit.admissibility``), the checks of cSEM's
``verify()`` (Rademaker & Schuberth) for the engine's estimates:

1. the algorithm converged;
2. every loading lies within [-1, 1] (for PLSc the consistent loadings);
3. every reliability (rho_A, and rho_C) of a construct declared reflective is at most 1 (as in
   cSEM, a composite's reliability does not enter its estimates: values above 1 of a Mode A
   composite, which small samples produce, are listed in the detail but do not fail the check);
4. the construct correlation matrix the paths are estimated from (PLSc: the corrected one) is
   positive semi-definite (as in cSEM; an eigenvalue of -1e-10 times the largest or above counts
   as a rounding zero, e.g. from identical product-indicator columns);
5. the model-implied indicator correlation matrix of the estimated model
   (:func:`helpers.pls.implied.implied_indicator_cor`) is positive semi-definite (same tolerance);
6. the PLSc correction is admissible (rho_A > 0, corrected correlations within +-1, positive
   definite regression systems; see :mod:`helpers.pls.consistent`).

A check that fails is an estimate that is not a proper correlation structure (a Heywood-type
case); the numbers may be reported, but not read as estimates of a model.  :func:`check` returns
one row per check with ``ok`` and the offending values; :func:`warn_if_inadmissible` (called by
:func:`~helpers.pls.estimate_pls`) warns about checks 2-5 (checks 1 and 6 have their own
warnings).  For the bootstrap's choice of what to do with inadmissible resamples see
:func:`~helpers.pls.bootstrap_model` (``inadmissible=``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .engine import EngineResult, Layout
from .implied import implied_indicator_cor
from .quality import reliability

_TOL = 1e-12


class PLSAdmissibilityWarning(UserWarning):
    """An estimate is inadmissible: a loading or reliability beyond 1, or a correlation matrix
    that is not positive definite (``fit.admissibility``)."""


def _smallest(m: np.ndarray) -> tuple[float, bool]:
    """Smallest eigenvalue of a symmetric matrix and whether it is positive semi-definite up to
    rounding (smallest >= -1e-10 x largest; identical columns give exactly 0, not a defect)."""
    if not np.isfinite(m).all():
        return np.nan, False
    vals = np.linalg.eigvalsh(m)
    return float(vals[0]), bool(vals[0] >= -1e-10 * max(abs(vals[-1]), 1.0))


def inadmissible_reasons(est: EngineResult, layout: Layout, b: int = 0) -> list[str]:
    """Why the PLSc correction of estimate ``b`` is inadmissible (empty when it is not)."""
    if est.rho_a is None or est.admissible is None or est.admissible[b]:
        return []
    names = layout.constructs
    out = [f"rho_A of {names[j]!r} = {est.rho_a[b, j]:.3g} (must be > 0)"
           for j in range(len(names)) if not est.rho_a[b, j] > 0]
    c = est.construct_cor[b]
    out += [f"corrected correlation {names[i]!r}-{names[j]!r} = {c[i, j]:.3g}"
            for i in range(len(names)) for j in range(i + 1, len(names)) if abs(c[i, j]) > 1]
    return out or ["the corrected correlations of an endogenous construct and its predecessors "
                   "are not positive definite (R² would reach 1)"]


def check(fit) -> pd.DataFrame:
    """The admissibility checks of ``fit`` (module docstring): one row per check with
    ``ok`` (bool, or None where not applicable) and ``detail``."""
    lay = fit.layout
    rows = [("converged", fit.converged,
             f"{fit.iterations} iterations" if fit.converged else
             f"stopped at max_iter = {fit.max_iter}")]
    # from the estimates, not the fit's cached tables: this runs inside estimate_pls, before a
    # moderated fit's interaction terms are rescaled and described
    lam = fit.estimates.loadings[0]
    owner = np.argmax(lay.membership, axis=1)
    own = lam[np.arange(len(lay.items)), owner]
    big = [f"{lay.items[i]} ({lay.constructs[owner[i]]}) = {own[i]:.4g}"
           for i in np.flatnonzero(np.abs(own) > 1 + _TOL)]
    rows.append(("loadings within [-1, 1]", not big, "; ".join(big) or "all within"))
    rel = reliability(fit.corr, fit.estimates, lay)
    over, noted = [], []
    for j, c in enumerate(lay.constructs):
        if len(lay.blocks[j]) > 1 and lay.modes[j] == "A" and c not in fit.interactions:
            for col in ("rho_A", "rho_C"):
                value = float(rel.loc[c, col])
                if value > 1 + _TOL:
                    if lay.reflective and lay.reflective[j]:
                        over.append(f"{col} of {c} = {value:.4g}")
                    else:
                        noted.append(f"{col} of composite {c} = {value:.4g} (reported only)")
    rows.append(("reliabilities at most 1", not over,
                 "; ".join(over + noted) or "all at most 1"))
    c = fit.estimates.construct_cor[0]
    smallest, ok = _smallest(c)
    rows.append(("construct correlations positive semi-definite", ok,
                 f"smallest eigenvalue {smallest:.4g}"))
    if fit.interactions:
        rows.append(("model-implied indicator correlations positive semi-definite", None,
                     "not applicable to a model with interaction terms"))
    else:
        sigma = implied_indicator_cor(fit.corr[None], fit.estimates, lay, "estimated")[0]
        low, ok = _smallest(sigma)
        rows.append(("model-implied indicator correlations positive semi-definite", ok,
                     f"smallest eigenvalue {low:.4g} (estimated model)"))
    if lay.consistent:
        reasons = inadmissible_reasons(fit.estimates, lay)
        rows.append(("PLSc correction admissible", not reasons, "; ".join(reasons) or "yes"))
    else:
        rows.append(("PLSc correction admissible", None, "no PLSc correction"))
    return pd.DataFrame(rows, columns=["check", "ok", "detail"]).set_index("check")


def is_admissible(table: pd.DataFrame) -> bool:
    """True when no applicable check failed."""
    return not any(v is False or v is np.False_ for v in table["ok"])


def warn_if_inadmissible(fit, stacklevel: int = 3) -> None:
    """Warn (:class:`PLSAdmissibilityWarning`) about failed checks 2-5; checks 1 and 6 have
    their own warnings in :func:`~helpers.pls.estimate_pls`."""
    if not fit.converged or not fit.admissible:
        return
    table = check(fit)
    failed = [f"{name}: {row['detail']}" for name, row in table.iloc[1:5].iterrows()
              if row["ok"] is False or row["ok"] is np.False_]
    if failed:
        warnings.warn("inadmissible estimate (see fit.admissibility): " + "; ".join(failed)
                      + ". Report such estimates with this caveat; they do not describe a "
                      "proper correlation structure.", PLSAdmissibilityWarning,
                      stacklevel=stacklevel)
