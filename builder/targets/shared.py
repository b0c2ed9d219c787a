"""Work shared by the targets of one build.

SCORM 1.2 and 2004 render the same course, and the two cartridge versions the same pages and
questions: what one target computed, the next one reuses. The store hangs on the build's Jinja
environment, which ``build()`` makes for each build, so nothing outlives a build and nothing is
global; it is reset when the environment is used for another course (tests share one).
"""

from __future__ import annotations

from typing import Callable, Hashable, TypeVar

import jinja2

from ..model import Course

T = TypeVar("T")
_STORE = "build_course_shared"


def per_build(env: jinja2.Environment, course: Course, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per build (per course and environment) for ``key``; later calls reuse it."""
    store = getattr(env, _STORE, None)
    if store is None or store[0] is not course:
        store = (course, {})
        setattr(env, _STORE, store)
    cache = store[1]
    if key not in cache:
        cache[key] = make()
    return cache[key]
