"""Atomic, private file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; new folders are readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    return path


def private_temp_path(directory: Path, suffix: str = ".tmp") -> Path:
    """A fresh, empty, owner-only file in `directory` (same filesystem, so a rename is atomic)."""
    fd, name = tempfile.mkstemp(dir=directory, prefix=".stethos-", suffix=suffix)
    os.close(fd)
    os.chmod(name, PRIVATE_FILE_MODE)
    return Path(name)


def fsync_dir(directory: Path) -> None:
    """Make a rename inside `directory` durable (no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_atomically(source: Path, target: Path) -> None:
    """Move a finished temp file over `target`, durably, keeping it owner-only."""
    os.chmod(source, PRIVATE_FILE_MODE)
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)
    fsync_dir(target.parent)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` via temp file + fsync + rename, with 0600 permissions."""
    ensure_private_dir(target.parent)
    temp = private_temp_path(target.parent)
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replace_atomically(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
