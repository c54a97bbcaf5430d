"""A synthetic reconstruction under an assumption: *if* the article's correlations had come from a
survey. Specification, generator, Monte Carlo.

**Everything this module generates is synthetic.** The article says its indicators came from
statistical collections and official local-government sites; it never mentions a survey. It
publishes Table 1 (the six factors' correlations) but not the data behind it nor Figure 3's
coefficients. The reconstruction is a teaching tool whose premise is an assumption of this
study. ``data/reconstruction/astana_survey.yaml`` states the missing pieces as explicit
assumptions; this module turns the specification and a seed into respondent-level data, so the
article's PLS analysis can be run, taught and stress-tested. Nothing generated here is written
to ``data/``.

The data-generating model (``K = 6`` factors, outcome ``eta``, items ``x``)::

    F ~ N(0, Phi)                                   Phi = the article's Table 1
    eta = beta' F + zeta,   zeta ~ N(0, 1 - beta' Phi beta)       (so var eta = 1)
    x_i = lambda_i * L_c(i) + sqrt(1 - lambda_i^2) * e_i,  e_i ~ N(0, 1)
    answer_i = 1 + #{thresholds t_k < x_i},  t_k = Phi_N^{-1}(p_1 + ... + p_k)

``L_c(i)`` is the latent variable of item i's construct and ``p`` the 5-point scale's marginal
shares. The Monte Carlo functions simulate many data sets at once (a stack of arrays), estimate
the PLS model on the whole stack of correlation matrices with the engine, and test each path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.special import ndtri, stdtr

from helpers.pls import Model, composite, paths, relationships
from helpers.registers.article import FACTOR_IDS, table1
from helpers.registers.i18n import number, say, translated
from helpers.registers.labels import factor_codes, label
from helpers.registers.paths import DATA
from helpers.registers.regions import region_by_slug

RECONSTRUCTION = DATA / "reconstruction"
DEFAULT_SPEC = RECONSTRUCTION / "astana_survey.yaml"
SYNTHETIC_NOTE = ("SYNTHETIC DATA generated from the article's Table 1 and this study's stated "
                  "assumptions (data/reconstruction/); not evidence about any city.")


SCENARIOS: dict[str, dict] = {
    "base": {},
    "correlations x0.5": {"correlation_scale": 0.5},
    "correlations x1.5": {"correlation_scale": 1.5},
    "loadings 0.6": {"loading": 0.6},
    "loadings 0.9": {"loading": 0.9},
}
"""Sensitivity scenarios: Table 1's off-diagonal entries halved or raised by half; every loading
weak (0.6) or strong (0.9)."""
POWER_SIZES = (20, 30, 50, 75, 100, 150, 200, 300, 400, 600, 1000)
SENSITIVITY_SIZES = (20, 100, 200, 400, 800)


class SpecificationError(ValueError):
    """The reconstruction's specification cannot be used; the message names the key."""


