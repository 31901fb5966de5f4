"""The contract every main-window page keeps, so locking and unlocking work the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A section of the main window.

    `clear_sensitive` runs when the screen locks: drop every patient or staff detail from
    the widgets (models emptied, fields cleared), so nothing is left to read behind the
    lock screen or in memory dumps of the widgets. `reload` runs after unlocking and when
    the page is first shown.
    """

    def clear_sensitive(self) -> None:
        """Forget what is on screen (default: the page shows nothing sensitive)."""

    def reload(self) -> None:
        """Fetch what the page shows (default: nothing to fetch)."""
