"""``course/``, ``sections/`` and the course-wide files at the root of the backup.

Only what a restore needs is written: the course row with completion on, one manual enrolment
method (so the teacher can enrol learners in the new course), the student role it refers to,
the gradebook's course category and course total, and the course completion criteria.
"""

from __future__ import annotations

from .ids import COURSE_CONTEXT, COURSE_ID
from .mxml import empty, name_field, node, to_bytes
from .plan import MbzPlan, Section

STUDENT_ROLE = 5
GRADE_CATEGORY = 1
COURSE_GRADE_ITEM = 1
AGGREGATE_NATURAL = 13  # the course total is the sum of the quizzes' grades
CRITERIA_ACTIVITY = 4
AGGREGATION_ALL = 1


def moodle_lang(language: str) -> str:
    """Course language forced in Moodle, for courses not in English ("pt-BR" -> "pt_br").

    Moodle drops it on restore when the site lacks that language pack; it does no harm.
    """
    code = language.replace("-", "_").lower()
    return "" if code.split("_")[0] == "en" else code


def course_xml(plan: MbzPlan, summary: str, timestamp: int) -> bytes:
    course = plan.course
    root = node(None, "course", {"id": COURSE_ID, "contextid": COURSE_CONTEXT}, [
        ("shortname", course.id), ("fullname", name_field(course.title, 254)), ("idnumber", ""),
        ("summary", summary), ("summaryformat", 1), ("format", "topics"), ("showgrades", 1),
        ("newsitems", 0), ("startdate", timestamp), ("enddate", 0), ("marker", 0), ("maxbytes", 0),
        ("legacyfiles", 0), ("showreports", 0), ("visible", 1), ("groupmode", 0), ("groupmodeforce", 0),
        ("defaultgroupingid", 0), ("lang", moodle_lang(course.language)), ("theme", ""),
        ("timecreated", timestamp), ("timemodified", timestamp), ("requested", 0),
        ("showactivitydates", 0), ("showcompletionconditions", 1), ("pdfexportfont", None),
        ("enablecompletion", 1), ("completionnotify", 0),
    ])
    node(root, "category", {"id": 1}, [("name", "Miscellaneous"), ("description", None)])
    node(root, "tags")
    node(root, "customfields")
    options = node(root, "courseformatoptions")
    for name, value in (("hiddensections", 1), ("coursedisplay", 0)):
        node(options, "courseformatoption", fields=[("format", "topics"), ("sectionid", 0), ("name", name), ("value", value)])
    return to_bytes(root)


def enrolments_xml(timestamp: int) -> bytes:
    root = node(None, "enrolments")
    enrols = node(root, "enrols")
    enrol = node(enrols, "enrol", {"id": 1}, [
        ("enrol", "manual"), ("status", 0), ("name", None), ("enrolperiod", 0), ("enrolstartdate", 0),
        ("enrolenddate", 0), ("expirynotify", 0), ("expirythreshold", 86400), ("notifyall", 0),
        ("password", None), ("cost", None), ("currency", None), ("roleid", STUDENT_ROLE),
        *[(f"customint{n}", None) for n in range(1, 9)], *[(f"customchar{n}", None) for n in range(1, 4)],
        ("customdec1", None), ("customdec2", None), *[(f"customtext{n}", None) for n in range(1, 5)],
        ("timecreated", timestamp), ("timemodified", timestamp),
    ])
    node(enrol, "user_enrolments")
    return to_bytes(root)


def course_files(plan: MbzPlan, summary: str, timestamp: int) -> dict[str, bytes]:
    inforef = node(None, "inforef")
    node(node(node(inforef, "roleref"), "role"), "id").text = str(STUDENT_ROLE)
    competencies = node(None, "course_competencies")
    node(competencies, "competencies")
    node(competencies, "user_competencies")
    return {
        "course/course.xml": course_xml(plan, summary, timestamp),
        "course/inforef.xml": to_bytes(inforef),
        "course/enrolments.xml": enrolments_xml(timestamp),
        "course/roles.xml": empty("roles", "role_overrides", "role_assignments"),
        "course/filters.xml": empty("filters", "filter_actives", "filter_configs"),
        "course/calendar.xml": empty("events"),
        "course/competencies.xml": to_bytes(competencies),
        "course/completiondefaults.xml": empty("course_completion_defaults"),
        "course/contentbank.xml": empty("contents"),
    }


