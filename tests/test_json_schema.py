"""The JSON Schemas of course.yaml and quizzes/*.yaml, and the verbatim quotations of the course.

The schemas (builder/schemas/*.schema.json) give editors autocomplete, tooltips and typo checks.
These tests keep them honest: every real file validates, typical mistakes are rejected, every
property has a description (the tooltip). The last tests check, at source level, that every
quotation, definition and source citation from the original course text is kept character for
character in course/.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "builder" / "schemas"
COURSE_YAML = REPO / "course" / "course.yaml"
MODULES = REPO / "course" / "modules"
QUIZZES = sorted((REPO / "quizzes").glob("*.yaml"))

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
FORBIDDEN_IN_IDS = ("correct", "incorrect", "wrong", "general", "_all")


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def as_json(data):
    """What an editor's YAML language server validates: YAML turned into JSON.

    PyYAML reads the keys of ``feedback: {true: …, false: …}`` as booleans; JSON object keys are
    always strings, so round-trip through JSON (True -> "true") before validating.
    """
    return json.loads(json.dumps(data, default=str))


def load_yaml(path: Path):
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(validator: Draft202012Validator, document) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]


@pytest.fixture(scope="module")
def course_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("course.schema.json"))


@pytest.fixture(scope="module")
def quiz_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("quiz.schema.json"))


# --------------------------------------------------------------------------------------------
# The schemas themselves
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["course.schema.json", "quiz.schema.json"])
def test_schema_is_valid_draft_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties_without_description(node, where="#"):
    """Every property schema (the editor tooltip) must have a description; ``false`` means forbidden."""
    missing = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            if sub is False:
                continue
            # per-type conditions and refinements inside if/then name a property described above
            if "/then" not in where and "/if" not in where and isinstance(sub, dict) and "description" not in sub:
                missing.append(f"{where}/properties/{name}")
        for key, value in node.items():
            missing += _properties_without_description(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            missing += _properties_without_description(value, f"{where}/{i}")
    return missing


@pytest.mark.parametrize("name", ["course.schema.json", "quiz.schema.json"])
def test_every_property_has_a_description(name):
    assert _properties_without_description(load_schema(name)) == []


# --------------------------------------------------------------------------------------------
# The real files validate
# --------------------------------------------------------------------------------------------


def test_course_yaml_validates(course_validator):
    assert errors(course_validator, load_yaml(COURSE_YAML)) == []


def test_there_is_one_quiz_per_module():
    course = load_yaml(COURSE_YAML)
    quiz_ids = [item.get("quiz") for item in course["outline"]]
    assert all(quiz_ids), "every module of this course has a quiz"
    assert sorted(quiz_ids) == sorted(p.stem for p in QUIZZES)
    for item in course["outline"]:
        assert (REPO / "course" / item["module"]).is_file(), item["module"]


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.name)
def test_quiz_validates(quiz_validator, path):
    assert errors(quiz_validator, load_yaml(path)) == []


@pytest.mark.parametrize("path", [COURSE_YAML, *QUIZZES], ids=lambda p: p.name)
def test_yaml_names_its_schema_on_the_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "course" if path == COURSE_YAML else "quiz"
    assert first == f"# yaml-language-server: $schema=../builder/schemas/{kind}.schema.json"


def test_question_ids_are_explicit_unique_and_neutral():
    seen: dict[str, str] = {}
    types_used: set[str] = set()
    for path in QUIZZES:
        quiz = load_yaml(path)
        assert 4 <= len(quiz["questions"]) <= 6, path.name
        assert len({q["type"] for q in quiz["questions"]}) >= 4, path.name
        for q in quiz["questions"]:
            types_used.add(q["type"])
            qid = q.get("id")
            assert qid and ID_PATTERN.match(qid), f"{path.name}: bad id {qid!r}"
            assert not any(word in qid for word in FORBIDDEN_IN_IDS), qid
            assert qid not in seen, f"{qid} in {path.name} and {seen.get(qid)}"
            seen[qid] = path.name
            for choice in q.get("choices", []):
                assert choice.get("feedback"), f"{qid}: every choice needs feedback"
    assert types_used == {"multiple_choice", "multiple_response", "true_false", "fill_in_blank", "essay"}


# --------------------------------------------------------------------------------------------
# Typical mistakes are rejected
# --------------------------------------------------------------------------------------------

GOOD_QUIZ = {
    "title": "A quiz",
    "attempts": "unlimited",
    "shuffle": True,
    "questions": [
        {
            "type": "multiple_choice",
            "id": "q1",
            "prompt": "Pick one",
            "choices": [
                {"text": "A", "correct": True, "feedback": "Yes."},
                {"text": "B", "feedback": "No."},
            ],
        },
        {"type": "true_false", "id": "q2", "prompt": "True?", "answer": True,
         "feedback": {"true": "Yes.", "false": "No."}},
        {"type": "fill_in_blank", "id": "q3", "prompt": "Walking the ____", "answers": ["talk"]},
        {"type": "essay", "id": "q4", "prompt": "Why?", "guidance": "Say why.", "sample_answer": "Because."},
    ],
}

GOOD_COURSE = {
    "id": "c1",
    "title": "A course",
    "language": "en",
    "version": "1.0.0",
    "outline": [{"module": "modules/01-a.md", "quiz": "a"}],
    "sources": [{"text": "A book.", "url": "https://example.org/"}],
    "completion": {"passing_score": None},
    "lms": {"reflections": "discussion"},
}


def test_the_good_examples_are_good(course_validator, quiz_validator):
    assert errors(quiz_validator, GOOD_QUIZ) == []
    assert errors(course_validator, GOOD_COURSE) == []


def _bad_quizzes():
    cases = {}

    def case(name):
        def register(fn):
            doc = copy.deepcopy(GOOD_QUIZ)
            fn(doc, doc["questions"])
            cases[name] = doc
            return fn

        return register

    @case("typo corect in a choice")
    def _(doc, qs):
        qs[0]["choices"][0]["corect"] = qs[0]["choices"][0].pop("correct")

    @case("unknown type multiple_choise")
    def _(doc, qs):
        qs[0]["type"] = "multiple_choise"

    @case("true_false without answer")
    def _(doc, qs):
        del qs[1]["answer"]

    @case("true_false answer as a string")
    def _(doc, qs):
        qs[1]["answer"] = "yes"

    @case("attempts 0")
    def _(doc, qs):
        doc["attempts"] = 0

    @case("attempts as other text")
    def _(doc, qs):
        doc["attempts"] = "forever"

    @case("fill_in_blank without answers")
    def _(doc, qs):
        del qs[2]["answers"]

    @case("fill_in_blank with an empty answers list")
    def _(doc, qs):
        qs[2]["answers"] = []

    @case("id starting with a digit")
    def _(doc, qs):
        qs[0]["id"] = "1st-question"

    @case("id with a space")
    def _(doc, qs):
        qs[0]["id"] = "first question"

    @case("multiple_choice without choices")
    def _(doc, qs):
        del qs[0]["choices"]

    @case("multiple_choice with one choice")
    def _(doc, qs):
        del qs[0]["choices"][1]

    @case("multiple_choice with two correct choices")
    def _(doc, qs):
        qs[0]["choices"][1]["correct"] = True

    @case("multiple_response with no correct choice")
    def _(doc, qs):
        qs[0]["type"] = "multiple_response"
        qs[0]["choices"][0]["correct"] = False

    @case("points 0")
    def _(doc, qs):
        qs[0]["points"] = 0

    @case("unknown key at the top")
    def _(doc, qs):
        doc["shufle"] = True

    @case("essay with choices")
    def _(doc, qs):
        qs[3]["choices"] = copy.deepcopy(qs[0]["choices"])

    @case("true_false with an unknown feedback key")
    def _(doc, qs):
        qs[1]["feedback"] = {"right": "Yes.", "incorrect": "No."}

    @case("question without a prompt")
    def _(doc, qs):
        del qs[0]["prompt"]

    return cases


BAD_QUIZZES = _bad_quizzes()


@pytest.mark.parametrize("name", list(BAD_QUIZZES))
def test_bad_quiz_is_rejected(quiz_validator, name):
    assert errors(quiz_validator, BAD_QUIZZES[name]), f"not rejected: {name}"


def _bad_courses():
    cases = {}

    def change(name, fn):
        doc = copy.deepcopy(GOOD_COURSE)
        fn(doc)
        cases[name] = doc

    change("typo in a key", lambda d: d.update(titel=d.pop("title")))
    change("bad course id", lambda d: d.update(id="imperfect allies"))
    change("outline item without module", lambda d: d["outline"][0].pop("module"))
    change("outline item with an unknown key", lambda d: d["outline"][0].update(quizz="a"))
    change("passing_score above 100", lambda d: d["completion"].update(passing_score=120))
    change("passing_score as text", lambda d: d["completion"].update(passing_score="80%"))
    change("unknown reflections mode", lambda d: d["lms"].update(reflections="forum"))
    change("version as a number", lambda d: d.update(version=1.0))
    change("source without text", lambda d: d["sources"][0].pop("text"))
    change("empty outline", lambda d: d.update(outline=[]))
    return cases


BAD_COURSES = _bad_courses()


@pytest.mark.parametrize("name", list(BAD_COURSES))
def test_bad_course_is_rejected(course_validator, name):
    assert errors(course_validator, BAD_COURSES[name]), f"not rejected: {name}"


def test_yaml_true_false_keys_need_the_json_round_trip(quiz_validator):
    """Documents why ``as_json`` exists: PyYAML gives boolean keys, editors give strings."""
    text = "title: T\nquestions:\n  - type: true_false\n    prompt: P\n    answer: true\n" \
           "    feedback: {true: 'Yes.', false: 'No.'}\n"
    raw = yaml.safe_load(text)
    assert True in raw["questions"][0]["feedback"]
    assert errors(quiz_validator, as_json(raw)) == []


# --------------------------------------------------------------------------------------------
# Quotations from the original course text are kept verbatim (source level)
# --------------------------------------------------------------------------------------------

# Copied character for character from the original course text (curly quotes included).
QUOTATIONS = {
    "01-build-solidarity.md": [
        "“How can we serve to shoulder each other up in this work?”",
        "Solidarity speaks to an understanding that ‘just ways of being’ are interconnected. [...] "
        "We are meant to do this work together. [It] is profoundly collaborative and there are many "
        "paths. We do this work on the shoulders of others, and we ‘shoulder others up’.",
        "— Vikki Reynolds",
    ],
    "02-tips-for-being-an-ally.md": [
        "Someone who makes the commitment and effort to recognize their privilege (based on gender, "
        "class, race, sexual identity, etc.) and work in solidarity with oppressed groups in the "
        "struggle for justice. Allies understand that it is in their own interest to end all forms "
        "of oppression, even those from which they may benefit in concrete ways.",
        "Allies commit to reducing their own complicity or collusion in oppression of those groups "
        "and invest in strengthening their own knowledge and awareness of oppression.",
    ],
    "03-becoming-imperfect-allies.md": [
        "Embrace a belief that everyone is doing the best that they can, and operating from their "
        "best intentions. What people are thinking and doing makes perfect sense from their "
        "perspective.",
        "Be more patient with ourselves and others.",
        "Work to achieve a deeper understanding.",
        "Accept our differences and at the same time seeks solutions.",
        "“Am I walking the talk?”",
    ],
}

SOURCES = [
    "Vikki Reynolds (2019) The Zone of Fabulousness: Resisting vicarious trauma with connection, "
    "collective care and justice-doing in ways that that centre the people we work alongside.",
    "Vikki Reynolds (2012) An Ethical Stance for Justice-Doing in Community Work and Therapy. "
    "Journal of Systemic Therapies, Vol. 31, No. 4, 2012, pp. 18–33",
    "OpenSource Leadership Strategies, “The Dynamic System of Power, Privilege, and Oppression” (2008).",
    "Center for Assessment and Policy Development.",
    "Franchesca Ramsey [chescaleigh]. (2014). 5 Tips for Being an Ally [Video]. YouTube.",
    "Vikki Reynolds (2013) Leaning In” as Imperfect Allies in Community Work. Narrative and "
    "Conflict: Explorations of theory and practice. Volume 1, Issue 1.",
]


def normalise(markdown: str) -> str:
    """Undo Markdown line wrapping only: drop block-quote '>' prefixes, collapse whitespace."""
    lines = [re.sub(r"^\s*(>\s?)+", "", line) for line in markdown.splitlines()]
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("module", list(QUOTATIONS))
def test_quotations_are_verbatim(module):
    text = normalise((MODULES / module).read_text(encoding="utf-8"))
    missing = [q for q in QUOTATIONS[module] if " ".join(q.split()) not in text]
    assert missing == []


def test_citations_point_at_sources():
    count = len(load_yaml(COURSE_YAML)["sources"])
    cited = set()
    for path in MODULES.glob("*.md"):
        cited |= {int(n) for n in re.findall(r"\[@(\d+)\]", path.read_text(encoding="utf-8"))}
    assert cited == set(range(1, count + 1)), "every source is cited, and only existing ones"


def test_sources_are_verbatim():
    sources = load_yaml(COURSE_YAML)["sources"]
    assert [s["text"] for s in sources] == SOURCES
    assert [bool(s.get("url")) for s in sources] == [True, True, False, False, True, True]
