"""Discussion topic (imsdt) and web link (imswl) descriptors, one small XML file each."""

from __future__ import annotations

from lxml import etree

from ... import i18n
from .outline import LinkRes, TopicRes
from .versions import XSI_NS, CcVersion
from ..xmlfile import xml_bytes


def _doc(ns: str, tag: str, schema: str) -> etree._Element:
    el = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns, "xsi": XSI_NS})
    el.set(f"{{{XSI_NS}}}schemaLocation", f"{ns} {schema}")
    return el


def _bytes(el: etree._Element) -> bytes:
    return xml_bytes(el)


def topic_path(res: TopicRes) -> str:
    return f"{res.ident}/topic.xml"


def weblink_path(res: LinkRes) -> str:
    return f"{res.ident}/weblink.xml"


def topic_xml(res: TopicRes, text_html: str, version: CcVersion) -> bytes:
    ns = version.topic_ns
    el = _doc(ns, "topic", version.profile_xsd(f"imsdt_{version.tag}"))
    etree.SubElement(el, f"{{{ns}}}title").text = res.title
    text = etree.SubElement(el, f"{{{ns}}}text", texttype="text/html")
    text.text = i18n.lms_html(text_html)  # escaped text: reads back identical whatever it holds
    return _bytes(el)


def weblink_xml(res: LinkRes, version: CcVersion) -> bytes:
    ns = version.weblink_ns
    el = _doc(ns, "webLink", version.profile_xsd(f"imswl_{version.tag}"))
    etree.SubElement(el, f"{{{ns}}}title").text = res.title
    etree.SubElement(el, f"{{{ns}}}url", href=res.source.url, target="_blank")
    return _bytes(el)
