"""One test per importer rule the cartridge must keep (shared/docs/moodle-import.md,
canvas-import.md, hybrid-cartridge.md). Each reads the built zip with lxml only."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from cc_factory import build_cartridge, make_course
from cc_reader import QTI, Cartridge

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
CANVAS_GENERAL = re.compile(r"correct|incorrect|wrong|general_|_all", re.IGNORECASE)
CC_PROFILES = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1", "cc.fib.v0p1", "cc.essay.v0p1"}


@pytest.fixture(scope="module", params=["factory-cc1.1", "factory-cc1.3", "embedded-cc1.1"])
def cart(request, tmp_path_factory):
    source, _, fmt = request.param.partition("-")
    if source == "embedded":
        course = request.getfixturevalue("embedded_course")
    else:
        course = make_course(tmp_path_factory.mktemp("media"))
    return Cartridge(build_cartridge(course, fmt, tmp_path_factory.mktemp("out")))


def _qti_files(cart, kind):
    if kind == "cc":
        return {n: cart.xml(n) for n in cart.files if n.endswith("/assessment_qti.xml")}
    return {n: cart.xml(n) for n in cart.files if n.startswith("non_cc_assessments/")}


def _items(doc):
    return list(doc.iter(QTI + "item"))


def _profile(item):
    for field in item.iter(QTI + "qtimetadatafield"):
        if field.findtext(QTI + "fieldlabel") in ("cc_profile", "question_type"):
            return field.findtext(QTI + "fieldentry")


def test_namespace_within_first_1024_bytes(cart):
    # Moodle's sniffer: first 1024 bytes, lower-cased, no whitespace, no quotes.
    head = cart.files["imsmanifest.xml"][:1024].decode("utf-8", "ignore").lower()
    head = "".join(head.split()).replace('"', "").replace("'", "")
    assert f"xmlns={cart.manifest.nsmap[None].lower()}" in head


def test_moodle_detects_cc11(embedded_course, tmp_path):
    cart = Cartridge(build_cartridge(embedded_course, "cc1.1", tmp_path))
    head = cart.files["imsmanifest.xml"][:1024].decode("utf-8", "ignore").lower()
    head = "".join(head.split()).replace('"', "").replace("'", "")
    assert "xmlns=http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" in head


def test_manifest_is_first_in_the_zip(cart):
    assert next(iter(cart.files)) == "imsmanifest.xml"


def test_all_identifiers_are_ncnames(cart):
    idents = [el.get(a) for el in cart.manifest.iter() for a in ("identifier", "identifierref") if el.get(a)]
    for name, doc in {**_qti_files(cart, "cc"), **_qti_files(cart, "canvas")}.items():
        idents += [el.get("ident") for el in doc.iter() if el.get("ident")]
        idents += [el.get("linkrefid") for el in doc.iter(QTI + "displayfeedback")]
        for item in _items(doc):
            if item.find(f".//{QTI}response_lid") is not None:  # choice items: varequal holds an ident
                idents += [v.text for v in item.iter(QTI + "varequal")]
    meta = cart.xml("course_settings/module_meta.xml")
    idents += [el.get("identifier") for el in meta.iter() if el.get("identifier")]
    bad = [i for i in idents if not NCNAME.match(i)]
    assert not bad
    ids = [el.get("identifier") for el in cart.manifest.iter() if el.get("identifier")]
    assert len(ids) == len(set(ids)), "duplicate identifiers in the manifest"


@pytest.mark.parametrize("kind", ["cc", "canvas"])
def test_true_false_idents_are_exactly_true_and_false(cart, kind):
    found = 0
    for doc in _qti_files(cart, kind).values():
        for item in _items(doc):
            if _profile(item) in ("cc.true_false.v0p1", "true_false_question"):
                found += 1
                assert [l.get("ident") for l in item.iter(QTI + "response_label")] == ["true", "false"]
                assert {v.text for v in item.iter(QTI + "varequal")} <= {"true", "false"}
    assert found


def test_multiple_response_correct_answers_have_case_yes(cart):
    found = 0
    for doc in _qti_files(cart, "cc").values():
        for item in _items(doc):
            if _profile(item) != "cc.multiple_response.v0p1":
                continue
            found += 1
            (scoring,) = [c for c in item.iter(QTI + "respcondition") if c.find(QTI + "setvar") is not None]
            assert scoring.findtext(QTI + "setvar").strip() == "100"
            both = scoring.find(f"{QTI}conditionvar/{QTI}and")
            positive = both.findall(QTI + "varequal")
            assert positive and all(v.get("case") == "Yes" for v in positive)
            assert all(v.get("case") != "Yes" for n in both.findall(QTI + "not") for v in n.iter(QTI + "varequal"))
    assert found


@pytest.mark.parametrize("kind", ["cc", "canvas"])
def test_one_section_with_items_directly_in_it(cart, kind):
    for name, doc in _qti_files(cart, kind).items():
        (assessment,) = doc.findall(QTI + "assessment")
        sections = list(assessment.iter(QTI + "section"))
        assert len(sections) == 1, name
        assert all(item.getparent() is sections[0] for item in _items(doc)), name
        assert _items(doc), f"{name}: an assessment without items kills Moodle's import"


def test_item_idents_unique_across_the_cartridge_and_shared_by_both_qti(cart):
    cc = [i.get("ident") for doc in _qti_files(cart, "cc").values() for i in _items(doc)]
    canvas = [i.get("ident") for doc in _qti_files(cart, "canvas").values() for i in _items(doc)]
    assert len(cc) == len(set(cc))
    assert cc == canvas


def test_exact_cc_profiles_and_integer_weighting(cart):
    for doc in _qti_files(cart, "cc").values():
        meta = {f.findtext(QTI + "fieldlabel"): f.findtext(QTI + "fieldentry")
                for f in doc.find(QTI + "assessment").find(QTI + "qtimetadata")}
        assert meta["cc_profile"] == "cc.exam.v0p1"
        assert meta["cc_maxattempts"] == "unlimited" or meta["cc_maxattempts"].isdigit()
        for item in _items(doc):
            fields = {f.findtext(QTI + "fieldlabel"): f.findtext(QTI + "fieldentry") for f in item.iter(QTI + "qtimetadatafield")}
            assert fields["cc_profile"] in CC_PROFILES
            assert re.fullmatch(r"\d{1,2}", fields["cc_weighting"])


def test_moodle_general_feedback_only_in_continue_yes(cart):
    for doc in _qti_files(cart, "cc").values():
        for cond in doc.iter(QTI + "respcondition"):
            if cond.get("continue") == "Yes":
                assert [d.get("linkrefid") for d in cond.iter(QTI + "displayfeedback")] == ["general_fb"]


@pytest.mark.parametrize("kind", ["cc", "canvas"])
def test_feedback_and_answer_ids_canvas_can_sort(cart, kind):
    general = {"general_fb", "correct_fb", "general_incorrect_fb"}
    for doc in _qti_files(cart, kind).values():
        for item in _items(doc):
            for label in item.iter(QTI + "response_label"):
                assert not CANVAS_GENERAL.search(label.get("ident"))
            for fb in item.iter(QTI + "itemfeedback"):
                ident = fb.get("ident")
                assert ident in general or (ident.endswith("_fb") and not CANVAS_GENERAL.search(ident))
            links = {d.get("linkrefid") for d in item.iter(QTI + "displayfeedback")}
            assert links <= {fb.get("ident") for fb in item.iter(QTI + "itemfeedback")}


def test_canvas_scoring_condition_is_the_last_naming_a_correct_answer(cart):
    for doc in _qti_files(cart, "canvas").values():
        for item in _items(doc):
            conds = list(item.iter(QTI + "respcondition"))
            scoring = [n for n, c in enumerate(conds) if c.find(QTI + "setvar") is not None]
            if not scoring:
                continue
            (last,) = scoring
            later = [v.text for c in conds[last + 1:] for v in c.iter(QTI + "varequal")]
            assert not later


def test_no_iframe_only_content(cart):
    seen = 0
    for name in cart.files:
        if not name.endswith(".html"):
            continue
        doc = cart.html(name)
        for iframe in doc.iter("iframe"):
            seen += 1
            video_id = re.search(r"/embed/([\w-]{11})", iframe.get("src")).group(1)
            links = [a for a in doc.iter("a") if f"youtube.com/watch?v={video_id}" in (a.get("href") or "")]
            assert links, f"{name}: iframe {iframe.get('src')} without a plain watch link"
            # The sentence around the link must still read well once Moodle's filter swaps it for a player.
            # (A citation of the same video links to its watch URL too: any of the links will do.)
            assert any("Video on YouTube:" in a.getparent().text_content() for a in links)
            assert iframe.get("src").startswith("https://")
    assert seen


def test_pages_have_no_script_or_style(cart):
    for name in cart.files:
        if name.endswith(".html"):
            doc = cart.html(name)
            assert not doc.xpath("//script | //style | //link[@rel='stylesheet'] | //@*[starts-with(name(), 'on')]"), name
            assert doc.findtext(".//title")
            assert doc.xpath("//meta[@name='identifier']/@content")


def test_canvas_quiz_meta_sits_where_canvas_looks(cart):
    for ref, res in cart.resources.items():
        if res.get("type").endswith("/assessment"):
            (dep,) = [d.get("identifierref") for d in res.findall(cart.ns + "dependency")]
            meta = cart.resources[dep]
            assert meta.get("type").endswith("learning-application-resource")
            files = [f.get("href") for f in meta.findall(cart.ns + "file")]
            assert f"{ref}/assessment_meta.xml" in files and f"non_cc_assessments/{ref}.xml.qti" in files
            assert etree.fromstring(cart.files[f"{ref}/assessment_meta.xml"]).get("identifier") == ref


def test_version_specific_type_names(cart):
    tag = "v1p1" if cart.manifest.nsmap[None].endswith("imsccv1p1/imscp_v1p1") else "v1p3"
    for res in cart.resources.values():
        kind = res.get("type")
        if kind != "webcontent":
            assert f"xml{tag}" in kind, kind
