"""Model specification, reading specifications from files, and the clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    ModelSpecificationError,
    PLSConvergenceWarning,
    composite,
    constructs_from_table,
    estimate_pls,
    multi_items,
    paths,
    read_model,
    relationships,
    single_item,
)
from tests.pls_fixtures import ecsi_model, mobi

YAML = """\
constructs:
  Image:        {mode: A, items: [IMAG1, IMAG2, IMAG3, IMAG4, IMAG5]}
  Expectation:  {items: [CUEX1, CUEX2, CUEX3]}
  Quality:      {items: [PERQ1, PERQ2, PERQ3, PERQ4, PERQ5, PERQ6, PERQ7]}
  Value:        {mode: regression_weights, items: [PERV1, PERV2], scale: [1, 10]}
  Satisfaction: {items: [CUSA1, CUSA2, CUSA3]}
  Complaints:   {single_item: CUSCO}
  Loyalty:      {items: [CUSL1, CUSL2, CUSL3]}
paths:
  - {from: Image, to: [Expectation, Satisfaction, Loyalty]}
  - {from: Expectation, to: [Quality, Value, Satisfaction]}
  - {from: Quality, to: [Value, Satisfaction]}
  - {from: Value, to: Satisfaction}
  - {from: Satisfaction, to: [Complaints, Loyalty]}
  - {from: Complaints, to: Loyalty}
