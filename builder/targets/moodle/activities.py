"""``activities/<modname>_<cmid>/``: the files Moodle's backup writes for every activity.

``module.xml`` is the course_modules row (section, visibility, completion rules); ``<modname>.xml``
the module's own table (``page``, ``forum``, ``url``; the quiz is in ``quiz.py``); ``inforef.xml``
lists the files, grade items and question categories the activity uses, which is how the
restore knows what belongs to it. The others are written empty, as Moodle does for an activity
without role overrides, filters, events, competencies or grade history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .files import FileRecord
from .mxml import empty, node, to_bytes
from .plan import Activity

MODULE_VERSION = 2022112800  # the Moodle 4.1 backup format this writer follows

# course_modules.completion values
COMPLETION_NONE, COMPLETION_AUTOMATIC = 0, 2


@dataclass(frozen=True)
class CompletionRule:
    """How Moodle marks the activity complete (``module.xml``; module rules go in its own XML)."""

    on: bool = False
    view: bool = False  # complete when viewed
    use_grade: bool = False  # completiongradeitemnumber 0: complete when graded
    pass_grade: bool = False  # ... and only with a passing grade


def module_xml(activity: Activity, rule: CompletionRule, timestamp: int) -> bytes:
    root = node(None, "module", {"id": activity.cmid, "version": MODULE_VERSION}, [
        ("modulename", activity.modname), ("sectionid", activity.section.id),
        ("sectionnumber", activity.section.number), ("idnumber", ""), ("added", timestamp),
        ("score", 0), ("indent", 0), ("visible", 1), ("visibleoncoursepage", 1), ("visibleold", 1),
        ("groupmode", 0), ("groupingid", 0),
        ("completion", COMPLETION_AUTOMATIC if rule.on else COMPLETION_NONE),
        ("completiongradeitemnumber", 0 if rule.use_grade else None),
        ("completionpassgrade", rule.pass_grade), ("completionview", rule.view),
        ("completionexpected", 0), ("availability", None), ("showdescription", 0),
        ("downloadcontent", 1), ("lang", None),
    ])
    node(root, "tags")
    return to_bytes(root)


def inforef_xml(files: list[FileRecord] = (), grade_items: list[int] = (), categories: list[int] = ()) -> bytes:
    root = node(None, "inforef")
    if files:
        ref = node(root, "fileref")
        for record in files:
            node(ref, "file", fields=[("id", record.id)])
    if grade_items:
        ref = node(root, "grade_itemref")
        for ident in grade_items:
            node(ref, "grade_item", fields=[("id", ident)])
    if categories:
        ref = node(root, "question_categoryref")
        for ident in categories:
            node(ref, "question_category", fields=[("id", ident)])
    return to_bytes(root)


def activity_root(activity: Activity):
    """``<activity id moduleid modulename contextid>`` wrapping the module's own record."""
    return node(None, "activity", {"id": activity.instance, "moduleid": activity.cmid,
                                   "modulename": activity.modname, "contextid": activity.context})


def page_xml(activity: Activity, content: str, timestamp: int) -> bytes:
    root = activity_root(activity)
    node(root, "page", {"id": activity.instance}, [
        ("name", activity.title), ("intro", ""), ("introformat", 1),
        ("content", content), ("contentformat", 1),  # FORMAT_HTML: shown as written
        ("legacyfiles", 0), ("legacyfileslast", None), ("display", 0),
        ("displayoptions", 'a:2:{s:10:"printintro";i:0;s:17:"printlastmodified";i:0;}'),
        ("revision", 1), ("timemodified", timestamp),
    ])
    return to_bytes(root)


def forum_xml(activity: Activity, intro: str, timestamp: int) -> bytes:
    root = activity_root(activity)
    forum = node(root, "forum", {"id": activity.instance}, [
        ("type", "general"), ("name", activity.title), ("intro", intro), ("introformat", 1),
        ("duedate", 0), ("cutoffdate", 0), ("assessed", 0), ("assesstimestart", 0),
        ("assesstimefinish", 0), ("scale", 0), ("maxbytes", 0), ("maxattachments", 1),
        ("forcesubscribe", 0), ("trackingtype", 1), ("rsstype", 0), ("rssarticles", 0),
        ("timemodified", timestamp), ("warnafter", 0), ("blockafter", 0), ("blockperiod", 0),
        ("completiondiscussions", 0), ("completionreplies", 0),
        ("completionposts", 1),  # complete once the learner has posted their reflection
        ("displaywordcount", 0), ("lockdiscussionafter", 0), ("grade_forum", 0),
    ])
    for child in ("discussions", "subscriptions", "digests", "readposts", "trackedprefs", "poststags", "grades"):
        node(forum, child)
    return to_bytes(root)


def url_xml(activity: Activity, url: str, timestamp: int) -> bytes:
    root = activity_root(activity)
    node(root, "url", {"id": activity.instance}, [
        ("name", activity.title), ("intro", ""), ("introformat", 1), ("externalurl", url),
        ("display", 0), ("displayoptions", 'a:1:{s:10:"printintro";i:0;}'), ("parameters", "a:0:{}"),
        ("timemodified", timestamp),
    ])
    return to_bytes(root)


def grades_xml(item: Optional[bytes] = None) -> bytes:
    """``grades.xml`` with no grade item (pages, forums, URLs); the quiz passes its own."""
    return item if item is not None else empty("activity_gradebook", "grade_items", "grade_letters")


def common_files(activity: Activity) -> dict[str, bytes]:
    d = activity.directory
    files = {
        f"{d}/roles.xml": empty("roles", "role_overrides", "role_assignments"),
        f"{d}/filters.xml": empty("filters", "filter_actives", "filter_configs"),
        f"{d}/calendar.xml": empty("events"),
        f"{d}/competencies.xml": _competencies(),
        f"{d}/grade_history.xml": empty("grade_history", "grade_grades"),
    }
    if activity.modname == "forum":
        files[f"{d}/grading.xml"] = empty("areas")
    return files


def _competencies() -> bytes:
    root = node(None, "course_module_competencies")
    node(root, "competencies")
    return to_bytes(root)
