"""Issue #15: local dates with a recent age, and the link opener's pure part."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.dates import local_date, reading_date, relative_age
from reader.model import DatedValue, DatePrecision
from reader.opener import Opener, OpenerKind, is_terminal_program, opener_for

WHEN = datetime(2026, 3, 3, 9, 20, tzinfo=UTC)
NOW = WHEN + timedelta(hours=2, minutes=5)


def at(precision: DatePrecision, when: datetime = WHEN) -> DatedValue:
    return DatedValue(when, precision)


def test_local_date_moves_times_of_day_into_the_zone_and_names_it() -> None:
    paris = timezone(timedelta(hours=1), "CET")
    assert local_date(at(DatePrecision.MINUTE), paris) == "2026-03-03 10:20 CET"
    india = timezone(timedelta(hours=5, minutes=30))
    assert local_date(at(DatePrecision.SECOND), india) == "2026-03-03 14:50 UTC+5:30"
    assert local_date(at(DatePrecision.MINUTE), timezone(timedelta(hours=-4))) == (
        "2026-03-03 05:20 UTC-4"
    )


def test_dates_without_a_time_of_day_stay_on_their_day() -> None:
    far_west = timezone(timedelta(hours=-10))
    midnight = datetime(2026, 3, 3, tzinfo=UTC)
    assert local_date(at(DatePrecision.DAY, midnight), far_west) == "2026-03-03"
    assert local_date(at(DatePrecision.MONTH, midnight), far_west) == "Mar 2026"
    assert local_date(at(DatePrecision.YEAR, midnight), far_west) == "2026"


def test_relative_age_only_for_recent_times() -> None:
    assert relative_age(at(DatePrecision.MINUTE), NOW) == "2 h ago"
    assert relative_age(at(DatePrecision.MINUTE), WHEN + timedelta(minutes=7)) == "7 min ago"
    assert relative_age(at(DatePrecision.MINUTE), WHEN + timedelta(seconds=20)) == "just now"
    assert relative_age(at(DatePrecision.MINUTE), WHEN + timedelta(days=2)) is None
    assert relative_age(at(DatePrecision.MINUTE), WHEN - timedelta(hours=1)) is None  # future
    assert relative_age(at(DatePrecision.DAY), NOW) is None
    utc = UTC
    assert reading_date(at(DatePrecision.MINUTE), NOW, utc) == "2026-03-03 09:20 UTC (2 h ago)"
    assert reading_date(at(DatePrecision.DAY), NOW, utc) == "2026-03-03"


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """Fake browsers on PATH (scripts that do nothing)."""
    for name in ("w3m", "lynx", "firefox"):
        script = tmp_path / name
        script.write_text("#!/bin/sh\nexit 0\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def test_terminal_browsers_are_recognised(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    url = "https://example.org/a?b=1&c=2"
    found = opener_for(url, {"BROWSER": "w3m"})
    assert found == Opener(OpenerKind.TERMINAL, ("w3m", url)) and found.terminal
    found = opener_for(url, {"BROWSER": f"{bin_dir}/lynx -accept_all_cookies %s"})
    assert found.kind == OpenerKind.TERMINAL
    assert found.argv == (f"{bin_dir}/lynx", "-accept_all_cookies", url)
    # the first installed command of the list wins
    found = opener_for(url, {"BROWSER": f"no-such-browser{os.pathsep}firefox{os.pathsep}w3m"})
    assert found == Opener(OpenerKind.GRAPHICAL, ("firefox", url))
    assert opener_for(url, {}) == Opener(OpenerKind.SYSTEM)
    assert opener_for(url, {"BROWSER": "w3m"}, browser="firefox").kind == OpenerKind.GRAPHICAL
    assert is_terminal_program("/usr/local/bin/elinks -no-home") and not is_terminal_program("")
    assert not is_terminal_program('w3m "unclosed')


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "-dump", "https://a b", "relative/x"]
)
def test_addresses_that_must_not_be_opened(url: str) -> None:
    with pytest.raises(ValueError):
        opener_for(url, {"BROWSER": "w3m"})
