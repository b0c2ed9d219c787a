"""The SCO page of the two SCORM editions, rendered once per build.

The editions' pages differ only in the configuration the runtime reads, the edition's label and
each text box (its budget): when a build makes both, the page is rendered once with those left
open and each edition fills them in (``builder/render/late.py``), byte for byte what rendering it
again would give. A course with templates of its own, another page (cmi5) or a page that does not
come out clean is rendered the plain way.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import escape

from ...model import Course
from ...render.environment import has_course_templates, tojson_attr
from ...render.late import LatePage
from ..shared import per_build, planned_formats
from .units import Unit

EDITIONS = frozenset({"scorm12", "scorm2004"})
PAGE = "scorm/sco.html"
TEXT_BOX = "scorm/text_answer.html"
# how the page prints each late value (sco.html)
LATE = {"config": lambda value: escape(tojson_attr(value)), "edition_label": escape}


def render_sco_page(env: jinja2.Environment, course: Course, page: str, unit: Unit, values: dict[str, Any],
                    shareable: bool) -> str:
    """``page`` rendered with ``values`` (which hold ``config``, ``edition_label`` and ``texts``)."""
    planned = planned_formats(env, course)
    if shareable and page == PAGE and planned is not None and EDITIONS <= planned and not has_course_templates(env):
        first = per_build(env, course, ("sco-page", unit.id), lambda: _render_once(env, values))
        if first is not None:
            once, keys = first
            texts = values["texts"]
            try:
                html = once.fill(env, {name: values[name] for name in (*LATE, "texts")}, LATE,
                                 lambda found: {**found, "field": texts[keys[id(found["field"])]]})
            except KeyError:  # not the same text boxes (cannot happen with the same unit)
                html = None
            if html is not None:
                return html
    return env.get_template(page).render(values)


def _render_once(env: jinja2.Environment, values: dict[str, Any]):
    once = LatePage.render(env, PAGE, {k: v for k, v in values.items() if k not in LATE}, LATE, TEXT_BOX)
    # the text boxes the page was rendered with, by identity: each edition gives its own by key
    keys = {id(field): key for key, field in values["texts"].items()}
    return None if once is None else (once, keys)
