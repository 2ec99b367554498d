"""The sports words of a line are read with the word pattern's classes spelled out for the
Basic Multilingual Plane: the same words as the pattern of Unicode categories, everywhere."""

from __future__ import annotations

from reader.entities.sports import _WORD, _bmp_word, _in_bmp, _Lines, sports_windows


def test_the_spelled_out_pattern_finds_the_same_words_for_every_character() -> None:
    fast = _bmp_word()
    for i in range(0x10000):
        c = chr(i)
        for text in (c, f"a{c}", f"{c}a", f"a{c}b", f"1{c}x", f"{c}{c} -{c}'"):
            assert fast.findall(text) == _WORD.findall(text), hex(i)


def test_a_text_beyond_the_plane_is_read_with_the_categories() -> None:
    assert _in_bmp("Le match de l’équipe, 2-1 — fin")
    assert not _in_bmp("goal 𝐆𝐨𝐚𝐥 \U0001f3c6")
    astral = "The coach's team won the match \U0001d41a\U0001d41b goal\U00010400s"
    assert _Lines(astral).word is _WORD
    assert _Lines("The coach's team won").word is _bmp_word()
    assert _Lines(astral).line(0, len(astral))[2] == [w.lower() for w in _WORD.findall(astral)]


def test_sports_windows_unchanged_on_mixed_texts() -> None:
    report = (
        "Dortmund beat Mainz 2-1 in the Bundesliga on Saturday. The coach praised the "
        "striker, whose goal in the final minute won the match for the club before its fans."
    )
    assert sports_windows(report) == [(0, len(report))]
    beyond = report + " \U0001f3c6"
    assert sports_windows(beyond) == [(0, len(beyond))]
    assert sports_windows("Le gouvernement a présenté son budget.\n\nRien d’autre.") == []
