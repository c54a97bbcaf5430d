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

A **two-stage higher-order model** is mapped on its stage-2 model, where a higher-order
construct's indicators are its dimensions' scores.  A score has no response scale of its own;
its range is taken to be the scores of the lowest and of the highest possible answers on the
dimension's indicators (their scale ranges, as above), under the stage-1 standardisation and
weights: ``[sum_i w_i (min_i - mean_i) / sd_i, sum_i w_i (max_i - mean_i) / sd_i]``.  With
that range the rescaled score is exactly the dimension's own IPMA performance from stage 1,
so the higher-order construct's performance is the weighted mean of its dimensions'
performances.  A dimension with a negative weight has no such range and is refused.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .estimate import PLSFit
from .higher_order import two_stage


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


def _item_ranges(fit: PLSFit, scale_ranges: dict, derived: set = frozenset()):
    """Scale range (min, max) of every indicator of ``fit`` and where it came from."""
    lay = fit.layout
    lo, hi, source = [], [], []
    for k, item in enumerate(lay.items):
        c = fit.model.construct(lay.constructs[int(np.argmax(lay.membership[k]))])
        if item in scale_ranges:
            a, b = (float(v) for v in scale_ranges[item])
            src = "dimension" if item in derived else "given"
        elif c.scale is not None:
            a, b = c.scale
            src = "model"
        else:
            a, b = float(fit.clean[:, k].min()), float(fit.clean[:, k].max())
            src = "observed"
        if not a < b:
            why = (" (a dimension whose weights are not all positive has no such range)"
                   if item in derived else "")
            raise ValueError(f"scale range of {item!r} must have min < max, got ({a}, {b})"
                             + why)
        if fit.clean[:, k].min() < a - 1e-9 or fit.clean[:, k].max() > b + 1e-9:
            raise ValueError(f"indicator {item!r} has values outside its scale range ({a}, {b})")
        lo.append(a)
        hi.append(b)
        source.append(src)
    return np.array(lo), np.array(hi), source


def _dimension_ranges(fit: PLSFit, scale_ranges: dict) -> dict:
    """The scale range of each dimension's score, a higher-order construct's stage-2 indicator
    (module docstring): the scores of the lowest and of the highest answers on the dimension's
    indicators under the stage-1 standardisation and weights."""
    s1 = fit.stage1
    lo, hi, _ = _item_ranges(s1, {k: v for k, v in scale_ranges.items()
                                  if k in s1.layout.items})
    w = s1.estimates.weights[0]
    low = (((lo - s1.mean) / s1.sd)[:, None] * w).sum(axis=0)
    high = (((hi - s1.mean) / s1.sd)[:, None] * w).sum(axis=0)
    return {d: (float(low[j]), float(high[j])) for j, d in enumerate(s1.layout.constructs)
            if d in {d for h in fit.higher_order.values() for d in h["dimensions"]}}


def ipma(fit: PLSFit, target: str, scale_ranges: dict | None = None) -> IPMAResult:
    """Importance-performance map for ``target`` (formulas in the module docstring).

    ``scale_ranges``: ``{indicator: (min, max)}``; indicators not listed use their construct's
    declared ``scale`` or else their observed min and max.
    """
    lay = fit.layout
    if target not in lay.constructs:
        raise KeyError(f"target {target!r} is not a construct; constructs: {list(lay.constructs)}")
    scale_ranges = dict(scale_ranges or {})
    known = list(dict.fromkeys([*lay.items, *(fit.stage1.layout.items if two_stage(fit)
                                              else ())]))
    unknown = sorted(set(scale_ranges) - set(known))
    if unknown:
        raise KeyError(f"scale_ranges names unknown indicator(s) {unknown}; "
                       f"indicators: {known}")
    derived = _dimension_ranges(fit, scale_ranges) if two_stage(fit) else {}
    lo, hi, source = _item_ranges(fit, {**scale_ranges, **derived}, set(derived))
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
