"""Both SCORM packages in Moodle 4.3's own player, a full walk (issue 7 §4 and §5, issue 10's
learner state).

The learner (tests/moodle/scorm-full-walk.json) writes every reflection and essay (long answers in
English, French and Arabic), answers every question right, visits every page, leaves with *Exit
activity*, enters again (the texts must be back), leaves again; ``--relaunch`` enters once more.
Then what Moodle stored is checked: no SCORM API error in any session, one interaction per question
with the learner's response (Moodle's 2004 runtime refuses a choice identifier outside
``^[\\w.]{1,250}$``), score and gradebook grade 100, and the packed texts handed back by Moodle
itself on every entry of the same attempt.

Moodle hands a SCO its earlier data only when the stored exit is "suspend"
(mod/scorm/datamodels/scorm_13lib.php get_scorm_default(), after RTE 4.2.8; 1.2: entry "resume"
only then). The SCO sets cmi.exit "suspend" with every save, so Moodle hands everything back on
every entry of the attempt (entry "resume"), and the browser copy goes as soon as Moodle has
confirmed a commit: the scenario checks there is none left after the first session, and the
return shows no "restored from this browser".

Skips where the Moodle harness is not installed; about 40 s per edition.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.targets import get_target
from linkcheck import parse
from state_codec import saved_texts

HERE = Path(__file__).resolve().parent
PLAYER = Path(os.environ.get("MOODLE_SCORM_PLAYER",
                             HERE.parents[1] / "shared" / "tools" / "moodle-scorm-player" / "run.sh"))
BASE = Path(os.environ.get("MOODLE_BASE", "/var/lib/moodle-harness"))
SCENARIO = HERE / "moodle" / "scorm-full-walk.json"
# The player needs playwright-core; its own folder may have no node_modules (a fresh ../shared, as
# on CI), so ours (tests/e2e, same pinned version, installed by tests/run-all.sh) goes on NODE_PATH.
E2E_NODE_MODULES = HERE / "e2e" / "node_modules"


def player_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NODE_PATH"] = os.pathsep.join(filter(None, [env.get("NODE_PATH"), str(E2E_NODE_MODULES)]))
    return env
RESPONSE = {"scorm12": "student_response", "scorm2004": "learner_response"}
ENTRY = {"scorm12": "cmi.core.entry", "scorm2004": "cmi.entry"}
EXIT = {"scorm12": "cmi.core.exit", "scorm2004": "cmi.exit"}
MOODLE_SHORT_ID = re.compile(r"^[\w.]{1,250}$", re.A)  # mod/scorm/datamodels/scorm_13.js


def play_in_moodle(course, env, edition: str, root: Path, scenario: Path):
    """Build the edition's package into ``root`` and play ``scenario`` (then ``--relaunch``) in
    Moodle's player; returns (report, completed process, package). Skips without the harness."""
    if not PLAYER.is_file() or not (BASE / "harness.env").is_file():
        pytest.skip(f"no Moodle SCORM player harness ({PLAYER}, {BASE / 'harness.env'}): "
                    "see ../shared/tools/moodle-scorm-player/README.md")
    target = get_target(edition)
    package = write_zip(target.build(course, env, Diagnostics()), root / target.filename(course))
    out = root / "player.json"
    run = subprocess.run([str(PLAYER), str(package), "--scenario", str(scenario), "--relaunch", str(out)],
                         capture_output=True, text=True, timeout=900, env=player_env())
    assert out.is_file(), run.stdout + run.stderr
    print(f"\n{edition} in Moodle's player:\n{run.stdout}")
    return json.loads(out.read_text()), run, package


@pytest.fixture(scope="module", params=["scorm12", "scorm2004"])
def played(request, embedded_course, env, tmp_path_factory):
    edition = request.param
    report, run, package = play_in_moodle(embedded_course, env, edition, tmp_path_factory.mktemp(f"moodle-{edition}"),
                                          SCENARIO)
    with __import__("zipfile").ZipFile(package) as zf:
        page = parse(zf.read("index.html").decode("utf-8"))
    config = json.loads(page.get_element_by_id("sco-config").get("data-config"))
    return edition, report, config, run