@dataclass(frozen=True)
class ReconstructionSpec:
    """The reconstruction's assumptions (see ``data/reconstruction/README.md``).

    ``correlation``: K x K latent factor correlations (DataFrame); ``items``: construct -> item
    names; ``loadings``: item -> standardised loading; ``weights``: factor -> structural path to
    ``outcome``; ``likert_probabilities``: marginal share of each answer 1..points.
    """

    factors: tuple[str, ...]
    outcome: str
    correlation: pd.DataFrame
    items: dict[str, tuple[str, ...]]
    loadings: dict[str, float]
    weights: pd.Series
    n_respondents: int
    likert_probabilities: tuple[float, ...]
    rationale: dict[str, str] = field(default_factory=dict)
    source: str = "in memory"

    @property
    def constructs(self) -> tuple[str, ...]:
        return (*self.factors, self.outcome)

    @property
    def item_names(self) -> list[str]:
        return [i for c in self.constructs for i in self.items[c]]

    @property
    def points(self) -> int:
        return len(self.likert_probabilities)

    @property
    def thresholds(self) -> np.ndarray:
        """Cut points on the standard normal scale between the answer categories."""
        # ndtri: the standard normal quantile scipy.stats.norm.ppf calls (same numbers)
        return ndtri(np.cumsum(self.likert_probabilities)[:-1])

    @property
    def r_squared(self) -> float:
        """Population R² of the outcome: ``beta' Phi beta``."""
        b = self.weights.to_numpy()
        return float(b @ self.correlation.to_numpy() @ b)

    def model(self) -> Model:
        """The article's PLS model: six Mode A composites, each with a path to the outcome."""
        constructs = [composite(c, self.items[c], scale=(1, self.points)) for c in self.constructs]
        return Model(constructs, relationships(paths(from_=list(self.factors), to=self.outcome)))

    def vary(self, correlation_scale: float = 1.0,
             loading: float | None = None) -> ReconstructionSpec:
        """A variant for sensitivity analysis: off-diagonal correlations multiplied by
        ``correlation_scale`` (``Phi(s) = I + s (Phi - I)``), and every loading set to ``loading``
        (if given). The result is validated like a specification read from file."""
        phi = self.correlation.to_numpy()
        eye = np.eye(len(phi))
        corr = pd.DataFrame(eye + correlation_scale * (phi - eye), index=self.correlation.index,
                            columns=self.correlation.columns)
        loadings = dict(self.loadings) if loading is None else dict.fromkeys(self.loadings, loading)
        spec = replace(self, correlation=corr, loadings=loadings,
                       source=f"{self.source} (correlations x{correlation_scale:g}"
                              + (f", loadings {loading:g})" if loading is not None else ")"))
        _validate(spec)
        return spec

    def summary(self) -> dict:
        """A JSON-ready summary of the assumptions."""
        pd_ok, min_eig = positive_definite(self.correlation)
        return {
            "source": self.source,
            "factors": list(self.factors),
            "outcome": self.outcome,
            "items_per_construct": {c: len(self.items[c]) for c in self.constructs},
            "loadings": {c: [self.loadings[i] for i in self.items[c]] for c in self.constructs},
            "structural_weights": self.weights.to_dict(),
            "r_squared_population": self.r_squared,
            "n_respondents": self.n_respondents,
            "likert_points": self.points,
            "likert_probabilities": list(self.likert_probabilities),
            "factor_correlation": "article Table 1",
            "positive_definite": pd_ok,
            "min_eigenvalue": min_eig,
        }


def positive_definite(matrix: pd.DataFrame | np.ndarray) -> tuple[bool, float]:
    """``(is positive definite, smallest eigenvalue)`` of a symmetric matrix.

    A correlation matrix can serve as the covariance of a normal distribution only if every
    eigenvalue is > 0 (then its Cholesky factor exists)."""
    m = np.asarray(matrix, dtype=float)
    if not np.allclose(m, m.T):
        raise SpecificationError("the correlation matrix is not symmetric")
    smallest = float(np.linalg.eigvalsh(m).min())
    return smallest > 0, smallest


def _validate(spec: ReconstructionSpec) -> None:
    where = spec.source
    ok, smallest = positive_definite(spec.correlation)
    if not ok:
        raise SpecificationError(f"{where}: the factor correlation matrix is not positive "
                                 f"definite (smallest eigenvalue {smallest:.4f}).")
    for item, lam in spec.loadings.items():
        if not 0 < lam < 1:
            raise SpecificationError(f"{where}: loading of {item} must lie in (0, 1), got {lam}.")
    r2 = spec.r_squared
    if not 0 <= r2 < 1:
        raise SpecificationError(f"{where}: the structural weights imply R² = {r2:.3f}; it must "
                                 "be below 1 (make the weights smaller).")
    p = np.asarray(spec.likert_probabilities)
    if len(p) < 2 or (p <= 0).any() or not np.isclose(p.sum(), 1):
        raise SpecificationError(f"{where}: likert probabilities must be positive and sum to 1, "
                                 f"got {list(p)}.")
    if spec.n_respondents < 10:
        raise SpecificationError(f"{where}: respondents.n must be at least 10.")


