"""Regenerate the README screenshots from the real app on the bundled sample.

    python scripts/screenshots.py [OUT_DIR]

Each shot indexes ``feeds/`` into a fresh temporary database, drives the app with Textual's
Pilot as a person would, and saves an SVG. Nothing is drawn by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.widgets import Input  # noqa: E402
from textual.worker import WorkerCancelled  # noqa: E402

from reader.store import FeedStore  # noqa: E402
from reader.ui.app import NewsReader  # noqa: E402

SIZE = (120, 34)


def fill(db: Path, subscribed: bool) -> None:
    """The sample; with ``subscribed``, its three feed files as subscriptions in folders, two
    saved searches and one source read, as a person's store looks after a while."""
    with FeedStore(db) as store:
        store.index(["feeds"])
        if subscribed:
            store.subscribe("feeds/syndicated/ev-briefing.rss", category="English")
            store.subscribe("feeds/syndicated/battery-notes.json", category="English/Batteries")
            store.subscribe(
                "feeds/syndicated/carnet-auto.atom", name="Le carnet", category="Français"
            )
            store.refresh()
        store.extract_entities()
        if subscribed:
            store.save_search("Elon Musk", 'entity:"Elon Musk"')
            store.save_search("Xiaomi in 2026", "xiaomi after:2026")
            store.mark_read("source:numerama")


async def settle(pilot) -> None:
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        pilot.app.writer.idle()
        await pilot.pause()


async def shot(
    out: Path, name: str, steps: Callable[[object], Awaitable[None]], subscribed: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shots.db"
        fill(db, subscribed)
        os.environ["NEWSREADER_STATE"] = str(Path(tmp) / "state.json")  # no history of ours
        app = NewsReader(db, theme_name="textual-dark")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await steps(pilot)
            for field in app.query(Input):  # a blink must not hide the cursor in the picture
                field.cursor_blink = False
            await settle(pilot)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"wrote {out / (name + '.svg')}")


async def headlines(pilot) -> None:
    await pilot.press("j", "j")


async def sources(pilot) -> None:
    await pilot.press("p", "down", "down")


async def search(pilot) -> None:
    await pilot.press("slash", *"xiaomi tesla")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def seed_article(pilot) -> None:
    await pilot.press("slash", *"conferences lei")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("enter", "enter")


async def find_in_article(pilot) -> None:
    await seed_article(pilot)
    await pilot.press("slash", *"xiaomi", "enter", "n")


async def entity_panel(pilot) -> None:
    await seed_article(pilot)
    await pilot.press("e")


async def entity_screen(pilot) -> None:
    await entity_panel(pilot)
    await pilot.press("enter")


async def feed_article(pilot) -> None:
    """An article from a feed: its author, a code block, an image and an enclosure."""
    await pilot.press("slash", *"charging sessions berlin")
    await settle(pilot)
    await pilot.press("enter", "enter")


async def help_screen(pilot) -> None:
    await pilot.press("question_mark")


async def feed_list(pilot) -> None:
    await pilot.press("f")
    await settle(pilot)
    await pilot.press("down", "down", "down")


async def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO)  # article paths show as "feeds/…"
    for name, steps in [
        ("headlines", headlines),
        ("sources", sources),
        ("search", search),
        ("article", seed_article),
        ("find", find_in_article),
        ("entity-panel", entity_panel),
        ("entity", entity_screen),
        ("feed-article", feed_article),
        ("help", help_screen),
    ]:
        await shot(out, name, steps)
    await shot(out, "feeds", feed_list, subscribed=True)


if __name__ == "__main__":
    asyncio.run(main())
