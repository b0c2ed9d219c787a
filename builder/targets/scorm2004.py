"""SCORM 2004 4th edition: one SCO with a primary objective and content-set completion/success."""

from __future__ import annotations

from typing import Mapping

import jinja2
from lxml import etree

from ..diagnostics import Diagnostics
from ..model import Course
from .base import Target
from .scorm_common import AFTER_IMPORT_ELSEWHERE, LAUNCH, SCORM2004, sco_files

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd {ADLNAV} adlnav_v1p3.xsd "
    f"{IMSSS} imsss_v1p0.xsd {LOM} lom.xsd"
)


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _string(parent: etree._Element, tag: str, text: str, lang: str) -> etree._Element:
    holder = _sub(parent, LOM, tag)
    _sub(holder, LOM, "string", text, language=lang)
    return holder


def lom(parent: etree._Element, course: Course) -> None:
    """IEEE LOM (the SCORM 2004 binding), inline in the manifest."""
    lang = course.language
    root = _sub(parent, LOM, "lom")
    general = _sub(root, LOM, "general")
    _string(general, "title", course.title, lang)
    _sub(general, LOM, "language", lang)
    _string(general, "description", course.description, lang)
    for keyword in course.keywords:
        _string(general, "keyword", keyword, lang)
    lifecycle = _sub(root, LOM, "lifeCycle")
    version = _sub(lifecycle, LOM, "version")
    _sub(version, LOM, "string", course.version, language="x-none")
    meta = _sub(root, LOM, "metaMetadata")
    _sub(meta, LOM, "metadataSchema", "LOMv1.0")
    _sub(meta, LOM, "metadataSchema", "SCORM_CAM_v1.3")
    rights = _sub(root, LOM, "rights")
    restrictions = _sub(rights, LOM, "copyrightAndOtherRestrictions")
    _sub(restrictions, LOM, "source", "LOMv1.0")
    _sub(restrictions, LOM, "value", "yes")
    _string(rights, "description", course.license, lang)


def sequencing(item: etree._Element, course: Course) -> None:
    """The SCO sets completion and success itself; a passing score makes a measured objective."""
    seq = _sub(item, IMSSS, "sequencing")
    passing = course.completion.passing_score
    objectives = _sub(seq, IMSSS, "objectives")
    primary = _sub(objectives, IMSSS, "primaryObjective", objectiveID="PRIMARY-OBJECTIVE",
                   satisfiedByMeasure="true" if passing is not None else "false")
    if passing is not None:
        _sub(primary, IMSSS, "minNormalizedMeasure", f"{passing:g}")
    _sub(seq, IMSSS, "deliveryControls", tracked="true", completionSetByContent="true", objectiveSetByContent="true")


def manifest(course: Course, files: Mapping[str, bytes]) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        {"identifier": f"MANIFEST-{course.id}", "version": course.version, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS, "lom": LOM, "xsi": XSI},
    )
    metadata = _sub(root, CP, "metadata")
    _sub(metadata, CP, "schema", "ADL SCORM")
    _sub(metadata, CP, "schemaversion", "2004 4th Edition")
    lom(metadata, course)

    organizations = _sub(root, CP, "organizations", default="ORG-1")
    organization = _sub(organizations, CP, "organization", identifier="ORG-1")
    _sub(organization, CP, "title", course.title)
    item = _sub(organization, CP, "item", identifier="ITEM-1", identifierref="RES-SCO", isvisible="true")
    _sub(item, CP, "title", course.title)
    sequencing(item, course)
    org_seq = _sub(organization, IMSSS, "sequencing")
    _sub(org_seq, IMSSS, "controlMode", choice="true", flow="true")

    resources = _sub(root, CP, "resources")
    resource = _sub(
        resources, CP, "resource",
        **{"identifier": "RES-SCO", "type": "webcontent", f"{{{ADLCP}}}scormType": "sco", "href": LAUNCH},
    )
    for name in sorted(files):
        _sub(resource, CP, "file", href=name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Scorm2004Target(Target):
    name = "scorm2004"
    label = "SCORM 2004 4th edition"
    after_import = {
        "Moodle": (
            "Moodle's 2004 support is partial (no sequencing): prefer the SCORM 1.2 package there.",
        ),
        **AFTER_IMPORT_ELSEWHERE,
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-scorm2004.zip"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        files = sco_files(course, env, SCORM2004, diagnostics)
        files["imsmanifest.xml"] = manifest(course, files)
        return files
