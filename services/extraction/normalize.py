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
from bisect import bisect_right
from functools import lru_cache

import numpy as np

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


def _fold_table() -> list[int | str]:
    """str.translate table for the Basic Multilingual Plane: each character to its fold,
    "\x00" where it is dropped, " " where it separates words. Beyond the BMP: unchanged (the
    list raises IndexError, which translate takes as "no mapping"). A list, not a dict:
    translate indexes it without hashing, a fifth faster on Arabic text."""
    table: list[int | str] = []
    for code in range(0x10000):
        folded = _fold_char(chr(code)) or "\x00"
        table.append(ord(folded) if len(folded) == 1 else folded)
    return table


_TABLE = _fold_table()
#: the fold of every BMP character (see :func:`_fold_table`), for code-point-level folding elsewhere
FOLD_TABLE: tuple[int | str, ...] = tuple(_TABLE)
#: a run of separators and dropped marks that is not exactly one space
_EDIT = re.compile(r"\x00[ \x00]*| [ \x00]+")
_SPACES = re.compile(r" {2,}")


_NO_STOP = 1 << 62


class Offsets:
    """Maps an index of the normalised text to the index of its source character.

    Stored as the edit points only (runs of separators and dropped marks), so
    building it costs one pass over the edits, not one per character.
    """

    __slots__ = ("_lead", "_trail", "_points", "_shifts", "_core_len", "_text_len", "_orig", "_norm_of")

    def __init__(self, lead: int, trail: int, points: list[int], shifts: list[int], core_len: int,
                 text_len: int) -> None:
        self._lead, self._trail, self._points, self._shifts = lead, trail, points, shifts
        self._core_len, self._text_len = core_len, text_len
        self._orig: list[int] | None = None
        self._norm_of: list[int] | None = None  # to_norm of every source index, built on first use

    def __getitem__(self, k: int) -> int:
        k -= self._lead
        if k < 0:
            return 0
        if k >= self._core_len:
            return self._text_len
        i = bisect_right(self._points, k) - 1
        return k + (self._shifts[i] if i >= 0 else 0)

    def __len__(self) -> int:
        return self._lead + self._core_len + self._trail

    def to_norm(self, a: int) -> int:
        """The index in the normalised text where source index ``a`` falls (0 <= a <= len(text))."""
        table = self._norm_of
        if table is None:
            table = self._norm_of = self._norm_table()
        return table[a] if 0 <= a < len(table) else self._to_norm(a)

    def _norm_table(self) -> list[int]:
        """``_to_norm`` for every source index at once: an extraction asks hundreds of times per article."""
        a = np.arange(self._text_len + 1)
        if self._points:
            points = np.asarray(self._points)
            shifts = np.asarray(self._shifts)
            # segment i+1 holds the source indexes after edit point i (0: before the first one); within it
            # the index shifts by shifts[i] and stops at the next point (no stop before the first)
            seg = np.searchsorted(points + shifts, a, side="right")
            shift = np.concatenate(([0], shifts))[seg]
            stop = np.concatenate(([_NO_STOP], points[1:], [_NO_STOP]))[seg]
            a = np.minimum(a - shift, stop)
        return (np.minimum(np.maximum(a, 0), self._core_len) + self._lead).tolist()

    def _to_norm(self, a: int) -> int:
        """The index in the normalised text of source index ``a`` (the next kept character)."""
        if self._orig is None:
            self._orig = [p + s for p, s in zip(self._points, self._shifts, strict=True)]
        i = bisect_right(self._orig, a) - 1
        if i < 0:
            k = a
        else:
            k = a - self._shifts[i]
            if i + 1 < len(self._points):
                k = min(k, self._points[i + 1])
        return self._lead + max(0, min(k, self._core_len))

    def __iter__(self):
        return (self[k] for k in range(len(self)))


