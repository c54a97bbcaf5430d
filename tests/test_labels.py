"""Labels as data: data/labels.csv and the other translated tables, one column per language."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers.registers import labels, paths
from helpers.registers.regions import analysis_regions, resolve_region
from tests.repo_copy import add_column, copy_repository, run_python, run_study


def test_the_languages_are_the_header_of_labels_csv():
    header = (paths.DATA / "labels.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[0] == "key" and labels.LANGUAGES == tuple(header[1:])
    assert "en" in labels.LANGUAGES and len(labels.LANGUAGES) >= 3


@pytest.mark.parametrize("table, pattern", labels.TRANSLATED.items())
def test_every_translated_table_is_complete_for_every_language(table, pattern):
    df = pd.read_csv(paths.ROOT / table, dtype=str, keep_default_na=False)
    for lang in labels.LANGUAGES:
        column = pattern.format(lang=lang)
        assert column in df.columns, f"{table} has no column {column!r} for {lang!r}"
        empty = df.index[df[column].str.strip() == ""].tolist()
        assert not empty, f"{table}: column {column!r} is empty in row(s) {empty}"


def test_no_table_has_a_language_column_the_study_does_not_know():
    for table, pattern in labels.TRANSLATED.items():
        df = pd.read_csv(paths.ROOT / table, dtype=str, keep_default_na=False, nrows=0)
        shape = re.compile("^" + pattern.format(lang="([a-z]{2})") + "$")
        found = {m.group(1) for c in df.columns if (m := shape.match(c))}
        unknown = found - set(labels.LANGUAGES)
        assert not unknown, f"{table}: columns for {unknown}, not in data/labels.csv"


def test_a_missing_label_or_language_names_the_valid_ones():
    with pytest.raises(KeyError, match="data/labels.csv"):
        labels.label("no_such_label")
    with pytest.raises(KeyError, match="languages: en"):
        labels.label("year", "de")
    with pytest.raises(ValueError, match=r"Valid choices: en \(English\)"):
        labels.check_language("de")


def test_regions_carry_their_names_as_a_mapping_by_language():
    for region in analysis_regions():
        assert set(region.names) == set(labels.LANGUAGES)
        assert all(region.name(lang) == region.names[lang] for lang in labels.LANGUAGES)
    astana = resolve_region("Астана")
    assert astana.slug == "astana" and astana.name_en == "Astana"
    with pytest.raises(ValueError, match="Valid choices"):
        astana.name("de")


def test_factor_codes_are_read_once_per_folder_and_handed_out_as_new_dicts(tmp_path):
    codes = labels.factor_codes()
    article = pd.read_csv(paths.DATA / "article" / "factors.csv", dtype=str)
    assert codes == dict(zip(article["id"], article["code_kk"], strict=True))
    codes["social"] = "changed by a caller"
    assert labels.factor_codes()["social"] == article.set_index("id").loc["social", "code_kk"]
    other = article.assign(code_kk=article["code_kk"] + "*")  # another folder, other codes
    other.to_csv(tmp_path / "factors.csv", index=False)
    assert labels.factor_codes(tmp_path) == {k: v + "*" for k, v in labels.factor_codes().items()}


def test_the_languages_live_in_one_place_in_the_helpers():
    quoted = re.compile(r"""["']kk["']""")
    hits = [str(p.relative_to(paths.ROOT)) for p in (paths.ROOT / "helpers").rglob("*.py")
            if quoted.search(p.read_text(encoding="utf-8"))]
    # helpers/sources/sdg.py names the publisher's own translation files, not the study's labels
    assert set(hits) <= {"helpers/sources/sdg.py"}, hits


_TRANSLATE_AS_ENGLISH = """
from helpers.run import translate
catalog = translate.read(translate.po_path("xx"), "xx")
for message in catalog:
    if message.id:
        message.string = message.id
translate.write(catalog, translate.po_path("xx"))
"""


@pytest.mark.study
def test_a_fourth_language_is_a_column_in_each_translated_table(tmp_path):
    copy = copy_repository(tmp_path)
    refused = run_study(copy, "--notebooks", "02", "--city", "Astana", "--lang", "xx")
    assert refused.returncode == 2 and "Unknown language 'xx'" in refused.stderr
    for table, pattern in labels.TRANSLATED.items():
        add_column(copy / table, pattern.format(lang="xx"), pattern.format(lang="en"))
    # the notebooks' prose: one command writes data/i18n/xx.po and notebooks/xx/; a run in xx
    # is refused, naming the file, until every paragraph of the notebook is translated
    assert run_python(copy, "-m", "helpers.run.translate").returncode == 1
    assert (copy / "data/i18n/xx.po").exists() and (copy / "notebooks/xx").is_dir()
    refused = run_study(copy, "--notebooks", "02", "--city", "Astana", "--lang", "xx")
    assert refused.returncode == 2 and "data/i18n/xx.po" in refused.stderr, refused.stderr
    translated = run_python(copy, "-c", _TRANSLATE_AS_ENGLISH)  # a translator's work, faked
    assert translated.returncode == 0, translated.stderr
    assert run_python(copy, "-m", "helpers.run.translate").returncode == 0
    done = run_study(copy, "--notebooks", "02", "--city", "Astana", "--lang", "xx")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((copy / "out/reports/astana/02_innovation_activity.json").read_text())
    assert report["parameters"]["lang"] == "xx"
    assert (copy / "out/figures/astana/fig02_innovation-activity.xx.svg").exists()
    listed = run_python(copy, "-c",
                        "from helpers.registers.labels import LANGUAGES; print(LANGUAGES)")
    assert listed.stdout.strip() == str((*labels.LANGUAGES, "xx"))
