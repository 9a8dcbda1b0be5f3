"""Is a page's text the article, or a wall in front of it?

A fetch that meets a cookie or consent banner, a bot check, a "JavaScript required"
notice, a paywall or an error page gets that notice as the page's text. Taken as an
article, it would replace the feed's summary (the news lost), and every page of the site
behind the same wall would be "the same story" (a near-duplicate of the first). The
phrases are data (``services/data/walls.yaml``), by language; a wall is a short text that
holds one of them.
"""

from __future__ import annotations

import functools
from pathlib import Path

import ahocorasick
import yaml

WALLS_FILE = Path(__file__).resolve().parent.parent / "data" / "walls.yaml"


@functools.cache
def _walls() -> tuple[ahocorasick.Automaton, int]:
    spec = yaml.safe_load(WALLS_FILE.read_text(encoding="utf-8"))
    automaton = ahocorasick.Automaton()
    for language, phrases in spec["phrases"].items():
        for phrase in phrases:
            automaton.add_word(phrase.casefold(), (language, phrase))
    automaton.make_automaton()
    return automaton, int(spec["max_chars"])


def wall(text: str) -> str | None:
    """The wall phrase a short text holds ("we use cookies"), or None when it may be an article."""
    automaton, max_chars = _walls()
    if len(text) >= max_chars:
        return None
    for _end, (_language, phrase) in automaton.iter(text.casefold()):
        return phrase
    return None
