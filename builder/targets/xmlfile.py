"""Serialise an lxml tree the way LMS importers expect: UTF-8, double-quoted declaration."""

from __future__ import annotations

from lxml import etree

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def xml_bytes(root: etree._Element) -> bytes:
    return DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
