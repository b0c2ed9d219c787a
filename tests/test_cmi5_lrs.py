"""End to end: the cmi5 package launched the cmi5 way against a real LRS (the ADL LRS of
../shared/tools/lrs), in real Chromium. The test plays the LMS (registration, "launched",
LMS.LaunchData, a one-time fetch URL), a learner takes the course, and every statement and state
document is read back from the LRS and checked against the cmi5 rules (tests/cmi5_lms.py).

Skips where no LRS is installed (CI has none); starts it when it is installed but stopped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.diagnostics import Diagnostics
from builder.load import load_course
from builder.package import write_zip
from builder.targets import get_target
from cmi5_lms import LRS_HOME, SESSION, Cmi5Lms, Lrs, LrsOutage, TokenDesk, check_cmi5, serve, verb
from conftest import SHARED
from e2e.lms_harness import Learner
from state_codec import saved_text

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIXTURE = Path(__file__).parent / "roots" / "cmi5-fr"
STATE_ID = "build-course.progress"
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}


@pytest.fixture(scope="module")
def lrs():
    client = Lrs()
    if not client.available():
        start = SHARED / "tools" / "lrs" / "start.sh"
        if not (LRS_HOME / "ADL_LRS").is_dir() or not start.is_file():
            pytest.skip(f"no LRS here: {client.endpoint} does not answer and the ADL LRS is not installed "
                        f"in {LRS_HOME} (install it with ../shared/tools/lrs/setup.sh)")
        subprocess.run([str(start)], check=True, capture_output=True, timeout=120)
    if not client.available():
        pytest.skip(f"the LRS at {client.endpoint} does not answer")
    return client


@pytest.fixture(scope="module")
def browser(lrs):  # after the LRS check: no browser is started to be skipped
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Site:
    """One course's package unzipped on a local server, and the LMS that launches it."""

    def __init__(self, course, env, root: Path, lrs: Lrs):
        target = get_target("cmi5")
        package = write_zip(target.build(course, env, Diagnostics()), root / target.filename(course))
        dest = root / "pkg" / course.id
        with zipfile.ZipFile(package) as zf:
            zf.extractall(dest)
        (root / "lms").mkdir()
        (root / "lms" / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><p>Back in the LMS.</p>")
        structure = etree.parse(str(dest / "cmi5.xml"))
        (au,) = structure.xpath("//c:au", namespaces=NS)
        self.publisher_id = au.get("id")
        mastery = au.get("masteryScore")
        self.mastery = float(mastery) if mastery else None
        self.desk = TokenDesk(lrs.token)
        self.server, self.base = serve(root, self.desk)
        url = f"pkg/{course.id}/" + au.xpath("string(c:url)", namespaces=NS)
        self.lms = Cmi5Lms(lrs, self.desk, self.base, url, self.publisher_id, au.get("moveOn"), self.mastery)
        self.lrs, self.course = lrs, course


@pytest.fixture(scope="module")
def embedded_site(embedded_course, env, tmp_path_factory, lrs):
    site = Site(embedded_course, env, tmp_path_factory.mktemp("cmi5"), lrs)
    yield site
    site.server.shutdown()


@pytest.fixture(scope="module")
def french_site(env, tmp_path_factory, lrs):
    course, diagnostics = load_course(FIXTURE)
    assert course is not None and not diagnostics.errors
    from builder.render import make_environment

    site = Site(course, make_environment(FIXTURE), tmp_path_factory.mktemp("cmi5-fr"), lrs)
    yield site
    site.server.shutdown()


class Au:
    """A learner in the AU, in a browser context of their own (own localStorage)."""

    def __init__(self, browser, site: Site, context=None):
        self.site = site
        self.shared = context is not None  # a browser the learner used before (its localStorage)
        self.context = context or browser.new_context()
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        # Offline: YouTube and anything else outside this machine. Local requests are not
        # intercepted at all (an intercepted request waits for this thread to answer it).
        self.page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())

    def lrs_down(self, down: bool) -> None:
        """Make every request to the LRS fail (as a dropped connection), or stop doing so."""
        pattern = self.site.lrs.endpoint + "**"
        if down:
            self.page.route(pattern, lambda route: route.abort("internetdisconnected"))
        else:
            self.page.unroute(pattern)

    def open(self, launch) -> None:
        self.page.goto(launch.url)
        self.page.locator("html.sco-ready").wait_for(state="attached")

    @property
    def frame(self):  # what the SCORM harness's Learner.axe() runs in
        return self.page.main_frame

    def config(self) -> dict:
        return self.page.evaluate("window.buildCourseSco.config")

    def answer(self, index: int, right, essay: str = "") -> None:
        """right: True/False for every question, or one bool per question."""
        quiz = self.config()["quizzes"][index]
        section = self.page.locator(f"[data-quiz-index='{index}']")
        for qi, q in enumerate(quiz["questions"]):
            ok = right[qi] if isinstance(right, list) else right
            item = section.locator(f"[data-question-index='{qi}']")
            wrong = [c for c in q["choices"] if c not in q["correct"]]
            if q["type"] in ("multiple_choice", "true_false"):
                item.locator(f"input[value='{q['correct'][0] if ok else wrong[0]}']").check()
            elif q["type"] == "multiple_response":
                for c in q["correct"] if ok else wrong[:1]:
                    item.locator(f"input[value='{c}']").check()
            elif q["type"] == "fill_in_blank":
                item.locator("input[type=text]").fill(q["answers"][0] if ok else "not this")
            elif essay:
                item.locator("textarea").fill(essay)
        section.locator(".quiz-submit").click()
        self.page.wait_for_function(f"document.querySelector(\"[data-quiz-index='{index}'] .quiz-result\").textContent.length > 0")

    def walk(self, right=True, retry=True, text="My reflection {n}.") -> int:
        """Every page by the Next button, every reflection written, each quiz answered. Returns
        the number of reflections written."""
        config, written = self.config(), 0
        for index, _ in enumerate(config["pages"]):
            section = self.page.locator(f"[data-page-index='{index}']")
            for n, area in enumerate(section.locator(".reflection textarea").all()):
                area.fill(text.format(n=f"{index}.{n}"))
                written += 1
            quiz = section.locator("[data-quiz-index]")
            if quiz.count():
                qi = int(quiz.get_attribute("data-quiz-index"))
                if retry:
                    self.answer(qi, False, essay="My essay.")
                    section.locator(".quiz-retry").click()
                self.answer(qi, right, essay="My essay.")
            if index < len(config["pages"]) - 1:
                self.page.locator("#sco-next").click()
        return written

    def exit(self) -> None:
        self.page.locator("#cmi5-exit").click()
        self.page.wait_for_url("**/lms/returned.html")

    def close(self) -> None:
        if self.shared:
            if not self.page.is_closed():
                self.page.close()
        else:
            self.context.close()


