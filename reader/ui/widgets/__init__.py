"""One widget per module."""

from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.widgets.search_bar import SearchBar

__all__ = ["HeadlineList", "SearchBar"]
