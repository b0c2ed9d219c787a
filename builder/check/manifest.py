"""The manifest: what the package says it is, and whether what it names is there.

Works for SCORM 1.2, SCORM 2004 and Common Cartridge 1.0-1.3 (all IMS Content Packaging), and
for a QTI question-bank zip (an IMS CP of ``imsqti_xmlv1p2`` resources).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import unquote, urlsplit

from lxml import etree

from .archive import Package
from .findings import Report

MANIFEST = "imsmanifest.xml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
UNDECLARED_SHOWN = 5  # one line each; the rest are counted in one finding
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
CC_NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscc/imscp_v1p1": "cc1.0",
    "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": "cc1.1",
    "http://www.imsglobal.org/xsd/imsccv1p2/imscp_v1p1": "cc1.2",
    "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1": "cc1.3",
}
SCORM12_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP13 = "http://www.adlnet.org/xsd/adlcp_v1p3"

# A parser that never fetches anything and never expands entities (the package is untrusted).
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
LENIENT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True)


def parse(pkg: Package, name: str, report: Report) -> Optional[etree._Element]:
    data = pkg.read(name)
    if data is None:
        return None
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        if "is not a valid URI" in str(exc):  # a namespace typo: libxml2-based importers read on
            report.warning("xml-namespace-uri", f"{name}: {exc.msg}; lenient importers (Moodle) read it, strict "
                           "XML tools refuse it", "fix the namespace address", file=name, line=line)
            return etree.fromstring(data, LENIENT)
        report.error("xml-syntax", f"{name} is not well-formed XML ({exc.msg}); the LMS stops reading it",
                     "fix the XML (an unescaped & or < is the usual cause)", file=name, line=line)
        return None


@dataclass
class Resource:
    ident: str
    type: str
    href: Optional[str]
    files: list[str]
    dependencies: list[str]
    scorm_type: str  # "sco", "asset" or ""
    line: int


@dataclass
class Manifest:
    root: etree._Element
    ns: str
    kind: str
    resources: dict[str, Resource] = field(default_factory=dict)
    identifiers: list[tuple[str, int]] = field(default_factory=list)
    item_refs: list[tuple[str, int]] = field(default_factory=list)

    def el(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"


def detect_kind(root: etree._Element, report: Report) -> str:
    ns = etree.QName(root).namespace or ""
    schema = (root.findtext(f"{{{ns}}}metadata/{{{ns}}}schema") or "").strip()
    version = (root.findtext(f"{{{ns}}}metadata/{{{ns}}}schemaversion") or "").strip()
    if ns in CC_NAMESPACES:
        return CC_NAMESPACES[ns]
    if ns == SCORM12_CP or ADLCP12 in root.nsmap.values() or version == "1.2":
        return "scorm12"
    if ADLCP13 in root.nsmap.values() or "2004" in version or version == "CAM 1.3":
        return "scorm2004"
    if ns == IMSCP and any(r.get("type", "").startswith("imsqti") for r in root.iter(f"{{{ns}}}resource")):
        return "qti"
    if "common cartridge" in schema.lower():
        report.error("cc-namespace", f"the manifest says '{schema}' but its namespace '{ns}' is no Common "
                     "Cartridge namespace; Moodle and Canvas will not recognise it",
                     "use the namespace of the version, e.g. http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
                     file=MANIFEST, line=root.sourceline)
        return "unknown"
    return "unknown"


def read_manifest(pkg: Package, report: Report) -> Optional[Manifest]:
    other = {"cmi5.xml": ("cmi5", "a cmi5 package"), "moodle_backup.xml": ("mbz", "a Moodle course backup")}
    for marker, (kind, what) in other.items():
        if MANIFEST not in pkg.names and marker in pkg.names:
            report.kind = kind
            report.info(f"{kind}-not-checked", f"{what}: only its zip entries were checked (build-course check reads "
                        "SCORM, Common Cartridge and QTI packages)")
            return None
    if MANIFEST not in pkg.names:
        nested = [n for n in pkg.names if n.endswith("/" + MANIFEST)]
        if nested:
            report.error("manifest-not-at-root", f"imsmanifest.xml is in '{posixpath.dirname(nested[0])}/', not at "
                         "the top of the zip; Moodle's SCORM form and Canvas refuse the package",
                         "zip the contents of that folder, not the folder itself")
        else:
            report.error("manifest-missing", "no imsmanifest.xml: this is not a SCORM or Common Cartridge package, "
                         "and every LMS refuses it", "build or export the package again")
        return None
    root = parse(pkg, MANIFEST, report)
    if root is None:
        return None
    kind = detect_kind(root, report)
    report.kind = kind
    if kind == "unknown":
        report.error("manifest-kind", "the manifest does not say what it is (no SCORM schemaversion, no Common "
                     "Cartridge namespace); LMSs refuse it or import it as plain files",
                     "write <schema>/<schemaversion> in <metadata> and the namespaces of the standard",
                     file=MANIFEST, line=root.sourceline)
    m = Manifest(root, etree.QName(root).namespace or "", kind)
    _collect(m)
    return m


def _collect(m: Manifest) -> None:
    for el in m.root.iter():
        if not isinstance(el.tag, str):
            continue
        ident = el.get("identifier")
        if ident is not None:
            m.identifiers.append((ident, el.sourceline or 0))
    for item in m.root.iter(m.el("item")):
        if item.get("identifierref"):
            m.item_refs.append((item.get("identifierref"), item.sourceline or 0))
    base_root = m.root.get(XML_BASE, "")
    resources = m.root.find(m.el("resources"))
    base_resources = resources.get(XML_BASE, "") if resources is not None else ""
    for res in m.root.iter(m.el("resource")):
        base = base_root + base_resources + res.get(XML_BASE, "")
        href = res.get("href")
        scorm_type = next((v for k, v in res.attrib.items() if etree.QName(k).localname.lower() == "scormtype"), "")
        m.resources[res.get("identifier", "")] = Resource(
            ident=res.get("identifier", ""),
            type=res.get("type", ""),
            href=_join(base, href) if href else None,
            files=[_join(base, f.get("href", "")) for f in res.findall(m.el("file"))],
            dependencies=[d.get("identifierref", "") for d in res.findall(m.el("dependency"))],
            scorm_type=scorm_type.lower(),
            line=res.sourceline or 0,
        )


def _join(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(urlsplit(href).path))) if href else href


def is_local(href: str) -> bool:
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc or href.startswith("/"))


def check_identifiers(m: Manifest, report: Report) -> None:
    seen: dict[str, int] = {}
    for ident, line in m.identifiers:
        if not NCNAME.match(ident):
            why = "starts with a digit" if ident[:1].isdigit() else "is not an XML name (NCName)"
            report.error("identifier-invalid", f"identifier '{ident}' {why}; Moodle's schema check refuses the whole "
                         "manifest", "start identifiers with a letter and use only letters, digits, '.', '-', '_'",
                         file=MANIFEST, line=line)
        if ident in seen:
            report.error("identifier-duplicate", f"identifier '{ident}' is used twice (also at line {seen[ident]}); "
                         "importers keep one of them and drop or mix up the other", "give each element its own "
                         "identifier", file=MANIFEST, line=line)
        else:
            seen[ident] = line
    for ref, line in m.item_refs:
        if ref not in m.resources:
            report.error("item-ref-missing", f"item points to resource '{ref}', which the manifest does not declare; "
                         "the LMS shows an empty item or skips it", "declare the resource or fix identifierref",
                         file=MANIFEST, line=line)
    for res in m.resources.values():
        for dep in res.dependencies:
            if dep not in m.resources:
                report.error("dependency-missing", f"resource '{res.ident}' depends on '{dep}', which is not declared; "
                             "its files are not copied", "declare it or remove the <dependency>", file=MANIFEST,
                             line=res.line)


def check_files(m: Manifest, pkg: Package, report: Report) -> None:
    """Every file the manifest names exists; every file in the package is declared."""
    declared = {MANIFEST}
    for res in m.resources.values():
        for href in ([res.href] if res.href else []) + res.files:
            if not is_local(href):
                continue
            declared.add(href)
            if href not in pkg.names:
                other = pkg.case_mismatch(href)
                if other:
                    report.error("file-case", f"resource '{res.ident}' names '{href}' but the package has '{other}'; "
                                 "LMS servers tell case apart, so the link is dead", "use the same case in both",
                                 file=MANIFEST, line=res.line)
                else:
                    report.error("file-missing", f"resource '{res.ident}' names '{href}', which is not in the package; "
                                 "the LMS shows a broken page or refuses the resource", "add the file or fix the path",
                                 file=MANIFEST, line=res.line)
        if res.href and is_local(res.href) and res.href not in res.files and m.kind.startswith("scorm"):
            report.warning("href-not-a-file", f"resource '{res.ident}' launches '{res.href}' without listing it as a "
                           "<file>; strict SCORM players do not copy it", "add <file href=\"…\"/> for it",
                           file=MANIFEST, line=res.line)
    # Files in the schema folder or standard XSDs beside the manifest are conventional, not content.
    undeclared = [n for n in pkg.names
                  if n not in declared and not n.endswith((".xsd", ".dtd")) and not posixpath.basename(n).startswith(".")]
    what = ("importers that copy only declared files (Moodle's cartridge import, SCORM players that honour the "
            "manifest) leave {it} out and links to {it} break")
    fix = "add <file href=\"…\"/> to the resource that uses {it}, or delete {it}"
    for name in undeclared[:UNDECLARED_SHOWN]:
        report.warning("file-undeclared", f"'{name}' is in the package but no resource declares it; "
                       + what.format(it="it"), fix.format(it="it"), file=name)
    if len(undeclared) > UNDECLARED_SHOWN:
        rest = undeclared[UNDECLARED_SHOWN:]
        report.warning("file-undeclared", f"{len(rest)} more files are in the package but not declared (first: "
                       f"'{rest[0]}'); " + what.format(it="them"), fix.format(it="them"))
