"""``activities/quiz_<cmid>/quiz.xml`` and the quiz's grade item.

* grade (the quiz's maximum in the gradebook) = the quiz's points, sumgrades (total marks) = the
  sum of the slots' marks: the same number, since essays carry 0 marks (never scored);
* behaviour ``immediatefeedback``: the learner checks each answer and sees its mark and feedback
  at once, one try per question, so the marks are the ones SCORM and the cartridge give (no
  adaptive penalties); the quiz's ``attempts`` allows whole new attempts;
* review options: everything (the attempt, whether correct, marks, specific, general and overall
  feedback, the right answer) during, right after, later while open and after close;
* completion: submitted (one finished attempt), or passed when the course sets a passing score.
"""

from __future__ import annotations

from typing import Optional

from ...model import Course
from .activities import activity_root
from .mxml import decimal, node, to_bytes
from .plan import Activity
from .questions import QuizBank, mark

BEHAVIOUR = "immediatefeedback"
# mod_quiz\question\display_options: DURING 0x10000, IMMEDIATELY_AFTER 0x1000,
# LATER_WHILE_OPEN 0x100, AFTER_CLOSE 0x10. Overall feedback has no "during".
REVIEW_ALL = 0x10000 | 0x1000 | 0x100 | 0x10
REVIEW_OVERALL = 0x1000 | 0x100 | 0x10
GRADE_HIGHEST = 1
GRADETYPE_NONE, GRADETYPE_VALUE = 0, 1
MOD_QUIZ = "mod_quiz"


def quiz_grade(bank: QuizBank) -> float:
    return sum(mark(b.question) for b in bank.questions)


def passing_grade(course: Course, bank: QuizBank) -> Optional[float]:
    """Marks needed to pass, when the course sets a passing score and the quiz has marks."""
    score = course.completion.passing_score
    grade = quiz_grade(bank)
    if score is None or grade <= 0:
        return None
    return round(score * grade, 5)


def quiz_xml(course: Course, activity: Activity, bank: QuizBank, description: str, timestamp: int) -> bytes:
    quiz = activity.resource.quiz
    grade = quiz_grade(bank)
    root = activity_root(activity)
    element = node(root, "quiz", {"id": activity.instance}, [
        ("name", activity.title), ("intro", description), ("introformat", 1),
        ("timeopen", 0), ("timeclose", 0), ("timelimit", 0), ("overduehandling", "autosubmit"),
        ("graceperiod", 0), ("preferredbehaviour", BEHAVIOUR), ("canredoquestions", 0),
        ("attempts_number", quiz.attempts or 0), ("attemptonlast", 0), ("grademethod", GRADE_HIGHEST),
        ("decimalpoints", 2), ("questiondecimalpoints", -1),
        ("reviewattempt", REVIEW_ALL), ("reviewcorrectness", REVIEW_ALL), ("reviewmaxmarks", REVIEW_ALL),
        ("reviewmarks", REVIEW_ALL), ("reviewspecificfeedback", REVIEW_ALL),
        ("reviewgeneralfeedback", REVIEW_ALL), ("reviewrightanswer", REVIEW_ALL),
        ("reviewoverallfeedback", REVIEW_OVERALL),
        ("questionsperpage", 0), ("navmethod", "free"), ("shuffleanswers", quiz.shuffle),
        ("sumgrades", decimal(grade, 5)), ("grade", decimal(grade, 5)),
        ("timecreated", timestamp), ("timemodified", timestamp), ("password", ""), ("subnet", ""),
        ("browsersecurity", "-"), ("delay1", 0), ("delay2", 0), ("showuserpicture", 0), ("showblocks", 0),
        ("completionattemptsexhausted", 0),
        ("completionminattempts", 0 if passing_grade(course, bank) is not None else 1),
        ("allowofflineattempts", 0),
    ])
    instances = node(element, "question_instances")
    for slot, banked in enumerate(bank.questions, start=1):
        instance = node(instances, "question_instance", {"id": banked.entry}, [
            ("quizid", activity.instance), ("slot", slot), ("page", 1), ("displaynumber", None),
            ("requireprevious", 0), ("maxmark", decimal(mark(banked.question)))])
        node(instance, "question_reference", {"id": banked.entry}, [
            ("usingcontextid", activity.context), ("component", MOD_QUIZ), ("questionarea", "slot"),
            ("questionbankentryid", banked.entry), ("version", None)])
    sections = node(element, "sections")
    node(sections, "section", {"id": activity.instance},
         [("firstslot", 1), ("heading", ""), ("shufflequestions", 0)])
    for child in ("feedbacks", "overrides", "grades", "attempts"):
        node(element, child)
    return to_bytes(root)


def quiz_grades_xml(course: Course, activity: Activity, bank: QuizBank, grade_item: int,
                    grade_category: int, sortorder: int, timestamp: int) -> bytes:
    grade = quiz_grade(bank)
    root = node(None, "activity_gradebook")
    items = node(root, "grade_items")
    item = node(items, "grade_item", {"id": grade_item}, [
        ("categoryid", grade_category), ("itemname", activity.title), ("itemtype", "mod"),
        ("itemmodule", "quiz"), ("iteminstance", activity.instance), ("itemnumber", 0),
        ("iteminfo", None), ("idnumber", ""), ("calculation", None),
        ("gradetype", GRADETYPE_VALUE if grade > 0 else GRADETYPE_NONE),
        ("grademax", decimal(grade, 5)), ("grademin", decimal(0, 5)), ("scaleid", None), ("outcomeid", None),
        ("gradepass", decimal(passing_grade(course, bank) or 0, 5)), ("multfactor", decimal(1, 5)),
        ("plusfactor", decimal(0, 5)), ("aggregationcoef", decimal(0, 5)), ("aggregationcoef2", decimal(0, 5)),
        ("weightoverride", 0), ("sortorder", sortorder), ("display", 0), ("decimals", None),
        ("hidden", 0), ("locked", 0), ("locktime", 0), ("needsupdate", 0),
        ("timecreated", timestamp), ("timemodified", timestamp),
    ])
    node(item, "grade_grades")
    node(root, "grade_letters")
    return to_bytes(root)
