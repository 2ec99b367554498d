"""Small, fast language guess from function-word counts, and declared language tags.

Each language has a list of its most frequent function words (articles, prepositions,
pronouns, auxiliaries), written by the team; a text's language is the one whose words it uses
most, a word shared by several languages counting for each a share. On whole articles this is
as accurate as a statistical detector and costs microseconds; on a single short sentence it
is right about nine times in ten (``benchmarks/bench_lang.py`` measures both against the
labelled sets beside the project; ``tests/test_lang.py`` checks the team's own sentences).
"""

from __future__ import annotations

import re
from collections import Counter

# Function words per language, most frequent first (written by the team).
FUNCTION_WORDS: dict[str, str] = {
    "fr": """le la les de des du un une et est en que qui dans pour pas sur au aux ce cette il
        elle ils elles ont sont avec par plus ne se sa son ses leur nous vous mais été être où
        d l qu c n s j lui était avait fait comme aussi ou à y va peut tout tous sans sous
        après avant chez cela leurs""",
    "en": """the of and to a in is that for on with as was by it are be at from this have has an
        which were not but its they their been will would said had his her he she who after
        also into over than more about i there when what we you can one out up if or""",
    "de": """der die das und ist nicht von zu den mit sich des auf für im dem ein eine einer
        eines einem als auch es an werden aus er hat dass sie nach wird bei noch wie über zum
        zur war wurde sind vom am nur oder aber vor bis durch ihre seine sein wurden diese""",
    "it": """il di che è la per un una non del della dei delle degli nel nella con sono gli le
        da al alla ha lo anche più come ma questo questa essere stato era fu dopo tra fra suo
        sua loro nei ed dal dalla dell all dall nell sull si ci i anni dove quando viene
        essere già gli poi""",
    "es": """el la los las de del y en que un una por con para es se no al lo su sus como más
        pero fue ha era son entre desde hasta también sobre este esta muy durante donde
        año años cuando sin ser fueron había""",
    "pt": """o a os as de do da dos das e em no na nos nas um uma por com para é se não ao à
        pelo pela que mais como mas foi seu sua são entre também sobre este esta muito ser
        ele ela""",
    "nl": """de het een van en in is dat op te met voor zijn niet aan er die ook als bij door
        om uit naar maar werd worden deze wordt tot heeft was hij zij wel nog dan""",
}
LANGUAGES = tuple(FUNCTION_WORDS)  # the codes detect_language can answer, besides "und"
# Another language must beat French and English by this much: a wrong "other" language makes
# the extractor read the text conservatively (fewer names), and feeds in other languages
# usually declare theirs (``language_tag``).
OTHER_MARGIN = 0.5

# Word endings that only one of the languages uses often ("nación", "nação", "nazione").
SUFFIXES: dict[str, tuple[str, ...]] = {
    "fr": ("ement", "eux", "ée", "ées", "ère"),
    "en": ("ing", "ly", "ed"),
    "de": ("ung", "heit", "keit", "lich", "schaft"),
    "it": ("zione", "zioni", "mente", "ggio", "tti"),
    "es": ("ción", "ciones", "mente", "dad", "ado"),
    "pt": ("ção", "ções", "ão", "ões", "nh", "lh"),
    "nl": ("ij", "ijk", "heid", "aa", "oo"),
}
SUFFIX_WEIGHT = 0.5  # a telling ending counts for half a function word

_SPLIT = re.compile(r"[^\w]+")
# Particles inside people's names ("Ursula von der Leyen", "Charles de Gaulle", "Lula da
# Silva") are no evidence of the text's language: between two capitalised words they are
# left out (German loses "Ausbau von Glasfaser", and has function words enough besides).
_UPPER = "A-ZÀ-ÖØ-Þ"
# (The capital first, then "no word character before it" looked back at: the matches of a
# leading \b, but the search skips to the capitals, twice as fast.)
_NAME_PARTICLES = re.compile(
    rf"([{_UPPER}](?<!\w.)[^\W\d_]*) (?:(?:von|van|der|den|de|da|di|del|della|do|dos|das|du"
    rf"|la|le) )+(?=[{_UPPER}])"
)


