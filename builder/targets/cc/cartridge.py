"""IMS Common Cartridge targets: one cartridge that imports natively into Moodle and Canvas.

The zip carries two descriptions of the same course with identical identifiers, as Canvas's
own exports do: the standard one (organization, webcontent pages, imsdt topics, imswl links,
CC-profile QTI) that Moodle and every other LMS read, and the Canvas one (``course_settings/``,
``wiki_content/``, ``non_cc_assessments/``, ``assessment_meta.xml``) that Canvas reads instead.
CC 1.1 and 1.3 come from the same builder; only ``CcVersion`` differs.
"""

from __future__ import annotations

from typing import ClassVar

import jinja2

from ... import forked
from ...diagnostics import Diagnostics
from ...model import Course
from . import canvas_export
from ..base import Target
from .descriptors import topic_path, topic_xml, weblink_path, weblink_xml
from .manifest import ResourceDecl, manifest_xml
from .outline import LinkRes, PageRes, QuizRes, TopicRes, make_plan
from .pages import MEDIA_PREFIX, media_used, page_path, render_page, lms_links
from .versions import CC11, CC13, CcVersion
from ..pagefiles import media_files
from ..shared import QTI_SPLIT_FROM_QUESTIONS, per_build, planned_formats
from .quiz_qti import quiz_qti

# Printed after a build (short; docs/lms-import.md has the why and the clicks).
# Moodle gets the course backup (.mbz, builder/targets/moodle), which needs no manual fix; the
# cartridge's Moodle fixes are in docs/lms-import.md for sites that accept only cartridges.
MOODLE_CHECKLIST = (
    "Use the .mbz for Moodle (nothing to fix). Cartridge only as a fallback: see docs/lms-import.md "
    "for its quiz fixes (review options, grade 10 / total 4, multiple-response scoring).",
)
CANVAS_CHECKLIST = (
    "Cartridge (.imscc): Settings > Import course content > Common Cartridge 1.x package.",
    "Leave 'Import existing quizzes as New Quizzes' off: they arrive as classic practice quizzes.",
    "Practice quizzes are ungraded; switch one to 'Graded quiz' to put it in the gradebook.",
)
BLACKBOARD_CHECKLIST = (
    "Cartridge (.imscc): Packages and Utilities > Import Package; pages, forums, links, tests.",
    "Cartridge tests: set attempts and feedback options, and check each test's points.",
)
D2L_CHECKLIST = (
    "Cartridge (.imscc): Course Admin > Import/Export/Copy Components > Import Components.",
    "Cartridge quizzes: check points and attempts; set the grade item if you want one.",
)


