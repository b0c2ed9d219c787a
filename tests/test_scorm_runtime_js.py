"""The SCO runtime's pure JavaScript, run for real in node: the state encoding (and that the
build-time budget really keeps it under the limit), duration and time formats, interaction
records in each edition's format, grading and the no-regression rules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.targets.scorm.common import SCORM12, SCORM2004, sco_config
from builder.targets.scorm.state import budgets, chars_for, fixed_width, text_room
from scorm_factory import make_course

JS = Path(__file__).resolve().parents[1] / "templates" / "scorm" / "js"
NODE = shutil.which("node") or "/usr/bin/node"
DRIVER = """
const mods = {state: require(%s), formats: require(%s), scoring: require(%s), pack: require(%s)};
const revive = v => (v && typeof v === "object" && "$date" in v) ? new Date(v.$date) : v;
const calls = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(calls.map(([m, fn, args]) => {
  const r = mods[m][fn](...args.map(revive));
  return r === undefined ? null : r;
})));
""" % tuple(json.dumps(str(JS / f)) for f in ("state.js", "formats.js", "scoring.js", "textpack.js"))


def js(*calls):
    """Run [module, function, args] calls in one node process; return their results."""
    if not Path(NODE).exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but node is not installed")
        pytest.skip("node is not installed")
    proc = subprocess.run([NODE, "-e", DRIVER], input=json.dumps(calls), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


LAYOUT = {"id": "ab12", "pages": 7, "quizzes": 2, "texts": 3}


# ------------------------------------------------------------------------------------- state


SAFE = re.compile(r"^[0-9A-Za-z!#$()*`,\-./:;=?@\[\]^_{}~|]*$")  # ASCII, no space, quote, backslash, &, <, >, %, +


def test_state_round_trip_with_awkward_text():
    state = {
        "visited": [True, False, True, True, False, False, True],
        "page": 6,
        "quizzes": [{"attempts": 3, "best": 250}, {"attempts": 0, "best": 0}],
        "texts": ["a|b:c\n1:2|", "", "émoji 😀 and \"quotes\" & <tags> عربي עברית \ud800 lone"],
    }
    encoded = js(["state", "encode", [state, LAYOUT]])[0]
    assert encoded.startswith("2ab12|")
    assert SAFE.match(encoded), encoded  # SCORM 1.2's CMIString4096 is ASCII
    decoded = js(["state", "decode", [encoded, LAYOUT]])[0]
    assert decoded == state


def test_state_decode_is_all_or_nothing():
    empty = js(["state", "empty", [LAYOUT]])[0]
    good = js(["state", "encode", [empty, LAYOUT]])[0]
    full = js(["state", "encode", [dict(empty, texts=["one answer", "two", "three"]), LAYOUT]])[0]
    bad = [
        "",
        good[:-1],  # cut short
        good + "x",  # trailing garbage
        full[:-3],  # a text cut short
        full[:-2] + ("0" if full[-2] != "0" else "1") + full[-1],  # a damaged text
        good.replace("ab12", "zz99"),  # another course layout
        "3" + good[1:],  # a newer format version
        "2ab12|zz|0|0.0,0.0|" + good.split("|")[-1],  # bitset of the wrong width
        "2ab12|00|9|0.0,0.0|" + good.split("|")[-1],  # page out of range
        "2ab12|00|0|0.0|" + good.split("|")[-1],  # a quiz missing
        "2ab12|00|0|0.0,0.0|01 \"",  # characters outside the alphabet
    ]
    results = js(*[["state", "decode", [b, LAYOUT]] for b in bad])
    assert results == [None] * len(bad)
    assert js(["state", "decode", [good, LAYOUT]])[0] == empty
    assert js(["state", "decode", [full, LAYOUT]])[0]["texts"] == ["one answer", "two", "three"]


def test_state_saved_by_an_older_build_is_restored():
    """Format "1" (texts as typed, length-prefixed): what a learner saved before this build."""
    old = "1ab12|d2|6|3.6y,0.0|a:a|b:c\n1:2|0:3:émo"  # as the old encoder wrote it
    state = js(["state", "decode", [old, LAYOUT]])[0]
    assert state == {"visited": [True, False, True, True, False, False, True], "page": 6,
                     "quizzes": [{"attempts": 3, "best": 250}, {"attempts": 0, "best": 0}],
                     "texts": ["a|b:c\n1:2|", "", "émo"]}
    again = js(["state", "encode", [state, LAYOUT]])[0]  # the next save writes the new format
    assert again.startswith("2ab12|d2|6|3.6y,0.0|") and js(["state", "decode", [again, LAYOUT]])[0] == state
    assert js(["state", "decode", [old[:-1], LAYOUT]])[0] is None  # and it is all or nothing too


def test_packed_format_is_stable():
    """Format 2 as saved by learners: a change to the codec's model, primer or alphabet would
    decode their saved answers into other text without any error, so it must come with a new
    format version (and this test's expectations), never silently."""
    state = {"visited": [True, False, True, True, False, False, True], "page": 6,
             "quizzes": [{"attempts": 3, "best": 250}, {"attempts": 0, "best": 0}],
             "texts": ["Solidarity is a practice, not a slogan.", "La solidarité se pratique.", "التضامن ممارسة يومية."]}
    saved = "2ab12|d2|6|3.6y,0.0|D:^EB3)?=91ci(qhadrvR=6BsrV{{.snldSRGTysWcFnvh#@BnPOntG?#@`IU@EY!!2:uL18`"
    assert js(["state", "encode", [state, LAYOUT]], ["state", "decode", [saved, LAYOUT]]) == [saved, state]


@pytest.mark.parametrize("edition", [SCORM12, SCORM2004])
def test_fullest_state_fits_the_limit(edition):
    """The JS encoder and the Python budget maths agree: every quiz at its widest, and every text
    box filled, one after the other, as far as the runtime's allowance lets it (with text that
    packs badly: random letters of several scripts) -> the state fills the limit, never more."""
    course = make_course(reflections=4)
    fields = budgets(course, edition.suspend_limit)
    config = sco_config(course, edition, fields)
    layout = config["layout"]
    room = text_room(course, edition.suspend_limit)
    assert config["textRoom"] == room and sum(f.budget for f in fields) <= room
    assert room - sum(f.share for f in fields) < len(fields)  # the even shares use it all
    script = """
    const [layout, config, quizzes] = %s;
    const State = mods.state, Pack = mods.pack;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) %% 2147483648) / 2147483648;
    const alphabet = "abcdefghijklmnopqrstuvwxyzéèàçABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 عربيةשלום";
    const budgets = config.texts.map(f => f.budget), room = config.textRoom;
    const state = State.empty(layout);
    state.visited = state.visited.map(() => true);
    state.page = layout.pages - 1;
    state.quizzes = quizzes;
    const sizes = State.textSizes(state);
    config.texts.forEach((f, i) => {
      const allowed = State.allowance(sizes, budgets, room, i);
      let pool = "";
      while (pool.length < Math.min(2 * allowed, f.maxLength || Infinity) + 1) pool += alphabet[Math.floor(rnd() * alphabet.length)];
      const fits = n => n <= (f.maxLength || Infinity) && State.packedSize(i, pool.slice(0, n)) <= allowed;
      let lo = 0, hi = pool.length; // longest prefix that fits, then as a learner typing on would
      while (lo < hi) { const mid = Math.ceil((lo + hi) / 2); if (fits(mid)) lo = mid; else hi = mid - 1; }
      while (lo < pool.length && fits(lo + 1)) lo++;
      const text = pool.slice(0, lo);
      state.texts[i] = text;
      sizes[i] = State.packedSize(i, text);
    });
    const encoded = State.encode(state, layout);
    process.stdout.write(JSON.stringify({length: encoded.length, sizes, texts: state.texts.map(t => t.length),
                                         back: JSON.stringify(State.decode(encoded, layout)) === JSON.stringify(state)}));
    """ % json.dumps([layout, config, [{"attempts": q["attempts"] or 36**2 - 1, "best": round(q["pointsPossible"] * 100)}
                                       for q in config["quizzes"]]])
    result = run_node(script)
    assert result["back"]
    assert result["length"] <= edition.suspend_limit
    # No room lost but a few bytes at the last answer, and what a box with its own max_length
    # keeps reserved for its worst case (3 UTF-8 bytes a character) and does not use.
    kept = sum(f.budget - size for f, size in zip(fields, result["sizes"]) if f.max_length is not None)
    assert result["length"] >= edition.suspend_limit - 12 - chars_for(kept), result
    assert fixed_width(course, edition.suspend_limit) + chars_for(room) <= edition.suspend_limit
    print(f"\n{edition.name}: {len(fields)} texts of {result['texts']} characters, state {result['length']}")


def run_node(script: str):
    """Run a script with the runtime's modules as `mods`; returns what it wrote (JSON)."""
    head = DRIVER.split("const revive")[0]
    proc = subprocess.run([NODE, "-e", head + script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# ------------------------------------------------------------------------------------- formats


def test_durations():
    cases = [0, 10, 1234, 5000, 60000, 3723450, 36000000 * 3]
    d12 = js(*[["formats", "duration12", [ms]] for ms in cases])
    d2004 = js(*[["formats", "duration2004", [ms]] for ms in cases])
    assert d12 == ["0000:00:00.00", "0000:00:00.01", "0000:00:01.23", "0000:00:05.00", "0000:01:00.00",
                   "0001:02:03.45", "0030:00:00.00"]
    assert d2004 == ["PT0S", "PT0.01S", "PT1.23S", "PT5S", "PT1M", "PT1H2M3.45S", "PT30H"]
    assert all(re.fullmatch(r"\d{4}:[0-5]\d:[0-5]\d\.\d{2}", d) for d in d12)
    assert js(["formats", "duration12", [10**12]])[0] == "9999:59:59.99"  # capped, still valid


def test_times():
    date = {"$date": "2024-03-05T07:08:09.123Z"}
    stamp, clock = js(["formats", "timestamp2004", [date]], ["formats", "time12", [date]])
    assert stamp == "2024-03-05T07:08:09.12Z"
    assert re.fullmatch(r"[0-2]\d:[0-5]\d:[0-5]\d", clock)


QUESTIONS = {
    "mc": {"type": "multiple_choice", "choices": ["x1", "x2", "x3"], "correct": ["x2"], "points": 1,
           "interactionId": "q.mc", "description": "Pick"},
    "mr": {"type": "multiple_response", "choices": ["c1", "c2", "c3"], "correct": ["c1", "c3"], "points": 2,
           "interactionId": "q.mr", "description": "Some"},
    "tf": {"type": "true_false", "choices": ["true", "false"], "correct": ["false"], "points": 1,
           "interactionId": "q.tf", "description": "Is it"},
    "fill": {"type": "fill_in_blank", "choices": [], "correct": [], "answers": ["Talk", "walk"], "caseSensitive": False,
             "points": 1, "interactionId": "q.fill", "description": "Blank"},
    "essay": {"type": "essay", "choices": [], "correct": [], "points": 0, "interactionId": "q.essay",
              "description": "Say"},
}


def interaction(edition, name, response, correct):
    return js(["formats", "interaction", [edition, QUESTIONS[name], response, correct]])[0]


def test_scorm12_interaction_formats():
    mc = interaction("scorm12", "mc", ["x3"], False)
    assert (mc["type"], mc["response"], mc["patterns"], mc["result"]) == ("choice", "c", ["b"], "wrong")
    mr = interaction("scorm12", "mr", ["c3", "c1"], True)
    assert (mr["response"], mr["patterns"], mr["result"], mr["weighting"]) == ("a,c", ["a,c"], "correct", "2")
    tf = interaction("scorm12", "tf", ["true"], False)
    assert (tf["type"], tf["response"], tf["patterns"]) == ("true-false", "t", ["f"])
    fill = interaction("scorm12", "fill", "x" * 300, False)
    assert (fill["type"], len(fill["response"]), fill["patterns"]) == ("fill-in", 255, ["Talk", "walk"])
    essay = interaction("scorm12", "essay", "y" * 1000, None)
    assert (essay["type"], len(essay["response"]), essay["patterns"], essay["result"]) == ("fill-in", 255, [], "neutral")


def test_scorm2004_interaction_formats():
    mc = interaction("scorm2004", "mc", ["x3"], False)
    assert (mc["type"], mc["response"], mc["patterns"], mc["result"]) == ("choice", "x3", ["x2"], "incorrect")
    mr = interaction("scorm2004", "mr", ["c3", "c1"], True)
    assert (mr["response"], mr["patterns"]) == ("c1[,]c3", ["c1[,]c3"])
    tf = interaction("scorm2004", "tf", ["false"], True)
    assert (tf["response"], tf["patterns"], tf["result"]) == ("false", ["false"], "correct")
    fill = interaction("scorm2004", "fill", "x" * 300, False)
    assert len(fill["response"]) == 250
    assert fill["patterns"] == ["{case_matters=false}Talk", "{case_matters=false}walk"]
    essay = interaction("scorm2004", "essay", "y" * 5000, None)
    assert (essay["type"], len(essay["response"]), essay["result"]) == ("long-fill-in", 4000, "neutral")


@pytest.mark.parametrize("edition", ["scorm12", "scorm2004"])
def test_interaction_elements_order_and_formats(edition):
    record = interaction(edition, "mc", ["x2"], True)
    pairs = js(["formats", "interactionElements", [edition, 4, record, 61500, {"$date": "2024-03-05T07:08:09Z"}]])[0]
    names = [name for name, _ in pairs]
    assert names[:2] == ["cmi.interactions.4.id", "cmi.interactions.4.type"]
    values = dict(pairs)
    if edition == "scorm12":
        assert values["cmi.interactions.4.latency"] == "0000:01:01.50"
        assert values["cmi.interactions.4.student_response"] == "b"
        assert "cmi.interactions.4.time" in values
    else:
        assert values["cmi.interactions.4.latency"] == "PT1M1.5S"
        assert values["cmi.interactions.4.timestamp"] == "2024-03-05T07:08:09.00Z"
        assert values["cmi.interactions.4.description"] == "Pick"


# ------------------------------------------------------------------------------------- scoring


def test_grading():
    results = js(
        ["scoring", "grade", [QUESTIONS["mc"], ["x2"]]],
        ["scoring", "grade", [QUESTIONS["mr"], ["c3", "c1"]]],
        ["scoring", "grade", [QUESTIONS["mr"], ["c1"]]],
        ["scoring", "grade", [QUESTIONS["fill"], "  TALK "]],
        ["scoring", "grade", [dict(QUESTIONS["fill"], caseSensitive=True), "talk"]],
        ["scoring", "grade", [QUESTIONS["essay"], "anything"]],
    )
    assert results == [True, True, False, True, False, None]


def test_rollup_and_lesson_status():
    config = {"pages": [{"required": True}, {"required": True}, {"required": False}], "requirePages": True,
              "requireQuizzes": True, "passingScore": 0.8, "quizzes": [{"pointsPossible": 4}, {"pointsPossible": 1}]}
    state = lambda visited, quizzes: {"visited": visited, "quizzes": [{"attempts": a, "best": b} for a, b in quizzes]}  # noqa: E731
    cases = [
        state([True, False, False], [(0, 0), (0, 0)]),
        state([True, True, False], [(1, 400), (0, 0)]),
        state([True, True, False], [(1, 300), (2, 0)]),
        state([True, True, False], [(1, 400), (1, 100)]),
    ]
    rollups = js(*[["scoring", "rollup", [config, s]] for s in cases])
    assert rollups == [
        {"complete": False, "percent": None, "success": "unknown"},
        {"complete": False, "percent": 80, "success": "passed"},
        {"complete": True, "percent": 60, "success": "failed"},
        {"complete": True, "percent": 100, "success": "passed"},
    ]
    statuses = js(*[["scoring", "lessonStatus", [config, r]] for r in rollups])
    assert statuses == ["incomplete", "incomplete", "failed", "passed"]


def test_status_never_goes_backwards():
    pairs = [("lesson", "incomplete", "passed"), ("lesson", "failed", "completed"), ("lesson", "passed", "failed"),
             ("lesson", "incomplete", "not attempted"), ("completion", "incomplete", "completed"),
             ("completion", "completed", "unknown"), ("success", "failed", "passed"), ("success", "unknown", "failed")]
    assert js(*[["scoring", "best", list(p)] for p in pairs]) == [
        "passed", "completed", "passed", "incomplete", "completed", "completed", "passed", "failed"]


def test_shuffle_is_a_deterministic_permutation():
    items = [f"c{i}" for i in range(8)]
    a, b, c = js(["scoring", "shuffle", [items, "learner:quiz:1"]], ["scoring", "shuffle", [items, "learner:quiz:1"]],
                 ["scoring", "shuffle", [items, "learner:quiz:2"]])
    assert a == b and sorted(a) == items and a != items and c != a
