"""Export of every result table to one workbook or a folder of CSVs: the workbook is read back
with pandas/openpyxl and every table must come back with its values; the settings sheet holds
every setting of every result."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    bootstrap_model,
    estimate_pls,
    estimate_pls_mga,
    htmt_inference,
    model_fit,
    predict_pls,
)
from helpers.pls.export import export
from tests.pls_fixtures import ecsi_model, mobi


@pytest.fixture(scope="module")
def results():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mga = estimate_pls_mga(fit, (data["CUEX1"] > 7).to_numpy(), n_boot=30, n_perm=30,
                               seed=1)
    return {"fit": fit, "boot": bootstrap_model(fit, n_boot=50, seed=1, bca=False),
            "predict": predict_pls(fit, folds=5, seed=1), "fitmeasures": model_fit(fit),
            "htmt": htmt_inference(fit, n_boot=50, seed=1), "mga": mga}


def test_workbook_round_trip(results, tmp_path):
    path = export(results, tmp_path / "all.xlsx")
    book = pd.read_excel(path, sheet_name=None)
    contents = book["contents"].set_index("table")["sheet"]
    fit = results["fit"]
    expected = {f"fit_{k}" for k in fit.TABLES} | {"fit_admissibility", "boot_paths",
                                                    "boot_draws_paths", "predict_items",
                                                    "fitmeasures_model_fit",
                                                    "htmt_htmt_inference", "mga_comparisons",
                                                    "mga_micom", "mga_fits_group 1_paths_table",
                                                    "mga_boots_group 2_paths"}
    assert expected <= set(contents.index)
    assert set(contents) <= set(book)
    paths = book[contents["fit_path_coefficients"]].set_index("Unnamed: 0")
    np.testing.assert_allclose(paths.to_numpy(), fit.path_coefficients.to_numpy(), atol=1e-12)
    boot = book[contents["boot_paths"]].set_index("parameter")
    np.testing.assert_allclose(boot[["estimate", "sd", "pct_lo"]].to_numpy(),
                               results["boot"].paths[["estimate", "sd", "pct_lo"]].to_numpy(),
                               atol=1e-12)
    settings = book["settings"]
    assert {"fit", "boot", "predict", "mga", "htmt"} <= set(settings["result"])
    row = settings[(settings["result"] == "boot") & (settings["setting"] == "n_boot")]
    assert str(row["value"].iloc[0]) == "50"
    assert all(len(s) <= 31 for s in book)


def test_csv_folder_and_single_result(results, tmp_path):
    files = export(results["boot"], tmp_path / "csv", draws=False)
    names = {f.name for f in files}
    assert "settings.csv" in names and "bootstrap_paths.csv" in names
    assert not any("draws" in n for n in names)
    back = pd.read_csv(tmp_path / "csv" / "bootstrap_paths.csv", index_col=0)
    np.testing.assert_allclose(back["mean"], results["boot"].paths["mean"], atol=1e-12)
    with pytest.raises(TypeError, match="cannot export"):
        export(object(), tmp_path / "x.xlsx")