class _CommonCartridgeTarget(Target):
    version: ClassVar[CcVersion]
    after_import = {"Moodle": MOODLE_CHECKLIST, "Canvas": CANVAS_CHECKLIST,
                    "Blackboard": BLACKBOARD_CHECKLIST, "D2L": D2L_CHECKLIST}

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict[str, bytes]:
        version = self.version
        plan = make_plan(course)
        fragments = env.get_template("cc/fragments.html").module
        files: dict[str, bytes] = {}
        resources: list[ResourceDecl] = []

        self._make_all_qti(plan, env, course, diagnostics)
        media = media_files(course, prefix=MEDIA_PREFIX)
        media_ids = {path: plan.ids.take("r_media", str(n)) for n, path in enumerate(sorted(media), start=1)}

        for item in plan.items:
            res = item.resource
            if isinstance(res, PageRes):
                html = per_build(env, course, ("cc-page", res.ident), lambda: render_page(course, env, res))
                path = page_path(res)
                files[path] = html.encode("utf-8")
                deps = [media_ids[p] for p in media_used(html) if p in media_ids]
                resources.append(ResourceDecl(res.ident, "webcontent", [path], href=path, dependencies=deps))
            elif isinstance(res, TopicRes):
                path = topic_path(res)
                files[path] = topic_xml(res, lms_links(str(fragments.topic_text(res.reflection)).strip()), version)
                resources.append(ResourceDecl(res.ident, "topic", [path]))
            elif isinstance(res, LinkRes):
                path = weblink_path(res)
                files[path] = weblink_xml(res, version)
                resources.append(ResourceDecl(res.ident, "weblink", [path]))
            elif isinstance(res, QuizRes):
                qti_path = f"{res.ident}/assessment_qti.xml"
                meta, canvas = canvas_export.meta_path(res), canvas_export.canvas_qti_path(res)
                files[qti_path], files[canvas] = self._qti(res, env, course)
                files[meta] = canvas_export.assessment_meta(plan, res)
                resources.append(ResourceDecl(res.ident, "assessment", [qti_path], dependencies=[res.meta_ident]))
                # Canvas looks for the meta only inside a learning-application-resource.
                resources.append(ResourceDecl(res.meta_ident, "associated", [meta, canvas], href=meta))

        for path in sorted(media):
            files[path] = media[path]
            resources.append(ResourceDecl(media_ids[path], "webcontent", [path], href=path))

        files[canvas_export.MARKER] = canvas_export.marker()
        files[canvas_export.MODULE_META] = canvas_export.module_meta(plan)
        files[canvas_export.COURSE_SETTINGS] = canvas_export.course_settings(plan)
        files[canvas_export.ASSIGNMENT_GROUPS] = canvas_export.assignment_groups(plan)
        resources.append(ResourceDecl(
            plan.ids.take("r_canvas_settings"), "associated",
            list(canvas_export.SETTINGS_FILES), href=canvas_export.MARKER,
        ))

        files["imsmanifest.xml"] = manifest_xml(plan, resources, version)
        return files

    def _make_all_qti(self, plan, env: jinja2.Environment, course: Course, diagnostics: Diagnostics) -> None:
        """Every quiz's two QTI files, built once per build for every cartridge version the build
        makes (all of them when the build did not say): the first version built makes them, each
        version takes its own (``_qti``). The later quizzes go to the other core when the course
        is big and the core idle (a cartridge built alone); findings are kept in quiz order."""
        quizzes = [res for res in plan.resources(QuizRes)
                   if self.version not in per_build(env, course, ("qti", res.ident), dict)]
        wanted = planned_formats(env, course)
        versions = (self.version, *(target.version for target in CARTRIDGES
                                    if target.version != self.version and (wanted is None or target.name in wanted)))

        def make(res: QuizRes) -> tuple[dict, list]:
            found = Diagnostics()
            return quiz_qti(res, versions, env, found), found.items

        made = forked.map_in_two(make, quizzes, weight=lambda res: len(res.quiz.questions),
                                 split_from=QTI_SPLIT_FROM_QUESTIONS)
        for res, (files, findings) in zip(quizzes, made):
            per_build(env, course, ("qti", res.ident), dict).update(files)
            diagnostics.items.extend(findings)

    def _qti(self, res: QuizRes, env: jinja2.Environment, course: Course) -> tuple[bytes, bytes]:
        """This version's (CC profile, Canvas) QTI files of a quiz, made by ``_make_all_qti``; the
        store drops them as they are taken."""
        return per_build(env, course, ("qti", res.ident), dict).pop(self.version)


class CommonCartridge11Target(_CommonCartridgeTarget):
    name = "cc1.1"
    label = "Common Cartridge 1.1 (Moodle, Canvas, Blackboard, D2L)"
    version = CC11

    def filename(self, course: Course) -> str:
        return f"{course.id}.imscc"


class CommonCartridge13Target(_CommonCartridgeTarget):
    name = "cc1.3"
    label = "Common Cartridge 1.3 (LMSs that require 1.3; not Moodle)"
    version = CC13
    after_import = {
        "Moodle": ("Moodle refuses CC 1.3 ('Unknown backup format'): import the CC 1.1 .imscc instead.",),
        "Canvas": CANVAS_CHECKLIST,
    }

    def filename(self, course: Course) -> str:
        return f"{course.id}-cc13.imscc"


CARTRIDGES = (CommonCartridge11Target, CommonCartridge13Target)