def section_files(section: Section, timestamp: int) -> dict[str, bytes]:
    root = node(None, "section", {"id": section.id}, [
        ("number", section.number), ("name", section.name), ("summary", ""), ("summaryformat", 1),
        ("sequence", ",".join(str(a.cmid) for a in section.activities)), ("visible", 1),
        ("availabilityjson", None), ("timemodified", timestamp),
    ])
    return {f"{section.directory}/section.xml": to_bytes(root),
            f"{section.directory}/inforef.xml": empty("inforef")}


def roles_xml() -> bytes:
    root = node(None, "roles_definition")
    node(root, "role", {"id": STUDENT_ROLE}, [
        ("name", ""), ("shortname", "student"), ("nameincourse", None), ("description", ""),
        ("sortorder", STUDENT_ROLE), ("archetype", "student")])
    return to_bytes(root)


def gradebook_xml(total: float, timestamp: int) -> bytes:
    root = node(None, "gradebook")
    node(root, "attributes")
    categories = node(root, "grade_categories")
    node(categories, "grade_category", {"id": GRADE_CATEGORY}, [
        ("parent", None), ("depth", 1), ("path", f"/{GRADE_CATEGORY}/"), ("fullname", "?"),
        ("aggregation", AGGREGATE_NATURAL), ("keephigh", 0), ("droplow", 0), ("aggregateonlygraded", 1),
        ("aggregateoutcomes", 0), ("timecreated", timestamp), ("timemodified", timestamp), ("hidden", 0)])
    items = node(root, "grade_items")
    item = node(items, "grade_item", {"id": COURSE_GRADE_ITEM}, [
        ("categoryid", None), ("itemname", None), ("itemtype", "course"), ("itemmodule", None),
        ("iteminstance", GRADE_CATEGORY), ("itemnumber", None), ("iteminfo", None), ("idnumber", None),
        ("calculation", None), ("gradetype", 1), ("grademax", f"{total:.5f}"), ("grademin", "0.00000"),
        ("scaleid", None), ("outcomeid", None), ("gradepass", "0.00000"), ("multfactor", "1.00000"),
        ("plusfactor", "0.00000"), ("aggregationcoef", "0.00000"), ("aggregationcoef2", "0.00000"),
        ("weightoverride", 0), ("sortorder", 1), ("display", 0), ("decimals", None), ("hidden", 0),
        ("locked", 0), ("locktime", 0), ("needsupdate", 0), ("timecreated", timestamp),
        ("timemodified", timestamp)])
    node(item, "grade_grades")
    node(root, "grade_letters")
    settings = node(root, "grade_settings")
    node(settings, "grade_setting", {"id": ""}, [("name", "minmaxtouse"), ("value", 1)])
    return to_bytes(root)


def completion_xml(activities: list[tuple[str, int]]) -> bytes:
    """Course completion: every listed (modname, cmid) activity complete (ids are course_modules')."""
    root = node(None, "course_completion")
    for n, (modname, cmid) in enumerate(activities, start=1):
        criteria = node(root, "course_completion_criteria", {"id": n}, [
            ("course", COURSE_ID), ("criteriatype", CRITERIA_ACTIVITY), ("module", modname),
            ("moduleinstance", cmid), ("courseinstanceshortname", None), ("enrolperiod", None),
            ("timeend", None), ("gradepass", None), ("role", None), ("roleshortname", None)])
        node(criteria, "course_completion_crit_completions")
    if activities:
        node(root, "course_completion_aggr_methd", {"id": 1}, [
            ("course", COURSE_ID), ("criteriatype", None), ("method", AGGREGATION_ALL), ("value", None)])
    return to_bytes(root)


def root_files() -> dict[str, bytes]:
    groups = node(None, "groups")
    node(groups, "groupcustomfields")
    node(node(groups, "groupings"), "groupingcustomfields")
    return {
        "roles.xml": roles_xml(),
        "groups.xml": to_bytes(groups),
        "outcomes.xml": empty("outcomes_definition"),
        "scales.xml": empty("scales_definition"),
        "grade_history.xml": empty("grade_history", "grade_grades"),
        "moodle_backup.log": b"",
    }
