"""Question banks (-f moodle-xml, -f gift, -f qti): imported by a real Moodle, checked by Canvas's rules.

The course is the minimal one plus a quiz that uses every feedback key, case sensitivity, three
right answers out of four and every character GIFT treats as syntax, so an escaping or a
feedback mistake shows up as a wrong question in Moodle's bank.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import test_cc_importer_rules as cc_rules
from cc_reader import QTI, read_canvas_qti
from cli import main

MINIMAL = Path(__file__).parent / "roots" / "minimal"
MOODLE_RUN = Path(__file__).resolve().parents[2] / "shared" / "tools" / "moodle" / "run.sh"
MOODLES = {"4.3": Path("/var/lib/moodle-harness"), "5.1": Path("/var/lib/moodle5-harness")}

SPECIAL = r"Braces {x}, a ~ tilde, a = sign, a # hash: a colon and a \ backslash"
BANK_QUIZ = f"""\
title: "Bank: every kind / of feedback"
shuffle: true
questions:
  - type: multiple_response
    id: three-of-four
    prompt: "{SPECIAL.replace(chr(92), chr(92) * 2)}"
    feedback:
      correct: All three, well done.
      incorrect: Three of them are right.
      general: The fourth is the odd one.
    choices:
      - text: "One = 1"
        correct: true
        feedback: "Yes {{one}}."
      - text: Two
        correct: true
      - text: "Three # three"
        correct: true
      - text: Four ~ four
        feedback: Not this one.
  - type: true_false
    id: tf-keys
    prompt: Feedback keys work on true/false.
    answer: true
    feedback:
      correct: "Right: they do."
      incorrect: They do, in fact.
  - type: fill_in_blank
    id: case-matters
    prompt: Type the word Moodle with a capital M.
    answers: [Moodle, "M*dle"]
    case_sensitive: true
    feedback:
      correct: Exactly.
      incorrect: "It is: Moodle."
