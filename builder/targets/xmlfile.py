"""The XML helpers every package writer shares: building elements and serialising them."""

from __future__ import annotations

from typing import Optional

from lxml import etree

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def xml_bytes(root: etree._Element) -> bytes:
    return DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)


def child(parent: etree._Element, ns: str, tag: str, text: Optional[str] = None, **attrs: str) -> etree._Element:
    """Append ``<ns:tag attrs>text</ns:tag>`` to ``parent`` and return it."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element