"""


def test_yaml_spec_equals_code_spec(tmp_path):
    path = tmp_path / "ecsi.yaml"
    path.write_text(YAML)
    model = read_model(path)
    expected = ecsi_model({"Value": "B"})
    assert model.structure == expected.structure
    assert [(c.name, c.items, c.mode) for c in model.constructs] == \
        [(c.name, c.items, c.mode) for c in expected.constructs]
    assert model.construct("Value").scale == (1.0, 10.0)


def test_csv_spec_equals_code_spec(tmp_path):
    model = ecsi_model({"Loyalty": "B"})
    rows = [("item", i, c.name, c.mode) for c in model.constructs for i in c.items]
    rows += [("path", p.source, p.target, "") for p in model.structure]
    path = tmp_path / "ecsi.csv"
    pd.DataFrame(rows, columns=["type", "from", "to", "mode"]).to_csv(path, index=False)
    read = read_model(path)
    assert read.structure == model.structure
    assert [(c.name, c.items, c.mode) for c in read.constructs] == \
        [(c.name, c.items, c.mode) for c in model.constructs]


def test_constructs_from_codebook_table():
    table = pd.DataFrame({"item": ["x1", "x2", "y1", "note"], "construct": ["X", "X", "Y", None],
                          "mode": ["B", "B", "", None]})
    cs = constructs_from_table(table)
    assert [(c.name, c.items, c.mode) for c in cs] == [("X", ("x1", "x2"), "B"),
                                                        ("Y", ("y1",), "A")]


def test_yaml_construct_named_twice(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("constructs:\n  A: {items: [a1]}\n  A: {items: [a2]}\npaths: []\n")
    with pytest.raises(ModelSpecificationError, match="'A' appears twice"):
        read_model(path)


def test_unknown_file_format(tmp_path):
    path = tmp_path / "model.txt"
    path.write_text("x")
    with pytest.raises(ModelSpecificationError, match=r"\.yaml, \.yml or \.csv"):
        read_model(path)


def test_vocabulary():
    assert multi_items("IMAG", range(1, 4)) == ["IMAG1", "IMAG2", "IMAG3"]
    assert [str(p) for p in paths(from_=["A", "B"], to="C")] == ["A -> C", "B -> C"]
    assert composite("X", ["x1", "x2"], mode="mode_B").mode == "B"
    assert single_item("S", "s").items == ("s",)


# --- errors ---------------------------------------------------------------------------------

def _two(a=("a1", "a2"), b=("b1", "b2")):
    return [composite("A", list(a)), composite("B", list(b))]


@pytest.mark.parametrize("build, message", [
    (lambda: composite("A", []), "'A' has no indicators"),
    (lambda: composite("A", ["a1"], mode="C"), "unknown mode 'C'"),
    (lambda: Model(_two() + [composite("A", ["z"])], paths("A", "B")),
     r"\['A'\] defined more than once"),
    (lambda: Model(_two(b=("a1", "b2")), paths("A", "B")), "'a1' is assigned to both"),
    (lambda: Model(_two(), relationships(paths("A", "B"), paths("B", "A"))),
     "cycle: A -> B -> A"),
    (lambda: Model(_two() + [composite("C", ["c"])],
                   relationships(paths("A", "B"), paths("B", "C"), paths("C", "A"))),
     "cycle: A -> B -> C -> A"),
    (lambda: Model([composite("Image", ["i"]), composite("Satisfaction", ["s"])],
                   paths("Image", "Satisfacton")),
     r"'Satisfacton'.*did you mean \['Satisfaction'\]"),
    (lambda: Model(_two(), paths("A", "A")), "points a construct at itself"),
    (lambda: Model(_two() + [composite("C", ["c"])], paths("A", "B")),
     r"\['C'\] have no structural path"),
    (lambda: Model(_two(), []), "no paths"),
])
def test_specification_errors(build, message):
    with pytest.raises(ModelSpecificationError, match=message):
        build()


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.normal(size=(30, 4)), columns=["a1", "a2", "b1", "b2"])


def test_indicator_not_in_data(data):
    model = Model(_two(b=("b1", "b3")), paths("A", "B"))
    with pytest.raises(ModelSpecificationError, match=r"'b3' of construct 'B' is not a column.*"
                                                        r"similar columns"):
        estimate_pls(data, model)


def test_indicator_not_numeric(data):
    data["b2"] = ["x"] * len(data)
    with pytest.raises(ModelSpecificationError, match="'b2' of construct 'B' is not numeric"):
        estimate_pls(data, Model(_two(), paths("A", "B")))


def test_constant_indicator(data):
    data["a2"] = 3.0
    with pytest.raises(ModelSpecificationError, match=r"a2 \(construct 'A'\).*constant"):
        estimate_pls(data, Model(_two(), paths("A", "B")))


def test_constant_after_listwise_deletion(data):
    data.loc[5:, "a2"] = np.nan
    data.loc[:4, "a2"] = 1.0
    model = Model(_two(), paths("A", "B"))
    with pytest.raises(ModelSpecificationError, match="constant"):
        estimate_pls(data, model, missing="listwise")


def test_more_predictors_than_observations():
    rng = np.random.default_rng(1)
    names = [f"x{k}" for k in range(6)]
    data = pd.DataFrame(rng.normal(size=(6, 7)), columns=names + ["y"])
    model = Model([single_item(n.upper(), n) for n in names] + [single_item("Y", "y")],
                  paths([n.upper() for n in names], "Y"))
    with pytest.raises(ModelSpecificationError, match=r"n = 6 .*'Y' has 6 predictor.*n >= q \+ 2"):
        estimate_pls(data, model)


def test_mode_b_block_larger_than_sample():
    rng = np.random.default_rng(2)
    data = pd.DataFrame(rng.normal(size=(5, 6)), columns=[f"a{k}" for k in range(5)] + ["y"])
    model = Model([composite("A", [f"a{k}" for k in range(5)], mode="B"), single_item("Y", "y")],
                  paths("A", "Y"))
    with pytest.raises(ModelSpecificationError, match="Mode B construct 'A' regresses on 5"):
        estimate_pls(data, model)


def test_bad_settings(data):
    model = Model(_two(), paths("A", "B"))
    with pytest.raises(ValueError, match="choose one of"):
        estimate_pls(data, model, inner_weighting="pathway")
    with pytest.raises(ValueError, match="choose one of"):
        estimate_pls(data, model, missing="impute")


def test_non_convergence_is_loud():
    with pytest.warns(PLSConvergenceWarning, match="did NOT converge"):
        fit = estimate_pls(mobi(), ecsi_model(), max_iter=2)
    assert not fit.converged and fit.settings["converged"] is False
    assert "NOT CONVERGED" in repr(fit)


def test_settings_and_csv_export(tmp_path, capsys):
    fit = estimate_pls(mobi(), ecsi_model())
    text = fit.summary()
    assert "inner_weighting : path" in text and "mean replacement" in capsys.readouterr().out
    written = fit.to_csv(tmp_path / "out")
    names = {p.stem for p in written}
    assert {"settings", "path_coefficients", "htmt", "reliability", "scores", "f_squared",
            "outer_vif", "inner_vif", "missing_report", "cross_loadings"} <= names
    back = pd.read_csv(tmp_path / "out" / "path_coefficients.csv", index_col=0)
    np.testing.assert_allclose(back.to_numpy(), fit.path_coefficients.to_numpy(), atol=1e-12)
    settings = pd.read_csv(tmp_path / "out" / "settings.csv")
    assert dict(zip(settings.setting, settings.value, strict=True))["iterations"] == "6"
