"""Survey files as classes really export them (issue 19, cases 8 and 9): Google Forms and
Microsoft Forms exports, CSV or .xlsx, in Kazakh, Russian or English, with ',' or ';'."""

from __future__ import annotations

import csv
import unicodedata

import pandas as pd
import pytest

from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey import instrument, load_responses, scale
from helpers.steps.nb07_survey_files import SurveyFileError, read_survey_file
from helpers.survey.cli import main


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    """40 simulated respondents, answers 1-5 (ids r001...), as the canonical CSV holds them."""
    table = rec.simulate_survey(rec.load_spec(), 5, n=40).answers.astype(int)
    table.index = pd.Index([f"r{k:03d}" for k in range(1, 41)], name="respondent")
    return table


def _canonical(folder, answers):
    answers.reset_index().to_csv(folder / "canonical.csv", index=False)
    return load_responses("canonical", folder=folder)


def _form_export(answers, lang: str, separator: str = ",", email: bool = True) -> list[list[str]]:
    """What Google Forms exports: a time stamp, (an e-mail), one column per statement in the
    form's language, the answers as the scale's words."""
    texts = instrument().set_index("item")[f"text_{lang}"]
    words = scale().set_index("value")[f"label_{lang}"]
    stamp = {"kk": "Уақыт белгісі", "ru": "Отметка времени", "en": "Timestamp"}[lang]
    header = [stamp] + (["Email Address"] if email else []) + [texts[i] for i in answers.columns]
    rows = [header]
    for k, (_, row) in enumerate(answers.iterrows()):
        rows.append([f"2026/11/{k % 28 + 1:02d} 10:{k % 60:02d}:00 AM GMT+5"]
                    + ([f"student{k}@school.kz"] if email else [])
                    + [words[int(v)] for v in row])
    return rows


def _write_csv(path, rows, separator=",", encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=separator).writerows(rows)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_google_forms_export_loads_to_the_same_responses(tmp_path, answers, lang):
    expected = _canonical(tmp_path, answers)
    _write_csv(tmp_path / "form.csv", _form_export(answers, lang))
    loaded = load_responses("form", folder=tmp_path)
    pd.testing.assert_frame_equal(loaded.answers, expected.answers)
    reading = loaded.reading
    assert "Google Forms export" in reading.kind and reading.languages == {lang}
    assert reading.ids_generated and reading.separator == ","
    report = reading.report()
    assert "personal data (e-mail or name): never kept" in report
    assert "a time stamp" in report
    word = scale().set_index("value").loc[5, f"label_{lang}"]
    assert f"{word!r} -> 5" in report


def test_semicolons_windows_1251_and_decomposed_text_are_read_and_named(tmp_path, answers):
    expected = _canonical(tmp_path, answers)
    rows = _form_export(answers, "ru")
    rows = [[unicodedata.normalize("NFD", c) for c in r] for r in rows]
    _write_csv(tmp_path / "excel.csv", rows, ";", encoding="utf-8")
    loaded = load_responses("excel", folder=tmp_path)
    pd.testing.assert_frame_equal(loaded.answers, expected.answers)
    assert "';' (semicolon" in loaded.reading.report()
    rows = _form_export(answers, "ru")
    _write_csv(tmp_path / "ansi.csv", rows, ";", encoding="cp1251")
    loaded = load_responses("ansi", folder=tmp_path)
    pd.testing.assert_frame_equal(loaded.answers, expected.answers)
    assert "windows-1251" in loaded.reading.report()


def test_an_xlsx_microsoft_forms_export_in_english_loads(tmp_path, answers):
    expected = _canonical(tmp_path, answers)
    texts = instrument().set_index("item")["text_en"]
    words = scale().set_index("value")["label_en"]
    table = pd.DataFrame({"ID": answers.index, "Start time": "11/5/26 10:00:00",
                          "Completion time": "11/5/26 10:04:00", "Email": "anonymous",
                          "Name": ""})
    for item in answers.columns:
        table[texts[item]] = [words[int(v)] for v in answers[item]]
    table.to_excel(tmp_path / "msforms.xlsx", index=False)
    loaded = load_responses("msforms", folder=tmp_path)
    pd.testing.assert_frame_equal(loaded.answers, expected.answers)
    assert "Microsoft Forms export" in loaded.reading.kind
    assert not loaded.reading.ids_generated


def test_a_header_matching_no_statement_is_named_with_its_closest(tmp_path, answers):
    rows = _form_export(answers, "kk")
    statement = instrument().set_index("item").loc["MAN2", "text_kk"]
    column = rows[0].index(statement)
    words = statement.split()
    words[1] += "лар"  # a statement re-typed with a slip
    rows[0][column] = " ".join(words)
    _write_csv(tmp_path / "typo.csv", rows)
    with pytest.raises(SurveyFileError) as caught:
        read_survey_file(tmp_path / "typo.csv")
    message = str(caught.value)
    assert f"(column {column + 1})" in message and "the closest statement is MAN2 (kk)" in message


def test_a_word_off_the_scale_is_named_with_the_valid_words(tmp_path, answers):
    rows = _form_export(answers, "ru")
    rows[3][5] = "Может быть"
    _write_csv(tmp_path / "off.csv", rows)
    with pytest.raises(SurveyFileError, match=r"(?s)5 = Strongly agree / Толық келісемін.*"
                       r"line 4, respondent 'r003', column \w+: 'Может быть' is neither a "
                       "number 1-5 nor an answer"):
        read_survey_file(tmp_path / "off.csv")


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"), (b"%PDF-1.7 ...", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "an old Excel .xls workbook"),
    (b"\x89PNG\r\n\x1a\n\0\0\0", "a binary file"),
])
def test_a_file_it_cannot_read_gets_one_sentence(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(SurveyFileError) as caught:
        read_survey_file(path)
    message = str(caught.value)
    assert reason in message and "\n" not in message and message.endswith(".")


def test_convert_writes_the_canonical_csv_and_shows_the_mapping(tmp_path, answers, capsys):
    _write_csv(tmp_path / "form.csv", _form_export(answers, "kk"), ";")
    out = tmp_path / "astana.csv"
    assert main(["convert", str(tmp_path / "form.csv"), "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "Google Forms export" in shown and "SOC1 (statement in kk)" in shown
    assert "';' (semicolon" in shown and f"wrote {out}" in shown
    converted = pd.read_csv(out, dtype=str)
    assert list(converted.columns) == ["respondent", *answers.columns]
    assert "@" not in out.read_text() and "2026/11" not in out.read_text()
    assert (converted.set_index("respondent").astype(int) == answers).all().all()
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.4")
    assert main(["convert", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "PDF document" in err and err.count("\n") == 1


def test_the_convert_command_runs_from_the_shell(tmp_path, answers):
    import subprocess
    import sys

    from helpers.registers import paths

    _write_csv(tmp_path / "form.csv", _form_export(answers, "ru"))
    done = subprocess.run([sys.executable, "-m", "helpers.survey", "convert",
                           str(tmp_path / "form.csv")], cwd=paths.ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Отметка времени" in done.stdout and "a time stamp" in done.stdout
    assert (tmp_path / "form.canonical.csv").exists()
