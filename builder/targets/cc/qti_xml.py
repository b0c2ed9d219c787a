"""QTI 1.2 building blocks shared by the two QTI files of the cartridge (CC profile and Canvas).

Both files describe the same questions with the same idents; they differ only in metadata and in
how response conditions are ordered (see qti.py and canvas_qti.py for why).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import Optional, Union

import jinja2
from lxml import etree

from ... import i18n
from ...model import Question, QuestionType, Quiz
from .ids import CORRECT_FB, GENERAL_FB, INCORRECT_FB, answer_feedback_ident, answer_ident
from .pages import lms_links
from .versions import QTI_NS, XSI_NS, CcVersion
from ..xmlfile import xml_bytes

RESPONSE = "response1"
PROFILE_XSD = "qtiasiv1p2p1_v1p0"  # the QTI profile schema of either cartridge version


def q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


ITEM, _PRESENTATION, _ITEMFEEDBACK = q("item"), q("presentation"), q("itemfeedback")
_QUALIFIED: dict[str, str] = {}  # tag -> "{QTI_NS}tag", made once: sub() runs ~100,000 times a build


def sub(parent: etree._Element, tag: str, text: Optional[str] = None, **attrs: str) -> etree._Element:
    qualified = _QUALIFIED.get(tag)
    if qualified is None:
        qualified = _QUALIFIED[tag] = q(tag)
    # attribute names are passed as they are (a keyword such as "continue" through **{...})
    element = etree.SubElement(parent, qualified, attrs) if attrs else etree.SubElement(parent, qualified)
    if text is not None:
        element.text = text
    return element


def set_html(el: etree._Element, html: str) -> None:
    """HTML as CDATA where it can be (readable), else as escaped text: a CDATA section cannot
    hold ``]]>`` (lxml refuses it), and both forms read back as the same text."""
    html = i18n.lms_html(lms_links(html))  # in the course's direction whatever the LMS's
    el.text = html if "]]>" in html else etree.CDATA(html)


Inner = Union[tuple[str, dict[str, str], Optional[str]], etree._Element]


def _prototype(tag: str, attrs: dict[str, str], *inner: Inner) -> etree._Element:
    """A small constant subtree to stamp copies of: copying it costs about a third of building it,
    attributes being the dear part of ``SubElement``. Each child is ``(tag, attrs, text)`` or a
    prototype of its own (copied in)."""
    el = etree.Element(q(tag), attrs, nsmap={None: QTI_NS})
    for child in inner:
        if isinstance(child, tuple):
            child_tag, child_attrs, text = child
            etree.SubElement(el, q(child_tag), child_attrs).text = text
        else:
            el.append(deepcopy(child))
    return el


def stamp(parent: etree._Element, prototype: etree._Element) -> etree._Element:
    """Append a copy of ``prototype`` (its namespace declaration goes: the parent's serves)."""
    copy = prototype.__copy__()
    parent.append(copy)
    return copy


_MATERIAL = _prototype("material", {}, ("mattext", {"texttype": "text/html"}, None))


_METADATA: dict[tuple[tuple[str, str], ...], etree._Element] = {}


def metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    # a few distinct blocks (question type x points) repeated over thousands of items: stamped
    key = tuple(fields)
    prototype = _METADATA.get(key)
    if prototype is None:
        prototype = _prototype("qtimetadata", {})
        for label, entry in fields:
            field = sub(prototype, "qtimetadatafield")
            sub(field, "fieldlabel", label)
            sub(field, "fieldentry", entry)
        if len(_METADATA) < 1000:  # bounded, whatever the courses a process builds
            _METADATA[key] = prototype
    stamp(parent, prototype)


def root(schema_location: str) -> etree._Element:
    el = etree.Element(q("questestinterop"), nsmap={None: QTI_NS, "xsi": XSI_NS})
    el.set(f"{{{XSI_NS}}}schemaLocation", f"{QTI_NS} {schema_location}")
    return el


def serialize(el: etree._Element) -> bytes:
    return xml_bytes(el)


def point_at(doc: etree._Element, version: CcVersion) -> None:
    """Point a QTI document at a cartridge version's schema: the only difference between the
    versions' QTI files, so one document serves both."""
    doc.set(f"{{{XSI_NS}}}schemaLocation", f"{QTI_NS} {version.profile_xsd(PROFILE_XSD)}")


def points_text(points: float) -> str:
    return repr(float(points))


# --------------------------------------------------------------------------------------------
# One question, normalised: what both QTI files say about it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    ident: str
    html: str
    correct: bool
    feedback_html: str

    @property
    def feedback_ident(self) -> str:
        return answer_feedback_ident(self.ident)


@dataclass(frozen=True)
class ItemSpec:
    ident: str
    question: Question
    text_html: str
    answers: tuple[Answer, ...]
    general_html: str
    correct_html: str
    incorrect_html: str
    shuffle: bool

    @property
    def type(self) -> QuestionType:
        return self.question.type

    @property
    def points(self) -> float:
        """Essays are reviewed by hand and never scored (the model's rule), so they carry 0."""
        return self.question.points if self.type.auto_graded else 0.0


def item_specs(quiz: Quiz, item_idents: tuple[str, ...], env: jinja2.Environment) -> list[ItemSpec]:
    fragments = env.get_template("cc/fragments.html").module
    specs = []
    for ident, question in zip(item_idents, quiz.questions):
        fb = question.feedback
        if question.type is QuestionType.ESSAY:
            text, general = str(fragments.essay_prompt(question)), str(fragments.essay_general_feedback(question))
            answers: tuple[Answer, ...] = ()
        else:
            text, general = question.prompt_html, fb.general_html
            if question.type is QuestionType.TRUE_FALSE:
                # Moodle aborts the whole import unless these idents are exactly true/false.
                answers = tuple(Answer(c.id, c.text_html, c.correct, c.feedback_html) for c in question.choices)
                assert [a.ident for a in answers] == ["true", "false"], question.pos
            elif question.type is QuestionType.FILL_IN_BLANK:
                answers = ()
            else:
                answers = tuple(
                    Answer(answer_ident(n), c.text_html, c.correct, c.feedback_html)
                    for n, c in enumerate(question.choices, start=1)
                )
        shuffle = quiz.shuffle and question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.MULTIPLE_RESPONSE)
        specs.append(ItemSpec(ident, question, text.strip(), answers, general.strip(),
                              fb.correct_html, fb.incorrect_html, shuffle))
    return specs


