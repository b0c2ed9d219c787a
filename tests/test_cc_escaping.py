"""Quiz and page text with <, &, quotes, ]]>, right-to-left and non-Latin scripts and emoji
survives into every file of the cartridge and reads back identical."""

from __future__ import annotations

import lxml.html
import pytest

from cc_factory import TRICKY, build_cartridge, make_course
from cc_reader import CANVAS, QTI, Cartridge


@pytest.fixture(scope="module", params=["cc1.1", "cc1.3"])
def tricky(request, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("media"), tricky=True)
    path = build_cartridge(course, request.param, tmp_path_factory.mktemp("out"))
    return course, path, Cartridge(path)


def test_tricky_cartridge_is_valid(tricky, validate_package):
    from conftest import assert_valid

    assert_valid(validate_package(tricky[1]))


@pytest.mark.parametrize("description", ["standard", "canvas"])
def test_quiz_text_reads_back_identical(tricky, description):
    course, _, cart = tricky
    modules = cart.standard() if description == "standard" else cart.canvas()
    (quiz,) = [i["quiz"] for m in modules for i in m["items"] if i["kind"] == "quiz" and i["quiz"]["questions"][0]["ident"] == "i_water_source"]
    model = course.modules[0].quiz
    assert TRICKY in model.title and quiz["title"] == model.title
    for read, question in zip(quiz["questions"], model.questions):
        assert read["title"] == question.title
        if question.type.value == "essay":
            assert question.prompt_html in read["text"] and question.guidance_html in read["text"]
            assert question.sample_answer_html in read["feedback_text"]["general_fb"]
            continue
        assert read["text"] == question.prompt_html
        assert [html for _, html in read["choices"]] == [c.text_html for c in question.choices]
        assert sorted(read["answer_feedback"].values()) == sorted(c.feedback_html for c in question.choices if c.feedback_html)
        fb = read["feedback_text"]
        assert fb.get("general_fb", "") == question.feedback.general_html
        assert fb.get("correct_fb", "") == question.feedback.correct_html
        assert fb.get("general_incorrect_fb", "") == question.feedback.incorrect_html
        if question.type.value == "fill_in_blank":
            assert sorted(read["correct"]) == sorted(question.answers) and TRICKY in read["correct"]


def test_pages_topics_links_and_meta_read_back_identical(tricky):
    course, _, cart = tricky
    module = course.modules[0]
    page = cart.html("wiki_content/water.html")
    assert page.findtext(".//title") == module.title
    assert page.xpath("string(//h1)") == module.title
    body = page.body.text_content()
    assert TRICKY in body and "]]>" in body
    assert page.xpath("string(//div[@class='video']/h2)") == module.videos[0].title
    for reflection in module.reflections:
        expected = lxml.html.fragment_fromstring(reflection.prompt_html, create_parent="div").text_content()
        assert page.xpath(f"string(//*[@id='reflection-{reflection.id}']/h3)") == "Reflect: " + expected

    standard = cart.standard()
    topics = [i for i in standard[1]["items"] if i["kind"] == "topic"]
    for topic, reflection in zip(topics, module.reflections):
        assert reflection.prompt_html in topic["text"]
        assert 'a < b && "x"' in topic["topic_title"] and "العربية" in topic["topic_title"]
    (link,) = [i for i in standard[-1]["items"] if i["kind"] == "link" and "atlas" in i["url"]]
    assert link["url"] == course.sources[0].url
    assert link["title"].startswith("Water Atlas") and "🙂👍🏽" in link["title"]

    meta = cart.xml("course_settings/module_meta.xml")
    assert [m.findtext(CANVAS + "title") for m in meta.findall(CANVAS + "module")][1] == module.title
    quiz_meta = cart.xml("q_water_cycle_check/assessment_meta.xml")
    assert quiz_meta.findtext(CANVAS + "title") == module.quiz.title
    assert cart.manifest.findtext(".//{*}general/{*}title/{*}string") == course.title
    assert cart.manifest.find(".//{*}item[@identifier='m01_water']").findtext("{*}title") == module.title


def test_cdata_falls_back_to_escaped_text_for_cdata_terminators(tricky):
    _, _, cart = tricky
    raw = cart.files["q_water_cycle_check/assessment_qti.xml"].decode("utf-8")
    # Every HTML with a literal ]]> is written as escaped text, so the terminator shows as ]]&gt;.
    assert "]]&gt;" in raw
    doc = cart.xml("q_water_cycle_check/assessment_qti.xml")
    assert any("]]>" in (m.text or "") for m in doc.iter(QTI + "mattext"))


def test_rtl_language_sets_dir(tmp_path):
    from dataclasses import replace

    course = replace(make_course(tmp_path / "media"), language="ar")
    cart = Cartridge(build_cartridge(course, "cc1.1", tmp_path))
    page = cart.html("wiki_content/water.html")
    assert page.get("dir") == "rtl" and page.get("lang") == "ar"


def test_plain_titles_keep_angle_brackets(tricky):
    course, _, cart = tricky
    topics = [i for i in cart.standard()[1]["items"] if i["kind"] == "topic"]
    assert TRICKY in topics[0]["topic_title"]
