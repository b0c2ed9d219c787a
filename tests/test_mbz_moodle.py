"""The .mbz restored by a real Moodle (4.3 and 5.1, when installed here): what the teacher finds.

Each package is restored once per Moodle with ``../shared/tools/moodle/run.sh`` (Restore > as a
new course) and its JSON report asserted on; what the report does not carry (completion rules,
course completion, every review option, combined feedback, grader information) is read from
the restored course by ``tests/mbz_probe.php``, read-only. Skips with a reason where no Moodle is.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from builder.build import build
from builder.load import load_course
from builder.targets.cc.outline import make_plan
from builder.textutil import strip_markdown

REPO = Path(__file__).resolve().parents[1]
RUN = REPO.parent / "shared" / "tools" / "moodle" / "run.sh"
PROBE = REPO / "tests" / "mbz_probe.php"
MOODLES = {"4.3": Path("/var/lib/moodle-harness"), "5.1": Path("/var/lib/moodle5-harness")}
COURSES = {"embedded": REPO, "fr": REPO / "tests" / "roots" / "mbz-fr"}
REVIEW_ALL, REVIEW_OVERALL = 0x11110, 0x01110


def _moodle_dir(base: Path) -> Path | None:
    env = base / "harness.env"
    if not env.is_file():
        return None
    for line in env.read_text().splitlines():
        if line.startswith("MOODLE_DIR="):
            return Path(line.split("=", 1)[1])
    return None


@pytest.fixture(scope="module", params=sorted(MOODLES))
def moodle(request):
    base = MOODLES[request.param]
    if not RUN.is_file():
        pytest.skip(f"no Moodle harness at {RUN}")
    if _moodle_dir(base) is None:
        pytest.skip(f"Moodle {request.param} is not installed here ({base}/harness.env missing)")
    return request.param, base


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    out = tmp_path_factory.mktemp("mbz-moodle")
    return {name: build(source, out / name, formats=["mbz"]).outputs[0].path for name, source in COURSES.items()}


@pytest.fixture(scope="module")
def restored(moodle, packages, tmp_path_factory):
    """{course name: (harness JSON, probe JSON, course model)} for one Moodle."""
    version, base = moodle
    out = tmp_path_factory.mktemp(f"restore-{version}")
    results = {}
    for name, package in packages.items():
        report = out / f"{name}.json"
        proc = subprocess.run([str(RUN), str(package), str(report)], capture_output=True, text=True,
                              env={**os.environ, "MOODLE_BASE": str(base)}, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        data = json.loads(report.read_text())
        probe = subprocess.run(["php", str(PROBE), str(_moodle_dir(base)), str(data["import"]["courseid"])],
                               capture_output=True, text=True, timeout=300)
        assert probe.returncode == 0, probe.stderr
        course, _ = load_course(COURSES[name])
        results[name] = (data, json.loads(probe.stdout), course)
        print(f"Moodle {version}: {name} restored in {data['import']['restore_s']} s")
    return results


@pytest.mark.parametrize("name", sorted(COURSES))
def test_restores_cleanly_as_moodle2(restored, name):
    data, probe, _ = restored[name]
    assert data["import"]["ok"] and data["import"]["format_detected"] == "moodle2"
    assert set(data["import"]["log"]["by_level"]) <= {"info", "debug"}, data["import"]["log"]
    assert not data["import"]["precheck"] and not data["errors"] and not data["warnings"]
    assert not [m for m in data["php_messages"] if "backup" in m["file"] or "question" in m["file"]]
    assert probe["legacy_files"] == 0


@pytest.mark.parametrize("name", sorted(COURSES))
def test_sections_and_activities_as_in_the_cartridge(restored, name):
    data, _, course = restored[name]
    plan = make_plan(course)
    assert [s["name"] for s in data["sections"]] == [m.title for m in plan.modules]
    assert data["sections"][-1]["name"] == course.sources_title
    by_cmid = {a["cmid"]: a for a in data["activities"]}
    kinds = {"page": "page", "topic": "forum", "link": "url", "quiz": "quiz"}
    for section, module in zip(data["sections"], plan.modules):
        got = [(by_cmid[c]["modname"], by_cmid[c]["name"]) for c in section["cms"]]
        assert got == [(kinds[i.kind], i.title) for i in module.items]


@pytest.mark.parametrize("name", sorted(COURSES))
def test_pages_keep_the_player_the_text_alternative_and_working_links(restored, name):
    data, probe, course = restored[name]
    pages = {a["name"]: a for a in data["activities"] if a["modname"] == "page"}
    page_urls = {f"/mod/page/view.php?id={a['cmid']}" for a in pages.values()}
    for module in course.modules:
        page = pages[module.title]
        (content,) = [cm["content"] for cm in probe["cms"] if int(cm["id"]) == page["cmid"]]
        for video in module.videos:
            assert page["tags"].get("iframe") == 1  # the player, kept
            assert any(video.embed_src.split("?")[0] in link for link in page["links"])
            assert strip_markdown(video.summary_html)[:60] in strip_markdown(content)  # the text alternative
        stored = {f"@@PLUGINFILE@@{f['filepath']}{f['filename']}" for f in probe["page_files"]}
        for link in page["links"]:
            # external, an anchor of this page (a restore keeps ids), another Page, a file of this page
            if link.startswith("#"):
                assert f'id="{link[1:]}"' in content, link
            else:
                assert (link.startswith("https://") or link in stored
                        or any(link.split("#")[0].endswith(u) for u in page_urls)), link
        assert page["unresolved_cc_tokens"] == 0
    if name == "fr":  # "le module suivant" links to the Page of the next module in the new course
        target = pages[course.modules[1].title]["cmid"]
        assert f"/mod/page/view.php?id={target}" in " ".join(pages[course.modules[0].title]["links"])
    if course.media:
        files = {(f["component"], f["filearea"], f["filepath"], f["filename"]) for f in probe["page_files"]}
        for media in course.media:
            assert ("mod_page", "content", "/media/", Path(media.path).name) in files
        assert sum(p["pluginfile_refs"] for p in pages.values()) >= len(course.media)
    for quiz in course.quizzes:  # images in questions are files of the question
        for question in quiz.questions:
            if 'src="media/' in question.prompt_html:
                slots = [s for q in probe["quizzes"] if q["name"] == quiz.title for s in q["slots"]]
                (slot,) = [s for s in slots if s["questiontext"].startswith(question.prompt_html.split("<img")[0])]
                assert "@@PLUGINFILE@@/media/" in slot["questiontext"]
                assert any(f["component"] == "question" and f["filearea"] == "questiontext" for f in data["files"])


@pytest.mark.parametrize("name", sorted(COURSES))
def test_reflections_as_the_course_says(restored, name):
    data, _, course = restored[name]
    forums = [a for a in data["activities"] if a["modname"] == "forum"]
    quizzes = [a for a in data["activities"] if a["modname"] == "quiz"]
    if course.lms.reflections == "discussion":
        assert len(forums) == len(course.reflections)
        for forum, reflection in zip(forums, course.reflections):
            assert reflection.prompt in forum["intro_full"] and forum["forum_type"] == "general"
    else:
        assert not forums
        assert len(quizzes) == len(course.quizzes) + len(course.reflections)


@pytest.mark.parametrize("name", sorted(COURSES))
def test_quizzes_grades_review_options_and_native_questions(restored, name):
    data, probe, course = restored[name]
    quizzes = {q["name"]: q for q in probe["quizzes"]}
    for quiz in course.quizzes:
        got = quizzes[quiz.title]
        assert got["grade"] == pytest.approx(quiz.points_possible)
        assert got["sumgrades"] == pytest.approx(sum(s["maxmark"] for s in got["slots"]))
        assert got["sumgrades"] == pytest.approx(quiz.points_possible)  # essays count 0
        assert got["grademax"] == pytest.approx(quiz.points_possible)
        assert got["attempts"] == (quiz.attempts or 0) and got["shuffleanswers"] == int(quiz.shuffle)
        assert got["preferredbehaviour"] == "immediatefeedback"
        for field in ("reviewattempt", "reviewcorrectness", "reviewmaxmarks", "reviewmarks",
                      "reviewspecificfeedback", "reviewgeneralfeedback", "reviewrightanswer"):
            assert got[field] == REVIEW_ALL, field
        assert got["reviewoverallfeedback"] == REVIEW_OVERALL
        assert len(got["slots"]) == len(quiz.questions)
        for slot, question in zip(got["slots"], quiz.questions):
            assert slot["category"] == f"{course.title}: {quiz.title}"
            assert slot["category_context"] == quiz.title  # the quiz's own bank, on 4.3 and 5.x
            _assert_question(slot, question)


def _assert_question(slot, q):
    kind = q.type.value
    fractions = [a["fraction"] for a in slot["answers"]]
    if kind == "multiple_choice":
        assert slot["qtype"] == "multichoice" and slot["options"]["single"] == 1
        assert fractions == [1.0 if c.correct else 0.0 for c in q.choices]
    elif kind == "multiple_response":
        assert slot["qtype"] == "multichoice" and slot["options"]["single"] == 0
        right, wrong = len(q.correct_choices), len(q.choices) - len(q.correct_choices)
        assert fractions == pytest.approx([1 / right if c.correct else -1 / wrong for c in q.choices], abs=1e-6)
    elif kind == "true_false":
        assert slot["qtype"] == "truefalse"
        assert fractions == ([1.0, 0.0] if q.answer else [0.0, 1.0])
    elif kind == "fill_in_blank":
        assert slot["qtype"] == "shortanswer" and slot["options"]["usecase"] == int(q.case_sensitive)
        assert fractions[:len(q.answers)] == [1.0] * len(q.answers)
        if q.feedback.incorrect_html:
            assert slot["answers"][-1]["text"] == "*" and slot["answers"][-1]["fraction"] == 0
            assert slot["answers"][-1]["feedback"] == q.feedback.incorrect_html
    else:
        assert slot["qtype"] == "essay" and slot["maxmark"] == 0
        if q.sample_answer_html:
            assert q.sample_answer_html in slot["options"]["graderinfo"]
        if q.guidance_html:
            assert q.guidance_html in slot["options"]["graderinfo"]
    if kind != "essay":
        assert slot["maxmark"] == pytest.approx(q.points)
        assert slot["generalfeedback"] == q.feedback.general_html
    for answer, choice in zip(slot["answers"], q.choices):
        if choice.feedback_html:
            assert answer["feedback"] == choice.feedback_html
    if slot["qtype"] == "multichoice":
        assert slot["options"]["correctfeedback"] == q.feedback.correct_html
        assert slot["options"]["incorrectfeedback"] == q.feedback.incorrect_html


@pytest.mark.parametrize("name", sorted(COURSES))
def test_activity_and_course_completion(restored, name):
    data, probe, course = restored[name]
    assert int(probe["course"]["enablecompletion"]) == 1
    cms = probe["cms"]
    quizzes = {q["cmid"]: q for q in probe["quizzes"]}
    for cm in cms:
        if cm["modname"] == "url":
            continue
        assert int(cm["completion"]) == 2, cm
        if cm["modname"] == "page":
            assert int(cm["completionview"]) == 1
        elif cm["modname"] == "forum":
            assert int(cm["completionposts"]) == 1
        elif cm["modname"] == "quiz":
            quiz = quizzes[cm["id"]]
            if course.completion.passing_score is not None and quiz["grade"] > 0:
                assert int(cm["completionpassgrade"]) == 1 and int(cm["completiongradeitemnumber"]) == 0
                assert quiz["gradepass"] == pytest.approx(course.completion.passing_score * quiz["grade"])
            else:
                assert int(cm["completionminattempts"]) == 1
    required = sorted(cm["id"] for cm in cms if cm["modname"] != "url")
    assert sorted(c["cmid"] for c in probe["criteria"]) == required
    assert all(int(c["criteriatype"]) == 4 for c in probe["criteria"])
    assert [int(a["method"]) for a in probe["aggregation"]] == [1]


def test_the_french_course_arrives_in_french(restored):
    data, probe, course = restored["fr"]
    assert course.language == "fr"
    # Moodle keeps the forced language only where the French pack is installed.
    assert probe["course"]["lang"] in ("fr", "")
    assert data["course"]["fullname"].startswith("Alliances imparfaites")
    assert any("Bâtir la solidarité" == s["name"] for s in data["sections"])
