"""One screen per module."""

from reader.ui.screens.article import ArticleScreen
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.help import HelpScreen

__all__ = ["ArticleScreen", "HeadlinesScreen", "HelpScreen"]