"""


@pytest.fixture(scope="module")
def banks(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("qbank") / "c"
    shutil.copytree(MINIMAL, root)
    (root / "quizzes" / "bank.yaml").write_text(BANK_QUIZ, encoding="utf-8")
    course_yaml = root / "course" / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace(
        "  - module: modules/02-second.md\n", "  - module: modules/02-second.md\n    quiz: bank\n"))
    out = root.parent / "out"
    result = CliRunner().invoke(main, ["--source", str(root), "--out", str(out), "-f", "moodle-xml", "-f", "gift", "-f", "qti"])
    assert result.exit_code == 0, result.output
    return {"xml": out / "minimal-questions.xml", "gift": out / "minimal-questions.gift", "qti": out / "minimal-qti.zip",
            "output": result.output}


def test_banks_are_not_built_by_default(tmp_path):
    result = CliRunner().invoke(main, ["--source", str(MINIMAL), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert not [p for p in tmp_path.iterdir() if "question" in p.name or "qti" in p.name]


def test_gift_warns_about_what_it_cannot_carry(banks):
    assert "GIFT cannot mark a short answer case-sensitive" in banks["output"]
    assert "GIFT has no place for the right/wrong feedback of a choice question" in banks["output"]


def test_moodle_xml_structure(banks):
    root = etree.parse(str(banks["xml"])).getroot()
    cats = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    assert cats == ["$course$/top/A minimal course", "$course$/top/A minimal course/First quiz",
                    "$course$/top/A minimal course/Bank: every kind // of feedback"]
    by_id = {q.findtext("idnumber"): q for q in root.iter("question") if q.get("type") != "category"}
    mr = by_id["three-of-four"]
    assert [a.get("fraction") for a in mr.iter("answer")] == ["33.33333", "33.33333", "33.33333", "-100"]
    assert mr.findtext("single") == "false" and mr.findtext("shuffleanswers") == "true"
    assert mr.findtext("penalty") == "1.0000000"
    assert by_id["case-matters"].findtext("usecase") == "1"
    assert [a.findtext("text") for a in by_id["case-matters"].iter("answer")] == ["Moodle", "M\\*dle", "*"]


def _moodle_import(path: Path, tmp_path: Path, version: str) -> dict:
    base = MOODLES[version]
    if not MOODLE_RUN.is_file() or not (base / "harness.env").is_file():
        pytest.skip(f"no Moodle {version} here ({MOODLE_RUN} and {base}/harness.env): the import is checked where it is installed")
    out = tmp_path / "moodle.json"
    proc = subprocess.run([str(MOODLE_RUN), "--type=questions", str(path), str(out)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "MOODLE_BASE": str(base)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(out.read_text())
    assert not report["errors"], report["errors"]
    return report


def _bank(report: dict) -> dict:
    """category path (below the course's top) -> {question text: question}."""
    found = {}
    for cat in report["question_bank"]["categories"]:
        if cat["questions"]:
            found[cat["path"].split("/", 1)[1]] = {q["questiontext"]: q for q in cat["questions"]}
    return found


def _answers(q: dict) -> list:
    return [(a["text"], round(a["fraction"], 4), a["feedback"]) for a in q["answers"]]


EXPECTED_MR = [("One = 1", 0.3333, "Yes {one}."), ("Two", 0.3333, ""), ("Three # three", 0.3333, ""),
               ("Four ~ four", -1.0, "Not this one.")]


@pytest.mark.parametrize("version", sorted(MOODLES))
@pytest.mark.parametrize("fmt", ["xml", "gift"])
def test_moodle_imports_every_question_with_its_marks_and_feedback(banks, fmt, version, tmp_path):
    report = _moodle_import(banks[fmt], tmp_path, version)
    bank = _bank(report)
    assert report["question_bank"]["questions_total"] == 8
    assert set(bank) == {"A minimal course/First quiz", "A minimal course/Bank: every kind / of feedback"}
    first, extra = bank["A minimal course/First quiz"], bank["A minimal course/Bank: every kind / of feedback"]
    assert [q["qtype"] for q in first.values()] == ["multichoice", "multichoice", "truefalse", "shortanswer", "essay"]

    mc = first["Pick one"]
    assert _answers(mc) == [("Right", 1.0, "Yes, because."), ("Wrong", 0.0, "No, because.")]
    assert mc["options"]["single"] == "1"
    tf = first["The sky is green."]
    assert _answers(tf) == [("True", 0.0, "It is not green."), ("False", 1.0, "Right, it is not green.")]
    assert tf["penalty"] == 1
    essay = first["Explain. A paragraph."]
    assert essay["questiontext"] == "Explain. A paragraph." and "Like this." in essay["generalfeedback"]

    mr = extra[SPECIAL]
    assert mr["questiontext"] == SPECIAL
    assert mr["generalfeedback"] == "The fourth is the odd one."
    assert mr["options"]["single"] == "0" and mr["options"]["shuffleanswers"] == "1"
    assert _answers(mr) == EXPECTED_MR
    tf = extra["Feedback keys work on true/false."]
    assert _answers(tf) == [("True", 1.0, "Right: they do."), ("False", 0.0, "They do, in fact.")]
    fib = extra["Type the word Moodle with a capital M."]
    assert _answers(fib) == [("Moodle", 1.0, "Exactly."), ("M\\*dle", 1.0, "Exactly."), ("*", 0.0, "It is: Moodle.")]
    if fmt == "xml":  # what only Moodle XML can say
        assert fib["options"]["usecase"] == "1"
        assert mr["penalty"] == 1 and fib["penalty"] == pytest.approx(0.3333333)
        assert mr["feedback"]["correctfeedback"] == "All three, well done."
        assert mr["feedback"]["incorrectfeedback"] == "Three of them are right."
        assert essay["feedback"]["graderinfo"] == "Like this."
    else:
        assert fib["options"]["usecase"] == "0"


# -- QTI zip for Canvas: the rules the cartridge's Canvas quizzes meet ----------------------------


class _QtiZip:
    """The QTI zip seen through the cartridge rules' eyes (Canvas QTI under non_cc_assessments/)."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as zf:
            raw = {name: zf.read(name) for name in zf.namelist()}
        self.raw = raw
        self.manifest = etree.fromstring(raw["imsmanifest.xml"])
        self.ns = "{%s}" % self.manifest.nsmap[None]
        self.resources = {r.get("identifier"): r for r in self.manifest.iter(self.ns + "resource")}
        self.files = {f"non_cc_assessments/{ident}.xml.qti": raw[res.find(self.ns + "file").get("href")]
                      for ident, res in self.resources.items() if res.get("type") == "imsqti_xmlv1p2"}

    def xml(self, name: str):
        return etree.fromstring(self.files[name])


@pytest.fixture(scope="module")
def qti(banks):
    return _QtiZip(banks["qti"])


@pytest.mark.parametrize("rule", [
    cc_rules.test_true_false_idents_are_exactly_true_and_false,
    cc_rules.test_one_section_with_items_directly_in_it,
    cc_rules.test_feedback_and_answer_ids_canvas_can_sort,
])
def test_canvas_rules_per_kind(qti, rule):
    rule(qti, "canvas")


def test_canvas_scoring_condition_rule(qti):
    cc_rules.test_canvas_scoring_condition_is_the_last_naming_a_correct_answer(qti)


def test_qti_package_shape(qti):
    assert next(iter(qti.raw)) == "imsmanifest.xml"
    assert qti.manifest.nsmap[None] == "http://www.imsglobal.org/xsd/imscp_v1p1"
    quizzes = [r for r in qti.resources.values() if r.get("type") == "imsqti_xmlv1p2"]
    assert len(quizzes) == 2
    names = [el.get(a) for el in qti.manifest.iter() for a in ("identifier", "identifierref") if el.get(a)]
    assert all(cc_rules.NCNAME.match(n) for n in names)
    assert len({r.get("identifier") for r in qti.resources.values()}) == len(qti.resources)
    for res in quizzes:
        ident = res.get("identifier")
        (dep,) = [d.get("identifierref") for d in res.findall(qti.ns + "dependency")]
        meta = qti.resources[dep]
        assert meta.get("type") == "associatedcontent/imscc_xmlv1p1/learning-application-resource"
        assert meta.get("href") == f"{ident}/assessment_meta.xml"  # where Canvas looks for it
        assert etree.fromstring(qti.raw[meta.get("href")]).get("identifier") == ident
        assert res.find(qti.ns + "file").get("href") == f"{ident}/{ident}.xml"
    for name in qti.raw:
        assert name == "imsmanifest.xml" or any(name.startswith(r.get("identifier") + "/") for r in quizzes)


def test_qti_questions_read_as_canvas_reads_them(qti):
    quizzes = {q["title"]: q for q in (read_canvas_qti(qti.xml(n)) for n in qti.files)}
    bank = quizzes["Bank: every kind / of feedback"]
    mr, tf, fib = bank["questions"]
    assert mr["type"] == "multiple_response" and len(mr["correct"]) == 3
    assert mr["feedback_text"]["correct_fb"] == "<p>All three, well done.</p>"
    assert mr["feedback_text"]["general_incorrect_fb"] == "<p>Three of them are right.</p>"
    assert tf["type"] == "true_false" and tf["correct"] == ["true"]
    assert tf["answer_feedback"] == {"true": "<p>Right: they do.</p>", "false": "<p>They do, in fact.</p>"}
    assert fib["type"] == "fill_in_blank" and fib["correct"] == ["Moodle", "M*dle"]
    assert all(it.get("ident") for doc in map(qti.xml, qti.files) for it in doc.iter(QTI + "item"))


def test_long_titles_fit_moodles_category_names(tmp_path):
    # Moodle's category name holds 255 characters; a longer one stopped the whole import (4.3).
    root = tmp_path / "c"
    shutil.copytree(MINIMAL, root)
    course_yaml = root / "course" / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("title: A minimal course", "title: " + "Course / " * 40))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--source", str(root), "--out", str(out), "-f", "moodle-xml", "-f", "gift"])
    assert result.exit_code == 0, result.output
    paths = [q.findtext("category/text") for q in etree.parse(str(out / "minimal-questions.xml")).iter("question")
             if q.get("type") == "category"]
    paths += [line.split(": ", 1)[1] for line in (out / "minimal-questions.gift").read_text().splitlines()
              if line.startswith("$CATEGORY: ")]
    assert paths
    for path in paths:
        names = [n.replace("//", "/") for n in re.split(r"(?<!/)/(?!/)", path)]
        assert max(len(n) for n in names) <= 255, path
    assert any(len(n) > 200 for n in re.split(r"(?<!/)/(?!/)", paths[0]))  # cut, not dropped


MEDIA_QUIZ = """\
title: Media in questions
questions:
  - type: essay
    id: essay-with-image
    prompt: Describe it.
    guidance: "Look at ![the diagram](media/dot.png) first."
  - type: multiple_choice
    id: choice-with-link
    prompt: Pick one.
    choices:
      - text: Right
        correct: true
        feedback: "See [the file](media/dot.png)."
      - text: Wrong
  - type: true_false
    id: plain
    prompt: No file here.
    answer: true
"""


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml", "qti"])
def test_every_bank_format_warns_once_per_question_that_shows_a_media_file(tmp_path, fmt):
    """Found in every text of a question (an essay's guidance, a choice's feedback), whichever
    bank format is built: the same warnings from all three."""
    root = tmp_path / "c"
    shutil.copytree(MINIMAL, root)
    (root / "quizzes" / "first.yaml").write_text(MEDIA_QUIZ, encoding="utf-8")
    result = CliRunner().invoke(main, ["--source", str(root), "--out", str(tmp_path / "out"), "-f", fmt, "-v"])
    assert result.exit_code == 0, result.output
    warned = re.findall(r"quizzes/first\.yaml:(\d+):\d+: warning: this question shows a file from course/media/",
                        result.output)
    assert warned == ["3", "7"], result.output
