"""FeedTree: subscriptions in their folders and saved searches, with unread/total counts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.store.articles import SourceCount
from reader.store.saved import SavedSearch
from reader.store.subscriptions import SharedCount, Subscription
from reader.textutil import clean_line
from reader.ui.scope import Scope


class EntryKind(StrEnum):
    """What a row of the feed list stands for."""

    ALL = "all"
    FOLDER = "folder"
    FEED = "feed"
    SEARCH = "search"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class Entry:
    """A row: what it opens (its scope), its counts, and what the detail line says."""

    kind: EntryKind
    key: str  # stable across reloads: the cursor stays on it
    scope: Scope
    unread: int
    total: int
    detail: str
    failing: bool = False
    full_text: bool = False  # a feed whose items' pages are fetched for their full text
    counted: bool = True  # False: its counts are still being read (shown as …)


def _when(epoch: int | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch)) if epoch else "never"


def feed_detail(sub: Subscription) -> str:
    """One line about a feed: its address, last refresh, and its error if it fails."""
    state = (
        f"error: {clean_line(sub.error)}"
        if sub.error
        else (f"last refresh {_when(sub.succeeded)}" if sub.succeeded else "not fetched yet")
    )
    return f"{clean_line(sub.url)}  ·  {state}"


SEARCHES = "\0searches"  # the folder of saved searches, listed after the feeds
SOURCES = "\0sources"  # the folder of sources that are no subscription (indexed folders)


def entries(
    subs: Sequence[Subscription],
    searches: Sequence[SavedSearch],
    sources: Sequence[SourceCount] = (),
    everything: tuple[int, int] = (0, 0),
) -> list[tuple[str, Entry]]:
    """The rows of the feed list, each with its folder path ("" at the top, "a/b" nested).

    ``everything`` is (total, unread) of every article; ``sources`` lists the sources, of
    which those no subscription provides get a folder of their own.
    """
    rows: list[tuple[str, Entry]] = []
    total, unread = everything
    rows.append(("", Entry(EntryKind.ALL, "all", Scope(), unread, total, "every article")))
    for sub in subs:
        label = clean_line(sub.label)
        folder = "/".join(p for p in (clean_line(x) for x in (sub.category or "").split("/")) if p)
        rows.append(
            (
                folder,
                Entry(
                    EntryKind.FEED,
                    f"feed:{sub.url}",
                    Scope.feed(sub.url, label, sub.id),
                    sub.unread,
                    sub.total,
                    feed_detail(sub),
                    failing=bool(sub.error),
                    full_text=sub.full_text,
                ),
            )
        )
    # A source a subscription names is listed as that feed, unless it holds more than the
    # feeds of that name carry: an indexed folder called as a feed is titled (`foo/` and a
    # feed "foo") was in no row, its articles out of reach from the feed list.
    carried: dict[str, int] = {}
    for sub in subs:  # (its title too: what it carries may be stored under it, first seen
        # in an indexed copy of the feed's file)
        for label in {clean_line(sub.label), clean_line(sub.title or "")}:
            carried[label] = carried.get(label, 0) + sub.total
    for source in sources:
        name = clean_line(source.name)
        if name not in carried or source.total > carried[name]:
            rows.append(
                (
                    SOURCES,
                    Entry(
                        EntryKind.SOURCE,
                        f"source:{source.name}",
                        Scope.source(source.name),
                        source.unread,
                        source.total,
                        f"source {name} (no subscription: indexed files, or what a removed "
                        "feed left: its starred articles)",
                    ),
                )
            )
    for search in searches:
        rows.append(
            (
                SEARCHES,
                Entry(
                    EntryKind.SEARCH,
                    f"search:{search.name}",
                    Scope.search(clean_line(search.name), search.query),
                    search.unread,
                    search.total,
                    f"saved search: {clean_line(search.query)}",
                    counted=search.counted,
                ),
            )
        )
    return rows


def fit(name: str, room: int) -> str:
    """``name`` in exactly ``room`` cells (wide characters count two). An address keeps its
    end, which tells feeds of one site apart (``example.org/f/…/atom.xml``); a name is cut at
    its end."""
    if name.startswith(("http://", "https://")):
        name = name.split("://", 1)[1].removeprefix("www.")
        if cell_len(name) > room:
            tail = room // 2
            head = set_cell_size(name, room - tail - 1)
            name = head + "…" + name[-tail:]
    elif cell_len(name) > room:
        name = set_cell_size(name, room - 1) + "…"
    return set_cell_size(name, room)


class FeedTree(Tree[Entry]):
    """The feed list. Labels are always plain text: feed titles come from strangers.

    Folders fold with the screen's key (``toggle_folder``) or a click on their arrow, and
    stay folded when the list is shown again with new counts; choosing a folder (enter)
    opens it without folding it."""

    DEFAULT_CSS = """
    FeedTree { background: $surface; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, id=id)
        self.auto_expand = False
        self.folded: set[str] = set()  # the folders' keys (``_key_of``) folded
        self.first_row: str | None = None  # the row the cursor starts on (its key)
        self._folder_keys: dict[int, str] = {}  # node id → key, for folders without an entry

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tree's own space (``toggle_node``) is off: the key goes on to the screen's binding
        (``feeds.toggle_folder``, which a keymap can move) and its footer."""
        return action != "toggle_node" and super().check_action(action, parameters)

    def _key_of(self, node: TreeNode[Entry]) -> str | None:
        """What names a row across reloads: its entry's key, or a top folder's."""
        return node.data.key if node.data is not None else self._folder_keys.get(node.id)

    def _every_row(self) -> list[TreeNode[Entry]]:
        """Every row, folded ones included, in order."""
        out: list[TreeNode[Entry]] = []
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    def folded_now(self) -> set[str]:
        """The keys of the folders folded now (``folded`` before the first ``show``)."""
        if not self.root.children:
            return set(self.folded)
        return {
            key
            for node in self._every_row()
            if node.allow_expand and (key := self._key_of(node)) is not None
            and not node.is_expanded
        }  # fmt: skip

    def toggle_folder(self) -> None:
        """Fold or unfold the folder under the cursor; on a feed or a search, the folder it
        is in. The cursor is left on the folder."""
        node = self.cursor_node
        if node is not None and not node.allow_expand:
            node = node.parent
        if node is None or node.is_root:
            return  # a row outside any folder
        if node.is_expanded:
            node.collapse()
        else:
            node.expand()
        if self._tree_lines:  # (numbers the rows as they are now shown; what is folded is
            # read from the tree itself when it is rebuilt: ``show``)
            self.move_cursor(node)

    def process_label(self, label: str | Text) -> Text:
        text = Text(label) if isinstance(label, str) else label
        return text.split()[0] if text.plain else text

    def show(
        self, rows: Sequence[tuple[str, Entry]], width: int, shared: Sequence[SharedCount] = ()
    ) -> None:
        """Rebuild the tree from ``entries``; the cursor stays on the same row, folded
        folders stay folded. A folder counts its feeds' articles, each once: ``shared``
        (``FeedStore.shared_articles``) says which sets of feeds carry the same articles."""
        keep = self._key_of(self.cursor_node) if self.cursor_node else None
        if self.first_row is not None:  # the first rows: the cursor where it was last
            keep, self.first_row = self.first_row, None
        if self.root.children:  # however they were folded (a key, a click on the arrow)
            self.folded = self.folded_now()
        self._folder_keys = {}
        self.clear()
        self.root.expand()
        folders: dict[str, TreeNode[Entry]] = {"": self.root}
        sums: dict[str, list[int]] = {}
        urls: dict[str, list[str]] = {}
        ids: dict[str, list[int]] = {}
        for folder, entry in rows:
            if entry.kind == EntryKind.FEED and folder:
                parts = folder.split("/")
                for depth in range(1, len(parts) + 1):
                    path = "/".join(parts[:depth])
                    total = sums.setdefault(path, [0, 0])
                    total[0] += entry.unread
                    total[1] += entry.total
                    urls.setdefault(path, []).append(entry.key.removeprefix("feed:"))
                    ids.setdefault(path, []).extend(entry.scope.ids)
        _count_once(sums, ids, shared)
        widest = max((cell_len(entry.scope.label) for _, entry in rows), default=12)
        name_width = max(12, min(widest + 2 * self.guide_depth + 2, width - 32))
        order = {"": 0, SOURCES: 2, SEARCHES: 3}  # feeds' folders (1) come between
        for folder, entry in sorted(rows, key=lambda r: (order.get(r[0], 1), r[0].casefold())):
            parent = self._folder(folders, folder, sums, urls, ids, name_width)
            parent.add_leaf(self._label(entry.scope.label, entry, name_width, parent), data=entry)
        self.call_after_refresh(self._restore, keep)  # lines are numbered at the next refresh

    def _folder(
        self,
        folders: dict[str, TreeNode[Entry]],
        path: str,
        sums: dict[str, list[int]],
        urls: dict[str, list[str]],
        ids: dict[str, list[int]],
        width: int,
    ) -> TreeNode[Entry]:
        if path in folders:
            return folders[path]
        if path in (SEARCHES, SOURCES):
            title = "Saved searches" if path == SEARCHES else "Other sources"
            key = f"folder:{path}"
            node = self.root.add(Text(title, style="bold"), expand=key not in self.folded)
            self._folder_keys[node.id] = key
            folders[path] = node
            return node
        parent_path, _, name = path.rpartition("/")
        parent = self._folder(folders, parent_path, sums, urls, ids, width)
        unread, total = sums.get(path, [0, 0])
        entry = Entry(
            EntryKind.FOLDER,
            f"folder:{path}",
            Scope.folder(path, urls.get(path, []), ids.get(path, [])),
            unread,
            total,
            f"folder {path}: {len(urls.get(path, []))} feeds",
        )
        label = self._label(name + "/", entry, width, parent)
        node = parent.add(label, data=entry, expand=entry.key not in self.folded)
        folders[path] = node
        return node

    def _label(self, name: str, entry: Entry, width: int, parent: TreeNode[Entry]) -> Text:
        """The row: name, then unread/total in a column (the tree's guides and the folder
        icon take ``guide_depth`` cells per level and two cells)."""
        depth = 0
        node: TreeNode[Entry] | None = parent
        while node is not None and not node.is_root:
            depth += 1
            node = node.parent
        indent = self.guide_depth * depth + (2 if entry.kind == EntryKind.FOLDER else 0)
        room = max(width - indent, 8)
        label = Text(fit(name, room), style="bold" if entry.unread else "")
        if entry.counted:
            label.append(f" {entry.unread:>6,}", style="bold" if entry.unread else "dim")
            label.append(f"/{entry.total:<7,}", style="dim")
        else:
            label.append(f" {'…':>6}/{'…':<7}", style="dim")
        if entry.full_text:
            label.append(" full text", style="italic")
        if entry.failing:
            label.append(" ⚠ failing", style="red")
        return label

    def _restore(self, key: str | None) -> None:
        """The cursor back on the row named ``key`` (in a folded folder: on the folder)."""
        found = next((n for n in self._every_row() if key and self._key_of(n) == key), None)
        if found is None:
            self.move_cursor(self.root.children[0] if self.root.children else None)
            return
        shown = found
        node = found.parent
        while node is not None and not node.is_root:
            if not node.is_expanded:
                shown = node  # the outermost folded folder holding it
            node = node.parent
        self.move_cursor(shown)


def _count_once(
    sums: dict[str, list[int]], ids: dict[str, list[int]], shared: Sequence[SharedCount]
) -> None:
    """Take from each folder's sums (``[unread, total]``, its feeds' counts added up) the
    articles counted more than once: one carried by k of its feeds was added k times."""
    if not shared:
        return
    under = {path: set(feed_ids) for path, feed_ids in ids.items()}
    for carried in shared:
        for path, feed_ids in under.items():
            extra = sum(1 for f in carried.feeds if f in feed_ids) - 1
            if extra > 0:
                sums[path][0] -= extra * carried.unread
                sums[path][1] -= extra * carried.total
