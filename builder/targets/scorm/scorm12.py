"""SCORM 1.2: one SCO (the course page), or one per module, described by an IMS CP 1.1.2 manifest
with IMS MD metadata."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import jinja2
from lxml import etree

from ...diagnostics import Diagnostics
from ...model import Course
from ..base import Target
from .common import AFTER_IMPORT_ELSEWHERE, SCORM12, sco_files, sco_per_unit, single_sco
from .units import Unit, units
from ..xmlfile import child

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (
    f"{CP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)


def _langstring(parent: etree._Element, tag: str, text: str, lang: str) -> etree._Element:
    holder = child(parent, IMSMD, tag)
    child(holder, IMSMD, "langstring", text, **{XML_LANG: lang})
    return holder


def lom(parent: etree._Element, course: Course) -> None:
    """IMS Metadata 1.2.1 (the LOM binding SCORM 1.2 uses), inline in the manifest."""
    lang = course.language
    root = child(parent, IMSMD, "lom")
    general = child(root, IMSMD, "general")
    _langstring(general, "title", course.title, lang)
    child(general, IMSMD, "language", lang)
    _langstring(general, "description", course.description, lang)
    for keyword in course.keywords:
        _langstring(general, "keyword", keyword, lang)
    lifecycle = child(root, IMSMD, "lifecycle")
    _langstring(lifecycle, "version", course.version, "x-none")
    meta = child(root, IMSMD, "metametadata")
    child(meta, IMSMD, "metadatascheme", "ADL SCORM 1.2")
    rights = child(root, IMSMD, "rights")
    restrictions = child(rights, IMSMD, "copyrightandotherrestrictions")
    _langstring(restrictions, "source", "LOMv1.0", "x-none")
    _langstring(restrictions, "value", "yes", "x-none")
    _langstring(rights, "description", course.license, lang)


def _mastery(item: etree._Element, course: Course) -> None:
    if course.completion.passing_score is not None:
        # 0-100, compared by the LMS with cmi.core.score.raw (which the SCO reports in percent)
        child(item, ADLCP, "masteryscore", f"{course.completion.passing_score * 100:g}")


def manifest(course: Course, files: Mapping[str, bytes], scos: Optional[Sequence[Unit]] = None) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        {"identifier": f"MANIFEST-{course.id}", "version": course.version, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: CP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI},
    )
    metadata = child(root, CP, "metadata")
    child(metadata, CP, "schema", "ADL SCORM")
    child(metadata, CP, "schemaversion", "1.2")
    lom(metadata, course)

    if scos is None or len(scos) == 1:
        _, item = single_sco(root, CP, course, files, f"{{{ADLCP}}}scormtype")
        _mastery(item, course)
    else:
        _, items = sco_per_unit(root, CP, course, files, f"{{{ADLCP}}}scormtype", scos)
        for unit, item in items:
            if unit.quizzes:  # a module without a quiz has no score to master
                _mastery(item, course)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Scorm12Target(Target):
    name = "scorm12"
    label = "SCORM 1.2"
    after_import = {
        "Moodle": (
            "Add an activity > SCORM package and upload the zip; grading method 'Highest grade'.",
            "Leave 'Force new attempt' off so learners resume where they left off.",
            "One SCO per module (scorm: {sco: module}): grading method 'Learning objects' (modules done), and "
            "completion 'Require all SCOs to return completion status' (docs/scorm.md).",
        ),
        **AFTER_IMPORT_ELSEWHERE,
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-scorm12.zip"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        scos = units(course)
        files = sco_files(course, env, SCORM12, diagnostics, scos=scos)
        files["imsmanifest.xml"] = manifest(course, files, scos)
        return files
