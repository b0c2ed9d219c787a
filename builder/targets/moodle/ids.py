"""Numeric ids for the backup: one counter per kind of record, handed out in outline order.

Moodle's restore maps every id of a backup to a new one (``backup_ids_temp``), so the numbers
only need to be unique per kind and consistent between the files that cite them; allocating
them in a fixed order keeps the archive byte-identical from build to build.
"""

from __future__ import annotations

from collections import defaultdict

SYSTEM_CONTEXT = 1
COURSE_ID = 1
COURSE_CONTEXT = 2


class Ids:
    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)
        # Context ids share one space (course context 2, module contexts from 3).
        self._last["context"] = COURSE_CONTEXT

    def next(self, kind: str) -> int:
        self._last[kind] += 1
        return self._last[kind]
