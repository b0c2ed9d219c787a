"""One SCO per module in Moodle 4.3's own SCORM player, both editions.

The embedded course (3 modules) built with ``scorm: {sco: module}``. The learner works through each
SCO (every text, the quiz right, every page), goes on with Moodle's own ``>`` button, comes back
with ``<`` to the first SCO, leaves with *Exit activity* and enters again. Moodle's player page
refuses some SCOs on the way (2004: every SCO after a Terminate; 1.2: a SCO opened again after it
stored interactions), and each such SCO opens the player page again at itself (course.js).
Checked: what Moodle stored for each SCO (status, score, interactions, suspend data, time), the
gradebook, and the texts the learner finds again. Skips where the Moodle harness is not installed;
about a minute per edition.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess

import pytest

from builder.diagnostics import Diagnostics
from builder.model import ScormSettings
from builder.package import write_zip
from builder.targets import get_target
from builder.targets.scorm.units import units
from test_moodle_scorm import BASE, PLAYER, player_env, stored_interactions

STATUS = {"scorm12": "cmi.core.lesson_status", "scorm2004": "cmi.completion_status"}
TOTAL_TIME = {"scorm12": "cmi.core.total_time", "scorm2004": "cmi.total_time"}
INITIALIZE = {"scorm12": "LMSInitialize", "scorm2004": "Initialize"}
RAW = {"scorm12": "cmi.core.score.raw", "scorm2004": "cmi.score.raw"}

# In one SCO: every text, every quiz right, every page. Returns "<sco id>:<texts>".
WORK = (
    "(() => { const config = window.buildCourseSco.config; const sco = config.sco.id; "
    "const areas = Array.from(document.querySelectorAll('textarea')); areas.forEach((a, k) => { "
    "a.value = 'Answer ' + (k + 1) + ' of ' + sco + ' in Moodle.'; a.dispatchEvent(new Event('input', {bubbles: true})); "
    "a.dispatchEvent(new Event('blur')); }); "
    "config.quizzes.forEach((quiz, qi) => { const section = document.querySelector('[data-quiz-index=\"' + qi + '\"]'); "
    "quiz.questions.forEach((q, m) => { const item = section.querySelector('[data-question-index=\"' + m + '\"]'); "
    "if (q.type === 'fill_in_blank') { const input = item.querySelector('input[type=text]'); input.value = q.answers[0]; "
    "input.dispatchEvent(new Event('input', {bubbles: true})); } else if (q.choices.length) { q.correct.forEach(id => { "
    "const input = item.querySelector('input[value=\"' + id + '\"]'); input.checked = true; "
    "input.dispatchEvent(new Event('change', {bubbles: true})); }); } }); section.querySelector('.quiz-submit').click(); }); "
    "Array.from(document.querySelectorAll('[data-nav-page]')).forEach(a => a.click()); "
    "return sco + ':' + areas.length; })()")
SEEN = ("(() => ({ sco: window.buildCourseSco.config.sco.id, "
        "texts: Array.from(document.querySelectorAll('textarea')).map(a => a.value) }))()")


def scenario(count: int) -> dict:
    ready = {"action": "waitFor", "selector": "html.sco-ready", "state": "attached"}
    steps = []
    for k in range(count):
        steps += [ready, {"action": "eval", "label": f"work in SCO {k + 1}", "script": WORK}, {"action": "wait", "ms": 300}]
        if k < count - 1:
            steps += [{"action": "click", "target": "player", "selector": "#nav_next"}, {"action": "wait", "ms": 1500}]
    for _ in range(count - 1):
        steps += [{"action": "click", "target": "player", "selector": "#nav_prev"}, {"action": "wait", "ms": 1500}, ready]
    steps += [ready, {"action": "eval", "label": "first SCO again with <", "script": SEEN},
              {"action": "wait", "ms": 500}, {"action": "exit"}, {"action": "relaunch"}, ready,
              {"action": "eval", "label": "after Enter again", "script": SEEN}, {"action": "exit"}]
    return {"name": f"one SCO per module ({count}): work, Moodle's > to the next, < back, Exit, Enter again",
            "settleMs": 200, "steps": steps}


@pytest.fixture(scope="module", params=["scorm12", "scorm2004"])
def played(request, embedded_course, env, tmp_path_factory):
    if not PLAYER.is_file() or not (BASE / "harness.env").is_file():
        pytest.skip(f"no Moodle SCORM player harness ({PLAYER}, {BASE / 'harness.env'}): "
                    "see ../shared/tools/moodle-scorm-player/README.md")
    edition = request.param
    course = dataclasses.replace(embedded_course, scorm=ScormSettings(sco="module"))
    scos = units(course)
    root = tmp_path_factory.mktemp(f"moodle-multi-{edition}")
    target = get_target(edition)
    package = write_zip(target.build(course, env, Diagnostics()), root / target.filename(course))
    (root / "scenario.json").write_text(json.dumps(scenario(len(scos))), encoding="utf-8")
    out = root / "player.json"
    run = subprocess.run([str(PLAYER), str(package), "--scenario", str(root / "scenario.json"), str(out)],
                         capture_output=True, text=True, timeout=900, env=player_env())
    assert out.is_file(), run.stdout + run.stderr
    print(f"\n{edition}, one SCO per module, in Moodle's player:\n{run.stdout}")
    return edition, json.loads(out.read_text()), scos, course, run


def test_every_sco_stored_completed_with_score_and_interactions(played):
    edition, report, scos, course, run = played
    assert run.returncode == 0, run.stdout + run.stderr
    assert all(step["ok"] for step in report["steps"]), [s for s in report["steps"] if not s["ok"]]
    stored = {s["identifier"]: s for s in report["stored"]["attempts"][-1]["scos"]}
    assert sorted(stored) == sorted(f"ITEM-{u.id}" for u in scos)
    for unit in scos:
        sco = stored[f"ITEM-{unit.id}"]
        elements = sco["elements"]
        assert elements[STATUS[edition]] == "completed", unit.id
        assert float(elements[RAW[edition]]) == 100, unit.id
        questions = [q.id for q in unit.quizzes[0].questions]
        assert len(stored_interactions(sco)) == len(questions), unit.id  # one per question, its own
        assert elements["cmi.suspend_data"], unit.id


def test_gradebook_and_moodle_grade(played):
    _, report, scos, _, _ = played
    summary = report["summary"]
    # grading method "highest grade" (the harness's default): every SCO scored 100
    assert float(summary["gradebook"]) == 100
    assert float(summary["scormGradeUser"]) == 100


def test_texts_back_after_entering_again(played):
    edition, report, scos, _, _ = played
    evals = {s.get("label"): s.get("result", {}).get("value") for s in report["steps"] if s.get("action") == "eval"}
    first = scos[0].id
    again = evals["after Enter again"]
    assert again["sco"] == first
    assert again["texts"] == [f"Answer {k + 1} of {first} in Moodle." for k in range(len(again["texts"]))]
    assert len(again["texts"]) >= 2
    # back with Moodle's <: the SCO's own latest state, not the data the player page loaded with
    assert evals["first SCO again with <"] == again


def test_every_sco_terminated_and_moodle_kept_its_time(played):
    edition, report, scos, _, _ = played
    stored = {s["identifier"]: s["elements"] for s in report["stored"]["attempts"][-1]["scos"]}
    for unit in scos:
        total = stored[f"ITEM-{unit.id}"].get(TOTAL_TIME[edition], "")
        # Moodle adds session to total time only on LMSFinish/Terminate (StoreData(cmi, true))
        assert total and total not in ("00:00:00", "PT0H0M0S"), (unit.id, total)


def test_a_sco_the_player_page_refuses_opens_the_page_again_at_itself(played):
    edition, report, scos, _, _ = played
    calls = [c for s in report["sessions"] for c in s["calls"] if c["fn"] == INITIALIZE[edition]]
    refused = [k for k, c in enumerate(calls) if c.get("ret") != "true"]
    # 2004: each SCO after the first is refused (104) once; 1.2: those reopened with < after
    # storing interactions (Moodle's LMSInitialize throws)
    assert len(refused) >= (len(scos) - 1 if edition == "scorm2004" else 1), calls
    for k in refused:
        again = calls[k + 1]  # the first call of the player page opened again
        assert (again["seq"], again["ret"], again["scoid"]) == (1, "true", calls[k]["scoid"]), calls
