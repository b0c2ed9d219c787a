"""A Page's content: the cartridge's page body, made Moodle-native.

The page is rendered with the same templates as the cartridge (``cc/page.html`` and the shared
partials), so whatever those pages carry (references, video, text alternative) reaches Moodle
too. Then, in the parsed tree (never by string surgery):

* media links become ``@@PLUGINFILE@@/media/...`` files of the page's ``content`` area;
* links to another page of the course become ``$@PAGEVIEWBYID*<cmid>@$`` (anchor kept), which
  Moodle's restore turns into the link to that Page in the new course;
* YouTube links get ``class="nomediaplugin"``: Moodle keeps the page's iframe player (it does not
  clean Page content), so its media filter must not add a second player for the link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import jinja2
from lxml import etree, html as lxml_html

from .media import FileArea, MediaLinks
from .plan import Activity, MbzPlan

try:
    from ..cc.pages import is_rtl
except ImportError:  # newer templates work the text direction out themselves (builder/i18n)
    def is_rtl(language: str) -> bool:
        return False

YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be")


def _page_link(plan: MbzPlan, href: str):
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.query:
        return None
    target = plan.page_for(parts.path.rsplit("/", 1)[-1])
    if target is None:
        return None
    return f"$@PAGEVIEWBYID*{target.cmid}@$" + (f"#{parts.fragment}" if parts.fragment else "")


def page_content(plan: MbzPlan, activity: Activity, env: jinja2.Environment, media: MediaLinks) -> str:
    # The cartridge's page template, but not the cartridge's link pruning (cc.pages.lms_links):
    # a restore keeps ids, so in-page references and links to other Pages work in Moodle.
    html = env.get_template("cc/page.html").render(
        course=plan.course, page=activity.resource, rtl=is_rtl(plan.course.language), workflow_state="active")
    document = lxml_html.document_fromstring(html)
    body = document.body
    media.rewrite_tree(body, FileArea(activity.context, "mod_page", "content"))
    for element in body.iter(etree.Element):
        href = element.get("href") or ""
        new = _page_link(plan, href)
        if new is not None:
            element.set("href", new)
        if element.tag == "a" and urlsplit(href).netloc.lower() in YOUTUBE_HOSTS:
            classes = (element.get("class") or "").split()
            if "nomediaplugin" not in classes:
                element.set("class", " ".join(classes + ["nomediaplugin"]))
    inner = (body.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode", method="html") for child in body)
    return inner.strip() + "\n"
