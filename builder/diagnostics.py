"""Diagnostics: every problem found in the sources, with where it is and how to fix it.

Stages append to one ``Diagnostics`` collector instead of raising, so an author sees every
mistake in one run (the MkDocs/Sphinx way). Messages print as
``path:line:column: error: what is wrong — how to fix it``.
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from .model import Position


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    pos: Position
    message: str  # what is wrong
    hint: str = ""  # how to fix it
    code: str = ""

    def __str__(self) -> str:
        text = f"{self.pos}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: Position, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Diagnostic(Severity.ERROR, pos, message, hint, code))

    def warning(self, pos: Position, message: str, hint: str = "", code: str = "") -> None:
        self.items.append(Diagnostic(Severity.WARNING, pos, message, hint, code))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        """Add another stage's findings (e.g. the forked cartridge build's); one already here
        (the same course template error met by both processes) is not said twice."""
        seen = set(self.items)
        for item in other:
            if item not in seen:
                seen.add(item)
                self.items.append(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.pos.file, d.pos.line, d.pos.column))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def lines(self, verbose: bool = False, places: int = 3) -> list[tuple[Severity, str]]:
        """What to print, in source order: every error on its own line; warnings of one cause
        (the same ``code`` and the same fix) seen more than once become one line with a count
        and the first ``places`` places, unless ``verbose`` asks for every one of them."""
        ordered = self.sorted()
        groups: dict[tuple[str, str], list[Diagnostic]] = {}
        for d in ordered:
            if d.severity is Severity.WARNING and d.code:
                groups.setdefault((d.code, d.hint), []).append(d)
        out = []
        for d in ordered:
            group = groups.get((d.code, d.hint)) if d.severity is Severity.WARNING and d.code else None
            if verbose or group is None or len(group) == 1:
                out.append((d.severity, str(d)))
            elif group[0] is d:
                others = [str(o.pos) for o in group[1:1 + places]]
                more = "" if len(group) <= places + 1 else ", …; -v lists all"
                out.append((d.severity, f"{d} [{len(group)} times like this; also at {', '.join(others)}{more}]"))
        return out

    def __len__(self) -> int:
        return len(self.items)


class BuildError(Exception):
    """Raised when loading or building cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Diagnostics, summary: str = ""):
        self.diagnostics = diagnostics
        super().__init__(summary or f"{len(diagnostics.errors)} error(s)")


def did_you_mean(value: str, options: Iterable[str]) -> Optional[str]:
    """The closest valid option, for hints like 'did you mean multiple_choice?'."""
    matches = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.5)
    return matches[0] if matches else None
