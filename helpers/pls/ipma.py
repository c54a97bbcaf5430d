"""Importance-performance map analysis (IPMA; Ringle & Sarstedt 2016; Hair et al. 2024, ch. 3).

For a target construct T:

* **performance** of construct c: each indicator is rescaled to 0-100 from its scale range,
  ``x~ = 100 (x - min) / (max - min)``; the construct's performance score is the weighted mean
  ``P_c = sum_i v_i x~_i`` with *unstandardised* weights ``v_i`` proportional to
  ``w_i / sd(x~_i)`` (``w_i`` the standardised outer weights) and normalised to ``sum v_i = 1``.
  The map reports the mean of ``P_c`` over the observations; :meth:`IPMAResult.performance_of`
  gives one observation's (one region's) ``P_c``.
* **importance** of construct c: its unstandardised total effect on T, i.e. the change in
  ``P_T`` for a one-point change in ``P_c``.  Because ``P_c`` is an affine function of the
  standardised score ``Y_c`` with slope ``1/k_c``, ``k_c = sum_i w_i (max_i - min_i) /
  (100 sd(x_i))``, the unstandardised total effect is ``total_effect(c, T) * k_c / k_T``.

Scale ranges come, in order of precedence, from ``scale_ranges`` (per indicator), a construct's
declared ``scale`` in the model, or the observed minimum and maximum of the indicator.
With negative outer weights (possible in Mode B) performance can leave the 0-100 range; a
warning says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .estimate import PLSFit
from .spec import ModelSpecificationError


@dataclass
class IPMAResult:
    """``table``: construct, importance, performance (mean 0-100) for the target's predecessors
    (all constructs with a nonzero total effect on it); ``scores``: every observation's
    performance for every construct; ``ranges``: the scale range used for each indicator."""

    target: str
    table: pd.DataFrame
    scores: pd.DataFrame
    ranges: pd.DataFrame
    settings: dict

    def performance_of(self, row) -> pd.Series:
        """Performance (0-100) of every construct for one observation, by row label (the data's
        index, e.g. a region name) or, for an integer not in the index, by position."""
        if row in self.scores.index:
            out = self.scores.loc[row]
            if isinstance(out, pd.DataFrame):
                raise KeyError(f"row label {row!r} is not unique in the data index")
            return out
        if isinstance(row, (int, np.integer)) and -len(self.scores) <= row < len(self.scores):
            return self.scores.iloc[int(row)]
        raise KeyError(
            f"no observation {row!r}; valid labels: {list(self.scores.index)[:20]}"
            + (" ..." if len(self.scores) > 20 else "")
        )


def ipma(fit: PLSFit, target: str, scale_ranges: dict | None = None) -> IPMAResult:
    """Importance-performance map for ``target`` (formulas in the module docstring).

    ``scale_ranges``: ``{indicator: (min, max)}``; indicators not listed use their construct's
    declared ``scale`` or else their observed min and max.
    """
    lay = fit.layout
    if getattr(fit, "higher_order", None) and fit.stage1 is not None:
        raise ModelSpecificationError(
            "IPMA of a two-stage higher-order model: the higher-order construct's indicators "
            "are its dimensions' scores, which have no response scale to rescale to 0-100. Run "
            "ipma(fit.stage1, ...) (the dimensions' indicators keep their scales) or estimate "
            "the model with method='repeated_indicators'.")
    if target not in lay.constructs:
        raise KeyError(f"target {target!r} is not a construct; constructs: {list(lay.constructs)}")
    scale_ranges = dict(scale_ranges or {})
    unknown = sorted(set(scale_ranges) - set(lay.items))
    if unknown:
        raise KeyError(f"scale_ranges names unknown indicator(s) {unknown}; "
                       f"indicators: {list(lay.items)}")
    lo, hi, source = [], [], []
    for k, item in enumerate(lay.items):
        c = fit.model.construct(lay.constructs[int(np.argmax(lay.membership[k]))])
        if item in scale_ranges:
            a, b = (float(v) for v in scale_ranges[item])
            src = "given"
        elif c.scale is not None:
            a, b = c.scale
            src = "model"
        else:
            a, b = float(fit.clean[:, k].min()), float(fit.clean[:, k].max())
            src = "observed"
        if not a < b:
            raise ValueError(f"scale range of {item!r} must have min < max, got ({a}, {b})")
        if fit.clean[:, k].min() < a - 1e-9 or fit.clean[:, k].max() > b + 1e-9:
            raise ValueError(f"indicator {item!r} has values outside its scale range ({a}, {b})")
        lo.append(a)
        hi.append(b)
        source.append(src)
    lo, hi = np.array(lo), np.array(hi)
    rescaled = 100 * (fit.clean - lo) / (hi - lo)
    w = fit.estimates.weights[0]
    v = w / (fit.sd * 100 / (hi - lo))[:, None]
    v = v / v.sum(axis=0)
    perf = pd.DataFrame(rescaled @ v, index=fit.index, columns=list(lay.constructs))
    if (w < 0).any():
        warnings.warn("some outer weights are negative: performance may leave 0-100",
                      stacklevel=2)
    k_c = (w * ((hi - lo) / (100 * fit.sd))[:, None]).sum(axis=0)
    t = lay.constructs.index(target)
    total = fit.estimates.total[0][:, t]
    importance = total * k_c / k_c[t]
    rows = [(lay.constructs[j], importance[j], perf.iloc[:, j].mean())
            for j in range(len(lay.constructs)) if total[j] != 0]
    table = pd.DataFrame(rows, columns=["construct", "importance", "performance"])
    ranges = pd.DataFrame({"min": lo, "max": hi, "source": source},
                          index=pd.Index(lay.items, name="indicator"))
    settings = {"target": target, "importance": "unstandardised total effects on the target",
                "performance": "0-100 rescaled indicators, unstandardised normalised weights",
                "scale_ranges": dict(pd.Series(source).value_counts())}
    return IPMAResult(target, table.set_index("construct"), perf, ranges, settings)
