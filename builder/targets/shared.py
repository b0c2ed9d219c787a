"""Work shared by the targets of one build.

SCORM 1.2 and 2004 render the same course, and the two cartridge versions the same pages and
questions: what one target computed, the next one reuses. The store hangs on the build's Jinja
environment, which ``build()`` makes for each build, so nothing outlives a build and nothing is
global; it is reset when the environment is used for another course (tests share one).
"""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Optional, TypeVar

import jinja2

from ..model import Course

T = TypeVar("T")
_STORE = "build_course_shared"
# From this many questions a format built alone writes its quizzes on both cores
# (builder/forked.py's map_in_two; measured in docs/performance.md).
QTI_SPLIT_FROM_QUESTIONS = 300
_FORMATS = (_STORE, "formats")


def _cache(env: jinja2.Environment, course: Course) -> dict:
    store = getattr(env, _STORE, None)
    if store is None or store[0] is not course:
        store = (course, {})
        setattr(env, _STORE, store)
    return store[1]


def per_build(env: jinja2.Environment, course: Course, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per build (per course and environment) for ``key``; later calls reuse it."""
    cache = _cache(env, course)
    if key not in cache:
        cache[key] = make()
    return cache[key]


def plan_formats(env: jinja2.Environment, course: Course, formats: Iterable[str]) -> None:
    """Say which formats this build makes, so a target can do work for a sibling in the same
    pass (a cartridge serialises its QTI for the other cartridge version only when it is built)."""
    _cache(env, course)[_FORMATS] = frozenset(formats)


def planned_formats(env: jinja2.Environment, course: Course) -> Optional[frozenset[str]]:
    """The formats ``build()`` said it makes, or None when a target is built on its own."""
    return _cache(env, course).get(_FORMATS)
