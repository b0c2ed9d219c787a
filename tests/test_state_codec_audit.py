"""Audit of the packed learner state (format 2: templates/scorm/js/textpack.js + state.js) trying
to break it: random texts of every kind round-trip exactly, in node and in Chromium alike (same
strings); damaged or cut states give nothing rather than other words; interaction responses cut
from a text never carry half a character into the LMS; the budget holds against text that packs
as badly as text can, filled in any order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.targets.scorm.common import SCORM12, SCORM2004, sco_config
from builder.targets.scorm.state import budgets
from scorm_factory import make_course
from test_scorm_e2e import CHROMIUM, browser  # noqa: F401 (fixture)
from test_scorm_runtime_js import JS, js, run_node

# Random states with texts of every kind (ASCII, controls and NUL, Latin, Arabic, Hebrew, CJK,
# lone surrogates of both halves, private use, astral code points, CR/LF mixes, U+2028, BOM),
# encoded, decoded, checked; returns an FNV hash of every encoded string so that two engines can
# be compared. `Pack`/`State` are the runtime's modules.
GEN = r"""
function auditRun(Pack, State, seedIn, count, longest) {
  let seed = seedIn >>> 0 || 1;
  const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
  const ri = n => Math.floor(rnd() * n);
  const ranges = [[0x20, 0x7e], [0, 0x1f], [0xc0, 0x17f], [0x600, 0x6ff], [0x590, 0x5ff], [0x4e00, 0x9fff],
                  [0xd800, 0xdfff], [0xe000, 0xffff], [0x7f, 0x9f]];
  function randText(n) {
    let s = "";
    const mode = ri(4);
    while (s.length < n) {
      const r = mode === 0 ? 0 : ri(12);
      if (r < ranges.length) s += String.fromCharCode(ranges[r][0] + ri(ranges[r][1] - ranges[r][0] + 1));
      else if (r === 9) s += String.fromCodePoint(0x10000 + ri(0x100000));
      else if (r === 10) s += ["\r\n", "\r", "\n", "\0", "\u2028", "\ufeff", "\n\r"][ri(7)];
      else s += "The learner writes. ";
    }
    return s.slice(0, n);
  }
  const lengths = [0, 1, 2, 3, 4, 5, 7, 60, 300, longest];
  let h = 0x811c9dc5;
  const fails = [], sizes = [];
  for (let it = 0; it < count; it++) {
    const layout = {id: "zz9a", pages: 1 + ri(12), quizzes: ri(3), texts: 1 + ri(6)};
    const st = State.empty(layout);
    st.page = ri(layout.pages);
    st.visited = st.visited.map(() => rnd() < 0.5);
    st.quizzes = st.quizzes.map(() => ({attempts: ri(50), best: ri(1000)}));
    st.texts = st.texts.map(() => randText(lengths[ri(lengths.length)]));
    const enc = State.encode(st, layout);
    sizes.push(enc.length);
    for (let i = 0; i < enc.length; i++) h = Math.imul(h ^ enc.charCodeAt(i), 16777619) >>> 0;
    if (!/^[0-9A-Za-z!#$()*`,\-./:;=?@\[\]^_{}~|]*$/.test(enc)) fails.push(["alphabet", it, enc]);
    const back = State.decode(enc, layout);
    if (JSON.stringify(back) !== JSON.stringify(st)) fails.push(["round trip", it, JSON.stringify(st.texts)]);
  }
  return {digest: h, sizes: sizes, fails: fails.slice(0, 3), failures: fails.length};
}
"""


def test_random_texts_of_every_kind_round_trip_exactly():
    result = run_node(GEN + "process.stdout.write(JSON.stringify(auditRun(mods.pack, mods.state, 12345, 50, 900)));")
    assert result["failures"] == 0, result["fails"]


def test_chromium_writes_the_same_strings_as_node_and_reads_them(browser):  # noqa: F811
    """Integer-only arithmetic: a state saved in one browser decodes alike in any other."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    in_node = run_node(GEN + "process.stdout.write(JSON.stringify(auditRun(mods.pack, mods.state, 777, 25, 700)));")
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>codec</title>")
        for name in ("textpack.js", "state.js"):
            page.add_script_tag(path=str(JS / name))
        page.add_script_tag(content=GEN)
        in_chromium = page.evaluate("auditRun(ScoTextPack, ScoState, 777, 25, 700)")
        # Measured, not asserted (speed targets live in benchmarks): one pack of a long answer.
        timing = page.evaluate("""() => {
          const prose = "I think what matters most is how we listen to one another at work, and what we change. ";
          const text = prose.repeat(50).slice(0, 4000), out = {};
          for (let i = 0; i < 20; i++) ScoTextPack.packField(text.slice(0, 1000));
          for (const [k, t] of [["prose 4,000", text], ["CJK 2,000", text.replace(/[a-z]/g, "\u4e2d").slice(0, 2000)]]) {
            const t0 = performance.now(); let n = 0;
            while (performance.now() - t0 < 200 || n < 3) { ScoTextPack.packField(t); n++; }
            out[k] = Math.round((performance.now() - t0) / n * 10) / 10;
          }
          return out;
        }""")
    finally:
        page.close()
    assert in_chromium["failures"] == 0, in_chromium["fails"]
    assert in_node["failures"] == 0, in_node["fails"]
    assert (in_chromium["digest"], in_chromium["sizes"]) == (in_node["digest"], in_node["sizes"])
    print(f"\nChromium, ms per pack: {timing}")


LAYOUT = {"id": "ab12", "pages": 7, "quizzes": 2, "texts": 3}
TEXTS = ["I think solidarity matters because we work together in my team every day.",
         "La solidarité se pratique.", "short \U0001F600"]


def test_damaged_state_never_restores_other_words():
    """One character changed, dropped, added or swapped anywhere in the packed texts (an LMS or a
    proxy mangling the value): the decoder gives nothing, or exactly what was saved, never text the
    learner did not write (the next save would put that garbage in place of their answer)."""
    script = """
    const State = mods.state, A = mods.pack.ALPHABET, layout = %s, texts = %s;
    const st = State.empty(layout); st.texts = texts;
    const enc = State.encode(st, layout), head = enc.lastIndexOf("|") + 1, variants = [];
    for (let p = head; p < enc.length; p++) {
      for (const c of [A[(A.indexOf(enc[p]) + 1) %% 85], A[(A.indexOf(enc[p]) + 40) %% 85], "0", "~"])
        if (c !== enc[p]) variants.push(enc.slice(0, p) + c + enc.slice(p + 1));
      variants.push(enc.slice(0, p) + enc.slice(p + 1));
      variants.push(enc.slice(0, p) + "K" + enc.slice(p));
      if (p + 1 < enc.length && enc[p] !== enc[p + 1]) variants.push(enc.slice(0, p) + enc[p + 1] + enc[p] + enc.slice(p + 2));
    }
    const wrong = [];
    for (const v of variants) {
      const back = State.decode(v, layout);
      if (back && JSON.stringify(back.texts) !== JSON.stringify(texts)) wrong.push([v, back.texts]);
    }
    process.stdout.write(JSON.stringify({tried: variants.length, wrong: wrong.length, first: wrong.slice(0, 2)}));
    """ % (json.dumps(LAYOUT), json.dumps(TEXTS))
    result = run_node(script)
    assert result["tried"] > 300
    assert result["wrong"] == 0, result


def test_state_cut_anywhere_restores_nothing():
    state = js(["state", "empty", [LAYOUT]])[0]
    state["texts"] = TEXTS
    encoded = js(["state", "encode", [state, LAYOUT]])[0]
    results = js(*[["state", "decode", [encoded[:n], LAYOUT]] for n in range(len(encoded))])
    assert results == [None] * len(encoded)
    assert js(["state", "decode", [encoded, LAYOUT]])[0]["texts"] == TEXTS


@pytest.mark.parametrize("edition", ["scorm12", "scorm2004"])
def test_interaction_response_never_carries_half_a_character(edition):
    """An essay is cut to the edition's response limit (255 / 4,000). Cut inside an emoji, it left
    a lone surrogate: Moodle's player sends values through encodeURIComponent, which throws on one,
    so every later commit of the attempt (status, score, suspend_data) failed."""
    limit = 255 if edition == "scorm12" else 4000
    question = {"type": "essay", "interactionId": "q1", "points": 1, "description": "Say more"}
    texts = ["x" * (limit - 1) + "\U0001F600 more", "\U0001F600" * limit, "a\ud800b \udc00 lone halves typed"]
    script = """
    const [edition, question, texts] = %s;
    process.stdout.write(JSON.stringify(texts.map(t => {
      const r = mods.formats.interaction(edition, question, t, null).response;
      try { encodeURIComponent(r); return [r.length, true, r]; } catch (e) { return [r.length, false, r]; }
    })));
    """ % json.dumps([edition, question, texts])
    results = run_node(script)
    for (length, well_formed, response), text in zip(results, texts):
        assert well_formed, (edition, response[-5:])
        assert length <= limit
    assert results[0][2] == "x" * (limit - 1)  # the whole characters that fit, nothing else
    assert results[2][2].startswith("a")


@pytest.mark.parametrize("edition", [SCORM12, SCORM2004])
def test_budget_holds_against_text_that_packs_worst_in_any_order(edition):
    """Every box filled, in a random order, to all the runtime allows with text that does not
    pack at all (random astral, CJK and Latin characters, plain UTF-8 at 3-4 bytes each): the
    state stays within the limit, and every box can still take its guaranteed minimum the moment
    it is emptied and written again, whatever the others hold."""
    course = make_course(reflections=5 if edition is SCORM12 else 1)  # 2004: each pack of 40 KB takes a while
    fields = budgets(course, edition.suspend_limit)
    config = sco_config(course, edition, fields)
    script = """
    const [layout, config, limit, minimum, rounds] = %s;
    const State = mods.state, Pack = mods.pack;
    let seed = 99;
    const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
    const noise = n => { let s = ""; while (s.length < n) { const r = rnd();
      s += r < 0.3 ? String.fromCodePoint(0x10000 + Math.floor(rnd() * 0xfffff)) : r < 0.6
        ? String.fromCharCode(0x4e00 + Math.floor(rnd() * 20000)) : String.fromCharCode(0x21 + Math.floor(rnd() * 0x250)); }
      return s; };
    const budgets = config.texts.map(f => f.budget), room = config.textRoom, report = [];
    const state = State.empty(layout);
    state.visited = state.visited.map(() => true);
    const sizes = State.textSizes(state);
    const fill = (i, pool) => {  // the longest start of pool the box accepts, as course.js decides
      const f = config.texts[i], allowed = State.allowance(sizes, budgets, room, i);
      const ok = n => n <= (f.maxLength || Infinity) && State.packedSize(i, pool.slice(0, n)) <= allowed;
      // Below the plain UTF-8 bound everything fits, and this noise packs to no less than half.
      const plain = n => n <= (f.maxLength || Infinity) && Pack.utf8(pool.slice(0, n)).length + 3 <= allowed;
      let lo = 0, hi = pool.length;
      while (lo < hi) { const mid = Math.ceil((lo + hi) / 2); if (plain(mid)) lo = mid; else hi = mid - 1; }
      hi = Math.min(pool.length, 2 * lo + 128);
      while (lo < hi) { const mid = Math.ceil((lo + hi) / 2); if (ok(mid)) lo = mid; else hi = mid - 1; }
      state.texts[i] = pool.slice(0, lo);
      sizes[i] = State.packedSize(i, state.texts[i]);
      return lo;
    };
    for (let round = 0; round < rounds; round++) {
      const order = config.texts.map((_, i) => i).sort(() => rnd() - 0.5);
      for (const i of order) {
        fill(i, noise(2 * room / 3));
        const enc = State.encode(state, layout);
        report.push(enc.length);
        if (enc.length > limit) throw new Error("over the limit: " + enc.length);
      }
      for (const i of order) {  // emptied and written again: the reserved minimum is there
        state.texts[i] = ""; sizes[i] = State.packedSize(i, "");
        const guaranteed = Math.min(minimum[i], config.texts[i].maxLength || Infinity);
        const ascii = noise(guaranteed * 4).replace(/[^\\x21-\\x7e]/g, "").padEnd(guaranteed, "q").slice(0, guaranteed);
        if (State.packedSize(i, ascii) > State.allowance(sizes, budgets, room, i)) throw new Error("minimum lost: " + i);
        fill(i, noise(2 * room / 3));
      }
    }
    const enc = State.encode(state, layout);
    process.stdout.write(JSON.stringify({lengths: report, last: enc.length,
      back: JSON.stringify(State.decode(enc, layout)) === JSON.stringify(state)}));
    """ % json.dumps([config["layout"], config, edition.suspend_limit, [f.guaranteed for f in fields],
                                          3 if edition is SCORM12 else 1])
    result = run_node(script)
    assert result["back"]
    assert max(result["lengths"] + [result["last"]]) <= edition.suspend_limit
    assert result["last"] >= edition.suspend_limit * 0.9  # the room is used, not wasted


def test_text_that_packs_extremely_well_comes_back():
    """A key held down, a row of dashes, the same sentence pasted again and again: such an answer
    packs far beyond 32:1, which the decoder took for damage, so the whole state (every answer)
    was refused on the next visit and overwritten by the next save."""
    texts = ["a" * 1000, "-" * 4000 + "\nMy answer.", "I agree. " * 2000, "\U0001F600" * 20000]
    script = """
    const Pack = mods.pack, texts = %s.map(([t, n, end]) => t.repeat(n) + end);
    process.stdout.write(JSON.stringify(texts.map(t => {
      const field = Pack.packField(t), back = Pack.unpackField(field, 0);
      return [field.length, back !== null && back[0] === t];
    })));
    """ % json.dumps([["a", 1000, ""], ["-", 4000, "\nMy answer."], ["I agree. ", 2000, ""], ["\U0001F600", 20000, ""]])
    results = run_node(script)
    assert all(ok for _, ok in results), results
    assert all(size < len(t.encode("utf-8")) / 32 for (size, _), t in zip(results, texts))  # the case at stake
    state = js(["state", "empty", [LAYOUT]])[0]
    state["texts"] = texts[:3]
    encoded = js(["state", "encode", [state, LAYOUT]])[0]
    assert js(["state", "decode", [encoded, LAYOUT]])[0] == state


def test_format_1_states_of_older_builds_still_decode_exactly():
    """Random states written by format 1's encoder (texts as typed, copied from state.js before
    f16281d), texts full of the format's own separators: read back exactly, and cut anywhere,
    not at all."""
    script = r"""
    function encodeV1(state, layout) {  // state.js encode() as older builds shipped it
      var bits = "";
      for (var i = 0; i < layout.pages; i += 5) {
        var v = 0;
        for (var j = 0; j < 5 && i + j < layout.pages; j++) if (state.visited[i + j]) v |= 1 << j;
        bits += v.toString(32);
      }
      var quizzes = state.quizzes.map(function (q) {
        return Math.min(q.attempts, 36 * 36 - 1).toString(36) + "." + Math.max(0, Math.round(q.best)).toString(36);
      }).join(",");
      var texts = state.texts.map(function (s) { return s.length.toString(36) + ":" + s; }).join("");
      return "1" + layout.id + "|" + bits + "|" + state.page.toString(36) + "|" + quizzes + "|" + texts;
    }
    const State = mods.state;
    let seed = 31;
    const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
    const ri = n => Math.floor(rnd() * n);
    const pieces = ["a", "|", ":", "1:", "\n", "\r\n", "é", "\u{1F600}", "\ud800", "\0", "z|9:", " ", "عربي", "3:abc", "||"];
    const bad = [];
    for (let it = 0; it < 400; it++) {
      const layout = {id: "ab12", pages: 1 + ri(9), quizzes: ri(3), texts: ri(5)};
      const st = State.empty(layout);
      st.page = ri(layout.pages);
      st.visited = st.visited.map(() => rnd() < 0.5);
      st.quizzes = st.quizzes.map(() => ({attempts: ri(40), best: ri(500)}));
      st.texts = st.texts.map(() => { let s = ""; for (let k = ri(8); k > 0; k--) s += pieces[ri(pieces.length)]; return s; });
      const old = encodeV1(st, layout);
      if (JSON.stringify(State.decode(old, layout)) !== JSON.stringify(st)) bad.push(["read", old]);
      for (let cut = 1; cut < old.length; cut++) {
        const back = State.decode(old.slice(0, cut), layout);
        if (back && JSON.stringify(back.texts) !== JSON.stringify(st.texts)) { bad.push(["cut", old.slice(0, cut)]); break; }
      }
    }
    process.stdout.write(JSON.stringify(bad.slice(0, 3)));
    """
    assert run_node(script) == []
