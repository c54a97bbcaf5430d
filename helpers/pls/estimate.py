"""Estimate a PLS path model on a data set: :func:`estimate_pls` and its result :class:`PLSFit`.

Steps (each setting is recorded in ``fit.settings`` and printed by ``fit.summary()``):

1. take the model's indicators from the data and check them (present, numeric, not constant);
2. treat missing values: ``"mean"`` replaces a missing cell by its indicator's mean (the SmartPLS
   and seminr default), ``"listwise"`` drops every row with a missing model indicator; the counts
   are in ``fit.missing_report``;
3. z-standardise the indicators (mean 0, SD 1 with the n-1 denominator) and form their
   correlation matrix ``R``;
4. run the PLS algorithm on ``R`` (:mod:`helpers.pls.engine`; the maths is in its docstring),
   with the consistent-PLS correction of reflective constructs (:mod:`helpers.pls.consistent`)
   unless ``consistent=False``; models with interaction terms are handed to
   :mod:`helpers.pls.moderation`, which generates the terms' indicators first;
5. construct scores ``Y = Z W`` (``Z`` the standardised indicators), and the quality criteria
   (:mod:`helpers.pls.quality`).
"""

from __future__ import annotations

import difflib
import warnings
from functools import cached_property
from pathlib import Path as FilePath

import numpy as np
import pandas as pd

from . import quality
from .admissibility import check, inadmissible_reasons, warn_if_inadmissible
from .conventions import label, resolve
from .engine import SCHEMES, EngineResult, Layout, run_pls
from .higher_order import estimate_higher_order
from .moderation import estimate_moderated
from .newdata import predict_new
from .settings import settings_frame, settings_text
from .spec import Model, ModelSpecificationError

MISSING = ("mean", "listwise")
_MISSING_LABEL = {"mean": "mean replacement", "listwise": "listwise deletion"}


class PLSConvergenceWarning(UserWarning):
    """The PLS algorithm stopped at ``max_iter`` before the stop criterion was met."""


class PLScInadmissibleWarning(UserWarning):
    """The PLSc correction is inadmissible: some rho_A <= 0, a corrected correlation beyond
    +-1, or a corrected regression system that is not positive definite (``fit.admissible`` is
    False)."""


def _matrix(values: np.ndarray, rows, cols) -> pd.DataFrame:
    return pd.DataFrame(values, index=list(rows), columns=list(cols))


