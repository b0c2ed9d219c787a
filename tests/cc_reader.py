"""An independent Common Cartridge reader for the tests: lxml and the zip, no builder code.

It reads a cartridge twice, the way each importer does: the *standard* description (the
organization, the resources it reaches, the CC-profile QTI, read with Moodle's rules) and the
*Canvas* description (``module_meta.xml``, ``wiki_content/`` pages found by their identifier meta,
``non_cc_assessments/`` QTI read with Canvas's rules, ``assessment_meta.xml``). Both come out in
the same plain shape, so a test can compare them with each other and with the model.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"
GENERAL_IDS = {"general_fb", "correct_fb", "general_incorrect_fb"}

CC_PROFILES = {
    "cc.multiple_choice.v0p1": "multiple_choice",
    "cc.multiple_response.v0p1": "multiple_response",
    "cc.true_false.v0p1": "true_false",
    "cc.fib.v0p1": "fill_in_blank",
    "cc.essay.v0p1": "essay",
}
CANVAS_TYPES = {
    "multiple_choice_question": "multiple_choice",
    "multiple_answers_question": "multiple_response",
    "true_false_question": "true_false",
    "short_answer_question": "fill_in_blank",
    "essay_question": "essay",
}
CANVAS_CONTENT = {"WikiPage": "page", "DiscussionTopic": "topic", "Quizzes::Quiz": "quiz", "ExternalUrl": "link"}


def local(el) -> str:
    return etree.QName(el).localname


class Cartridge:
    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as zf:
            self.files = {name: zf.read(name) for name in zf.namelist()}
        self.manifest = self.xml("imsmanifest.xml")
        self.ns = "{%s}" % self.manifest.nsmap[None]
        self.resources = {r.get("identifier"): r for r in self.manifest.iter(self.ns + "resource")}

    def xml(self, name: str):
        return etree.fromstring(self.files[name])

    def html(self, name: str):
        return lxml.html.document_fromstring(self.files[name].decode("utf-8"))

    def resource_file(self, ident: str) -> str:
        res = self.resources[ident]
        return res.get("href") or res.find(self.ns + "file").get("href")

    def resource_kind(self, ident: str) -> str:
        kind = self.resources[ident].get("type")
        if kind == "webcontent":
            return "page"
        if kind.startswith("imsdt_"):
            return "topic"
        if kind.startswith("imswl_"):
            return "link"
        if kind.endswith("/assessment"):
            return "quiz"
        return kind

    # ---------------------------------------------------------------- the standard description

    def standard(self) -> list[dict]:
        org = self.manifest.find(f"{self.ns}organizations/{self.ns}organization")
        (root,) = org.findall(self.ns + "item")
        modules = []
        for folder in root.findall(self.ns + "item"):
            items = []
            for leaf in folder.findall(self.ns + "item"):
                ref = leaf.get("identifierref")
                kind = self.resource_kind(ref)
                entry = {"id": leaf.get("identifier"), "title": leaf.findtext(self.ns + "title"), "kind": kind, "ref": ref}
                entry.update(self._standard_content(kind, ref))
                items.append(entry)
            modules.append({"id": folder.get("identifier"), "title": folder.findtext(self.ns + "title"), "items": items})
        return modules

    def _standard_content(self, kind: str, ref: str) -> dict:
        path = self.resource_file(ref)
        if kind == "page":
            return self.page(path)
        if kind == "topic":
            doc = self.xml(path)
            return {"topic_title": doc.findtext("{*}title"), "text": doc.findtext("{*}text")}
        if kind == "link":
            return {"url": self.xml(path).find("{*}url").get("href")}
        if kind == "quiz":
            return {"quiz": read_cc_qti(self.xml(path))}
        raise AssertionError(f"unexpected resource type for {ref}: {kind}")

    def page(self, path: str) -> dict:
        doc = self.html(path)
        return {
            "path": path,
            "page_title": doc.findtext(".//title"),
            "identifier": doc.xpath("string(//meta[@name='identifier']/@content)"),
            "workflow_state": doc.xpath("string(//meta[@name='workflow_state']/@content)"),
            "body": doc.body,
        }

    # ---------------------------------------------------------------- the Canvas description

    def canvas(self) -> list[dict]:
        assert "course_settings/canvas_export.txt" in self.files
        assert any(r.get("href") == "course_settings/canvas_export.txt" for r in self.resources.values())
        pages = {}
        for name in self.files:
            if name.startswith("wiki_content/") and name.endswith(".html"):
                info = self.page(name)
                pages[info["identifier"]] = info
        modules = []
        for module in self.xml("course_settings/module_meta.xml").findall(CANVAS + "module"):
            items = []
            for item in module.find(CANVAS + "items").findall(CANVAS + "item"):
                kind = CANVAS_CONTENT[item.findtext(CANVAS + "content_type")]
                ref = item.findtext(CANVAS + "identifierref")
                entry = {"id": item.get("identifier"), "title": item.findtext(CANVAS + "title"), "kind": kind, "ref": ref,
                         "workflow_state": item.findtext(CANVAS + "workflow_state")}
                if kind == "page":
                    entry.update(pages[ref])
                elif kind == "topic":
                    assert self.resources[ref].get("type").startswith("imsdt_")
                    doc = self.xml(self.resource_file(ref))
                    entry.update({"topic_title": doc.findtext("{*}title"), "text": doc.findtext("{*}text")})
                elif kind == "link":
                    entry["url"] = item.findtext(CANVAS + "url")
                elif kind == "quiz":
                    meta = self.xml(f"{ref}/assessment_meta.xml")
                    assert meta.get("identifier") == ref
                    quiz = read_canvas_qti(self.xml(f"non_cc_assessments/{ref}.xml.qti"))
                    attempts = int(meta.findtext(CANVAS + "allowed_attempts"))
                    quiz["attempts"] = None if attempts == -1 else attempts
                    quiz["meta"] = {tag: meta.findtext(CANVAS + tag) for tag in (
                        "quiz_type", "shuffle_answers", "points_possible", "available", "title")}
                    entry["quiz"] = quiz
                items.append(entry)
            modules.append({"id": module.get("identifier"), "title": module.findtext(CANVAS + "title"),
                            "workflow_state": module.findtext(CANVAS + "workflow_state"), "items": items})
        return modules


# -------------------------------------------------------------------------------- QTI readers


def _metadata(el) -> dict:
    return {f.findtext(QTI + "fieldlabel"): f.findtext(QTI + "fieldentry") for f in el.iter(QTI + "qtimetadatafield")}


def _mattext(el) -> str:
    return el.find(f".//{QTI}mattext").text or ""


def _item_common(item) -> dict:
    pres = item.find(QTI + "presentation")
    labels = pres.findall(f".//{QTI}response_label")
    choices = [(label.get("ident"), _mattext(label)) for label in labels if label.find(f".//{QTI}mattext") is not None]
    feedback = {fb.get("ident"): _mattext(fb) for fb in item.findall(QTI + "itemfeedback")}
    return {
        "ident": item.get("ident"),
        "title": item.get("title"),
        "text": pres.find(QTI + "material").find(QTI + "mattext").text,
        "choices": choices,
        "feedback_text": feedback,
    }


def _conditions(item):
    rp = item.find(QTI + "resprocessing")
    return [] if rp is None else rp.findall(QTI + "respcondition")


def _scores(cond) -> bool:
    return any(s.text.strip() == "100" for s in cond.findall(QTI + "setvar"))


def _links(cond) -> list[str]:
    return [d.get("linkrefid") for d in cond.findall(QTI + "displayfeedback")]


def _assessment(doc, read_item) -> dict:
    (assessment,) = doc.findall(QTI + "assessment")
    sections = assessment.findall(QTI + "section")
    meta = _metadata(assessment.find(QTI + "qtimetadata"))
    return {
        "ident": assessment.get("ident"),
        "title": assessment.get("title"),
        "metadata": meta,
        "sections": len(sections),
        "questions": [read_item(item) for item in sections[0].findall(QTI + "item")],
    }


def read_cc_qti(doc) -> dict:
    """Moodle's reading: type from cc_profile, points from cc_weighting, general feedback from
    continue="Yes" conditions, answer feedback from the answer's own condition."""

    def item(el) -> dict:
        q = _item_common(el)
        meta = _metadata(el.find(QTI + "itemmetadata"))
        q["type"] = CC_PROFILES[meta["cc_profile"]]
        q["points"] = float(int(meta["cc_weighting"]))
        correct, answer_fb, general, overall = [], {}, [], {"correct": [], "incorrect": []}
        for cond in _conditions(el):
            links = _links(cond)
            if cond.get("continue") == "Yes":
                general += links
                continue
            var = cond.find(QTI + "conditionvar")
            both = var.find(QTI + "and")
            if both is not None:  # multiple response: Moodle keeps the case="Yes" ones as correct
                if _scores(cond):
                    correct += [v.text for v in both.findall(QTI + "varequal") if v.get("case") == "Yes"]
                continue
            values = [v.text for v in var.findall(QTI + "varequal")]
            if _scores(cond):
                correct += values
            own = [x for x in links if x not in GENERAL_IDS]
            if len(values) == 1 and own:
                answer_fb[values[0]] = own[0]
            for x in links:
                if x == "correct_fb":
                    overall["correct"].append(x)
                elif x == "general_incorrect_fb":
                    overall["incorrect"].append(x)
        q["correct"] = correct
        q["general_links"] = general
        q["answer_feedback"] = {k: q["feedback_text"][v] for k, v in answer_fb.items()}
        q["overall_links"] = overall
        return q

    quiz = _assessment(doc, item)
    quiz["attempts"] = None if quiz["metadata"]["cc_maxattempts"] == "unlimited" else int(quiz["metadata"]["cc_maxattempts"])
    return quiz


