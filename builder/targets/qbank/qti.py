"""A QTI 1.2 zip that Canvas imports as classic quizzes with their question banks (as text2qti makes).

The assessments are the cartridge's own Canvas QTI (``cc/canvas_qti.py``) and quiz settings
(``assessment_meta.xml``), with the same identifiers; only the package around them differs: an
IMS content package whose resources are ``imsqti_xmlv1p2`` assessments, which Canvas's
"QTI .zip file" import reads (one question bank and one quiz per assessment).
"""

from __future__ import annotations

import jinja2
from lxml import etree

from ... import forked
from ...diagnostics import Diagnostics
from ...model import Course
from ..base import Target
from ..cc import canvas_export, canvas_qti
from ..cc.outline import QuizRes, make_plan
from ..cc.versions import CC11, XSI_NS
from ..shared import QTI_SPLIT_FROM_QUESTIONS
from ..xmlfile import child, xml_bytes
from .common import warn_media

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
QTI_TYPE = "imsqti_xmlv1p2"
META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"


def qti_path(res: QuizRes) -> str:
    return f"{res.ident}/{res.ident}.xml"


def manifest(course: Course, quizzes: list[QuizRes], ident: str) -> bytes:
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap={None: CP_NS, "xsi": XSI_NS})
    root.set("identifier", ident)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{CP_NS} {CP_XSD}")
    metadata = child(root, CP_NS, "metadata")
    child(metadata, CP_NS, "schema", "IMS Content")
    child(metadata, CP_NS, "schemaversion", "1.1.3")
    child(root, CP_NS, "organizations")
    resources = child(root, CP_NS, "resources")
    for res in quizzes:
        quiz = child(resources, CP_NS, "resource", identifier=res.ident, type=QTI_TYPE)
        child(quiz, CP_NS, "file", href=qti_path(res))
        child(quiz, CP_NS, "dependency", identifierref=res.meta_ident)
        meta = child(resources, CP_NS, "resource", identifier=res.meta_ident, type=META_TYPE,
                     href=canvas_export.meta_path(res))
        child(meta, CP_NS, "file", href=canvas_export.meta_path(res))
    return xml_bytes(root)


class QtiBankTarget(Target):
    name = "qti"
    label = "QTI 1.2 question banks (Canvas)"
    after_import = {
        "Canvas": ("QTI zip: Settings > Import course content > QTI .zip file; each quiz arrives as a "
                   "classic quiz and a question bank of the same name.",),
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-qti.zip"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        warn_media(course, diagnostics)  # the same warnings as the other bank formats
        plan = make_plan(course)
        quizzes = [res for res in plan.resources(QuizRes) if res.quiz in course.quizzes]
        # the assessments are most of the work, and each stands alone: a big course's on two cores
        assessments = forked.map_in_two(lambda res: canvas_qti.assessment_xml(res, CC11, env), quizzes,
                                        weight=lambda res: len(res.quiz.questions), split_from=QTI_SPLIT_FROM_QUESTIONS)
        files = {}
        for res, xml in zip(quizzes, assessments):
            files[qti_path(res)] = xml
            files[canvas_export.meta_path(res)] = canvas_export.assessment_meta(plan, res)
        files["imsmanifest.xml"] = manifest(course, quizzes, plan.manifest_ident)
        return files
