"""Loading a big course on two cores: the outline's second half in a forked child.

Reading YAML with positions and rendering Markdown is most of a big course's load (a course of
200 modules and 2,000 questions: ~0.5 s). The child loads the second half of the outline with the
very same code while this process loads the first, and sends back the modules it built (pickled
model objects: about a fifth of what loading them costs) and what it changed in the course-wide
state (``Change``). Whenever the halves meet (an id or a page in both, a course-wide limit only
the two together pass), the whole outline is loaded again in one process: what the instructor is
told never depends on the split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol

from .. import forked

# Below this many bytes of modules and quizzes, one process is as fast: the fork, the pickling
# and the Markdown set-up both sides repeat cost more than half the loading (docs/performance.md).
SPLIT_FROM_BYTES = 64 * 1024
# The child's share of the bytes: a little under half, as this process also unpickles its part.
CHILD_SHARE = 0.46


@dataclass
class Mark:
    """The course-wide state before a half is loaded."""

    diagnostics: int
    media: dict
    cited: dict
    question_ids: dict
    reflection_ids: dict
    text_bytes: int
    brackets: int


@dataclass
class Change:
    """What loading a half added to the course-wide state (all picklable)."""

    diagnostics: list
    media: dict
    media_said: dict  # media file -> span in ``diagnostics`` of its check's findings
    cited: dict
    question_ids: dict
    reflection_ids: dict
    text_bytes: int
    brackets: int


class Loading(Protocol):
    def run(self, entries: list) -> list: ...
    def mark(self) -> Mark: ...
    def restore(self, mark: Mark) -> None: ...
    def since(self, mark: Mark) -> Change: ...
    def add(self, change: Change) -> bool: ...


def load(entries: list, loading: Loading, folder: Path) -> list:
    """The modules of these outline entries, in order, as one process would load them."""
    cut = _cut(entries, folder)
    if cut is None:
        return loading.run(entries)
    mark = loading.mark()

    def second_half() -> tuple[list, Change]:
        return loading.run(entries[cut:]), loading.since(mark)

    try:
        child = forked.Child(second_half)
    except OSError:  # no process to be had (a container's process limit): one process, as ever
        return loading.run(entries)
    try:
        first = loading.run(entries[:cut])
    finally:
        theirs, change = child.result()
    if loading.add(change):
        return first + theirs
    loading.restore(mark)
    return loading.run(entries)


def _cut(entries: list, folder: Path) -> Optional[int]:
    """Where the child's half starts, or None to load in one process."""
    if len(entries) < 2 or not forked.idle_core():
        return None
    sizes = [_size(folder / "course" / rel) + (_size(folder / "quizzes" / f"{quiz}.yaml") if quiz else 0)
             for rel, quiz, _ in entries]
    total = sum(sizes)
    if total < SPLIT_FROM_BYTES and not forked.forced():
        return None
    return forked.split_at(sizes, CHILD_SHARE)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):  # missing, or a name the OS refuses: the loader reports it
        return 0
