"""Language identification with lingua, restricted to what the coder reads plus its neighbours.

The coder reads Arabic and English. The detector also knows the languages most
often met in the same feeds (Persian and Urdu share the Arabic script; French,
Turkish, Hebrew and a few more are common in the region's press),
so an article in one of them is recognised as such and passed on, marked, with no
events -- instead of being forced into "ar" or "en". Low-accuracy mode on the first
few hundred characters costs ~0.25 ms an article and ~50 MB; the sample is long
enough for that mode (lingua recommends it above 120 characters).
"""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

SUPPORTED = ("ar", "en")
NEIGHBOURS = ("FRENCH", "SPANISH", "GERMAN", "ITALIAN", "PORTUGUESE", "TURKISH", "PERSIAN", "URDU",
              "HEBREW", "RUSSIAN", "INDONESIAN", "DUTCH")
SAMPLE_CHARS = 400
MIN_LETTERS = 20  # below this nothing is said: "und"


class LanguageIdentifier:
    """``identify(text, hint)`` -> ISO 639-1 code, or "und"."""

    def __init__(self, neighbours: tuple[str, ...] = NEIGHBOURS) -> None:
        languages = [Language.ARABIC, Language.ENGLISH, *(getattr(Language, n) for n in neighbours)]
        self._detector = (LanguageDetectorBuilder.from_languages(*languages)
                          .with_low_accuracy_mode().with_preloaded_language_models().build())

    def identify(self, text: str, hint: str | None = None) -> str:
        sample = text[:SAMPLE_CHARS]
        letters = sum(1 for c in sample if c.isalpha())
        if letters < MIN_LETTERS:
            return hint or "und"
        detected = self._detector.detect_language_of(sample)
        if detected is None:
            return hint or "und"
        return detected.iso_code_639_1.name.lower()


@lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    return LanguageIdentifier()