def _indicator_matrix(data: pd.DataFrame, model: Model) -> np.ndarray:
    """The model's indicators as a float matrix (NaN = missing), with clear errors."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    columns = [str(c) for c in data.columns]
    for c in model.constructs:
        for item in c.items:
            if item not in columns:
                near = difflib.get_close_matches(item, columns, n=3, cutoff=0.5)
                hint = f"; similar columns: {near}" if near else ""
                raise ModelSpecificationError(
                    f"indicator {item!r} of construct {c.name!r} is not a column of the data"
                    f"{hint}. Data columns: {columns}"
                )
    out = np.empty((len(data), len(model.items)))
    for k, item in enumerate(model.items):
        col = data[item] if item in data.columns else data[[c for c in data.columns
                                                           if str(c) == item][0]]
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            owner = next(c.name for c in model.constructs if item in c.items)
            raise ModelSpecificationError(
                f"indicator {item!r} of construct {owner!r} is not numeric (dtype {col.dtype}); "
                "convert it to numbers first."
            )
        out[:, k] = col.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(out).any():
        bad = [model.items[k] for k in np.flatnonzero(np.isinf(out).any(axis=0))]
        raise ModelSpecificationError(f"indicator(s) {bad} contain infinite values.")
    return out


def _check_sample_size(n: int, model: Model) -> None:
    """Refuse regressions without a residual degree of freedom (n must exceed predictors + 1)."""
    problems = []
    for name in model.endogenous:
        q = len(model.predecessors(name))
        if n < q + 2:
            problems.append(f"construct {name!r} has {q} predictor(s)")
    for c in model.constructs:
        if c.mode == "B" and len(c.items) > 1 and n < len(c.items) + 2:
            problems.append(f"Mode B construct {c.name!r} regresses on {len(c.items)} indicators")
    if problems:
        raise ModelSpecificationError(
            f"only n = {n} usable observations: " + "; ".join(problems)
            + ". A regression on q predictors needs n >= q + 2; drop predictors, use Mode A, "
            "or use more observations."
        )


def estimate_pls(
    data: pd.DataFrame,
    model: Model,
    inner_weighting: str = "path",
    missing: str = "mean",
    max_iter: int = 300,
    stop_criterion: float = 1e-7,
    consistent: bool = True,
    conventions: str | dict | None = None,
) -> PLSFit:
    """Estimate the PLS path ``model`` on ``data`` (one row per observation).

    ``inner_weighting``: ``"path"`` (default), ``"factorial"`` or ``"centroid"``.
    ``missing``: ``"mean"`` (mean replacement, default) or ``"listwise"`` deletion.
    The algorithm stops when ``sum |w_new - w_old| < stop_criterion`` or after ``max_iter``
    iterations; non-convergence raises a :class:`PLSConvergenceWarning` and sets
    ``fit.converged = False``.
    ``consistent``: correct the constructs declared :func:`~helpers.pls.spec.reflective` by
    PLSc (default); ``False`` estimates plain PLS on the same model.  An inadmissible
    correction raises a :class:`PLScInadmissibleWarning` and sets ``fit.admissible = False``.
    ``conventions``: reporting conventions where the engine and seminr differ (Fornell-Larcker
    and inner VIF of PLSc models, rho_A of interaction terms): ``"engine"`` (default),
    ``"seminr"`` or a dict of options (:mod:`helpers.pls.conventions`).  Every fit is checked
    for admissibility (``fit.admissibility``; a :class:`PLSAdmissibilityWarning` when a loading
    or reliability exceeds 1 or a correlation matrix is not positive definite).
    """
    options = resolve(conventions)
    if not isinstance(model, Model):
        raise TypeError("model must be a helpers.pls.Model (see composite(), relationships())")
    if model.higher_order:
        return estimate_higher_order(data, model, estimate_pls, inner_weighting=inner_weighting,
                                     missing=missing, max_iter=max_iter,
                                     stop_criterion=stop_criterion, consistent=consistent,
                                     conventions=options)
    if model.interactions:
        return estimate_moderated(data, model, estimate_pls, inner_weighting=inner_weighting,
                                  missing=missing, max_iter=max_iter,
                                  stop_criterion=stop_criterion, consistent=consistent,
                                  conventions=options)
    if inner_weighting not in SCHEMES:
        raise ValueError(f"inner_weighting {inner_weighting!r} unknown; choose one of {SCHEMES}")
    if missing not in MISSING:
        raise ValueError(f"missing {missing!r} unknown; choose one of {MISSING}")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if not stop_criterion > 0:
        raise ValueError(f"stop_criterion must be positive, got {stop_criterion!r}")

    raw = _indicator_matrix(data, model)
    items = model.items
    n_missing = np.isnan(raw).sum(axis=0)
    if missing == "listwise":
        keep = ~np.isnan(raw).any(axis=1)
        clean = raw[keep]
    else:
        keep = np.ones(len(raw), dtype=bool)
        clean = raw.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            means = np.nanmean(raw, axis=0)
        holes = np.isnan(clean)
        clean[holes] = np.take(means, np.nonzero(holes)[1])
    owners = {i: c.name for c in model.constructs for i in c.items}
    empty = [items[k] for k in np.flatnonzero(np.isnan(clean).all(axis=0))] if len(clean) else items
    if len(clean) < 2 or empty:
        raise ModelSpecificationError(
            f"after {_MISSING_LABEL[missing]} only {len(clean)} observation(s) remain"
            + (f"; indicator(s) {empty} have no observed values" if empty else "")
        )
    _check_sample_size(len(clean), model)
    mean = clean.mean(axis=0)
    sd = clean.std(axis=0, ddof=1)
    constant = [k for k in range(len(items)) if not sd[k] > 1e-12 * max(1.0, abs(mean[k]))]
    if constant:
        names = [f"{items[k]} (construct {owners[items[k]]!r})" for k in constant]
        raise ModelSpecificationError(
            f"indicator(s) {names} are constant in the {len(clean)} observations used: a "
            "constant has no variance to standardise. Remove it from the model."
        )
    z = (clean - mean) / sd
    r = z.T @ z / (len(z) - 1)
    r = (r + r.T) / 2
    np.fill_diagonal(r, 1.0)

    layout = Layout.from_model(model, consistent)
    est = run_pls(r[None], layout, inner_weighting, int(max_iter), float(stop_criterion))
    reasons = inadmissible_reasons(est, layout)
    if reasons:
        warnings.warn(
            "the PLSc correction is inadmissible: " + "; ".join(reasons) + ". The corrected "
            "estimates are not those of a common-factor model; check the reflective blocks "
            "(loadings of mixed sign, too few or weakly related indicators).",
            PLScInadmissibleWarning,
            stacklevel=2,
        )
    if not est.converged[0]:
        warnings.warn(
            f"PLS algorithm did NOT converge: sum |delta w| still >= {stop_criterion:g} after "
            f"{max_iter} iterations. Results are not a PLS solution; check the model "
            "(e.g. Mode B blocks with collinear indicators) or raise max_iter.",
            PLSConvergenceWarning,
            stacklevel=2,
        )
    elif not est.ok[0] and not reasons:
        raise ModelSpecificationError(
            "estimation failed numerically: a Mode B block or a set of predictors is (nearly) "
            "perfectly collinear. Inspect fit.outer_vif / the indicator correlations."
        )

    index = data.index[keep]
    report = pd.DataFrame(
        {
            "construct": [owners[i] for i in items],
            "n_missing": n_missing.astype(int),
            "share_missing": n_missing / max(len(raw), 1),
            "treatment": _MISSING_LABEL[missing],
        },
        index=pd.Index(items, name="indicator"),
    )
    settings = {
        "algorithm": ("consistent PLS (PLSc, Dijkstra & Henseler 2015) for the reflective "
                      "constructs, composites as in PLS-SEM (Lohmoeller); standardised scale"
                      if layout.consistent else
                      "PLS-SEM (Lohmoeller), composites; results on standardised scale"),
        "inner_weighting": inner_weighting,
        "modes": {c.name: ("single item" if c.is_single_item else
                           "reflective, Mode A + PLSc" if layout.reflective[j] else
                           f"Mode {c.mode}")
                  for j, c in enumerate(model.constructs)},
        "consistent": (f"PLSc on {model.reflective_constructs}" if layout.consistent
                       else "no correction (plain PLS)" + (
                           ": reflective declarations ignored (consistent=False)"
                           if model.reflective_constructs else "")),
        "admissible": not reasons,
        "standardisation": "indicators z-standardised, SD with n-1",
        "initial_weights": "all 1",
        "stop_criterion": f"sum |w_new - w_old| < {stop_criterion:g}",
        "max_iter": int(max_iter),
        "iterations": int(est.iterations[0]),
        "converged": bool(est.converged[0]),
        "missing": _MISSING_LABEL[missing],
        "n_raw": int(len(raw)),
        "n_obs": int(len(clean)),
        "rows_dropped": int((~keep).sum()),
        "cells_replaced": int(n_missing.sum()) if missing == "mean" else 0,
        "conventions": f"{label(options)} ({', '.join(f'{k}={v}' for k, v in options.items())})",
    }
    fit = PLSFit(model=model, layout=layout, estimates=est, corr=r, raw=raw, clean=clean,
                 index=index, mean=mean, sd=sd, settings=settings, missing_report=report,
                 inner_weighting=inner_weighting, missing=missing, max_iter=int(max_iter),
                 stop_criterion=float(stop_criterion), consistent=bool(consistent),
                 conventions=options)
    warn_if_inadmissible(fit)
    return fit


class PLSFit:
    """An estimated PLS path model.  Tables are DataFrames labelled with construct and indicator
    names; matrices are read "row -> column" (e.g. ``path_coefficients.loc["Image",
    "Loyalty"]`` is the path Image -> Loyalty)."""

    def __init__(self, *, model: Model, layout: Layout, estimates: EngineResult,
                 corr: np.ndarray, raw: np.ndarray, clean: np.ndarray, index: pd.Index,
                 mean: np.ndarray, sd: np.ndarray, settings: dict,
                 missing_report: pd.DataFrame, inner_weighting: str, missing: str,
                 max_iter: int, stop_criterion: float, consistent: bool = True,
                 conventions: dict | None = None) -> None:
        self.model = model
        self.layout = layout
        self.estimates = estimates
        self.corr = corr
        self.raw = raw
        self.clean = clean
        self.index = index
        self.mean = mean
        self.sd = sd
        self.settings = settings
        self.missing_report = missing_report
        self.inner_weighting = inner_weighting
        self.missing = missing
        self.max_iter = max_iter
        self.stop_criterion = stop_criterion
        self.consistent = consistent
        self.conventions = resolve(conventions)
        self.interactions: dict = {}  # interaction terms (set by helpers.pls.moderation)
        self.stage1: PLSFit | None = None  # main-effects fit of a moderated model, or stage 1
        self.higher_order: dict = {}  # higher-order constructs (set by helpers.pls.higher_order)
        self.specification = model  # the model as specified (with interaction terms)
        self.score_scale = np.ones(len(layout.constructs))  # interaction terms: product scale

    # --- run information ---------------------------------------------------------------------
    @property
    def iterations(self) -> int:
        """Iterations as seminr counts them (0-based index of the final pass)."""
        return int(self.estimates.iterations[0])

    @property
    def converged(self) -> bool:
        return bool(self.estimates.converged[0])

    @property
    def n_obs(self) -> int:
        return int(self.clean.shape[0])

    @property
    def admissible(self) -> bool:
        """False when the PLSc correction is inadmissible (always True for plain PLS)."""
        return self.estimates.admissible is None or bool(self.estimates.admissible[0])

    @cached_property
    def rho_a(self) -> pd.Series:
        """The reliabilities PLSc used (1 for composites and single items)."""
        values = (self.estimates.rho_a[0] if self.estimates.rho_a is not None
                  else np.ones(len(self.layout.constructs)))
        return pd.Series(values, index=pd.Index(self.layout.constructs, name="construct"),
                         name="rho_A")

    @cached_property
    def construct_correlations(self) -> pd.DataFrame:
        """Correlations between constructs the paths are estimated from: for PLSc the
        corrected ones, else those of the construct scores."""
        names = self.layout.constructs
        return _matrix(self.estimates.construct_cor[0], names, names)

    # --- measurement model ---------------------------------------------------------------------
    @cached_property
    def outer_weights(self) -> pd.DataFrame:
        """Outer weights (indicator x construct; 0 outside a construct's block), scaled so each
        construct score has unit variance."""
        return _matrix(self.estimates.weights[0], self.layout.items, self.layout.constructs)

    @cached_property
    def loadings(self) -> pd.DataFrame:
        """Outer loadings = correlation of each indicator with its construct's score."""
        return _matrix(self.estimates.loadings[0], self.layout.items, self.layout.constructs)

    @cached_property
    def cross_loadings(self) -> pd.DataFrame:
        """Correlation of every indicator with every construct score."""
        return _matrix(self.estimates.cross_loadings[0], self.layout.items,
                       self.layout.constructs)

    @cached_property
    def measurement_table(self) -> pd.DataFrame:
        """Tidy measurement model: one row per indicator with construct, mode, weight, loading,
        outer VIF."""
        rows = []
        for j, c in enumerate(self.model.constructs):
            for i in self.layout.blocks[j]:
                item = self.layout.items[i]
                rows.append({"indicator": item, "construct": c.name, "mode": c.mode,
                             "weight": self.outer_weights.iat[i, j],
                             "loading": self.loadings.iat[i, j],
                             "vif": self.outer_vif.loc[item, "vif"]})
        return pd.DataFrame(rows).set_index("indicator")

    # --- structural model ----------------------------------------------------------------------
    @cached_property
    def path_coefficients(self) -> pd.DataFrame:
        """Path coefficients (from x to; 0 where there is no path)."""
        names = self.layout.constructs
        return _matrix(self.estimates.paths[0], names, names)

    @cached_property
    def total_effects(self) -> pd.DataFrame:
        """Total effects = direct + all indirect effects (sum of products along every path)."""
        names = self.layout.constructs
        return _matrix(self.estimates.total[0], names, names)

    @cached_property
    def indirect_effects(self) -> pd.DataFrame:
        """Total indirect effects = total - direct."""
        return self.total_effects - self.path_coefficients

    @cached_property
    def r_squared(self) -> pd.DataFrame:
        """R² and adjusted R² = 1 - (1 - R²)(n - 1)/(n - q - 1) per endogenous construct."""
        rows = []
        n = self.n_obs
        for j in self.layout.endogenous:
            r2 = float(self.estimates.r_squared[0, j])
            q = len(self.layout.predecessors[j])
            rows.append((self.layout.constructs[j], r2, 1 - (1 - r2) * (n - 1) / (n - q - 1)))
        return pd.DataFrame(rows, columns=["construct", "r2", "adj_r2"]).set_index("construct")

    @cached_property
    def f_squared(self) -> pd.DataFrame:
        """Effect sizes f² (from x to; NaN where there is no path)."""
        return quality.f_squared(self.corr, self.estimates, self.model, self.inner_weighting,
                                 self.max_iter, self.stop_criterion, self.consistent)

    @cached_property
    def paths_table(self) -> pd.DataFrame:
        """Tidy structural model: one row per path with coefficient, f² and inner VIF."""
        rows = []
        for p in self.model.structure:
            rows.append({"path": str(p), "from": p.source, "to": p.target,
                         "coefficient": self.path_coefficients.loc[p.source, p.target],
                         "f2": self.f_squared.loc[p.source, p.target],
                         "vif": self.inner_vif.loc[p.source, p.target]})
        return pd.DataFrame(rows).set_index("path")

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Construct scores (standardised: mean 0, SD 1; an interaction term's on its product
        scale, see :mod:`helpers.pls.moderation`), one row per observation used."""
        z = (self.clean - self.mean) / self.sd
        return pd.DataFrame(z @ self.estimates.weights[0] * self.score_scale, index=self.index,
                            columns=list(self.layout.constructs))

    # --- quality criteria -----------------------------------------------------------------------
    @cached_property
    def reliability(self) -> pd.DataFrame:
        """Cronbach's alpha, rho_A, rho_C, AVE; with the convention ``interaction_rho_a="one"``
        (seminr's) an interaction term's rho_A is reported as 1."""
        out = quality.reliability(self.corr, self.estimates, self.layout)
        if self.conventions["interaction_rho_a"] == "one" and self.interactions:
            out.loc[list(self.interactions), "rho_A"] = 1.0
        return out

    @cached_property
    def fornell_larcker(self) -> pd.DataFrame:
        """sqrt(AVE) on the diagonal; below it the construct correlations the paths come from
        (convention ``fornell_larcker="corrected"``) or those of the scores (``"scores"``)."""
        return quality.fornell_larcker(self.estimates, self.layout, self.reliability["AVE"],
                                       self.conventions["fornell_larcker"])

    @cached_property
    def htmt(self) -> pd.DataFrame:
        return quality.htmt(self.corr, self.layout)

    @cached_property
    def outer_vif(self) -> pd.DataFrame:
        return quality.outer_vif(self.corr, self.layout)

    @cached_property
    def inner_vif(self) -> pd.DataFrame:
        """Inner VIF from the corrected construct correlations (convention
        ``inner_vif="corrected"``) or from the scores' correlations (``"scores"``)."""
        return quality.inner_vif(self.estimates, self.layout, self.conventions["inner_vif"])

    @cached_property
    def admissibility(self) -> pd.DataFrame:
        """Admissibility checks (:mod:`helpers.pls.admissibility`): one row per check."""
        return check(self)

    def predict(self, new_data: pd.DataFrame, technique: str = "DA"):
        """Predict new observations from this fit (:func:`helpers.pls.newdata.predict_new`)."""
        return predict_new(self, new_data, technique=technique)

    # --- output ----------------------------------------------------------------------------------
    TABLES = ("outer_weights", "loadings", "cross_loadings", "measurement_table",
              "path_coefficients", "total_effects", "indirect_effects", "r_squared", "f_squared",
              "paths_table", "scores", "reliability", "fornell_larcker", "htmt", "outer_vif",
              "inner_vif", "missing_report", "admissibility")

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every result table by name (the settings as a two-column table under 'settings')."""
        out = {"settings": settings_frame(self.settings)}
        out.update({name: getattr(self, name) for name in self.TABLES})
        return out

    def to_csv(self, folder: str | FilePath) -> list[FilePath]:
        """Write every table (and the settings) to ``folder/<table>.csv``; return the paths."""
        folder = FilePath(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in self.tables().items():
            path = folder / f"{name}.csv"
            table.to_csv(path)
            written.append(path)
        return written

    def summary(self) -> str:
        """Print (and return) the settings and the main tables."""
        parts = ["PLS-SEM estimation", settings_text(self.settings), "",
                 "Path coefficients:", self.paths_table.round(3).to_string(), "",
                 "R²:", self.r_squared.round(3).to_string(), "",
                 "Reliability:", self.reliability.round(3).to_string(), "",
                 "HTMT:", self.htmt.round(3).to_string()]
        text = "\n".join(parts)
        print(text)
        return text

    def __repr__(self) -> str:
        s = self.settings
        return (f"<PLSFit {len(self.layout.constructs)} constructs, n={self.n_obs}, "
                f"{s['inner_weighting']} weighting, {s['missing']}, "
                f"{'converged' if self.converged else 'NOT CONVERGED'} after "
                f"{self.iterations} iterations>")