# Subtrees every item repeats with only an ident and a text changed: stamped whole (a copy of a
# few elements costs about what one SubElement with attributes does).
_ITEM = _prototype("item", {"ident": "", "title": ""}, ("itemmetadata", {}, None))
_QUESTION_TEXT = _prototype("presentation", {}, _MATERIAL)
_CHOICES = {(multiple, shuffle): _prototype("response_lid", {"ident": RESPONSE, "rcardinality": "Multiple" if multiple else "Single"},
                                            ("render_choice", {"shuffle": "Yes" if shuffle else "No"}, None))
            for multiple in (True, False) for shuffle in (True, False)}
_LABEL = _prototype("response_label", {"ident": ""}, _MATERIAL)
_FILL_IN = _prototype("response_str", {"ident": RESPONSE, "rcardinality": "Single"},
                      _prototype("render_fib", {}, ("response_label", {"ident": "answer1", "rshuffle": "No"}, None)))
_FEEDBACK_BOX = _prototype("itemfeedback", {"ident": ""}, _prototype("flow_mat", {}, _MATERIAL))


def new_item(section: etree._Element, spec: ItemSpec) -> tuple[etree._Element, etree._Element]:
    """An item for ``spec`` in ``section``, and its (empty) itemmetadata."""
    item = stamp(section, _ITEM)
    item.set("ident", spec.ident)
    item.set("title", spec.question.title)
    return item, item[0]


