"""``moodle_backup.xml``: what the backup holds and the settings it was made with.

The restore reads this first: the format (``moodle2``), the version that wrote it (Moodle 4.1
LTS here: older backups restore on newer sites without a warning, newer ones warn), the list of
sections and activities with their folders, and the settings (no users, files included, ...).
The site identifier is not any real site's, so Moodle never treats it as a same-site restore.
"""

from __future__ import annotations

import hashlib

from .ids import COURSE_CONTEXT, COURSE_ID, SYSTEM_CONTEXT
from .mxml import node, to_bytes
from .plan import MbzPlan

MOODLE_VERSION = 2022112800
MOODLE_RELEASE = "4.1 (Build: 20221128)"
BACKUP_RELEASE = "4.1"
MODE_GENERAL = 10
ROOT_SETTINGS = (
    ("imscc11", 0), ("users", 0), ("anonymize", 0), ("role_assignments", 0), ("activities", 1),
    ("blocks", 1), ("files", 1), ("filters", 1), ("comments", 0), ("badges", 0), ("calendarevents", 1),
    ("userscompletion", 0), ("logs", 0), ("grade_histories", 0), ("questionbank", 1), ("groups", 1),
    ("competencies", 1), ("customfield", 1), ("contentbankcontent", 1), ("xapistate", 0),
    ("legacyfiles", 1),
)


def moodle_backup_xml(plan: MbzPlan, filename: str, timestamp: int) -> bytes:
    course = plan.course
    root = node(None, "moodle_backup")
    info = node(root, "information", fields=[
        ("name", filename), ("moodle_version", MOODLE_VERSION), ("moodle_release", MOODLE_RELEASE),
        ("backup_version", MOODLE_VERSION), ("backup_release", BACKUP_RELEASE), ("backup_date", timestamp),
        ("mnet_remoteusers", 0), ("include_files", 1), ("include_file_references_to_external_content", 0),
        ("original_wwwroot", "https://build-course.invalid"),
        ("original_site_identifier_hash", hashlib.md5(b"build-course").hexdigest()),
        ("original_course_id", COURSE_ID), ("original_course_format", "topics"),
        ("original_course_fullname", course.title), ("original_course_shortname", course.id),
        ("original_course_startdate", timestamp), ("original_course_enddate", 0),
        ("original_course_contextid", COURSE_CONTEXT), ("original_system_contextid", SYSTEM_CONTEXT),
    ])
    backup_id = hashlib.md5(f"build-course {course.id} {course.version}".encode("utf-8")).hexdigest()
    node(node(info, "details"), "detail", {"backup_id": backup_id}, [
        ("type", "course"), ("format", "moodle2"), ("interactive", ""), ("mode", MODE_GENERAL),
        ("execution", 1), ("executiontime", 0)])
    contents = node(info, "contents")
    activities = node(contents, "activities")
    for a in plan.activities:
        node(activities, "activity", fields=[
            ("moduleid", a.cmid), ("sectionid", a.section.id), ("modulename", a.modname),
            ("title", a.title), ("directory", a.directory)])
    sections = node(contents, "sections")
    for s in plan.sections:
        node(sections, "section", fields=[("sectionid", s.id), ("title", s.name), ("directory", s.directory)])
    node(contents, "course", fields=[("courseid", COURSE_ID), ("title", course.id), ("directory", "course")])

    settings = node(info, "settings")
    node(settings, "setting", fields=[("level", "root"), ("name", "filename"), ("value", filename)])
    for name, value in ROOT_SETTINGS:
        node(settings, "setting", fields=[("level", "root"), ("name", name), ("value", value)])
    for s in plan.sections:
        for suffix, value in (("included", 1), ("userinfo", 0)):
            node(settings, "setting", fields=[("level", "section"), ("section", s.key),
                                              ("name", f"{s.key}_{suffix}"), ("value", value)])
        for a in s.activities:
            for suffix, value in (("included", 1), ("userinfo", 0)):
                node(settings, "setting", fields=[("level", "activity"), ("activity", a.key),
                                                  ("name", f"{a.key}_{suffix}"), ("value", value)])
    return to_bytes(root)
