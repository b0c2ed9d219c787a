"""The learner state in Moodle 4.3's own player (issue 10): packed text answers in English, French
and Arabic survive Moodle, and entering the same (completed) attempt again gets them back from
Moodle itself, not from a browser copy.

Moodle hands a SCO its earlier data only when the stored exit is "suspend"
(mod/scorm/datamodels/scorm_13lib.php get_scorm_default(), after RTE 4.2.8; 1.2: entry "resume"
only then). The SCO sets cmi.exit "suspend" with every save, so Moodle hands everything back on
every entry of the attempt (entry "resume"), and the browser copy can go as soon as Moodle has
confirmed a commit. The scenario (tests/moodle/scorm-state-relaunch.json) checks there is none
left after the first session, and the second session shows no "restored from this browser".

Skips where the Moodle harness is not installed; about 100 s per edition.
"""

from __future__ import annotations

import pytest

from state_codec import saved_texts
from test_moodle_scorm import HERE, play_in_moodle

SCENARIO = HERE / "moodle" / "scorm-state-relaunch.json"
ENTRY = {"scorm12": "cmi.core.entry", "scorm2004": "cmi.entry"}
EXIT = {"scorm12": "cmi.core.exit", "scorm2004": "cmi.exit"}


@pytest.fixture(scope="module", params=["scorm12", "scorm2004"])
def played(request, embedded_course, env, tmp_path_factory):
    edition = request.param
    root = tmp_path_factory.mktemp(f"moodle-state-{edition}")
    report, run, _ = play_in_moodle(embedded_course, env, edition, root, SCENARIO)
    return edition, report, run


def step(report: dict, label: str):
    (found,) = [s for s in report["steps"] if s.get("label") == label]
    assert found["ok"], found
    return found["result"]["value"]


def test_same_attempt_gets_its_state_back_from_moodle(played):
    edition, report, run = played
    assert run.returncode == 0, run.stdout + run.stderr
    assert not report["pageErrors"], report["pageErrors"]
    written = step(report, "write every text box")
    assert any(any("\u0600" <= c <= "\u06ff" for c in t) for t in written) and any("é" in t for t in written)
    assert step(report, "browser copies after the confirmed commits") == []

    sessions = report["sessions"]
    assert len(sessions) == 3  # the walk, Enter again (scenario), Enter again (--relaunch)
    first_saved = None
    for session in sessions[1:]:
        handed = session["launch"]["handedToSco"]
        # Same attempt, completed: Moodle resumes it and hands the state over, because the SCO
        # left with exit "suspend" (never "normal"/"": then 2004 would get ab-initio and nothing).
        assert handed[ENTRY[edition]] == "resume", handed
        assert handed[EXIT[edition]] == "suspend", handed
        first_saved = first_saved or handed["cmi.suspend_data"]
        assert saved_texts(handed["cmi.suspend_data"])[0] == written  # the packed texts survived Moodle
    assert all(ord(c) < 128 for c in first_saved)  # SCORM 1.2's CMIString4096 is ASCII

    back = step(report, "what the learner sees back")
    assert back["texts"] == written
    assert back["notice"] == ""  # nothing came from the browser
    assert back["copies"] == []
    (sco,) = report["stored"]["attempts"][-1]["scos"]
    summary = sco["summary"]
    assert summary["completion_status" if edition == "scorm2004" else "lesson_status"] == "completed"
    assert float(report["summary"]["gradebook"]) == 100 and report["summary"]["attempts"] == 1
    print(f"{edition}: {len(written)} answers, suspend_data {len(first_saved)} characters, handed back on each entry")
