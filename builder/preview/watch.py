"""Rebuild on save, with watchfiles (Rust notify underneath: no polling loop of our own)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

WATCHED = ("course", "quizzes", "templates")  # course.yaml, modules, media; quizzes; template overrides


def watched_paths(source: Path) -> list[Path]:
    return [source / name for name in WATCHED if (source / name).is_dir()]


def start_watching(source: Path, on_change: Callable[[set], None], stop: threading.Event) -> threading.Thread:
    """Call ``on_change(changes)`` after every batch of file changes, until ``stop`` is set."""
    from watchfiles import watch

    def run() -> None:
        for changes in watch(*watched_paths(source), stop_event=stop, debounce=200, step=50,
                             raise_interrupt=False):
            on_change(changes)

    thread = threading.Thread(target=run, name="preview-watch", daemon=True)
    thread.start()
    return thread
