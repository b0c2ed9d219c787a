"""Rebuild on save, with watchfiles (Rust notify underneath: no polling loop of our own)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

WATCHED = ("course", "quizzes", "templates")  # course.yaml, modules, media; quizzes; template overrides


def course_filter(source: Path):
    """Changes under course/, quizzes/ or templates/ (even one created after the start), never dist/."""
    from watchfiles import DefaultFilter

    roots = [(source / name).resolve() for name in WATCHED]
    default = DefaultFilter()  # editors' swap and backup files, .git, __pycache__ …

    def accept(change, path: str) -> bool:
        resolved = Path(path).resolve()
        return default(change, path) and any(resolved == r or r in resolved.parents for r in roots)

    return accept


def start_watching(source: Path, on_change: Callable[[set], None], stop: threading.Event) -> threading.Thread:
    """Call ``on_change(changes)`` after every batch of file changes, until ``stop`` is set."""
    from watchfiles import watch

    def run() -> None:
        for changes in watch(source, watch_filter=course_filter(source), stop_event=stop, debounce=200, step=50,
                             raise_interrupt=False):
            on_change(changes)

    thread = threading.Thread(target=run, name="preview-watch", daemon=True)
    thread.start()
    return thread