def test_no_api_error_in_any_session(played):
    edition, report, _, run = played
    assert run.returncode == 0, run.stdout + run.stderr
    sessions = report["summary"]["sessions"]
    assert len(sessions) == 3  # the walk, the scenario's own return, the --relaunch entry
    errors = [(s["index"], s["apiErrors"]) for s in sessions if s["apiErrors"]]
    assert not errors, [c for s in report["sessions"] for c in s["calls"] if str(c.get("err", "0")) not in ("0", "")]
    assert not report["pageErrors"], report["pageErrors"]
    assert all(step["ok"] for step in report["steps"]), [s for s in report["steps"] if not s["ok"]]


def stored_interactions(sco: dict) -> list[dict]:
    """Interactions from every stored element: Moodle keeps 1.2's as ``cmi.interactions_N.x``
    (``correct_responses_0.pattern``), 2004's as ``cmi.interactions.N.x``."""
    elements = sco["elements"]
    items = elements.items() if isinstance(elements, dict) else [(e["element"], e["value"]) for e in elements]
    found: dict[int, dict] = {}
    for element, value in items:
        match = re.match(r"^cmi\.interactions[._](\d+)\.(.+)$", element)
        if match:
            field = re.sub(r"correct_responses[._](\d+)", r"correct_responses.\1", match.group(2))
            found.setdefault(int(match.group(1)), {})[field] = value
    return [found[n] for n in sorted(found)]


def test_every_answer_is_stored(played):
    edition, report, config, _ = played
    (sco,) = report["stored"]["attempts"][-1]["scos"]
    stored_list = stored_interactions(sco)
    interactions = {i["id"]: i for i in stored_list}
    questions = [q for quiz in config["quizzes"] for q in quiz["questions"]]
    assert len(stored_list) == len(questions)
    for q in questions:
        stored = interactions[q["interactionId"]]
        response = stored.get(RESPONSE[edition])
        assert response, (q["interactionId"], stored)
        if q["type"] in ("multiple_choice", "multiple_response") and edition == "scorm2004":
            expected = "[,]".join(r for c, r in zip(q["choices"], q["responses"]) if c in q["correct"])
            assert response == expected and stored["correct_responses.0.pattern"] == expected
            assert all(MOODLE_SHORT_ID.match(r) for r in q["responses"])
        if q["type"] != "essay":
            assert stored["result"] == "correct", stored
    print(f"\n{edition}: {len(interactions)} interactions stored with their responses")


def test_score_grade_and_status(played):
    edition, report, _, _ = played
    for stored in (report["storedBeforeRelaunch"], report["stored"]):
        (sco,) = stored["attempts"][-1]["scos"]
        summary = sco["summary"]
        assert float(summary["score_raw"]) == 100
        if edition == "scorm12":
            assert summary["lesson_status"] == "completed"
        else:
            assert summary["completion_status"] == "completed"
    assert float(report["summary"]["gradebook"]) == 100
    assert report["summary"]["attempts"] == 1


def step(report: dict, label: str):
    (found,) = [s for s in report["steps"] if s.get("label") == label]
    assert found["ok"], found
    return found["result"]["value"]


def test_texts_are_back_after_leaving(played):
    _, report, config, _ = played
    written = step(report, "write every reflection and essay")
    assert len(written) == len(config["texts"]) > 0
    assert any(any("\u0600" <= c <= "\u06ff" for c in t) for t in written) and any("é" in t for t in written)
    back = step(report, "what the learner sees back")
    assert back["texts"] == written
    assert back["page"] == config["pages"][1]["title"]  # the bookmark


def test_same_attempt_gets_its_state_back_from_moodle(played):
    edition, report, _, _ = played
    written = step(report, "write every reflection and essay")
    assert step(report, "browser copies after the confirmed commits") == []
    first_saved = None
    for session in report["sessions"][1:]:
        handed = session["launch"]["handedToSco"]
        # Same attempt, completed: Moodle resumes it and hands the state over, because the SCO
        # left with exit "suspend" (never "normal"/"": then 2004 would get ab-initio and nothing).
        assert handed[ENTRY[edition]] == "resume", handed
        assert handed[EXIT[edition]] == "suspend", handed
        first_saved = first_saved or handed["cmi.suspend_data"]
        assert saved_texts(handed["cmi.suspend_data"])[0] == written  # the packed texts survived Moodle
    assert all(ord(c) < 128 for c in first_saved)  # SCORM 1.2's CMIString4096 is ASCII
    back = step(report, "what the learner sees back")
    assert back["notice"] == ""  # nothing came from the browser
    assert back["copies"] == []
    print(f"{edition}: {len(written)} answers, suspend_data {len(first_saved)} characters, handed back on each entry")
