"""A learner walks the 200-module course built with one SCO per module, on scorm-again in Chromium.

As an LMS does, every SCO is launched in turn with its own API instance and its own stored CMI
(what the LMS kept from that SCO's last session): each module's texts are typed, its quiz answered
right, its pages visited; then the SCOs holding a reflection (every tenth), the first and the last
are launched again and must hand back their own texts. One session is one evaluate in the harness
page; a launch still costs 0.2-0.3 s of Chromium navigation, so SCORM 1.2 (whose 4,096 characters
are what one SCO per module is for) walks all 200 SCOs and 2004 the first 20.
"""

from __future__ import annotations

import time

import pytest

from e2e.lms_harness import relaunch_data, serve, unpack
from test_scorm_e2e import browser  # noqa: F401 (fixture)
from test_scorm_e2e import AXE, CHROMIUM, _require
from test_scorm_multi_sco import MODULES, big_course, big_packages  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

STATUS = {"scorm12": ("cmi.core.lesson_status", "completed"), "scorm2004": ("cmi.completion_status", "completed")}
RAW = {"scorm12": "cmi.core.score.raw", "scorm2004": "cmi.score.raw"}

# The learner's work in one SCO: every text, the quiz right, every page; returns what was typed.
WORK = """() => {
  const config = window.buildCourseSco.config, sco = config.sco.id;
  const texts = Array.from(document.querySelectorAll('textarea')).map((area, k) => {
    area.value = 'Reflection ' + (k + 1) + ' in ' + sco + ': ' + 'solidarity '.repeat(40 + k);
    area.dispatchEvent(new Event('input', {bubbles: true}));
    area.dispatchEvent(new Event('blur'));
    return area.value;
  });
  config.quizzes.forEach((quiz, qi) => {
    const section = document.querySelector('[data-quiz-index="' + qi + '"]');
    quiz.questions.forEach((q, n) => {
      const item = section.querySelector('[data-question-index="' + n + '"]');
      if (q.type === 'fill_in_blank') {
        const input = item.querySelector('input[type=text]');
        input.value = q.answers[0];
        input.dispatchEvent(new Event('input', {bubbles: true}));
      } else if (q.choices.length) {
        q.correct.forEach(id => { const input = item.querySelector('input[value="' + id + '"]'); input.checked = true;
          input.dispatchEvent(new Event('change', {bubbles: true})); });
      }
    });
    section.querySelector('.quiz-submit').click();
  });
  document.querySelectorAll('[data-nav-page]').forEach(a => a.click());
  return {sco: sco, texts: texts};
}"""
SEEN = "() => Array.from(document.querySelectorAll('textarea')).map(a => a.value)"


@pytest.fixture(scope="module")
def big_site(big_packages, tmp_path_factory):
    _require(CHROMIUM, "Chromium")
    _require(AXE, "tests/e2e/node_modules (run `npm ci --prefix tests/e2e`)")
    from e2e.lms_harness import E2E
    from lxml import etree

    root = tmp_path_factory.mktemp("big-lms")
    (root / "lms").symlink_to(E2E, target_is_directory=True)
    launches = {}
    for edition, package in big_packages[0].items():
        unpack(package, root / "pkg" / edition)
        manifest = etree.parse(str(root / "pkg" / edition / "imsmanifest.xml")).getroot()
        ns = {"cp": manifest.nsmap[None]}
        launches[edition] = [
            f"/pkg/{edition}/" + manifest.xpath("//cp:resource[@identifier=$r]/@href", r=ref, namespaces=ns)[0]
            for ref in manifest.xpath("//cp:organization/cp:item/@identifierref", namespaces=ns)]
    server, base = serve(root)
    yield base, launches
    server.shutdown()


# One whole session of one SCO, driven from the harness page: launch with the LMS's record of
# this SCO, wait until the SCO is ready, run `script` inside it, leave, wait for the finish call.
SESSION = """async ([edition, url, data, script]) => {
  const frame = document.getElementById('sco');
  lms.launch(edition, url, data, {});
  const until = async (test) => { for (let i = 0; i < 2000 && !test(); i++) await new Promise(r => setTimeout(r, 5)); if (!test()) throw new Error('timeout at ' + url); };
  await until(() => { try { return frame.contentDocument.documentElement.classList.contains('sco-ready') && lms.commits.length > 0; } catch (e) { return false; } });
  const result = new frame.contentWindow.Function('return (' + script + ')()')();
  lms.leave();
  await until(() => lms.finished > 0);
  // API errors, but 2004's 403 on reading an element nothing has set yet (an empty value)
  const faults = lms.calls.filter(c => !['0', '', 'undefined'].includes(c[4]) && !(c[0] === 'GetValue' && c[4] === '403'));
  return {result: result, flat: lms.flat(), calls: faults};
}"""


@pytest.mark.parametrize("edition, scos", [("scorm12", MODULES), ("scorm2004", 20)])
def test_every_module_sco_completed_scored_and_resumed(big_site, browser, edition, scos):  # noqa: F811
    base, launches = big_site
    assert len(launches[edition]) == MODULES
    context = browser.new_context()
    context.set_default_timeout(20_000)
    page, errors = context.new_page(), []
    # no request routing (the harness's offline guard): the synthetic course loads nothing from
    # outside, and routing every request through Python would double the time of 400 launches
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and "favicon" not in msg.location.get("url", "")
            and errors.append(f"console: {msg.text} ({msg.location.get('url')})"))
    page.on("request", lambda request: request.url.startswith(base) or errors.append(f"outside: {request.url}"))
    page.goto(f"{base}/lms/harness.html")
    learner_id = {"scorm12": "cmi.core.student_id", "scorm2004": "cmi.learner_id"}[edition]
    stored: list[dict] = []  # the LMS's record of each SCO
    typed: list[list[str]] = []
    started = time.monotonic()
    for url in launches[edition][:scos]:
        session = page.evaluate(SESSION, [edition, url, {learner_id: "learner-1"}, WORK])
        work, flat = session["result"], session["flat"]
        assert not session["calls"], session["calls"][:3]
        assert flat[STATUS[edition][0]] == STATUS[edition][1], (work["sco"], flat[STATUS[edition][0]])
        assert float(flat[RAW[edition]]) == 100, work["sco"]
        if edition == "scorm2004":
            assert float(flat["cmi.score.scaled"]) == 1
        # one interaction per question (10 per module), with this SCO's own answers
        ids = {v for k, v in flat.items() if k.startswith("cmi.interactions.") and k.endswith(".id")}
        assert len(ids) == 10, (work["sco"], sorted(ids))
        stored.append(relaunch_data(flat, edition, "resume"))
        typed.append(work["texts"])
    walked = time.monotonic() - started
    again = [n for n in range(scos) if n in (0, scos - 1) or len(typed[n]) == 3]  # 3: a reflection too
    for n in again:  # launched again, with what the LMS kept of this SCO alone
        session = page.evaluate(SESSION, [edition, launches[edition][n], stored[n], SEEN])
        assert session["result"] == typed[n], launches[edition][n]
    assert not errors, errors[:5]
    assert sum(len(t) for t in typed) == 2 * scos + scos // 10  # two essays a quiz, a reflection every 10th
    assert len(again) == 2 + scos // 10 - 1
    print(f"\n{edition}: {scos} SCOs walked in {walked:.1f} s, {len(again)} relaunched in "
          f"{time.monotonic() - started - walked:.1f} s")
    context.close()
