"""Identifiers for the cartridge: NCNames, unique, stable from build to build.

Both descriptions in the cartridge (the standard one Moodle reads and the Canvas one) use the
same identifiers, so they are allocated once, in outline order, from the model's own ids.
"""

from __future__ import annotations

import re

from ...textutil import is_ncname, to_ncname

# Canvas files any feedback id matching this as general/correct/incorrect feedback, never as
# the feedback of one answer (Qti::AssessmentItemConverter#get_feedback_id).
CANVAS_GENERAL_FEEDBACK = re.compile(r"correct|incorrect|wrong|general_|_all", re.IGNORECASE)

GENERAL_FB = "general_fb"
CORRECT_FB = "correct_fb"
INCORRECT_FB = "general_incorrect_fb"


class IdAllocator:
    """Hands out NCNames, each once; a clash gets a numeric suffix (first come keeps the name)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, *parts: str) -> str:
        base = to_ncname("_".join(p for p in parts if p), prefix="x")
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}_{n}", n + 1
        assert is_ncname(ident), ident
        self.taken.add(ident)
        return ident


def answer_ident(position: int) -> str:
    """Answer idents by position: short, NCNames, and free of Canvas's feedback keywords."""
    return f"a{position}"


def answer_feedback_ident(answer: str) -> str:
    ident = f"{answer}_fb"
    # true_fb / false_fb / aN_fb never match; the assert keeps it so if the scheme changes.
    assert not CANVAS_GENERAL_FEEDBACK.search(ident), ident
    return ident
