"""CVPAT, the cross-validated predictive ability test (Liengaard, Sharma, Hult, Jensen,
Sarstedt, Hair & Ringle 2021, Decis. Sci. 52:362-392; Sharma, Liengaard, Hair, Sarstedt &
Ringle 2023, Eur. J. Mark. 57:1662-1677).

The out-of-sample predictions of the endogenous constructs' indicators come from
:func:`~helpers.pls.predict_pls` (k-fold, repeated, or leave-one-out); with several repeats an
observation's loss is its squared errors averaged over the repeats.  Two benchmarks:

* **IA**, the indicator average: each indicator predicted by its mean, in the training folds
  (``ia="training"``, default, out-of-sample as Liengaard et al.) or in the whole sample
  (``ia="sample"``, what seminrExtras' ``assess_cvpat`` does);
* **LM**, the linear model of PLSpredict (``benchmark="exogenous"``: every exogenous
  construct's indicators, Liengaard et al.; ``"antecedents"``: the direct antecedents'
  indicators, seminr's choice with direct-antecedent predictions).

Losses per observation i: for construct c, the mean over its indicators (and the repeats) of
the squared prediction error, ``L_ic``; overall, the mean of the ``L_ic`` over the endogenous
constructs (Sharma et al. 2023; seminrExtras).  The average loss ``mean_i L_i`` is reported
for PLS and the benchmark, with ``diff = loss(PLS) - loss(benchmark)`` (negative: PLS
predicts better).

Test of equal predictive ability on ``D_i = L_i(benchmark) - L_i(PLS)`` with mean ``Dbar``:

* *bootstrap* (Sharma et al. 2023, the default reading): ``s*`` = SD of the means of B
  bootstrap resamples of the centred differences ``D_i - Dbar``, ``t = Dbar / s*``, p from
  Student's t with n - 1 df;
* *paired t* (Liengaard et al. 2021): ``t = Dbar / (sd(D) / sqrt(n))``, same reference
  distribution.

``alternative="greater"`` (default; H1: PLS has the lower loss, p = P(T > t)) or
``"two-sided"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .distributions import t_sf
from .estimate import PLSFit
from .predict_staged import predict_pls
from .randomness import fresh_seed
from .settings import settings_text

ALTERNATIVES = ("greater", "two-sided")
IA_MEANS = ("training", "sample")


@dataclass
class CVPATResult:
    """``table``: one row per benchmark (IA, LM) and construct (plus ``Overall``) with the
    average losses, their difference and both tests; ``losses``: the per-observation losses;
    ``settings``."""

    table: pd.DataFrame
    losses: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"cvpat": self.table, "cvpat_losses": self.losses}

    def summary(self) -> str:
        text = "\n".join(["CVPAT", settings_text(self.settings), "",
                          self.table.round(3).to_string()])
        print(text)
        return text


def _p_value(t: np.ndarray, df: int, alternative: str) -> np.ndarray:
    if alternative == "greater":
        return t_sf(t, df)
    return 2 * t_sf(np.abs(t), df)


def cvpat(
    fit: PLSFit,
    folds: int | str = 10,
    repeats: int = 10,
    seed: int | None = None,
    fold_matrix=None,
    technique: str = "DA",
    benchmark: str = "exogenous",
    ia: str = "training",
    n_boot: int = 5000,
    alternative: str = "greater",
) -> CVPATResult:
    """CVPAT of ``fit`` against IA and LM (module docstring).  ``folds``, ``repeats``,
    ``seed``, ``fold_matrix``, ``technique`` and ``benchmark`` as in
    :func:`~helpers.pls.predict_pls` (``folds="loo"``: leave-one-out); ``n_boot`` resamples of
    the loss differences (drawn from the same ``seed``)."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    if ia not in IA_MEANS:
        raise ValueError(f"ia must be one of {IA_MEANS}, got {ia!r}")
    if int(n_boot) != n_boot or n_boot < 20:
        raise ValueError(f"n_boot must be an integer >= 20, got {n_boot!r}")
    if seed is None and fold_matrix is None:
        seed = fresh_seed()
    pred = predict_pls(fit, technique=technique, folds=folds, repeats=repeats, seed=seed,
                       fold_matrix=fold_matrix, benchmark=benchmark)
    items = list(pred.items.index)
    constructs = list(dict.fromkeys(pred.items["construct"]))
    n_rep = pred.folds.shape[0]
    n, m = fit.n_obs, len(items)
    frame = pred.predictions

    def cube(col):  # repeats x n x m
        return frame[col].to_numpy(dtype=float).reshape(n_rep, n, m)

    actual = cube("actual")
    if ia == "sample":
        ia_pred = np.broadcast_to(actual[0].mean(axis=0), actual.shape)
    else:
        ia_pred = cube("naive")
    errors = {"PLS": actual - cube("pls"), "IA": actual - ia_pred, "LM": actual - cube("lm")}
    owner = pred.items["construct"].to_numpy()
    losses = {}
    for key, e in errors.items():  # squared errors averaged over items and repeats
        per = np.column_stack([np.mean(e[:, :, owner == c] ** 2, axis=(0, 2))
                               for c in constructs])
        losses[key] = np.column_stack([per, per.mean(axis=1)])
    labels = constructs + ["Overall"]
    rng = np.random.default_rng(seed if seed is not None else 0)
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=int(n_boot)).astype(float)
    rows = []
    for bench in ("IA", "LM"):
        d = losses[bench] - losses["PLS"]  # n x (constructs + 1)
        finite = np.isfinite(d).all(axis=0)
        dbar = d.mean(axis=0)
        boot_means = counts @ (d - dbar) / n
        s_boot = boot_means.std(axis=0, ddof=1)
        s_pair = d.std(axis=0, ddof=1) / np.sqrt(n)
        with np.errstate(invalid="ignore", divide="ignore"):
            t_boot = dbar / s_boot
            t_pair = dbar / s_pair
        p_boot = _p_value(t_boot, n - 1, alternative)
        p_pair = _p_value(t_pair, n - 1, alternative)
        for j, label in enumerate(labels):
            ok = bool(finite[j])
            rows.append({"benchmark": bench, "construct": label,
                         "pls_loss": float(losses["PLS"][:, j].mean()),
                         "benchmark_loss": float(losses[bench][:, j].mean()) if ok else np.nan,
                         "diff": float(-dbar[j]) if ok else np.nan,
                         "t_boot": float(t_boot[j]) if ok else np.nan,
                         "p_boot": float(p_boot[j]) if ok else np.nan,
                         "t_paired": float(t_pair[j]) if ok else np.nan,
                         "p_paired": float(p_pair[j]) if ok else np.nan})
    table = pd.DataFrame(rows).set_index(["benchmark", "construct"])
    loss_frame = pd.concat(
        {key: pd.DataFrame(v, index=fit.index, columns=labels) for key, v in losses.items()},
        axis=1)
    settings = {
        "method": "CVPAT (Liengaard et al. 2021; Sharma et al. 2023)",
        "predictions": pred.settings["folds_source"] + f"; {pred.settings['folds']} folds, "
                       f"{n_rep} repeat(s), losses averaged over repeats",
        "technique": pred.settings["technique"],
        "LM": pred.settings["benchmark"],
        "IA": "training-fold mean of each indicator" if ia == "training"
              else "whole-sample mean of each indicator (seminrExtras)",
        "loss": "per construct: mean over its indicators of squared errors; overall: mean over "
                "the endogenous constructs",
        "diff": "average loss of PLS minus that of the benchmark (negative: PLS better)",
        "test": f"{alternative}; t_boot = Dbar / SD of {int(n_boot)} bootstrap means of the "
                "centred differences (Sharma et al. 2023); t_paired = Dbar / (sd(D)/sqrt(n)) "
                "(Liengaard et al. 2021); p from Student t with n - 1 df",
        "seed": seed,
        "n_obs": n,
        "consistent": pred.settings["consistent"],
    }
    return CVPATResult(table=table, losses=loss_frame, settings=settings)
