"""Validation against the official XSDs the user has (``--schemas DIR``), with lxml.

The folder is indexed by each schema's targetNamespace; a document is validated by a small
wrapper schema that imports, for each namespace the document uses, the file its
xsi:schemaLocation names (else any file for that namespace). Nothing is fetched from the network.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit

from lxml import etree

from .archive import Package
from .findings import Report
from .manifest import parse

XSD = "http://www.w3.org/2001/XMLSchema"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
# Namespaces whose schemas travel with every XSD set and need no validation of their own.
SKIP = {"http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2001/XMLSchema-instance"}


@lru_cache(maxsize=8)
def index(folder: str) -> dict[str, list[Path]]:
    """targetNamespace -> the XSD files declaring it (shortest path first)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(Path(folder).rglob("*.xsd"), key=lambda p: (len(p.parts), p.name)):
        try:
            for _, el in etree.iterparse(str(path), events=("start",), no_network=True, resolve_entities=False):
                ns = el.get("targetNamespace")
                if ns:
                    found.setdefault(ns, []).append(path)
                break
        except etree.XMLSyntaxError:
            continue
    return found


def _hints(doc: etree._Element) -> dict[str, str]:
    hints: dict[str, str] = {}
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        words = (el.get(XSI_LOCATION) or "").split()
        for ns, location in zip(words[::2], words[1::2]):
            hints.setdefault(ns, posixpath.basename(location))
    return hints


def _pick(candidates: list[Path], hint: Optional[str], kind: str) -> Path:
    if hint:
        for path in candidates:
            if path.name == hint:
                return path
    family = {"scorm12": "scorm12", "scorm2004": "2004"}.get(kind, kind.replace("cc1.", "cc1p"))
    for path in candidates:
        if family and family in str(path):
            return path
    return candidates[0]


XML_NS = "http://www.w3.org/XML/1998/namespace"
EMPTY_SCHEMA = b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'


class _FolderResolver(etree.Resolver):
    """Serves every XSD from the folder, never from the network, with two known repairs.

    A web address is answered with the file of the same name in the folder (the nearest first).
    Repairs, in memory: ims_xml.xsd (SCORM 1.2) binds the reserved xml namespace as its default,
    which libxml2 refuses; and with ``relax``, ``##any`` wildcards become ``##other``, for schemas
    libxml2 finds "not determinist" (SCORM 1.2's IMS metadata) — every legal document stays valid.
    """

    def __init__(self, folder: Path, relax: bool):
        super().__init__()
        self.relax = relax
        self.by_name: dict[str, list[Path]] = {}
        for path in sorted(folder.rglob("*.xsd"), key=lambda p: len(p.parts)):
            self.by_name.setdefault(path.name.lower(), []).append(path)

    def _local(self, url: str) -> Optional[Path]:
        if url.startswith(("http://", "https://")):
            name = posixpath.basename(urlsplit(url).path).lower()
            found = self.by_name.get(name) or (self.by_name.get("xml.xsd", []) if name.endswith("xml.xsd") else [])
            return found[0] if found else None
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
        return path if path.is_file() else None

    def resolve(self, url, pubid, context):  # noqa: D401 - lxml API
        if not url:
            return None
        path = self._local(url)
        if path is None:
            return self.resolve_string(EMPTY_SCHEMA, context) if url.startswith(("http://", "https://")) else None
        data = path.read_bytes().replace(f'xmlns="{XML_NS}"'.encode(), b"")
        if self.relax:
            data = data.replace(b'namespace="##any"', b'namespace="##other"')
        return self.resolve_string(data, context, base_url=path.resolve().as_uri())


def _closure(used: set, hints: dict, known: dict, kind: str) -> dict[str, str]:
    """namespace -> XSD file for each namespace the document uses, plus the W3C's xml.xsd first, so
    no schema's import of the xml namespace reaches for the network (or for a variant of it)."""
    chosen = {ns: str(_pick(known[ns], hints.get(ns), kind)) for ns in used if ns in known}
    if XML_NS in known:
        # the xml.xsd of the same set as the document's own schema: sets were written against their own
        home = {Path(p).parent for p in chosen.values()}
        path = sorted(known[XML_NS], key=lambda p: (p.parent not in home, p.name != "xml.xsd", len(p.parts)))[0]
        chosen[XML_NS] = str(path)
    return chosen


@lru_cache(maxsize=32)
def _compile(folder: str, files: tuple[tuple[str, str], ...]) -> etree.XMLSchema:
    # the xml namespace first: libxml2 keeps the first schema imported for a namespace
    ordered = sorted(files, key=lambda item: item[0] != XML_NS)
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{Path(path).resolve().as_uri()}"/>'
                      for ns, path in ordered)
    for relax in (False, True):
        parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
        parser.resolvers.add(_FolderResolver(Path(folder), relax))
        wrapper = etree.fromstring(f'<xs:schema xmlns:xs="{XSD}">{imports}</xs:schema>'.encode(), parser,
                                   base_url=(Path(folder) / "_wrapper.xsd").as_uri())
        try:
            return etree.XMLSchema(etree.ElementTree(wrapper))
        except etree.XMLSchemaParseError as exc:
            if relax or "determinist" not in str(exc):
                raise
    raise AssertionError("unreachable")


def validate(pkg: Package, names: list[str], folder: Path, kind: str, report: Report) -> None:
    known = index(str(Path(folder).resolve()))
    if not known:
        report.warning("schemas-empty", f"no XSD files in {folder}", "point --schemas at the folder holding the "
                       "official .xsd files")
        return
    for name in names:
        doc = parse(pkg, name, report)
        if doc is None:
            continue
        used = {etree.QName(el).namespace for el in doc.iter() if isinstance(el.tag, str)}
        used |= {etree.QName(a).namespace for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib}
        used -= {None} | SKIP
        root_ns = etree.QName(doc).namespace
        if root_ns not in known:
            continue  # no official schema for it (Canvas files, QTI without the profile…)
        files = tuple(sorted(_closure(used, _hints(doc), known, kind).items()))
        try:
            schema = _compile(str(Path(folder).resolve()), files)
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
            report.warning("schema-unusable", f"the schemas for {name} could not be loaded ({exc}); not validated",
                           "check that the XSD folder is complete", file=name)
            continue
        report.validated.append(name)
        if not schema.validate(doc):
            refused = name == "imsmanifest.xml" and kind in ("cc1.0", "cc1.1")
            for error in list(schema.error_log)[:20]:
                if refused:
                    report.error("xsd", f"not valid against the official schema: {error.message}; Moodle validates "
                                 "a cartridge's manifest and refuses the whole package",
                                 "fix the element or attribute named", file=name, line=error.line)
                else:
                    report.warning("xsd", f"not valid against the official schema: {error.message}; conformance "
                                   "checkers and strict LMSs refuse it (Moodle and Canvas do not validate this file)",
                                   "fix the element or attribute named", file=name, line=error.line)
