"""Course media inside Moodle HTML: ``media/x.png`` -> ``@@PLUGINFILE@@/media/x.png``.

The model's HTML links media as ``media/...``; in Moodle each text field owns its files (a file
area of a context, with an item id), and the text points at them with ``@@PLUGINFILE@@``, which
Moodle rewrites to the file's URL when it shows the text. Each use is recorded in the
``FileStore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree, html as lxml_html

from ...model import Course
from .files import FileStore


@dataclass(frozen=True)
class FileArea:
    context: int
    component: str
    filearea: str
    itemid: int = 0


class MediaLinks:
    def __init__(self, course: Course, files: FileStore) -> None:
        self.sources = {m.path: m.source for m in course.media}
        self.files = files

    def url(self, value: str, area: FileArea):
        """The ``@@PLUGINFILE@@`` URL for a ``media/...`` link (recording the file), else None."""
        if not value.startswith("media/"):
            return None
        path = value.split("#", 1)[0].split("?", 1)[0]
        if path not in self.sources:
            return None
        self.files.add(area.context, area.component, area.filearea, path, self.sources[path], area.itemid)
        return "@@PLUGINFILE@@/" + quote(path)

    def rewrite_tree(self, root: etree._Element, area: FileArea) -> None:
        for element in root.iter(etree.Element):
            for attr in ("src", "href"):
                new = self.url(element.get(attr) or "", area)
                if new is not None:
                    element.set(attr, new)

    def rewrite(self, html: str, area: FileArea) -> str:
        """``html`` (a fragment) with its media links made Moodle files; untouched without media."""
        if "media/" not in html:
            return html
        wrapper = lxml_html.fragment_fromstring(html, create_parent="div")
        self.rewrite_tree(wrapper, area)
        return (wrapper.text or "") + "".join(
            lxml_html.tostring(child, encoding="unicode", method="html") for child in wrapper)
