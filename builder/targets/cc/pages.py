"""The cartridge's HTML pages (``wiki_content/``) and the media they use (``web_resources/``).

One file per page serves both importers: Moodle's Page (it keeps the body) and Canvas's wiki
Page (it reads the head). The model's fragments link media as ``media/...`` relative to the
pages' folder; here pages live in ``wiki_content/`` and media in ``web_resources/media/``
(Canvas imports Files only from ``web_resources/``), so those links are rewritten.
"""

from __future__ import annotations

import re

import jinja2

from ...model import Course
from .outline import PageRes

WIKI_DIR = "wiki_content"
MEDIA_PREFIX = "web_resources/"  # + the model's "media/..." path
RTL_LANGUAGES = {"ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"}

# Only src/href attribute values that start with media/ (the loader's sanitised output quotes
# attributes with " or ').
_MEDIA_LINK = re.compile(r"""(\s(?:src|href)\s*=\s*)(["'])media/""")
_PACKAGE_MEDIA = re.compile(r"""\s(?:src|href)\s*=\s*["']\.\./(web_resources/media/[^"'#?]+)""")


def rewrite_media_links(html: str) -> str:
    return _MEDIA_LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}../{MEDIA_PREFIX}media/", html)


def media_used(html: str) -> list[str]:
    """Package paths of the media a rendered page links to, sorted, for its dependencies."""
    return sorted(set(_PACKAGE_MEDIA.findall(html)))


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


def render_page(course: Course, env: jinja2.Environment, page: PageRes) -> str:
    html = env.get_template("cc/page.html").render(
        course=course,
        page=page,
        rtl=is_rtl(course.language),
        workflow_state="active" if course.lms.publish else "unpublished",
    )
    return rewrite_media_links(html)


def page_path(page: PageRes) -> str:
    return f"{WIKI_DIR}/{page.filename}"
