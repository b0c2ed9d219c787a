"""SCORM 2004 4th edition: one SCO (or one per module) with a primary objective and content-set
completion/success; the organization allows choice and flow navigation between the SCOs."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import jinja2
from lxml import etree

from ...diagnostics import Diagnostics
from ...model import Course
from ..base import Target
from .common import AFTER_IMPORT_ELSEWHERE, SCORM2004, sco_files, sco_per_unit, single_sco
from .units import Unit, units
from ..xmlfile import child

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


def _string(parent: etree._Element, tag: str, text: str, lang: str) -> etree._Element:
    holder = child(parent, LOM, tag)
    child(holder, LOM, "string", text, language=lang)
    return holder


def lom(parent: etree._Element, course: Course) -> None:
    """IEEE LOM (the SCORM 2004 binding), inline in the manifest."""
    lang = course.language
    root = child(parent, LOM, "lom")
    general = child(root, LOM, "general")
    _string(general, "title", course.title, lang)
    child(general, LOM, "language", lang)
    _string(general, "description", course.description, lang)
    for keyword in course.keywords:
        _string(general, "keyword", keyword, lang)
    lifecycle = child(root, LOM, "lifeCycle")
    version = child(lifecycle, LOM, "version")
    child(version, LOM, "string", course.version, language="x-none")
    meta = child(root, LOM, "metaMetadata")
    child(meta, LOM, "metadataSchema", "LOMv1.0")
    child(meta, LOM, "metadataSchema", "SCORM_CAM_v1.3")
    rights = child(root, LOM, "rights")
    restrictions = child(rights, LOM, "copyrightAndOtherRestrictions")
    child(restrictions, LOM, "source", "LOMv1.0")
    child(restrictions, LOM, "value", "yes")
    _string(rights, "description", course.license, lang)


def sequencing(item: etree._Element, course: Course, scored: bool = True) -> None:
    """The SCO sets completion and success itself; a passing score makes a measured objective
    (on a SCO with a quiz: ``scored``)."""
    seq = child(item, IMSSS, "sequencing")
    passing = course.completion.passing_score if scored else None
    objectives = child(seq, IMSSS, "objectives")
    primary = child(objectives, IMSSS, "primaryObjective", objectiveID="PRIMARY-OBJECTIVE",
                   satisfiedByMeasure="true" if passing is not None else "false")
    if passing is not None:
        child(primary, IMSSS, "minNormalizedMeasure", f"{passing:g}")
    child(seq, IMSSS, "deliveryControls", tracked="true", completionSetByContent="true", objectiveSetByContent="true")


def manifest(course: Course, files: Mapping[str, bytes], scos: Optional[Sequence[Unit]] = None) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        {"identifier": f"MANIFEST-{course.id}", "version": course.version, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS, "lom": LOM, "xsi": XSI},
    )
    metadata = child(root, CP, "metadata")
    child(metadata, CP, "schema", "ADL SCORM")
    child(metadata, CP, "schemaversion", "2004 4th Edition")
    lom(metadata, course)

    if scos is None or len(scos) == 1:
        organization, item = single_sco(root, CP, course, files, f"{{{ADLCP}}}scormType")
        sequencing(item, course)
    else:
        organization, items = sco_per_unit(root, CP, course, files, f"{{{ADLCP}}}scormType", scos)
        for unit, item in items:
            sequencing(item, course, scored=bool(unit.quizzes))
    # The learner may open any SCO from the LMS's table of contents (choice) or go on with its
    # next/previous buttons (flow); no other rule, so every LMS player can follow it.
    org_seq = child(organization, IMSSS, "sequencing")
    child(org_seq, IMSSS, "controlMode", choice="true", flow="true")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Scorm2004Target(Target):
    name = "scorm2004"
    label = "SCORM 2004 4th edition"
    after_import = {
        "Moodle": (
            "Moodle's 2004 support is partial (no sequencing): prefer the SCORM 1.2 package there.",
            "One SCO per module (scorm: {sco: module}): grading method 'Learning objects' (modules done), and "
            "completion 'Require all SCOs to return completion status' (docs/scorm.md).",
        ),
        **AFTER_IMPORT_ELSEWHERE,
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-scorm2004.zip"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        scos = units(course)
        files = sco_files(course, env, SCORM2004, diagnostics, scos=scos)
        files["imsmanifest.xml"] = manifest(course, files, scos)
        return files
