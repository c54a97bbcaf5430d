"""Input normalised at the edge (issue 19, case 6): Unicode form, case, spaces and look-alike
letters before a city, language or notebook name is resolved."""

from __future__ import annotations

import unicodedata

import pytest

from helpers.registers.spelling import fold, nfc
from helpers.run import runner as run
from helpers.run.params import ParameterError, check_values


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test would prove nothing otherwise
    return decomposed


@pytest.mark.parametrize("typed, slug", [("Қостанай облысы", "kostanay"), ("Семей", "abai"),
                                         ("Костанайская область", "kostanay")])
def test_decomposed_unicode_resolves_like_the_composed_spelling(typed, slug):
    assert check_values({"city": nfd(typed)})["city"].slug == slug
    assert check_values({"city": typed})["city"].slug == slug


@pytest.mark.parametrize("typed, slug", [
    ("  ALMATY ", "almaty"), ("almaty\u00a0", "almaty"), ("Nur\u2011Sultan", "astana"),
    ("Kостанай", "kostanay"),       # a Latin K in a Cyrillic word
    ("Аlmaty", "almaty"),           # a Cyrillic А in a Latin word
    ("Қостанаи\u0306", "kostanay"),  # й typed as и + combining breve
    ("Шымкент", "shymkent"), ("Алматы", "almaty")])
def test_case_spaces_and_look_alike_letters_are_folded(typed, slug):
    assert check_values({"city": typed})["city"].slug == slug


def test_a_typo_in_decomposed_text_is_suggested_in_composed_form():
    with pytest.raises(ParameterError) as caught:
        check_values({"city": nfd("Қостанайй облысы")})
    message = str(caught.value)
    assert message == unicodedata.normalize("NFC", message)  # nothing decomposed is shown
    assert "Unknown city or region 'Қостанайй облысы'" in message
    assert "Did you mean 'Қостанай облысы'" in message


@pytest.mark.parametrize("typed, code", [("KK", "kk"), (" ru ", "ru"), ("English", "en"),
                                         ("қазақша", "kk"), ("Kazakh", "kk")])
def test_languages_by_code_or_name_in_any_case(typed, code):
    assert check_values({"lang": typed})["lang"] == code


def test_notebooks_by_number_or_name_in_any_case():
    names = run.notebook_names()
    two = next(n for n in names if n.startswith("02_"))
    for typed in ("2", " 02", two.upper(), two.split("_", 1)[1].replace("_", " ")):
        assert run.select_notebooks([typed]) == [two]


def test_the_runner_accepts_what_a_mac_types(capsys):
    assert run.main(["--city", nfd("Қостанай облысы"), nfd("Семей"), "--lang", " KK",
                     "--notebooks", "02", "--list"]) == 0
    out = capsys.readouterr().out
    assert "cities kostanay, abai, language kk" in out


def test_fold_and_nfc():
    assert nfc("  Қостанаи\u0306\u00a0 облысы ") == "Қостанай облысы"
    assert fold("Ёлка-Палка") == fold("елка палка")
    assert fold("Pудный") == fold("Рудный")  # a Latin P
    assert fold("Strongly agree") == "strongly agree"
