"""The cartridge's HTML pages (``wiki_content/``) and the media they use (``web_resources/``).

One file per page serves both importers: Moodle's Page (it keeps the body) and Canvas's wiki
Page (it reads the head). The model's fragments link media as ``media/...`` relative to the
pages' folder; here pages live in ``wiki_content/`` and media in ``web_resources/media/``
(Canvas imports Files only from ``web_resources/``), so those links are rewritten.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Optional

import jinja2

from ...load.markdown_render import reference_anchor
from ...model import Course, Module
from .outline import PageRes

WIKI_DIR = "wiki_content"
MEDIA_PREFIX = "web_resources/"  # + the model's "media/..." path

# Only src/href attribute values that start with media/ (the loader's sanitised output quotes
# attributes with " or ').
_MEDIA_LINK = re.compile(r"""(\s(?:src|href)\s*=\s*)(["'])media/""")
_PACKAGE_MEDIA = re.compile(r"""\s(?:src|href)\s*=\s*["']\.\./(web_resources/media/[^"'#?]+)""")


# Links that die on import, whatever the LMS (docs/lms-import.md):
# * to another HTML file of the course (an author's link to another module, ``x.html``): Moodle
#   cannot migrate the file, Canvas lists it as a missing link, and no relative link reaches a
#   Page in both;
# * to an in-page anchor: Moodle's importer cleans every page and text with PARAM_CLEANHTML,
#   which drops every ``id`` (and ``<a name>``), so no anchor is left to land on.
# Their text stays, unlinked; a citation links to the source itself (the page still lists its
# references at the end) or stays a bare number when the source has no address.
_PAGE_LINK = re.compile(r"""<a\s[^>]*?\bhref\s*=\s*["'](?![a-z][a-z0-9+.-]*:|\.\./)([^"']*)["'][^>]*>(.*?)</a>""",
                        re.I | re.S)
_OTHER_PAGE = re.compile(r"^[^#]*\.html?(#|$)", re.I)


def lms_links(html: str, module: Optional[Module] = None) -> str:
    """``html`` with the links an LMS import would kill removed (see above)."""
    if "<a" not in html and "<A" not in html:  # most QTI texts: no link (~8,000 calls a build)
        return html
    cited = {reference_anchor(module.slug, s.number): s for s in module.references} if module else {}

    def unlink(m: re.Match) -> str:
        url = html_lib.unescape(m.group(1))
        if url.startswith("#"):
            source = cited.get(url[1:])
            if source is not None and source.url:
                return (f'<a href="{html_lib.escape(source.url)}" target="_blank" rel="noopener" '
                        f'title="{html_lib.escape(source.text)}">{m.group(2)}</a>')
            return m.group(2)
        return m.group(2) if _OTHER_PAGE.match(url) else m.group(0)

    return _PAGE_LINK.sub(unlink, html)


def rewrite_media_links(html: str) -> str:
    return _MEDIA_LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}../{MEDIA_PREFIX}media/", html)


def media_used(html: str) -> list[str]:
    """Package paths of the media a rendered page links to, sorted, for its dependencies."""
    return sorted(set(_PACKAGE_MEDIA.findall(html)))


def render_page(course: Course, env: jinja2.Environment, page: PageRes) -> str:
    html = env.get_template("cc/page.html").render(
        course=course,
        page=page,
        workflow_state="active" if course.lms.publish else "unpublished",
    )
    return rewrite_media_links(lms_links(html, page.module))


def page_path(page: PageRes) -> str:
    return f"{WIKI_DIR}/{page.filename}"