def presentation(item: etree._Element, spec: ItemSpec) -> None:
    pres = stamp(item, _QUESTION_TEXT)
    set_html(pres[0][0], spec.text_html)
    if spec.answers:
        choices = stamp(pres, _CHOICES[spec.type is QuestionType.MULTIPLE_RESPONSE, spec.shuffle])[0]
        for answer in spec.answers:
            label = stamp(choices, _LABEL)
            label.set("ident", answer.ident)
            set_html(label[0][0], answer.html)
    else:
        stamp(pres, _FILL_IN)


def copy_presentation(item: etree._Element, twin: etree._Element) -> None:
    """The presentation of ``twin``, the same question's item in the other QTI file (both files
    present a question alike): copying a built subtree costs a fraction of building it."""
    item.append(deepcopy(twin.find(_PRESENTATION)))


_OUTCOMES = _prototype("outcomes", {}, ("decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE",
                                                   "vartype": "Decimal"}, None))
_CONDITION = {cont: _prototype("respcondition", {"continue": "Yes" if cont else "No"}, ("conditionvar", {}, None))
              for cont in (True, False)}
_SETVAR = _prototype("setvar", {"action": "Set", "varname": "SCORE"})
_SETVAR.text = "100"


_RESPROCESSING = _prototype("resprocessing", {}, _OUTCOMES)
_OTHERWISE = {cont: _prototype("respcondition", {"continue": "Yes" if cont else "No"},
                               _prototype("conditionvar", {}, ("other", {}, None)))
              for cont in (True, False)}


def resprocessing(item: etree._Element) -> etree._Element:
    """The item's resprocessing with its outcomes (the SCORE variable) declared."""
    return stamp(item, _RESPROCESSING)


def otherwise(parent: etree._Element, cont: bool) -> etree._Element:
    """A respcondition that holds whatever the answer (its conditionvar is ``<other/>``)."""
    return stamp(parent, _OTHERWISE[cont])


def condition(parent: etree._Element, cont: bool) -> tuple[etree._Element, etree._Element]:
    """A respcondition and its conditionvar."""
    cond = stamp(parent, _CONDITION[cont])
    return cond, cond[0]


_VAREQUAL = {case: _prototype("varequal", {"respident": RESPONSE} if case is None else {"respident": RESPONSE, "case": case})
             for case in (None, "Yes", "No")}
_DISPLAYFEEDBACK = _prototype("displayfeedback", {"feedbacktype": "Response"})


def varequal(parent: etree._Element, value: str, case: Optional[str] = None) -> etree._Element:
    el = stamp(parent, _VAREQUAL[case])
    el.text = value
    return el


def set_score(cond: etree._Element) -> None:
    stamp(cond, _SETVAR)


def show_feedback(cond: etree._Element, ident: str) -> None:
    stamp(cond, _DISPLAYFEEDBACK).set("linkrefid", ident)


def itemfeedbacks(item: etree._Element, feedback: list[tuple[str, str]]) -> None:
    for ident, html in feedback:
        box = stamp(item, _FEEDBACK_BOX)
        box.set("ident", ident)
        set_html(box[0][0][0], html)


def copy_itemfeedbacks(item: etree._Element, twin: etree._Element) -> None:
    """The feedback of ``twin``, the same question's item in the other QTI file (same feedback)."""
    for box in twin.iterchildren(_ITEMFEEDBACK):
        item.append(deepcopy(box))


def feedback_list(spec: ItemSpec) -> list[tuple[str, str]]:
    """The item's feedback blocks, in the order both QTI files write them: general, correct,
    incorrect, then each answer's own."""
    found = [(GENERAL_FB, spec.general_html), (CORRECT_FB, spec.correct_html), (INCORRECT_FB, spec.incorrect_html)]
    found += [(a.feedback_ident, a.feedback_html) for a in spec.answers]
    return [(ident, html) for ident, html in found if html]
