"""This user's private cache folder for work that one build can hand to the next (compiled
templates, the strings each SCO script uses): ``$XDG_CACHE_HOME/build-course/<name>`` (default
``~/.cache/…``), or None where it cannot be made private (then nothing is cached on disk)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional


def private_folder(name: str) -> Optional[Path]:
    if not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "build-course" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return folder if private else None


def write_atomically(folder: Path, name: str, data: bytes) -> bool:
    """Written beside, then renamed: a concurrent build never reads half an entry."""
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
        return True
    except OSError:  # a full or read-only disk: the caller just goes without
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
