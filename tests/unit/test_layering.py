"""DESIGN §1: only app/ui may import PySide6 (so services run headless, on the server too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_MODULES = ("PySide6", "shiboken6")


def _qt_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(name.split(".")[0] in QT_MODULES for name in names):
            lines.append(node.lineno)
    return lines


def test_only_the_ui_layer_imports_qt() -> None:
    offenders = []
    for folder in ("app", "server"):
        for path in (ROOT / folder).rglob("*.py"):
            if (ROOT / "app" / "ui") in path.parents:
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _qt_imports(path)]
    assert offenders == []


def test_the_check_sees_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtWidgets import QWidget\n")
    assert _qt_imports(sample) == [2]


LOWER_LAYERS = ("models", "storage", "interop", "terminology")
HIGHER = ("app.services", "app.ui")


def _imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_lower_layers_never_import_services_or_ui() -> None:
    """Arrows point down only (DESIGN §1): models, storage, formats and code sets stand alone."""
    offenders = []
    for layer in LOWER_LAYERS:
        for path in (ROOT / "app" / layer).rglob("*.py"):
            offenders += [
                f"{path.relative_to(ROOT)}:{line} imports {name}"
                for line, name in _imports_of(path)
                if name.startswith(HIGHER)
            ]
    assert offenders == []
