"""The cmi5 package: ``cmi5.xml`` and the SCO page of the SCORM packages, with an xAPI adapter.

The page, quizzes, text answers and state encoding are the SCORM runtime's (templates/scorm/js);
only the LMS adapter differs: ``templates/cmi5/js/cmi5.js`` implements the interface of
``lms.js`` over xAPI (launch parameters, auth token, LMS.LaunchData, cmi5 statements, State API).
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ...diagnostics import Diagnostics
from ...model import Course, QuestionType
from ...textutil import strip_markdown
from ..base import Target
from ..scorm.common import LAUNCH, SCRIPTS, Edition, sco_files
from ..scorm.state import text_fields
from .ids import au_iri, course_iri, question_iri, reflection_iri
from .structure import course_structure, move_on

# An xAPI State document has no size limit; 64,000 characters (SCORM 2004's) keeps it small
# enough to be sent with fetch(keepalive) when the learner closes the tab (64 KiB in flight).
STATE_LIMIT = 64000
STATE_ID = "build-course.progress"  # the AU's own State API documents: this and <this>.2


@dataclass(frozen=True)
class Cmi5Edition(Edition):
    @property
    def suspend_limit(self) -> int:
        return STATE_LIMIT


CMI5 = Cmi5Edition("cmi5", "cmi5")
# The SCORM runtime, in the same order, with cmi5.js in the place of the SCORM API adapter lms.js.
ADAPTER = ("js/lms.js", "js/cmi5.js", "cmi5/js/cmi5.js")
RUNTIME = {
    (ADAPTER[1] if script == ADAPTER[0] else script): (ADAPTER[2] if script == ADAPTER[0] else f"scorm/{script}")
    for script in SCRIPTS
}


def cmi5_config(course: Course):
    """What cmi5.js needs beyond the SCORM config: ids, language, rules, texts to describe."""

    def configure(config: dict) -> None:
        for quiz_data, quiz in zip(config["quizzes"], course.quizzes):
            for q_data, question in zip(quiz_data["questions"], quiz.questions):
                q_data["interactionId"] = question_iri(course, quiz.id, question.id)
                if question.type is not QuestionType.TRUE_FALSE and question.choices:
                    q_data["choiceTexts"] = [strip_markdown(c.text) for c in question.choices]
        config["cmi5"] = {
            "courseIri": course_iri(course),
            "auIri": au_iri(course),
            "lang": course.language,
            "moveOn": move_on(course),
            "masteryScore": course.completion.passing_score,
            "stateIds": [STATE_ID, STATE_ID + ".2"],
            "reflections": {
                f.key: {"id": reflection_iri(course, f.key[2:]), "prompt": f.label}
                for f in text_fields(course)
                if f.key.startswith("r:")
            },
        }

    return configure


class Cmi5Target(Target):
    name = "cmi5"
    label = "cmi5"
    after_import = {
        "Moodle": ("No cmi5 player of its own: ADL's cmi5 Launch Link plugin (mod_cmi5launch) with an LRS and "
                   "the CATAPULT player, then Add an activity > cmi5 Launch Link. Otherwise use the SCORM 1.2 zip.",),
        "SCORM Cloud": ("Library > Add content > upload the zip; it runs as cmi5 with SCORM Cloud's LRS.",),
        "Other LMSs": ("Upload where a SCORM package goes, choosing cmi5; check that moveOn and masteryScore were kept.",),
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-cmi5.zip"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict:
        files = sco_files(course, env, CMI5, diagnostics, page="cmi5/au.html", scripts=RUNTIME,
                          configure=cmi5_config(course))
        files["cmi5.xml"] = course_structure(course, LAUNCH)
        return files

