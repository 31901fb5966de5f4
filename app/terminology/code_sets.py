"""Where the read-only code sets live, and the error when one is not there.

resources/ sits at the repository root beside app/ (app/ui/resources.py finds its icons
the same way); found from this file, so no Qt is needed to locate it.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import DomainError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TERMINOLOGY_DIR = PROJECT_ROOT / "resources" / "terminology"


class CodeSetUnavailable(DomainError):
    """A code set is missing or unreadable on this computer."""

    def __init__(self, name: str, path: Path, damaged: bool = False) -> None:
        if damaged:
            state = "on this computer is damaged or out of date"
        else:
            state = "is not installed on this computer"
        super().__init__(
            f"The {name} code set {state} ({shown_path(path)}). "
            "Run `make terminology` or reinstall Stethos."
        )


def shown_path(path: Path) -> str:
    """The path relative to the installation when it lies inside it (shorter to read)."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
