"""What every HTML-based target shares: the stylesheet and the course's media files."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..model import Course


def stylesheet(env: jinja2.Environment) -> bytes:
    """The one stylesheet (``static/course.css``), overridable like any template."""
    source, _, _ = env.loader.get_source(env, "static/course.css")
    return source.encode("utf-8")


def media_files(course: Course, prefix: str = "") -> dict[str, Path]:
    """Media referenced by the pages, at ``prefix + media/...`` (pages link to them relatively).

    The values are paths: the package stage streams them from disk, so media never sit in memory.
    """
    return {prefix + m.path: m.source for m in course.media}