def read_canvas_qti(doc) -> dict:
    """Canvas's reading: type and points from item metadata, correct answers from the
    condition that sets SCORE, answer feedback from conditions naming one answer."""

    def item(el) -> dict:
        q = _item_common(el)
        meta = _metadata(el.find(QTI + "itemmetadata"))
        q["type"] = CANVAS_TYPES[meta["question_type"]]
        q["points"] = float(meta["points_possible"])
        correct, answer_fb = [], {}
        for cond in _conditions(el):
            var = cond.find(QTI + "conditionvar")
            both = var.find(QTI + "and")
            if _scores(cond):
                source = both if both is not None else var
                correct += [v.text for v in source.findall(QTI + "varequal")]
                continue
            values = [v.text for v in var.findall(QTI + "varequal")]
            own = [x for x in _links(cond) if x not in GENERAL_IDS]
            if len(values) == 1 and own:
                answer_fb[values[0]] = own[0]
        q["correct"] = correct
        q["answer_feedback"] = {k: q["feedback_text"][v] for k, v in answer_fb.items()}
        return q

    return _assessment(doc, item)


def comparable_question(q: dict) -> dict:
    """What both descriptions must agree on for one question."""
    fb = q["feedback_text"]
    return {
        "ident": q["ident"], "title": q["title"], "type": q["type"], "points": q["points"], "text": q["text"],
        "choices": q["choices"], "correct": sorted(q["correct"]),
        "general": fb.get("general_fb", ""), "correct_fb": fb.get("correct_fb", ""),
        "incorrect_fb": fb.get("general_incorrect_fb", ""), "answer_feedback": q["answer_feedback"],
    }


def comparable(modules: list[dict]) -> list:
    out = []
    for module in modules:
        items = []
        for item in module["items"]:
            entry = {"id": item["id"], "title": item["title"], "kind": item["kind"], "ref": item["ref"]}
            if item["kind"] == "page":
                entry["page"] = (item["path"], item["page_title"], item["identifier"])
            elif item["kind"] == "topic":
                entry["topic"] = (item["topic_title"], item["text"])
            elif item["kind"] == "link":
                entry["url"] = item["url"]
            else:
                quiz = item["quiz"]
                entry["quiz"] = (quiz["ident"], quiz["title"], quiz["attempts"],
                                 [comparable_question(q) for q in quiz["questions"]])
            items.append(entry)
        out.append((module["id"], module["title"], items))
    return out
