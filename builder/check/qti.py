"""QTI 1.2 quizzes inside a package: every auto-graded item has a right answer, and the items are
shaped the way Moodle's and Canvas's importers read them (shared/docs: moodle-import.md §QTI,
canvas-import.md §4)."""

from __future__ import annotations

import re

from lxml import etree

from .archive import Package
from .findings import Report
from .manifest import Manifest, is_local, parse

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MOODLE_PROFILES = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1", "cc.essay.v0p1",
                   "cc.fib.v0p1", "cc.pattern_match.v0p1"}
UNGRADED = {"cc.essay.v0p1", "essay_question", "text_only_question", "file_upload_question"}
CANVAS_RESERVED = re.compile(r"wrong|incorrect|correct|general_|_all", re.I)
CANVAS_GENERAL_IDS = {"general_fb", "correct_fb", "general_incorrect_fb"}


def _meta(el) -> dict:
    return {(f.findtext(f"{QTI}fieldlabel") or "").strip(): (f.findtext(f"{QTI}fieldentry") or "").strip()
            for f in el.iter(f"{QTI}qtimetadatafield")}


def _score(cond) -> float:
    best = 0.0
    for setvar in cond.findall(f"{QTI}setvar"):
        try:
            best = max(best, float((setvar.text or "0").strip()))
        except ValueError:
            continue
    return best


def _root(doc) -> etree._Element:
    """QTI files are written with or without the namespace; read both alike."""
    if etree.QName(doc).namespace:
        return doc
    for el in doc.iter():
        if isinstance(el.tag, str) and not etree.QName(el).namespace:
            el.tag = QTI + el.tag
    return doc


def qti_files(m: Manifest, pkg: Package) -> list[tuple[str, str]]:
    """(file, flavour) of every QTI document: "cc" (what Moodle and others read) or "canvas"."""
    found = []
    for res in m.resources.values():
        if res.type.startswith("imsqti"):
            name = res.href or (res.files[0] if res.files else None)
            if name and is_local(name) and name in pkg.names:
                found.append((name, "canvas" if m.kind == "qti" else "cc"))
    found += [(n, "canvas") for n in pkg.names if n.startswith("non_cc_assessments/") and n.endswith(".qti")]
    return found


def check_qti(m: Manifest, pkg: Package, report: Report) -> None:
    moodle_reads = m.kind in ("cc1.0", "cc1.1")
    for name, flavour in qti_files(m, pkg):
        doc = parse(pkg, name, report)
        if doc is None:
            continue
        doc = _root(doc)
        for assessment in doc.iter(f"{QTI}assessment"):
            _assessment(assessment, name, flavour, moodle_reads, report)


def _assessment(assessment, name: str, flavour: str, moodle_reads: bool, report: Report) -> None:
    first = assessment.find(f"{QTI}section")
    items = list(assessment.iter(f"{QTI}item"))
    direct = [] if first is None else first.findall(f"{QTI}item")
    idents: dict[str, int] = {}
    convertible = 0
    for item in items:
        line = item.sourceline or 0
        meta = _meta(item)
        profile = meta.get("cc_profile") or meta.get("question_type") or ""
        ident = item.get("ident", "")
        if ident in idents:
            report.warning("qti-item-duplicate", f"item ident '{ident}' is used twice in this assessment (also at line "
                           f"{idents[ident]}); Moodle keys questions by ident and keeps only one", "give each item its "
                           "own ident", file=name, line=line)
        idents[ident] = line
        answers = item.find(f".//{QTI}response_lid") is not None or item.find(f".//{QTI}response_str") is not None
        if profile not in UNGRADED and answers:
            if not any(_score(c) > 0 for c in item.iter(f"{QTI}respcondition")):
                report.error("qti-no-correct-answer", f"item '{ident}' has no right answer (no response condition "
                             "gives it a score); Moodle imports it scoring 0 for every answer and Canvas warns it "
                             "'couldn't determine the correct answers'", "add a respcondition that sets SCORE to 100 for "
                             "the right answer", file=name, line=line)
        if flavour == "cc" and moodle_reads:
            convertible += _moodle_item(item, profile, ident, name, line, item in direct, report)
        if flavour == "canvas":
            _canvas_item(item, ident, name, line, report)
    if flavour == "cc" and moodle_reads and not convertible:
        report.error("qti-empty-for-moodle", f"assessment '{assessment.get('ident')}' has no item Moodle can convert; "
                     "Moodle's cartridge import then dies (TypeError) and the whole course is lost",
                     "give the quiz at least one item with a CC profile in the first section, or leave it out",
                     file=name, line=assessment.sourceline)


def _moodle_item(item, profile: str, ident: str, name: str, line: int, direct: bool, report: Report) -> int:
    if not direct:
        report.warning("qti-nested-item", f"item '{ident}' is not directly in the assessment's first section; Moodle "
                       "ignores it", "put every item directly in one <section>", file=name, line=line)
        return 0
    if profile not in MOODLE_PROFILES:
        report.warning("qti-profile", f"item '{ident}' has cc_profile '{profile or '(none)'}'; Moodle drops it without "
                       "a word", f"use one of {', '.join(sorted(MOODLE_PROFILES))}", file=name, line=line)
        return 0
    if profile == "cc.true_false.v0p1":
        labels = [label.get("ident") for label in item.iter(f"{QTI}response_label")]
        if sorted(labels) != ["false", "true"]:
            report.error("qti-true-false-idents", f"true/false item '{ident}' has answer idents {labels}; Moodle stops "
                         "the whole import ('Unknown answer identifier detected in true/false quiz question')",
                         "name the two answers exactly 'true' and 'false'", file=name, line=line)
    if profile == "cc.multiple_response.v0p1":
        for cond in item.iter(f"{QTI}respcondition"):
            if _score(cond) > 0:
                both = cond.find(f"{QTI}conditionvar/{QTI}and")
                positive = [] if both is None else both.findall(f"{QTI}varequal")
                if positive and not any(v.get("case") == "Yes" for v in positive):
                    report.warning("qti-multiple-response-case", f"multiple-response item '{ident}' marks no right "
                                   "answer with case=\"Yes\"; Moodle then gives every answer 0 %",
                                   "add case=\"Yes\" to the varequal of each right answer", file=name, line=line)
    weighting = _meta(item).get("cc_weighting")
    if weighting is not None and not re.fullmatch(r"\d{1,2}", weighting):
        report.warning("qti-weighting", f"item '{ident}' has cc_weighting '{weighting}'; Moodle accepts only whole "
                       "numbers 0-99 and uses 1 instead", "write a whole number of points", file=name, line=line)
    return 1


def _canvas_item(item, ident: str, name: str, line: int, report: Report) -> None:
    for label in item.iter(f"{QTI}response_label"):
        if CANVAS_RESERVED.search(label.get("ident", "")):
            report.warning("canvas-answer-ident", f"answer ident '{label.get('ident')}' in item '{ident}' contains a "
                           "word Canvas reserves (correct, incorrect, wrong, general_, _all); Canvas files its "
                           "feedback as the question's general feedback", "rename the answer ident", file=name,
                           line=label.sourceline)
    for fb in item.findall(f"{QTI}itemfeedback"):
        fid = fb.get("ident", "")
        if fid not in CANVAS_GENERAL_IDS and not fid.endswith("_fb") and CANVAS_RESERVED.search(fid):
            report.info("canvas-feedback-ident", f"feedback '{fid}' will be read by Canvas as the question's "
                        "right/wrong/general feedback, not as an answer's", "use general_fb, correct_fb, "
                        "general_incorrect_fb or <answer>_fb", file=name, line=fb.sourceline)
