"""Text normalisation for matching, Arabic and English alike.

``normalize(text)`` folds what spelling varies on and keeps a map from every
normalised character back to its offset in the original, so matches can be
reported with offsets into the text the user gave us.

Arabic: diacritics (harakat, shadda, sukun, tanween, dagger alef) and tatweel
are removed; alef forms (أ إ آ ٱ) fold to ا; ta marbuta ة to ه; alef maqsura ى
to ي; hamza on waw/ya (ؤ ئ) to و/ي; Arabic-Indic and Persian digits to ASCII.
Latin: lower case, diacritics stripped (Ālbū Kamāl -> albu kamal), the
transliteration marks ʿ ʾ ‘ and apostrophes dropped (Darʿā, Dar'a -> dara);
typographic quotes and dashes to ASCII. Everything that is not a letter or
digit becomes a single space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
    "گ": "ك", "ک": "ك", "ی": "ي", "ھ": "ه",
}
_FOLD.update({chr(0x0660 + i): str(i) for i in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})  # Persian digits
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}  # harakat, dagger alef, tatweel
_DROP |= {"\u02bb", "\u02bc", "\u02bd", "\u02be", "\u02bf", "\u2018"}  # ʻ ʼ ʾ ʿ ‘ (transliterated ayn, hamza)
_DROP |= {"\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
          "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad"}  # bidi, ZW, soft hyphen

ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_RE = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch in _FOLD:
        return _FOLD[ch]
    if ch.isalnum():
        if "\uFB50" <= ch <= "\uFEFF":  # Arabic presentation forms
            return unicodedata.normalize("NFKC", ch)
        if "\u00C0" <= ch <= "\u024F" or "\u1E00" <= ch <= "\u1EFF":  # Latin with diacritics: Ā -> a
            return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
        return ch.lower()
    if ch in "-'’":
        return ch if ch == "-" else ""
    return " "


def normalize(text: str) -> tuple[str, list[int]]:
    """Return (normalised text, offsets) where offsets[i] is the source index of char i.

    Runs of separators collapse to one space; the result starts and ends with a
    space so that whole-word matches can be found by searching " word ".
    """
    out = [" "]
    offsets = [0]
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if not folded:
            continue
        if folded == " ":
            if out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            continue
        for piece in folded:
            out.append(piece)
            offsets.append(i)
    if out[-1] != " ":
        out.append(" ")
        offsets.append(len(text))
    return "".join(out), offsets


def normalize_plain(text: str) -> str:
    """Normalised text without the offset map (for lexicon entries and hashing)."""
    return normalize(text)[0].strip()
