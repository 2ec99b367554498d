"""The Textual user interface. It asks the store; it never parses files or runs SQL."""