def settled(site: Site, reg, session: str, timeout: float = 15.0) -> list[dict]:
    """The registration's statements once the session's terminated statement has arrived."""
    deadline = time.monotonic() + timeout
    while True:
        statements = site.lrs.statements(reg.id)
        done = [s for s in statements if verb(s) == "terminated" and s["context"]["extensions"][SESSION] == session]
        if done or time.monotonic() > deadline:
            assert done, f"no terminated statement for session {session}: {[verb(s) for s in statements]}"
            time.sleep(0.3)  # anything sent with keepalive at the same moment
            return site.lrs.statements(reg.id)
        time.sleep(0.2)


def progress(site: Site, reg):
    """(200, the newest progress document) or (404, None): the AU writes two in turn."""
    copies = [site.lrs.state(reg.activity_id, reg.actor, reg.id, state_id)[:2] for state_id in (STATE_ID, STATE_ID + ".2")]
    found = [doc for status, doc in copies if status == 200]
    assert all(status in (200, 404) for status, _ in copies), copies
    return (200, max(found, key=lambda doc: doc["rev"])) if found else (404, None)


def fetch_again(site: Site, launch) -> dict:
    request = urllib.request.Request(f"{site.base}/lms/fetch/{launch.fetch_key}", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


class BrowserCopies:
    """What the browser keeps for the course: localStorage of the AU's origin, every key of ours,
    read (and planted) through the test LMS's return page, which shares that origin."""

    def __init__(self, context, site: Site):
        self.site, self.page = site, context.new_page()
        self.page.goto(site.base + "/lms/returned.html")

    def read(self) -> dict[str, str]:
        return self.page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
            .filter(k => k.startsWith("build-course")).map(k => [k, localStorage.getItem(k)]))""")

    def plant(self, copies: dict[str, str]) -> None:
        self.page.evaluate("copies => Object.entries(copies).forEach(([k, v]) => localStorage.setItem(k, v))", copies)

    def gone_soon(self, timeout: float = 10.0) -> dict[str, str]:
        """The copies once the LRS has acknowledged everything ({} is expected)."""
        deadline = time.monotonic() + timeout
        while (found := self.read()) and time.monotonic() < deadline:
            time.sleep(0.2)
        return found

    def key(self, reg, kind: str = "cmi5") -> str:
        return f"build-course:{kind}:{self.site.course.id}:{reg.id}:{reg.activity_id}"


def leave_a_copy(browser, site: Site, context, reg, text: str, outage: LrsOutage, down=True) -> None:
    """A Normal launch in `context` whose every save fails: the LRS answers while the page
    starts, then refuses (down=True: 503) or is unreachable (down="unreachable") until after
    the learner has written `text` in the first reflection and closed the tab."""
    launch = site.lms.launch(reg, endpoint=outage.endpoint)
    learner = Au(browser, site, context)
    learner.open(launch)
    learner.page.wait_for_function("window.buildCourseSco.lms.pending() === 0")  # initialized is in
    outage.down = down
    learner.page.locator(".reflection textarea").first.fill(text)
    learner.page.locator("#cmi5-save-failed").wait_for(state="visible")
    learner.page.close(run_before_unload=True)
    time.sleep(1)  # the keepalive requests of the closed tab meet the outage too
    outage.down = False
    assert not learner.errors, learner.errors


class Session:
    """One launch, as the LMS and the LRS saw it."""

    def __init__(self, reg, launch, statements, sessions):
        self.reg, self.launch, self.statements = reg, launch, statements
        self.verbs = sessions[launch.session]

    def only(self, name: str) -> dict:
        (statement,) = [s for s in self.statements if verb(s) == name and s["context"]["extensions"][SESSION] == self.launch.session]
        return statement


def take(browser, site: Site, steps, reg=None, mode: str = "Normal", mastery=None, leave: str = "exit",
         context=None) -> Session:
    """Launch (a new registration unless given; in a fresh browser unless `context` is given),
    let `steps(learner)` act, leave by the exit button or by closing the tab, then read back and
    check everything the LRS holds."""
    reg = reg or site.lms.register()
    launch = site.lms.launch(reg, mode=mode, mastery=mastery)
    learner = Au(browser, site, context)
    started = time.monotonic()
    learner.open(launch)
    steps(learner)
    if leave == "exit":
        learner.exit()
    else:
        learner.page.close(run_before_unload=True)
    assert not learner.errors, learner.errors
    # Only then close the browser context: that would cancel keepalive requests still on their
    # way, which a closed tab leaves running in a real browser.
    statements = settled(site, reg, launch.session)
    if leave != "exit":
        time.sleep(1)
    learner.close()
    assert site.desk.calls[launch.fetch_key] == 1  # the token was fetched once
    sessions = check_cmi5(statements, reg, site.publisher_id, site.mastery if mastery is None else mastery)
    session = Session(reg, launch, statements, sessions)
    print(f"\n{site.course.id} {mode} ({time.monotonic() - started:.1f} s): {len(session.verbs)} statements: {compact(session.verbs)}")
    return session


def compact(verbs: list[str]) -> str:
    runs: list[list] = []
    for v in verbs:
        if runs and runs[-1][0] == v:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    return ", ".join(v if n == 1 else f"{v} x{n}" for v, n in runs)


# ----------------------------------------------------------------------------------- tests


def test_normal_launch_records_resumes_and_loses_nothing_on_close(browser, embedded_site):
    site, seen = embedded_site, {}

    def first_visit(learner: Au) -> None:
        assert learner.page.locator("#cmi5-exit").is_visible()
        assert learner.page.locator("#cmi5-mode-browse").is_hidden() and learner.page.locator("#cmi5-launch-failed").is_hidden()
        seen["config"] = learner.config()
        seen["written"] = learner.walk()
        learner.page.locator("[data-nav-page='1']").click()  # leave from a middle page: the bookmark

    first = take(browser, site, first_visit)
    assert fetch_again(site, first.launch)["error-code"] == "1"  # the fetch URL is single-use
    config, verbs = seen["config"], first.verbs
    questions = [q for quiz in config["quizzes"] for q in quiz["questions"]]
    answered = [s for s in first.statements if verb(s) == "answered"]
    assert len(answered) == 2 * len(questions) + seen["written"]  # every attempt's answers, every reflection
    assert verbs[:2] == ["launched", "initialized"] and verbs[-1] == "terminated"
    assert verbs.count("completed") == 1 and "passed" not in verbs and "failed" not in verbs
    by_id: dict[str, list] = {}
    for s in answered:
        by_id.setdefault(s["object"]["id"], []).append(s)
    for q in questions:
        tries = by_id[q["interactionId"]]
        assert len(tries) == 2
        definition = tries[0]["object"]["definition"]
        if q["type"] == "essay":
            assert definition["interactionType"] == "long-fill-in"
            assert all("success" not in t["result"] for t in tries)
            assert tries[0]["result"]["response"] == "My essay."
        else:
            assert [t["result"]["success"] for t in tries] == [False, True]
            assert definition["correctResponsesPattern"]
            assert tries[1]["result"]["score"] == {"raw": q["points"], "min": 0, "max": q["points"]}
        if q["type"] in ("multiple_choice", "multiple_response"):
            assert definition["interactionType"] == "choice"
            assert [c["id"] for c in definition["choices"]] == q.get("responses", q["choices"])
    reflections = [s for s in answered if ":reflection:" in s["object"]["id"]]
    assert len(reflections) == seen["written"] and reflections[0]["result"]["response"] == "My reflection 0.0."
    assert all(s["context"]["contextActivities"]["parent"][0]["id"] == first.reg.activity_id for s in answered)
    status, doc = progress(site, first.reg)
    assert status == 200 and doc["sent"] == {"completed": True}
    assert doc["location"] == config["pages"][1]["id"] and "My reflection 0.0." in saved_text(doc["suspendData"])

    # Same registration, another browser (nothing in localStorage): the LRS brings the page,
    # the texts and the quiz history back. Then a text typed and the tab closed at once.
    def second_visit(learner: Au) -> None:
        assert learner.page.locator(".sco-page:not([hidden]) h1").inner_text() == config["pages"][1]["title"]
        area = learner.page.locator(".reflection textarea").first
        assert area.input_value() == "My reflection 0.0."
        assert learner.page.locator("[data-quiz-index='0'] .quiz-status").inner_text().startswith("Submitted 2 times")
        learner.page.locator("[data-nav-page='0']").click()
        area.fill("Written just before closing the tab.")

    second = take(browser, site, second_visit, reg=first.reg, leave="close")
    assert second.verbs == ["launched", "initialized", "answered", "terminated"]  # no second completed
    assert "Written just before closing the tab." in saved_text(progress(site, first.reg)[1]["suspendData"])

    def third_visit(learner: Au) -> None:
        assert learner.page.locator(".reflection textarea").first.input_value() == "Written just before closing the tab."

    third = take(browser, site, third_visit, reg=first.reg)
    assert third.verbs == ["launched", "initialized", "terminated"]
    assert third.only("terminated")["result"]["duration"].startswith("PT")


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_browse_and_review_send_only_what_is_allowed(browser, french_site, mode):
    def visit(learner: Au) -> None:
        assert learner.page.locator(f"#cmi5-mode-{mode.lower()}").is_visible()
        assert Learner.axe(learner) == []  # the cmi5 notices and exit button, with axe-core
        learner.walk(retry=False)

    session = take(browser, french_site, visit, mode=mode)
    assert session.verbs[:2] == ["launched", "initialized"] and session.verbs[-1] == "terminated"
    assert set(session.verbs[2:-1]) == {"answered"}  # no completed, passed or failed
    assert progress(french_site, session.reg)[0] == 404  # and no progress recorded


def test_passed_path_in_french(browser, french_site):
    def visit(learner: Au) -> None:
        assert learner.page.evaluate("document.documentElement.lang") == "fr"
        learner.walk(retry=False)

    session = take(browser, french_site, visit)
    assert "passed" in session.verbs and "completed" in session.verbs and "failed" not in session.verbs
    assert session.only("passed")["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    answered = [s for s in session.statements if verb(s) == "answered"]
    assert answered and all(list(s["object"]["definition"]["name"]) == ["fr"] for s in answered)

    # The same launch URL opened again: its fetch URL is spent, so the page says it cannot record
    # and sends nothing.
    learner = Au(browser, french_site)
    learner.open(session.launch)
    assert learner.page.locator("#cmi5-launch-failed").is_visible() and learner.page.locator("#cmi5-exit").is_hidden()
    # Nothing is recorded, and nothing is left for the next person on this computer either:
    # what the learner does is kept for this tab only.
    learner.page.locator(".reflection textarea").first.fill("Pour cet onglet seulement.")
    learner.page.wait_for_function("Object.keys(sessionStorage).some(k => k.endsWith(':offline'))")
    assert learner.page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('build-course'))") == []
    learner.close()
    assert french_site.desk.calls[session.launch.fetch_key] == 2
    assert len(french_site.lrs.statements(session.reg.id)) == len(session.statements)


def test_failed_path_and_mastery_score_from_the_lms(browser, french_site):
    # The quiz allows one attempt: all wrong is a final judgement, so "failed" is sent.
    session = take(browser, french_site, lambda learner: learner.walk(right=False, retry=False))
    assert "failed" in session.verbs and "passed" not in session.verbs and "completed" in session.verbs
    assert session.only("failed")["result"]["score"]["scaled"] == 0

    # Two right of three with the LMS's own masteryScore 0.5 (the course says 0.8): passed.
    session = take(browser, french_site, lambda learner: learner.answer(0, [True, True, False, True], essay="Mon essai."),
                   mastery=0.5)
    assert session.only("passed")["result"]["score"]["scaled"] == pytest.approx(2 / 3, abs=1e-4)
    assert "completed" not in session.verbs  # the second page was never opened


def test_network_failure_is_shown_retried_and_nothing_is_lost(browser, french_site):
    def visit(learner: Au) -> None:
        learner.lrs_down(True)
        learner.answer(0, True, essay="Écrit hors ligne.")
        notice = learner.page.locator("#cmi5-save-failed")
        notice.wait_for(state="visible")
        learner.lrs_down(False)
        notice.wait_for(state="hidden", timeout=30_000)  # the queue got through on a retry
        learner.page.locator("#sco-next").click()

    session = take(browser, french_site, visit)
    assert session.verbs.count("answered") == len(french_site.course.quizzes[0].questions)  # each once
    assert "passed" in session.verbs and "completed" in session.verbs


def test_same_browser_new_registration_or_after_browse_starts_afresh(browser, french_site):
    """Progress belongs to a registration and to Normal launches (cmi5 §3, §10.2.2): in the same
    browser, a Browse visit is not restored into the Normal launch that follows, and a learner
    who retakes the course (a new registration) starts afresh, with nothing judged in advance."""
    context = browser.new_context()

    def untouched(learner: Au) -> None:
        page = learner.page
        assert page.locator(".sco-page:not([hidden]) h1").inner_text() == learner.config()["pages"][0]["title"]
        assert page.locator("#sco-notice").is_hidden(), page.locator("#sco-notice").inner_text()
        assert page.locator("[data-quiz-index='0'] .quiz-result").inner_text() == ""

    def untouched_then_walk(learner: Au) -> None:
        untouched(learner)
        learner.walk(retry=False)

    try:
        copies = BrowserCopies(context, french_site)
        browse = take(browser, french_site, lambda learner: learner.walk(retry=False), mode="Browse", context=context)
        assert copies.read() == {}  # Browse keeps nothing either
        normal = take(browser, french_site, untouched_then_walk, reg=browse.reg, context=context)
        assert normal.verbs.count("initialized") == 1 and {"completed", "passed"} <= set(normal.verbs)
        assert copies.read() == {}  # every save acknowledged: no learner text left in the browser
        again = take(browser, french_site, untouched, context=context)  # a new registration
        assert again.verbs == ["launched", "initialized", "terminated"]
    finally:
        context.close()


def test_browser_copy_lives_until_the_lrs_has_it_and_only_for_its_registration(browser, french_site):
    """The learner's texts may be personal and the computer shared: the browser keeps a copy of
    the progress only while the LRS has not acknowledged it. Left by a tab closed while the LRS
    was unreachable, the next launch of the registration restores it (saying so), sends it and
    removes it; a copy older than the LRS's is removed unused; a new registration (another
    learner, a retake) starts empty and removes the earlier one's copies, the ones earlier
    builds kept included."""
    site, context, outage = french_site, browser.new_context(), LrsOutage(french_site.lrs)
    first, later = "Pensée personnelle, jamais arrivée.", "Réécrite une fois en ligne."
    try:
        copies, reg = BrowserCopies(context, site), site.lms.register()
        leave_a_copy(browser, site, context, reg, first, outage, down="unreachable")
        left = copies.read()
        assert set(left) == {copies.key(reg), copies.key(reg, "cmi5-outbox")}
        assert first in saved_text(json.loads(left[copies.key(reg)])["suspendData"])
        assert first in [s["result"].get("response") for s in json.loads(left[copies.key(reg, "cmi5-outbox")])]
        status, doc = progress(site, reg)
        assert status == 404 or first not in saved_text(doc["suspendData"])  # the LRS never got it

        def restored_then_rewritten(learner: Au) -> None:
            area = learner.page.locator(".reflection textarea").first
            assert area.input_value() == first
            assert learner.page.locator("#sco-notice").is_visible()  # restored from this browser
            assert copies.gone_soon() == {}  # sent at launch, removed once acknowledged
            assert first in saved_text(progress(site, reg)[1]["suspendData"])
            area.fill(later)
            learner.page.locator("#sco-next").click()

        take(browser, site, restored_then_rewritten, reg=reg, context=context)
        assert copies.read() == {}
        assert later in saved_text(progress(site, reg)[1]["suspendData"])

        # The first copy of the progress again, as a tab that died before the LRS's answer leaves
        # it: older than what the LRS holds now.
        copies.plant({copies.key(reg): left[copies.key(reg)]})

        def newest(learner: Au) -> None:
            assert learner.page.locator(".reflection textarea").first.input_value() == later
            assert learner.page.locator("#sco-notice").is_hidden()

        take(browser, site, newest, reg=reg, context=context)
        assert copies.read() == {}

        # A new registration (here with the same activityId, as cmi5 8.1.5 says an LMS should),
        # with the earlier one's copy made newer than anything: never read.
        newer = json.loads(left[copies.key(reg)])
        newer["rev"] = 10 ** 15
        course_js = f"build-course:{site.course.id}:cmi5:{reg.actor['account']['name']}:{reg.id}"
        kept = {f"build-course:cmi5:other-course:{reg.id}:urn:uuid:{uuid.uuid4()}": "{}",  # another course
                f"build-course:cmi5:{uuid.uuid4()}:urn:uuid:{uuid.uuid4()}": "{}",  # another AU, an earlier build
                f"build-course:{site.course.id}:cmi5:offline": "opened from disk"}
        copies.plant({**left, copies.key(reg): json.dumps(newer), **kept,
                      course_js: "1|old", course_js + ":Browse": "1|old",  # course.js's own, earlier builds
                      f"build-course:cmi5:{reg.id}:{reg.activity_id}": json.dumps(newer)})  # the key until now
        other = site.lms.register()
        other.activity_id = reg.activity_id

        def empty(learner: Au) -> None:
            page = learner.page
            assert page.locator(".reflection textarea").first.input_value() == ""
            assert page.locator("#sco-notice").is_hidden()
            assert page.locator(".sco-page:not([hidden]) h1").inner_text() == learner.config()["pages"][0]["title"]

        again = take(browser, site, empty, reg=other, context=context)
        assert again.verbs == ["launched", "initialized", "terminated"]
        assert copies.read() == kept
    finally:
        context.close()
        outage.close()


def test_statements_queued_when_the_tab_closes_offline_reach_the_lrs_next_time(browser, french_site):
    """The LRS unreachable from the moment the learner starts until they close the tab: nothing
    they did is lost. The next launch in that browser sends what never arrived (in its own
    session: the LMS abandoned the first one), and judges completion and success afresh."""
    site, context, outage = french_site, browser.new_context(), LrsOutage(french_site.lrs)
    try:
        reg = site.lms.register()
        first = site.lms.launch(reg, endpoint=outage.endpoint)
        learner = Au(browser, site, context)
        learner.open(first)
        learner.page.wait_for_function("window.buildCourseSco.lms.pending() === 0")  # initialized is in
        outage.down = True
        learner.walk(retry=False, text="Écrit hors ligne {n}.")
        learner.page.locator("#cmi5-save-failed").wait_for(state="visible")
        learner.page.close(run_before_unload=True)
        time.sleep(2)  # the keepalive requests of the closed tab meet the outage too
        outage.down = False
        assert [verb(s) for s in site.lrs.statements(reg.id)] == ["launched", "initialized"]  # nothing more got through
        copies = BrowserCopies(context, site)
        left = json.loads(copies.read()[copies.key(reg)])  # the progress the LRS refused
        assert "Écrit hors ligne 0.0." in saved_text(left["suspendData"])

        def restored(learner: Au) -> None:
            assert learner.page.locator(".reflection textarea").first.input_value() == "Écrit hors ligne 0.0."

        second = take(browser, site, restored, reg=reg, context=context)
        assert copies.read() == {}
        assert "Écrit hors ligne 0.0." in saved_text(progress(site, reg)[1]["suspendData"])
        answered = [s for s in second.statements if verb(s) == "answered"]
        questions = len(site.course.quizzes[0].questions)
        assert len(answered) == questions + 1, [s["object"]["id"] for s in answered]  # + the reflection
        assert {"passed", "completed"} <= set(second.verbs)
        assert any(s["result"].get("response", "").startswith("Écrit hors ligne") for s in answered)
    finally:
        context.close()
        outage.close()


@pytest.fixture(scope="module")
def french_unlimited_site(env, tmp_path_factory, lrs):
    """The French course with attempts: unlimited (the default): a score below the mastery score
    can still become a pass."""
    root = tmp_path_factory.mktemp("cmi5-fr-unlimited")
    shutil.copytree(FIXTURE, root / "src")
    quiz = root / "src" / "quizzes" / "premier.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("attempts: 1", "attempts: unlimited"), encoding="utf-8")
    course, diagnostics = load_course(root / "src")
    assert course is not None and not diagnostics.errors and course.quizzes[0].attempts is None
    from builder.render import make_environment

    site = Site(course, make_environment(root / "src"), root / "site", lrs)
    yield site
    site.server.shutdown()


def test_failed_when_leaving_below_the_mastery_score_with_attempts_left(browser, french_unlimited_site):
    """cmi5 9.3.5: the learner who submitted every quiz and leaves below the mastery score has
    failed, even with attempts left; a later session may still pass (never both in one session)."""
    site = french_unlimited_site
    first = take(browser, site, lambda learner: learner.walk(right=False, retry=False))
    assert "failed" in first.verbs and "passed" not in first.verbs
    assert first.verbs.index("failed") == len(first.verbs) - 2  # judged on leaving, before terminated

    def retry_right(learner: Au) -> None:  # a relaunch offers the quiz afresh
        learner.page.locator("[data-nav-page='0']").click()
        learner.answer(0, True, essay="Mon essai.")

    second = take(browser, site, retry_right, reg=first.reg)
    assert "passed" in second.verbs and "failed" not in second.verbs