def _need(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise SpecificationError(f"{where}: missing key {key!r}.")
    return mapping[key]


def load_spec(path: str | Path = DEFAULT_SPEC) -> ReconstructionSpec:
    """Read and validate a reconstruction specification (YAML; format in the default file)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no reconstruction specification here; the default is "
                                f"{DEFAULT_SPEC.relative_to(DATA.parent)}.")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = str(path.relative_to(DATA.parent)) if path.is_relative_to(DATA.parent) else str(path)
    model = _need(raw, "model", where)
    if not raw.get("synthetic", False):
        raise SpecificationError(f"{where}: a reconstruction must declare 'synthetic: true'.")
    source = _need(_need(model, "factor_correlation", where), "source", where)
    if source != "article_table1":
        raise SpecificationError(f"{where}: factor_correlation.source must be 'article_table1', "
                                 f"got {source!r}.")
    corr = table1()
    factors = tuple(corr.index)
    outcome = _need(model, "outcome", where)
    constructs = _need(model, "constructs", where)
    expected = set(FACTOR_IDS) | {outcome}
    if set(constructs) != expected:
        raise SpecificationError(f"{where}: model.constructs must be exactly {sorted(expected)}, "
                                 f"got {sorted(constructs)}.")
    items, loadings = {}, {}
    for name in (*factors, outcome):
        entry = constructs[name]
        names, lams = _need(entry, "items", where), _need(entry, "loadings", where)
        if len(names) != len(lams) or len(names) < 2:
            raise SpecificationError(f"{where}: construct {name!r} needs >= 2 items and one "
                                     "loading per item.")
        items[name] = tuple(str(i) for i in names)
        loadings.update({str(i): float(v) for i, v in zip(names, lams, strict=True)})
    weights_raw = _need(model, "structural_weights", where)
    if set(weights_raw) != set(factors):
        raise SpecificationError(f"{where}: structural_weights must give one weight per factor "
                                 f"{list(factors)}.")
    weights = pd.Series({f: float(weights_raw[f]) for f in factors}, name="weight")
    respondents = _need(raw, "respondents", where)
    likert = _need(raw, "likert", where)
    probs = tuple(float(p) for p in _need(likert, "probabilities", where))
    if len(probs) != int(_need(likert, "points", where)):
        raise SpecificationError(f"{where}: likert.points and likert.probabilities disagree.")
    rationale = {
        "factor_correlation": model["factor_correlation"].get("rationale", ""),
        "measurement": model.get("measurement_rationale", ""),
        "structural": model.get("structural_rationale", ""),
        "respondents": respondents.get("rationale", ""),
        "likert": likert.get("rationale", ""),
    }
    missing = [k for k, v in rationale.items() if not str(v).strip()]
    if missing:
        raise SpecificationError(f"{where}: every assumption needs a rationale; missing for "
                                 f"{missing}.")
    spec = ReconstructionSpec(factors, outcome, corr, items, loadings, weights,
                              int(_need(respondents, "n", where)), probs, rationale, where)
    _validate(spec)
    return spec


# --- the generator ---------------------------------------------------------------------------


def _rng(seed: int | np.random.Generator) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0 or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def simulate_latent(spec: ReconstructionSpec, rng: np.random.Generator, n: int,
                    n_sim: int | None = None) -> np.ndarray:
    """Latent scores ``[F_1..F_K, eta]``: shape (n, K+1), or (n_sim, n, K+1) for a stack."""
    shape = (n,) if n_sim is None else (n_sim, n)
    k = len(spec.factors)
    chol = np.linalg.cholesky(spec.correlation.to_numpy())
    z = rng.standard_normal(shape + (k + 1,))
    f = z[..., :k] @ chol.T
    b = spec.weights.to_numpy()
    eta = f @ b + np.sqrt(1 - spec.r_squared) * z[..., k]
    return np.concatenate([f, eta[..., None]], axis=-1)


def simulate_items(spec: ReconstructionSpec, latent: np.ndarray, rng: np.random.Generator,
                   likert: bool = True) -> np.ndarray:
    """Item answers from latent scores (last axis = constructs in ``spec.constructs`` order):
    continuous items, cut into ``spec.points`` categories when ``likert``."""
    counts = [len(spec.items[c]) for c in spec.constructs]
    lam = np.array([spec.loadings[i] for i in spec.item_names])
    x = rng.standard_normal(latent.shape[:-1] + (len(lam),))
    x *= np.sqrt(1 - lam**2)
    shared = np.repeat(latent, counts, axis=-1)
    shared *= lam
    x += shared
    if not likert:
        return x
    answers = np.ones(x.shape, dtype=np.int8)  # small whole numbers: counted in bytes
    for t in spec.thresholds:  # answer = 1 + number of thresholds below x
        answers += x > t
    return answers.astype(float)


@dataclass(frozen=True)
class SyntheticSurvey:
    """One simulated survey: ``answers`` (respondents x items, 1..5) and the ``latent`` scores
    that generated them (known only because the data are synthetic)."""

    answers: pd.DataFrame
    latent: pd.DataFrame
    seed: int | None
    note: str = SYNTHETIC_NOTE


def simulate_survey(spec: ReconstructionSpec, seed: int | np.random.Generator,
                    n: int | None = None) -> SyntheticSurvey:
    """Simulate ``n`` respondents (default ``spec.n_respondents``) from ``spec`` and ``seed``.

    The same specification and seed give identical answers (numpy's PCG64 generator)."""
    n = spec.n_respondents if n is None else int(n)
    rng = _rng(seed)
    latent = simulate_latent(spec, rng, n)
    answers = simulate_items(spec, latent, rng)
    index = pd.RangeIndex(1, n + 1, name="respondent")
    return SyntheticSurvey(
        answers=pd.DataFrame(answers.astype(int), index=index, columns=spec.item_names),
        latent=pd.DataFrame(latent, index=index, columns=list(spec.constructs)),
        seed=None if isinstance(seed, np.random.Generator) else int(seed),
    )


# --- recovery of Table 1 ----------------------------------------------------------------------


def pairs(names) -> list[tuple[str, str]]:
    """Lower-triangle pairs ``(row, column)`` in Table 1's order."""
    names = list(names)
    return [(a, b) for k, a in enumerate(names) for b in names[:k]]


def _batched_corr(x: np.ndarray) -> np.ndarray:
    """Correlation matrices of a stack of data sets (S x n x p) -> S x p x p."""
    z = x - x.mean(axis=-2, keepdims=True)
    cov = z.swapaxes(-1, -2) @ z
    sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[..., :, None] * sd[..., None, :])


def score_correlation_bootstrap(scores: pd.DataFrame, rho_a: pd.Series, n_boot: int,
                                rng: np.random.Generator, alpha: float = 0.05) -> pd.DataFrame:
    """Construct-score correlations and their disattenuated version, with percentile intervals.

    ``r_ij`` = correlation of the PLS construct scores; ``r_ij / sqrt(rho_A,i rho_A,j)`` is the
    consistent-PLS correction for measurement error (Dijkstra & Henseler 2015), which estimates
    the latent correlation. Rows are resampled with replacement ``n_boot`` times; the weights
    and rho_A are held at their full-sample values (the variation they add is second order).
    Returns one row per pair with ``r, r_lo, r_hi, corrected, corrected_lo, corrected_hi``.
    """
    names = list(scores.columns)
    s = scores.to_numpy()
    n = len(s)
    idx = rng.integers(0, n, size=(n_boot, n))
    boot = _batched_corr(s[idx])
    full = np.corrcoef(s, rowvar=False)
    denom = np.sqrt(np.outer(rho_a[names], rho_a[names]))
    rows = []
    for a, b in pairs(names):
        i, j = names.index(a), names.index(b)
        lo, hi = np.quantile(boot[:, i, j], [alpha / 2, 1 - alpha / 2])
        d = denom[i, j]
        rows.append({"row": a, "col": b, "r": full[i, j], "r_lo": lo, "r_hi": hi,
                     "corrected": full[i, j] / d, "corrected_lo": lo / d,
                     "corrected_hi": hi / d})
    return pd.DataFrame(rows).set_index(["row", "col"])


def recovery_table(published: pd.DataFrame, estimated: pd.DataFrame,
                   latent: pd.DataFrame | None = None) -> pd.DataFrame:
    """Published Table 1 beside the estimates of :func:`score_correlation_bootstrap` (and the
    synthetic sample's own latent correlations, if given), with ``covered`` = the published
    value lies inside the corrected interval."""
    out = estimated.copy()
    out.insert(0, "published", [published.loc[a, b] for a, b in out.index])
    if latent is not None:
        lat = latent.corr()
        out.insert(1, "latent_sample", [lat.loc[a, b] for a, b in out.index])
    out["error_corrected"] = out["corrected"] - out["published"]
    out["error_scores"] = out["r"] - out["published"]
    out["covered"] = (out["corrected_lo"] <= out["published"]) & (
        out["published"] <= out["corrected_hi"])
    return out


# --- Monte Carlo power ------------------------------------------------------------------------


def estimate_stack(answers: np.ndarray, spec: ReconstructionSpec, alpha: float = 0.05) -> dict:
    """Estimate the article's model on a stack of data sets (S x n x items) at once and test
    each path with the OLS t-test on the construct scores.

    For the outcome regressed on q = K predictors: ``se_k = sqrt((1 - R²)/(n - q - 1) *
    [C^{-1}]_kk)`` with C the predictors' score correlations; ``t_k = beta_k / se_k`` on
    ``n - q - 1`` degrees of freedom. A path counts as *detected* when the two-sided p < alpha and
    the estimate is positive (the direction the article reports). Data sets where the PLS
    algorithm fails (e.g. an item constant in a tiny sample) count as not detected.

    This t-test stands in for a bootstrap in each simulated survey. Under the assumed non-zero
    paths the two agree (``tests/test_reconstruction.py`` compares them); for a path that is
    truly zero it is too liberal, because the PLS weights then tune each composite to chance
    correlations with the outcome and the estimate varies more than the regression standard
    error says. Use it for power, not for the size of a test.

    Returns ``paths`` (S x K), ``p`` (S x K), ``detected`` (S x K bool), ``ok`` (S).
    """
    from helpers.pls.engine import Layout, run_pls  # the engine's batched algorithm

    n = answers.shape[1]
    r = _batched_corr(answers)
    layout = Layout.from_model(spec.model())
    est = run_pls(r, layout)
    k = len(spec.factors)
    j = layout.constructs.index(spec.outcome)
    f_idx = [layout.constructs.index(f) for f in spec.factors]
    beta = est.paths[:, f_idx, j]
    c = est.construct_cor[:, f_idx][:, :, f_idx]
    ok = est.ok.copy()
    c[~ok] = np.eye(k)
    inv_diag = np.einsum("sii->si", np.linalg.inv(c))
    r2 = est.r_squared[:, j]
    dof = n - k - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt((1 - r2)[:, None] / dof * inv_diag)
        t = beta / se
    p = 2 * stdtr(dof, -np.abs(t))  # Student's t survival function (scipy.stats.t.sf's numbers)
    detected = ok[:, None] & (p < alpha) & (beta > 0)
    return {"paths": beta, "p": p, "detected": detected, "ok": ok, "se": se,
            "score_cor": est.construct_cor[:, f_idx][:, :, f_idx]}


def simulate_and_estimate(spec: ReconstructionSpec, n: int, n_sim: int,
                          rng: np.random.Generator, alpha: float = 0.05) -> dict:
    """Simulate ``n_sim`` surveys of ``n`` respondents; estimate each (:func:`estimate_stack`)."""
    n = int(n)
    if n < len(spec.factors) + 2:
        raise ValueError(f"n = {n} is too small: the outcome's regression on "
                         f"{len(spec.factors)} factors needs n >= {len(spec.factors) + 2}.")
    latent = simulate_latent(spec, rng, n, n_sim)
    return estimate_stack(simulate_items(spec, latent, rng), spec, alpha)


def _power_rows(spec: ReconstructionSpec, n: int, res: dict) -> list[dict]:
    good = res["ok"]
    return [{"n": int(n), "path": f, "assumed": spec.weights[f],
             "power": res["detected"][:, k].mean(),
             "mean_estimate": res["paths"][good, k].mean() if good.any() else np.nan,
             "failed": int((~good).sum())} for k, f in enumerate(spec.factors)]


def power_study(spec: ReconstructionSpec, sizes, n_sim: int, rng: np.random.Generator,
                alpha: float = 0.05) -> pd.DataFrame:
    """Power of each path at each sample size: the share of ``n_sim`` simulated surveys in which
    the path is detected (see :func:`estimate_stack`). Long table with columns ``n, path,
    assumed, power, mean_estimate, failed``."""
    rows = []
    for n in sizes:
        rows += _power_rows(spec, n, simulate_and_estimate(spec, n, n_sim, rng, alpha))
    return pd.DataFrame(rows)


def required_n(power: pd.DataFrame, target: float = 0.8) -> pd.Series:
    """Smallest n reaching ``target`` power per path, interpolated linearly in log n between the
    grid points; NaN where the grid's largest n does not reach it."""
    out = {}
    for path, grp in power.groupby("path", sort=False):
        g = grp.sort_values("n")
        n, pw = g["n"].to_numpy(float), g["power"].to_numpy()
        above = np.flatnonzero(pw >= target)
        if len(above) == 0:
            out[path] = np.nan
            continue
        k = above[0]
        if k == 0:
            out[path] = n[0]
            continue
        x0, x1, y0, y1 = np.log(n[k - 1]), np.log(n[k]), pw[k - 1], pw[k]
        out[path] = float(np.exp(x0 + (target - y0) * (x1 - x0) / (y1 - y0)))
    return pd.Series(out, name="required_n")


def sensitivity(spec: ReconstructionSpec, scenarios: dict[str, dict], sizes, n_sim: int,
                seed: int, n_survey: int, n_regions: int = 20) -> pd.DataFrame:
    """How the conclusions move under other assumptions.

    For each scenario (keyword arguments of :meth:`ReconstructionSpec.vary`): the population R²,
    the smallest eigenvalue of the factor correlations, ``attenuation`` = mean over simulated
    surveys of n = ``n_survey`` of (construct-score correlation / latent correlation),
    ``max_score_r`` = the mean largest construct-score correlation (what a program such as
    SmartPLS would print as the largest entry of Table 1), the mean PLS estimate of the smallest
    and the largest path at ``n_survey`` (against the assumed weights), the power at
    ``n_survey`` and ``n_regions`` for the smallest and the largest assumed path, and the n
    needed for 80 % power for each of them (NaN: beyond the grid). Every scenario uses the same
    random numbers (``seed``), so differences between rows come from the assumptions."""
    rows = []
    weakest, strongest = spec.weights.idxmin(), spec.weights.idxmax()
    low = np.tril_indices(len(spec.factors), -1)
    grid = sorted({int(s) for s in sizes} | {n_survey, n_regions})
    for name, change in scenarios.items():
        variant = spec.vary(**change)
        rng = np.random.default_rng(seed)  # common random numbers: scenarios differ only by
        power, score = [], None            # their assumptions, not by simulation noise
        for n in grid:
            res = simulate_and_estimate(variant, n, n_sim, rng)
            power += _power_rows(variant, n, res)
            if n == n_survey:
                score = res["score_cor"][res["ok"]][:, low[0], low[1]]
                mean_path = res["paths"][res["ok"]].mean(axis=0)
        pw = pd.DataFrame(power)
        need = required_n(pw)
        at = pw.set_index(["n", "path"])["power"]
        truth = variant.correlation.to_numpy()[low]
        rows.append({
            "scenario": name, "correlation_scale": change.get("correlation_scale", 1.0),
            "loading": change.get("loading", np.nan),
            "r_squared_population": variant.r_squared,
            "min_eigenvalue": positive_definite(variant.correlation)[1],
            "max_latent_r": truth.max(),
            "attenuation": float(np.mean(score / truth)),
            "max_score_r": float(score.max(axis=1).mean()),
            f"mean_estimate_{weakest}": mean_path[spec.factors.index(weakest)],
            f"mean_estimate_{strongest}": mean_path[spec.factors.index(strongest)],
            f"power_{weakest}_n{n_survey}": at[(n_survey, weakest)],
            f"power_{strongest}_n{n_survey}": at[(n_survey, strongest)],
            f"power_{weakest}_n{n_regions}": at[(n_regions, weakest)],
            f"power_{strongest}_n{n_regions}": at[(n_regions, strongest)],
            f"required_n_{weakest}": need[weakest],
            f"required_n_{strongest}": need[strongest],
        })
    return pd.DataFrame(rows).set_index("scenario")


# --- tables and figures for notebook 07 ------------------------------------------------------


def path_table(fit, boot, spec: ReconstructionSpec) -> pd.DataFrame:
    """The outcome's paths: assumed weight, PLS estimate, 95 % percentile CI, bootstrap p and SD,
    and the OLS standard error on the construct scores that the Monte Carlo uses
    (``se_k = sqrt((1 - R²)/(n - K - 1) [C^{-1}]_kk``), to show the two agree."""
    factors = list(spec.factors)
    c = fit.scores[factors].corr().to_numpy()
    r2 = float(fit.r_squared.loc[spec.outcome, "r2"])
    dof = fit.n_obs - len(factors) - 1
    ols = np.sqrt((1 - r2) / dof * np.diag(np.linalg.inv(c)))
    b = boot.paths.set_index("from")
    out = pd.DataFrame({
        "assumed": spec.weights[factors],
        "estimate": b.loc[factors, "estimate"].to_numpy(),
        "pct_lo": b.loc[factors, "pct_lo"].to_numpy(),
        "pct_hi": b.loc[factors, "pct_hi"].to_numpy(),
        "p": b.loc[factors, "p"].to_numpy(),
        "boot_sd": b.loc[factors, "sd"].to_numpy(),
        "ols_se": ols,
    }, index=pd.Index(factors, name="factor"))
    out["significant"] = (out["pct_lo"] > 0) | (out["pct_hi"] < 0)
    return out


def path_names(between: str = "→") -> dict[str, str]:
    """``{"social -> adaptation": "ӘО → y", …}``: the engine's paths (or, with ``between="–"``,
    its pairs of constructs) by the article's factor codes, the same in every language."""
    codes = factor_codes()
    return {f"{a} -> {b}": f"{codes[a]} {between} {codes[b]}" for a in codes for b in codes}


RATIONALES = ("factor_correlation", "measurement", "structural", "respondents", "likert")
"""The specification's rationales, in the order of :func:`assumptions_table`'s rows."""


def assumptions_table(spec: ReconstructionSpec, lang: str = "en") -> pd.DataFrame:
    """Each assumption of the specification, its value, and the rationale given for it, in
    ``lang``: numbers written the language's way, factors by the article's codes, the rationale
    from ``data/i18n/data_texts.csv`` (the English is the specification's own text)."""
    codes = factor_codes()

    def numbers(values) -> str:
        return " / ".join(number(v, lang, ".2f") for v in values)

    loadings = "; ".join(f"{codes.get(c, c)}: {numbers(spec.loadings[i] for i in spec.items[c])}"
                         for c in spec.constructs)
    weights = "; ".join(f"{codes.get(f, f)} {number(b, lang, '.2f')}"
                        for f, b in spec.weights.items())
    values = [say("assumption.table1", lang, k=len(spec.factors)), loadings,
              say("assumption.weights", lang, weights=weights, r2=spec.r_squared),
              number(spec.n_respondents, lang),
              say("assumption.likert", lang, points=spec.points,
                  shares=numbers(spec.likert_probabilities))]
    names = ["factor correlations", "items and loadings", "structural weights", "respondents",
             "answer scale"]
    rows = [(name, value, translated(spec.rationale[key], lang))
            for name, value, key in zip(names, values, RATIONALES, strict=True)]
    return pd.DataFrame(rows, columns=["assumption", "value", "rationale"]).set_index("assumption")


def exhibit_text(source: str, lang: str, n: int, seed: int) -> dict[str, str]:
    """Titles and captions of fig07/fig09: they say "synthetic" (in ``lang``) for the
    reconstruction and name the city for real responses."""
    if source == "synthetic":
        return {"fig07": label("rec_fig07_title", lang).format(n=n),
                "fig09": label("rec_fig09_title", lang).format(n=n),
                "caption": label("rec_caption_synthetic", lang).format(seed=seed)}
    city = region_by_slug(source).name(lang)
    return {"fig07": label("rec_fig07_title_real", lang).format(city=city, n=n),
            "fig09": label("rec_fig09_title_real", lang).format(city=city, n=n),
            "caption": label("rec_caption_real", lang).format(city=city)}


def export_sample(survey_answers: pd.DataFrame, path: Path, seed: int) -> Path:
    """Write simulated answers for teaching to ``path`` (its name must contain "synthetic"),
    headed by a comment line that labels them; :func:`helpers.steps.nb07_survey.load_responses`
    refuses
    such a file as real responses."""
    path = Path(path)
    if "synthetic" not in path.name:
        raise ValueError(f"{path.name}: a file of simulated answers must say 'synthetic' in "
                         "its name")
    header = f"# {SYNTHETIC_NOTE} Seed {seed}; data/reconstruction/astana_survey.yaml.\n"
    body = survey_answers.reset_index().to_csv(index=False, lineterminator="\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path
