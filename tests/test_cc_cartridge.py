"""The Common Cartridge read back, description by description, against the model.

Each cartridge is re-opened by the independent reader in ``cc_reader.py`` (lxml only), once as
Moodle and other CC importers read it (organization + CC QTI) and once as Canvas reads it
(module_meta.xml + wiki pages + Canvas QTI + assessment_meta.xml). Both must list every
module, page, reflection, link, quiz and question in order, with the right answers, points,
feedback and attempts, and they must agree with each other.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

import pytest

from cc_factory import build_cartridge, make_course
from cc_reader import Cartridge, comparable
from conftest import assert_valid

FORMATS = ("cc1.1", "cc1.3")


@pytest.fixture(scope="module", params=["factory", "embedded"])
def course(request, tmp_path_factory):
    if request.param == "embedded":
        return request.getfixturevalue("embedded_course")
    return make_course(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module", params=FORMATS)
def built(request, course, tmp_path_factory):
    path = build_cartridge(course, request.param, tmp_path_factory.mktemp(request.param))
    return course, request.param, path, Cartridge(path)


def test_cartridge_passes_the_official_checker_strictly(built, validate_package):
    course, fmt, path, _ = built
    report = validate_package(path)
    assert_valid(report)
    (pkg,) = report.get("packages", [report])
    assert pkg["kind"] == {"cc1.1": "cc1.1", "cc1.3": "cc1.3"}[fmt] or fmt in str(pkg["kind"])


def test_file_names(built):
    course, fmt, path, _ = built
    assert path.name == (f"{course.id}.imscc" if fmt == "cc1.1" else f"{course.id}-cc13.imscc")


def test_lom_metadata(built):
    course, fmt, _, cart = built
    lom = cart.manifest.find(f"{cart.ns}metadata")
    assert lom.findtext(f"{cart.ns}schemaversion") == {"cc1.1": "1.1.0", "cc1.3": "1.3.0"}[fmt]
    general = lom.find(".//{*}general")
    assert general.findtext("{*}title/{*}string") == course.title
    assert general.findtext("{*}language") == course.language
    assert general.findtext("{*}description/{*}string") == course.description
    assert [k.findtext("{*}string") for k in general.findall("{*}keyword")] == list(course.keywords)
    assert lom.findtext(".//{*}rights/{*}description/{*}string") == course.license


def _expected_items(course):
    """(kind, title-or-None) per organization module, straight from the model."""
    essay = course.lms.reflections == "essay"
    out = [("Overview", [("page", course.title)])]
    for module in course.modules:
        items = [("page", module.title)]
        items += [("quiz" if essay else "topic", None) for _ in module.reflections]
        if module.quiz is not None:
            items.append(("quiz", module.quiz.title))
        out.append((module.title, items))
    out.append((course.sources_title, [("page", course.sources_title)] + [("link", None) for s in course.sources if s.url]))
    return out


@pytest.mark.parametrize("description", ["standard", "canvas"])
def test_outline_matches_the_model(built, description):
    course, _, _, cart = built
    modules = cart.standard() if description == "standard" else cart.canvas()
    expected = _expected_items(course)
    assert [m["title"] for m in modules] == [title for title, _ in expected]
    for module, (_, items) in zip(modules, expected):
        assert [i["kind"] for i in module["items"]] == [kind for kind, _ in items], module["title"]
        for item, (_, title) in zip(module["items"], items):
            if title is not None:
                assert item["title"] == title

    by_module = dict(zip([m.title for m in course.modules], modules[1:-1]))
    for module in course.modules:
        items = by_module[module.title]["items"]
        page = items[0]
        assert page["page_title"] == module.title and page["identifier"] == page["ref"]
        text = page["body"].text_content()
        for video in module.videos:
            assert page["body"].xpath(f"//iframe[@src='{video.embed_src}']")
            assert page["body"].xpath(f"//a[@href='{video.watch_url}']")
        for reflection, item in zip(module.reflections, items[1:]):
            assert item["title"].startswith("Reflection: ")
            assert page["body"].xpath(f"//*[@id='reflection-{reflection.id}']"), reflection.id
            if item["kind"] == "topic":
                assert reflection.prompt_html in item["text"]
                assert item["topic_title"] == item["title"]
        assert module.title in text

    sources = modules[-1]
    assert [i["url"] for i in sources["items"][1:]] == [s.url for s in course.sources if s.url]
    anchors = sources["items"][0]["body"].xpath("//li/@id")
    assert anchors == [s.anchor for s in course.sources]


def _expected_question(question, ident_of_choice):
    auto = question.type.value != "essay"
    fb = question.feedback
    expected = {
        "type": question.type.value,
        "points": float(question.points) if auto else 0.0,
        "choices_html": [c.text_html for c in question.choices] if question.type.value != "fill_in_blank" else [],
    }
    if question.type.value in ("multiple_choice", "multiple_response", "true_false"):
        expected["correct"] = sorted(ident_of_choice[c.id] for c in question.choices if c.correct)
        expected["answer_feedback"] = {ident_of_choice[c.id]: c.feedback_html for c in question.choices if c.feedback_html}
    elif question.type.value == "fill_in_blank":
        expected["correct"] = sorted(question.answers)
        expected["answer_feedback"] = {}
    else:
        expected["correct"] = []
        expected["answer_feedback"] = {}
    if auto:
        expected.update(general=fb.general_html.strip(), correct_fb=fb.correct_html, incorrect_fb=fb.incorrect_html)
    return expected


@pytest.mark.parametrize("description", ["standard", "canvas"])
def test_quizzes_match_the_model(built, description):
    course, _, _, cart = built
    modules = cart.standard() if description == "standard" else cart.canvas()
    quizzes = [i["quiz"] for m in modules for i in m["items"] if i["kind"] == "quiz"]
    model_quizzes = [m.quiz for m in course.modules if m.quiz is not None]
    if course.lms.reflections != "essay":
        assert len(quizzes) == len(model_quizzes)
    quizzes = [q for q in quizzes if not q["title"].startswith("Reflection: ")]
    for quiz, model in zip(quizzes, model_quizzes):
        assert quiz["title"] == model.title
        assert quiz["attempts"] == model.attempts
        assert quiz["sections"] == 1
        assert len(quiz["questions"]) == len(model.questions)
        for read, question in zip(quiz["questions"], model.questions):
            idents = [ident for ident, _ in read["choices"]]
            ident_of_choice = dict(zip([c.id for c in question.choices], idents))
            expected = _expected_question(question, ident_of_choice)
            assert read["type"] == expected["type"], question.pos
            assert read["points"] == expected["points"], question.pos
            assert [html for _, html in read["choices"]] == expected["choices_html"]
            assert sorted(read["correct"]) == expected["correct"], question.pos
            assert read["answer_feedback"] == expected["answer_feedback"], question.pos
            fb = read["feedback_text"]
            if question.type.value == "essay":
                assert question.prompt_html in read["text"]
            else:
                assert read["text"] == question.prompt_html.strip()
                assert fb.get("general_fb", "") == expected["general"]
                assert fb.get("correct_fb", "") == expected["correct_fb"]
                assert fb.get("general_incorrect_fb", "") == expected["incorrect_fb"]
            if description == "standard":
                # Moodle: general feedback only from continue="Yes"; never an answer's own feedback there.
                assert set(read["general_links"]) <= {"general_fb"}
        if description == "canvas":
            meta = quiz["meta"]
            assert meta["quiz_type"] == "practice_quiz"
            assert meta["shuffle_answers"] == ("true" if model.shuffle else "false")
            assert float(meta["points_possible"]) == model.points_possible
            assert meta["available"] == ("true" if course.lms.publish else "false")


def test_both_descriptions_agree(built):
    _, _, _, cart = built
    assert comparable(cart.standard()) == comparable(cart.canvas())


def test_every_resource_is_reached_from_the_organization(built):
    _, _, _, cart = built
    reached, todo = set(), [i.get("identifierref") for i in cart.manifest.iter(cart.ns + "item") if i.get("identifierref")]
    while todo:
        ident = todo.pop()
        if ident in reached:
            continue
        reached.add(ident)
        todo += [d.get("identifierref") for d in cart.resources[ident].findall(cart.ns + "dependency")]
    unreached = set(cart.resources) - reached
    # Only Canvas's course settings, which Canvas finds by path and the others must not show.
    assert [cart.resources[r].get("href") for r in unreached] == ["course_settings/canvas_export.txt"]


def test_relative_links_in_pages_resolve(built):
    _, _, _, cart = built
    for name in cart.files:
        if not name.startswith("wiki_content/"):
            continue
        doc = cart.html(name)
        for url in doc.xpath("//a/@href | //img/@src"):
            parts = urlsplit(url)
            if parts.scheme or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
            assert target in cart.files, f"{name}: {url}"
            if parts.fragment and target.endswith(".html"):
                assert cart.html(target).xpath(f"//*[@id='{parts.fragment}']"), f"{name}: {url}"


def test_media_are_declared_and_linked_from_pages(built):
    course, _, _, cart = built
    for media in course.media:
        path = f"web_resources/{media.path}"
        assert path in cart.files
        (res,) = [r for r in cart.resources.values() if r.get("href") == path]
        assert res.get("type") == "webcontent"


def test_unpublished_course(tmp_path):
    course = make_course(tmp_path / "media", publish=False)
    cart = Cartridge(build_cartridge(course, "cc1.1", tmp_path))
    canvas = cart.canvas()
    assert {m["workflow_state"] for m in canvas} == {"unpublished"}
    assert {i["workflow_state"] for m in canvas for i in m["items"]} == {"unpublished"}
    assert {i["workflow_state"] for m in canvas for i in m["items"] if i["kind"] == "page"} == {"unpublished"}
    assert {i["quiz"]["meta"]["available"] for m in canvas for i in m["items"] if i["kind"] == "quiz"} == {"false"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_reflections_as_private_essays(tmp_path, fmt, validate_package):
    course = make_course(tmp_path / "media", reflections="essay")
    path = build_cartridge(course, fmt, tmp_path)
    assert_valid(validate_package(path))
    cart = Cartridge(path)
    assert comparable(cart.standard()) == comparable(cart.canvas())
    for modules in (cart.standard(), cart.canvas()):
        first = modules[1]["items"]
        assert [i["kind"] for i in first] == ["page", "quiz", "quiz", "quiz"]
        for item, reflection in zip(first[1:3], course.modules[0].reflections):
            (question,) = item["quiz"]["questions"]
            assert question["type"] == "essay" and question["points"] == 0
            assert reflection.prompt_html in question["text"]
            assert item["quiz"]["attempts"] is None
    assert not any(r.get("type").startswith("imsdt") for r in cart.resources.values())


def test_fractional_points_warn_and_canvas_keeps_them(tmp_path):
    from dataclasses import replace

    from builder.diagnostics import Diagnostics
    from builder.package import write_zip
    from builder.render import make_environment
    from builder.targets import get_target

    course = make_course(tmp_path / "media")
    quiz = course.modules[1].quiz
    quiz = replace(quiz, questions=(replace(quiz.questions[0], points=1.5),) + quiz.questions[1:])
    course = replace(course, modules=(course.modules[0], replace(course.modules[1], quiz=quiz), course.modules[2]))
    diagnostics = Diagnostics()
    files = get_target("cc1.1").build(course, make_environment(), diagnostics)
    (warning,) = diagnostics.warnings
    assert warning.pos == quiz.questions[0].pos and "whole points" in warning.message
    cart = Cartridge(write_zip(files, tmp_path / "x.imscc"))
    std = [i["quiz"] for m in cart.standard() for i in m["items"] if i["kind"] == "quiz"][1]
    canvas = [i["quiz"] for m in cart.canvas() for i in m["items"] if i["kind"] == "quiz"][1]
    assert std["questions"][0]["points"] == 2.0 and canvas["questions"][0]["points"] == 1.5


def test_after_import_checklists_name_the_manual_steps():
    from builder.targets import get_target

    # Moodle gets the .mbz, which needs no manual fix: the cartridge's checklist points there and
    # to the docs (where the cartridge fixes still are) instead of listing the clicks.
    moodle = " ".join(get_target("cc1.1").after_import["Moodle"])
    assert ".mbz" in moodle and "docs/lms-import.md" in moodle
    assert "pencil" not in moodle and "media filter" not in moodle
    assert "Nothing to fix" in " ".join(get_target("mbz").after_import["Moodle"])
    assert set(get_target("cc1.1").after_import) == {"Moodle", "Canvas", "Blackboard", "D2L"}
    assert "CC 1.1" in " ".join(get_target("cc1.3").after_import["Moodle"])
