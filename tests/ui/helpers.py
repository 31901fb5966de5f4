"""Find widgets the way assistive technology does: by accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)


def find_all(root: QWidget | None, kind: type[W], name: str, *, visible: bool = True) -> list[W]:
    roots = [root] if root is not None else QApplication.topLevelWidgets()
    found: list[W] = []
    for top in roots:
        candidates: list[W] = list(top.findChildren(kind))
        if isinstance(top, kind):
            candidates.insert(0, top)
        found += [
            widget
            for widget in candidates
            if widget.accessibleName() == name and (widget.isVisible() or not visible)
        ]
    return found


def find_by_name(root: QWidget | None, kind: type[W], name: str, *, visible: bool = True) -> W:
    """The one widget of `kind` under `root` (or under any top-level window) named `name`."""
    found = find_all(root, kind, name, visible=visible)
    if len(found) != 1:
        raise LookupError(f"expected one {kind.__name__} named {name!r}, found {len(found)}")
    return found[0]
