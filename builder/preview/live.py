"""The course as the preview serves it: built in memory, rebuilt on demand, never half-swapped."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jinja2

from ..diagnostics import BuildError, Diagnostics
from ..load import load_course
from ..render import make_environment
from ..targets import get_target

# What the preview shows: the SCO of each SCORM edition and the read-only "answers shown" view.
FORMATS = ("scorm12", "scorm2004", "html")


@dataclass
class Snapshot:
    """One build: its number, its packages' files, or the problems that stopped it."""

    number: int
    ok: bool
    title: str = ""
    course_id: str = ""
    files: dict = field(default_factory=dict)  # format -> {path in package: bytes | Path}
    problems: list = field(default_factory=list)  # lines, as the command line prints them
    warnings: list = field(default_factory=list)
    passing_score: Optional[float] = None
    seconds: float = 0.0


class LiveCourse:
    def __init__(self, source: Path, formats=FORMATS):
        self.source = Path(source)
        self.formats = formats
        self.changed = threading.Condition()
        self._lock = threading.Lock()  # one build at a time
        self.current = Snapshot(0, False, problems=["building…"])

    def rebuild(self) -> Snapshot:
        with self._lock:
            started = time.perf_counter()
            snapshot = self._build(self.current.number + 1)
            snapshot.seconds = time.perf_counter() - started
        with self.changed:
            self.current = snapshot
            self.changed.notify_all()
        return snapshot

    def wait_for_change(self, seen: int, timeout: float) -> Snapshot:
        with self.changed:
            self.changed.wait_for(lambda: self.current.number != seen, timeout=timeout)
            return self.current

    def _build(self, number: int) -> Snapshot:
        course, diagnostics = load_course(self.source)
        try:
            if course is None or diagnostics.errors:
                raise BuildError(diagnostics)
            env = make_environment(self.source)
            files = {name: get_target(name).build(course, env, diagnostics) for name in self.formats}
            if diagnostics.errors:
                raise BuildError(diagnostics)
        except BuildError as exc:
            return Snapshot(number, False, problems=_lines(exc.diagnostics))
        except jinja2.TemplateError as exc:  # a mistake in the author's own templates/
            where = f"{_relative(getattr(exc, 'filename', None), self.source)}:{getattr(exc, 'lineno', 0) or 0}"
            return Snapshot(number, False, problems=[f"{where}: error: template: {exc}"])
        except Exception as exc:  # noqa: BLE001 - a long-running server reports a bug and keeps serving
            return Snapshot(number, False, problems=[f"build-course failed unexpectedly: {type(exc).__name__}: {exc} "
                                                     "(a bug in build-course: please report it)"])
        return Snapshot(number, True, title=course.title, course_id=course.id, files=files,
                        warnings=[str(d) for d in diagnostics.warnings],
                        passing_score=course.completion.passing_score)


def _lines(diagnostics: Diagnostics) -> list[str]:
    return [str(d) for d in diagnostics] or ["the course could not be loaded"]


def _relative(filename: Optional[str], source: Path) -> str:
    if not filename:
        return "templates"
    try:
        return Path(filename).resolve().relative_to(source.resolve()).as_posix()
    except ValueError:
        return filename
