"""Input normalised at the edge: what a person types, or a form exports, before it is matched.

A city, a language, a notebook, a survey statement or an answer word can reach the study in many
byte sequences that a reader sees as the same text:

* **Unicode forms**: macOS, some web forms and some keyboards send decomposed text (NFD: ``й`` as
  ``и`` + a combining breve); everything is turned into the composed form (NFC) first;
* **case and spaces**: ``ALMATY``, `` Almaty ``, a no-break space or a tab between two words;
* **look-alike letters**: Kazakh, Russian and English share glyphs (Latin ``a c e o p x y`` and
  Cyrillic ``а с е о р х у``; Latin ``i h`` and Kazakh ``і һ``; Latin ``ə ɵ`` and Kazakh ``ә ө``). A
  word typed on a keyboard switched mid-word mixes scripts; in such a word the look-alikes of the
  minority script are read as letters of the majority script, so ``Kостанай`` (a Latin K) is
  ``Костанай``. A word in one script is left alone.

:func:`nfc` is the display form (what an error message shows); :func:`fold` is the matching key.
"""

from __future__ import annotations

import re
import unicodedata

_LATIN_TO_CYRILLIC = {
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "i": "і", "o": "о",
    "p": "р", "x": "х", "y": "у", "h": "һ", "k": "к", "ə": "ә", "Ə": "Ә", "ɵ": "ө", "Ɵ": "Ө",
}
"""Latin letters a reader cannot tell from a Cyrillic (or Kazakh Cyrillic) one."""
_CYRILLIC_TO_LATIN = {cyr: lat for lat, cyr in _LATIN_TO_CYRILLIC.items()
                      if lat not in ("Y", "h", "k", "ə", "Ə", "ɵ", "Ɵ")}
_TO_CYRILLIC = str.maketrans(_LATIN_TO_CYRILLIC)
_TO_LATIN = str.maketrans(_CYRILLIC_TO_LATIN)
_WORD = re.compile(r"\w+")
_SEPARATORS = str.maketrans({ch: " " for ch in "-–—‐‑_.,;:/\\'\"«»“”„()[]"})


def _script(ch: str) -> str:
    if not ch.isalpha():
        return ""
    name = unicodedata.name(ch, "")
    return "cyrillic" if name.startswith("CYRILLIC") else "latin" if name.startswith(
        "LATIN") else "other"


def _one_script(word: str) -> str:
    scripts = [_script(ch) for ch in word]
    cyrillic, latin = scripts.count("cyrillic"), scripts.count("latin")
    if not cyrillic or not latin:
        return word
    return word.translate(_TO_CYRILLIC if cyrillic >= latin else _TO_LATIN)


def nfc(text: str) -> str:
    """``text`` in the composed Unicode form, look-alike letters of a mixed word unified and
    runs of white space (no-break spaces, tabs) made one space, trimmed: the form to show."""
    text = unicodedata.normalize("NFC", str(text))
    text = " ".join(text.split())
    return _WORD.sub(lambda m: _one_script(m.group()), text)


def fold(text: str) -> str:
    """The matching key: :func:`nfc`, case folded, ``ё`` read as ``е``, punctuation and dashes as
    spaces, spaces collapsed. Two spellings a reader takes for the same words get the same key."""
    text = nfc(text).casefold().replace("ё", "е").translate(_SEPARATORS)
    return " ".join(text.split())
