"""``-f mbz``: a Moodle course backup, restorable as a new course (Moodle 4.1 LTS and newer).

A Moodle 2+ backup in the layout Moodle's own backup writes (``moodle_backup.xml``,
``course/``, ``sections/``, ``activities/``, ``questions.xml``, ``files.xml`` + ``files/``, the
gradebook and completion), packed as a zip: Moodle's ``mbz_packer`` restores zip and tar.gz
alike, and the zip writer is the one that makes every package byte-identical.
"""

from __future__ import annotations

import jinja2

from ... import i18n
from ...diagnostics import Diagnostics
from ...model import Course
from ...package.zipwriter import source_date_epoch
from ..base import Target
from ..cc.outline import LinkRes, PageRes, QuizRes, TopicRes
from . import activities as act
from .backup_xml import moodle_backup_xml
from .course import (COURSE_GRADE_ITEM, GRADE_CATEGORY, completion_xml, course_files,
                     gradebook_xml, root_files, section_files)
from .files import FileStore
from .media import FileArea, MediaLinks
from .pagecontent import page_content
from .plan import make_mbz_plan
from .questions import QuestionsWriter, allocate
from .quiz import passing_grade, quiz_grade, quiz_grades_xml, quiz_xml

MOODLE_CHECKLIST = (
    "Moodle backup (.mbz): Site or course > Restore > upload it > Restore as a new course "
    "(or merge it into an existing course). Nothing to fix afterwards.",
)


class MoodleBackupTarget(Target):
    name = "mbz"
    label = "Moodle course backup (.mbz, Moodle 4.1+)"
    after_import = {"Moodle": MOODLE_CHECKLIST}

    def filename(self, course: Course) -> str:
        return f"{course.id}.mbz"

    def build(self, course: Course, env: jinja2.Environment, diagnostics: Diagnostics) -> dict:
        stamp = source_date_epoch()
        plan = make_mbz_plan(course)
        store = FileStore(plan.ids)
        media = MediaLinks(course, store)
        questions = QuestionsWriter(course, env, plan.ids, media, stamp)
        cc_fragments = env.get_template("cc/fragments.html").module
        fragments = env.get_template("moodle/fragments.html").module
        files: dict = {}
        criteria: list[tuple[str, int]] = []
        total = 0.0

        for section in plan.sections:
            files.update(section_files(section, stamp))
        for activity in plan.activities:
            d, res = activity.directory, activity.resource
            files.update(act.common_files(activity))
            grades, categories, items = act.grades_xml(), [], []
            if isinstance(res, PageRes):
                rule = act.CompletionRule(on=True, view=True)
                files[f"{d}/page.xml"] = act.page_xml(activity, page_content(plan, activity, env, media), stamp)
                if course.completion.require_pages:
                    criteria.append((activity.modname, activity.cmid))
            elif isinstance(res, TopicRes):
                rule = act.CompletionRule(on=True)  # + completionposts in forum.xml
                intro = media.rewrite(i18n.lms_html(str(cc_fragments.topic_text(res.reflection)).strip()),
                                      FileArea(activity.context, "mod_forum", "intro"))
                files[f"{d}/forum.xml"] = act.forum_xml(activity, intro, stamp)
                criteria.append((activity.modname, activity.cmid))
            elif isinstance(res, LinkRes):
                rule = act.CompletionRule()  # a source to read, not a step of the course
                files[f"{d}/url.xml"] = act.url_xml(activity, res.source.url, stamp)
            else:
                assert isinstance(res, QuizRes)
                bank = allocate(plan.ids, course, res.quiz)
                questions.add_bank(bank, activity.context, activity.cmid, activity.key)
                passing = passing_grade(course, bank) is not None
                rule = act.CompletionRule(on=True, use_grade=passing, pass_grade=passing)
                item = COURSE_GRADE_ITEM + plan.ids.next("quiz_grade_item")
                description = media.rewrite(res.quiz.description_html, FileArea(activity.context, "mod_quiz", "intro"))
                files[f"{d}/quiz.xml"] = quiz_xml(course, activity, bank, description, stamp)
                grades = quiz_grades_xml(course, activity, bank, item, GRADE_CATEGORY, item, stamp)
                categories, items = bank.category_ids, [item]
                total += quiz_grade(bank)
                if course.completion.require_quizzes:
                    criteria.append((activity.modname, activity.cmid))
            files[f"{d}/module.xml"] = act.module_xml(activity, rule, stamp)
            files[f"{d}/grades.xml"] = grades
            files[f"{d}/inforef.xml"] = act.inforef_xml(store.used_by(activity.context, f"mod_{activity.modname}"), items, categories)

        summary = str(fragments.course_summary(course)).strip()
        files.update(course_files(plan, summary, stamp))
        files.update(root_files())
        files["questions.xml"] = questions.to_bytes()
        files["gradebook.xml"] = gradebook_xml(total, stamp)
        files["completion.xml"] = completion_xml(criteria)
        files["files.xml"] = store.files_xml(stamp)
        files.update(store.package_files())
        files["moodle_backup.xml"] = moodle_backup_xml(plan, self.filename(course), stamp)
        return files