def normalize(text: str) -> tuple[str, Offsets]:
    """Return (normalised text, offsets) where offsets[i] is the source index of char i.

    Runs of separators collapse to one space; the result starts and ends with a
    space so that whole-word matches can be found by searching " word ".
    One ``str.translate`` folds every character one to one; the offset map
    records only where runs of separators and dropped marks shortened the text.
    """
    folded = text.translate(_TABLE)
    if len(folded) != len(text):  # a character folded to two (a ligature): the slow, exact path
        norm, offsets = _normalize_by_char(text)
        return norm, Offsets(0, 1, list(range(len(offsets))), [o - k for k, o in enumerate(offsets)],
                             len(offsets) - 1, len(text))
    points: list[int] = []
    shifts: list[int] = []
    shift = 0
    for m in _EDIT.finditer(folded):
        a, b = m.span()
        keep = 1 if " " in m.group() else 0
        # the kept space (if any) maps to the run's first character; what follows maps past the run
        if keep:
            points.append(a - shift)
            shifts.append(shift + m.group().index(" "))
        shift += b - a - keep
        points.append(b - shift)
        shifts.append(shift)
    core = _SPACES.sub(" ", folded.replace("\x00", "")) if points else folded
    if not core.strip():
        return " ", Offsets(1, 0, [], [], 0, len(text))
    lead = 0 if core.startswith(" ") else 1
    trail = 0 if core.endswith(" ") else 1
    return (" " if lead else "") + core + (" " if trail else ""), Offsets(lead, trail, points, shifts, len(core),
                                                                           len(text))


def _normalize_by_char(text: str) -> tuple[str, list[int]]:
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
    return _SPACES.sub(" ", fold_words(text)).strip()


def fold_words(text: str) -> str:
    """The normalised words of ``text``, spacing left as it falls (for word splitting)."""
    # a character folded to two (a ligature) changes the length; no offsets are needed here
    return text.translate(_TABLE).replace("\x00", "")


#: the English possessive: "Iran's" must match "Iran", not fold into "irans"
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’](?=s\b)")


def split_possessive(text: str) -> str:
    """``Iran's`` -> ``Iran s``: same length, so offsets into the text stay valid."""
    return _POSSESSIVE.sub(" ", text) if "'" in text or "’" in text else text


#: a thousands separator inside a number: "1,200", "١٬٢٠٠"
_THOUSANDS = re.compile(r"(?<=\d)[,\u066c](?=\d{3}(?!\d))")


#: an age in apposition to a name: "Matson, 65, of Brookings, died", "Anton Wallace, 64, of Fort Worth"
_AGE = re.compile(r"(?<=[A-Za-z]), (\d{1,3})(?=, )")


def numbers_as_counts(text: str) -> str:
    """Numbers as counts read them: ``1,200`` -> ``1\u00ad200`` (the separator becomes a soft hyphen,
    which normalisation drops, so the number reads as one, "1200"), and an age in apposition ("Matson, 65,
    died") dropped the same way, so it is no count. Same length, so offsets into the text stay valid."""
    if "," not in text and "\u066c" not in text:
        return text
    text = _THOUSANDS.sub("\u00ad", text)
    return _AGE.sub(lambda m: ", " + "\u00ad" * len(m.group(1)), text) if ", " in text else text


def normalize_name(text: str) -> str:
    """How the lexicon normalises a name: as a ``Doc`` normalises the text it is matched in."""
    return normalize_plain(split_possessive(text))


class Doc:
    """A text normalised once (possessives split off, numbers read as counts), with slices of its normalised
    form by source offsets."""

    __slots__ = ("text", "norm", "offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, self.offsets = normalize(numbers_as_counts(split_possessive(text)))

    def plain(self, start: int, end: int) -> str:
        """The normalised form of text[start:end]."""
        return self.norm[self.offsets.to_norm(start):self.offsets.to_norm(end)].strip()

    def before(self, pos: int, width: int = 24) -> str:
        return self.plain(max(0, pos - width), pos)
