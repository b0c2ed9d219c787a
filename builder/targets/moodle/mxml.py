"""Moodle backup XML: plain elements, no namespaces, ``$@NULL@$`` for SQL NULL.

Moodle's backup writer (``backup/util/xml``) emits one element per database field, in table
order; its restore reads them back by name, so the order only matters for readers like us.
Values are written as text (lxml escapes HTML content), numbers as Moodle formats them.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from lxml import etree

from ...textutil import clip
from ..xmlfile import xml_bytes

NULL = "$@NULL@$"  # backup_xml_transformer's marker for a NULL column


def text(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return decimal(value)
    return str(value)


def decimal(value: float, places: int = 7) -> str:
    """Moodle's number(12,7) columns as it writes them (``1.0000000``, ``-0.3333333``)."""
    out = f"{value:.{places}f}"
    return "0." + "0" * places if out.startswith("-") and float(out) == 0 else out


def name_field(value: str, limit: int = 255) -> str:
    """A title cut to fit Moodle's name columns (varchar(255); course fullname 254): a longer
    value stops the whole restore with "value too long"."""
    return clip(value, limit)


def node(parent: Optional[etree._Element], tag: str, attrs: Optional[Mapping[str, Any]] = None,
         fields: Iterable[tuple[str, Any]] = ()) -> etree._Element:
    """``<tag attrs>`` with one child element per (name, value) field; appended to ``parent``."""
    attrib = {k: text(v) for k, v in (attrs or {}).items()}
    element = etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)
    for name, value in fields:
        etree.SubElement(element, name).text = text(value)
    return element


def to_bytes(root: etree._Element) -> bytes:
    return xml_bytes(root)


def empty(tag: str, *children: str) -> bytes:
    """A file Moodle expects to exist with nothing in it (e.g. ``<roles><role_overrides/>...``)."""
    root = node(None, tag)
    for name in children:
        etree.SubElement(root, name)
    return to_bytes(root)