def _weights() -> dict[str, tuple[tuple[int, float], ...]]:
    """Each function word → (language index, share): a word of k languages counts 1/k each."""
    owners: dict[str, list[int]] = {}
    for i, words in enumerate(FUNCTION_WORDS.values()):
        for w in words.split():
            owners.setdefault(w, []).append(i)
    return {w: tuple((i, 1 / len(ix)) for i in ix) for w, ix in owners.items()}


_WEIGHTS = _weights()
_ENDINGS = tuple((LANGUAGES.index(lang), ends) for lang, ends in SUFFIXES.items())
_ANY_ENDING = tuple(end for ends in SUFFIXES.values() for end in ends)  # one test for most words


# A long text is first read to FIRST_LOOK characters: when one language is clearly ahead there
# (CLEAR_SCORE function words or more, CLEAR_RATIO times the next), that is the answer, and the
# rest of the sample is not read. On 17,539 texts (the benchmark corpus, the labelled sets as
# articles, HIPE, the feed files, the seed) the answer is the same as with the whole sample, at
# less than half the cost (``docs/performance.md``); without the test of clearness 6 differed.
FIRST_LOOK = 400
CLEAR_SCORE = 8.0
CLEAR_RATIO = 3.0


def detect_language(text: str, sample: int = 1500) -> str:
    """The ISO 639-1 code of the text's language among ``LANGUAGES``, or ``"und"`` when no
    function word of any of them appears in its first ``sample`` characters."""
    if len(text) > FIRST_LOOK and sample > FIRST_LOOK:
        scores, _ = _scores(text[:FIRST_LOOK])
        first, second = sorted(scores, reverse=True)[:2]
        if first >= CLEAR_SCORE and first >= CLEAR_RATIO * second:
            return _choice(scores)
    scores, found = _scores(text[:sample])
    return _choice(scores) if found else "und"


def _scores(text: str) -> tuple[list[float], bool]:
    """Each language's score in ``text``, and whether any word counted."""
    scores = [0.0] * len(LANGUAGES)
    weights = _WEIGHTS
    found = False
    for word, count in Counter(_SPLIT.split(_NAME_PARTICLES.sub(r"\1 ", text).lower())).items():
        owners = weights.get(word)
        if owners is not None:
            found = True
            for i, share in owners:
                scores[i] += share * count
        elif len(word) > 3 and word.endswith(_ANY_ENDING):
            for i, endings in _ENDINGS:
                if word.endswith(endings):
                    found = True
                    scores[i] += SUFFIX_WEIGHT * count
    return scores, found


def _choice(scores: list[float]) -> str:
    """The language the scores name: the best, unless it is neither French nor English and
    not ``OTHER_MARGIN`` ahead of the better of those two."""
    best = max(range(len(scores)), key=scores.__getitem__)  # the first best on a tie
    home = 0 if scores[0] >= scores[1] else 1  # French or English
    if best > 1 and scores[best] <= scores[home] + OTHER_MARGIN:
        return LANGUAGES[home]
    return LANGUAGES[best]


# Every ISO 639-1 code. The extractor has rules of its own for French and English, word lists
# for the other LANGUAGES, and reads text in any other language conservatively (known names
# and strong patterns only): any of these is a language it can be told a text is in.
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu""".split()
)

_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$")
# ISO 639-2 codes (and a few names) that feeds write for the languages above.
_ALIASES = {
    "fre": "fr",
    "fra": "fr",
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "ita": "it",
    "spa": "es",
    "por": "pt",
    "dut": "nl",
    "nld": "nl",
    "french": "fr",
    "english": "en",
    "german": "de",
    "italian": "it",
    "spanish": "es",
    "portuguese": "pt",
    "dutch": "nl",
}


def language_tag(declared: str | None) -> str | None:
    """A feed's declared language (``<language>``, ``xml:lang``, JSON Feed ``language``) as a
    lowercase ISO 639-1 code: ``de-DE`` → ``de``, ``en_US`` → ``en``, ``FR`` → ``fr``,
    ``fra`` → ``fr``; None for an empty or malformed tag."""
    if not declared:
        return None
    word = declared.strip().lower()
    if word in _ALIASES:
        return _ALIASES[word]
    m = _TAG.match(word)
    if m is None:
        return None
    code = m.group(1)
    return _ALIASES.get(code, code if len(code) == 2 else None)
