"""The French and Arabic test courses pass the English course's end-to-end checks: every package
valid for the official checker, both SCOs walked in Chromium on scorm-again with axe (no serious
or critical finding) and no English left on screen, and the course completed with the keyboard
alone in every shipped language."""

from __future__ import annotations

import dataclasses

import pytest

from builder import i18n
from builder.diagnostics import Diagnostics
from builder.package import write_zip
from builder.render import make_environment
from builder.targets import get_target
from conftest import assert_valid
from e2e.lms_harness import AXE, E2E, Learner, serve, unpack
from i18n_support import COURSES, english_patterns, load
from test_scorm_e2e import ARGS, CHROMIUM, ESSAY, _require, assert_clean_calls, walk

EDITIONS = ("scorm12", "scorm2004")


@pytest.mark.parametrize("name", sorted(COURSES))
def test_every_package_is_valid(name, validate_package, tmp_path):
    course = load(name)
    env = make_environment(course.source_dir)
    for fmt in ("scorm12", "scorm2004", "cc1.1", "cc1.3", "cmi5"):
        target = get_target(fmt)
        package = write_zip(target.build(course, env, Diagnostics()), tmp_path / target.filename(course))
        assert_valid(validate_package(package))


@pytest.fixture(scope="module")
def browser():
    _require(CHROMIUM, "Chromium")
    _require(AXE, "tests/e2e/node_modules (run `npm ci --prefix tests/e2e`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Both SCOs of the fr and ar courses, and the fr course's SCORM 1.2 SCO in every shipped language."""
    root = tmp_path_factory.mktemp("i18n-lms")
    (root / "lms").symlink_to(E2E, target_is_directory=True)
    launches = {}
    courses = {name: load(name) for name in COURSES}
    for language in i18n.known_languages():
        if language not in courses:
            courses[language] = dataclasses.replace(courses["fr"], language=language, messages=())
    for name, course in courses.items():
        env = make_environment(course.source_dir)
        for edition in EDITIONS if name in COURSES else ("scorm12",):
            target = get_target(edition)
            package = write_zip(target.build(course, env, Diagnostics()), root / f"{name}-{target.filename(course)}")
            launches[(name, edition)] = f"/pkg/{name}/{edition}/" + unpack(package, root / "pkg" / name / edition)
    server, base = serve(root)
    yield base, launches, courses
    server.shutdown()


def _learner(browser, site, name, edition):
    base, launches, _ = site
    context = browser.new_context()
    context.set_default_timeout(10_000)
    return context, Learner(context.new_page(), base, edition, launches[(name, edition)])


@pytest.mark.browser
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", sorted(COURSES))
def test_walk_axe_and_no_english_on_screen(browser, site, name, edition):
    context, learner = _learner(browser, site, name, edition)
    try:
        learner.launch()
        config = learner.config()
        direction = "rtl" if name == "ar" else "ltr"
        assert learner.frame.evaluate("getComputedStyle(document.body).direction") == direction
        problems = {}
        for index, page in enumerate(config["pages"]):
            learner.sco.locator(f"[data-nav-page='{index}']").click()
            problems[page["id"]] = learner.axe()
        learner.sco.locator("[data-nav-page='0']").click()
        walk(learner)  # every quiz answered wrong, retried, answered right; every text written
        learner.sco.locator("[data-nav-page='0']").click()
        problems["quiz answered"] = learner.axe()  # verdicts, feedback and result shown
        # each checked question's inputs are described by its verdict and the feedback shown
        described = learner.frame.evaluate("""() => [...document.querySelectorAll('[data-quiz-index="0"] [data-question-index]')].map(item => {
            const input = item.querySelector('input, textarea');
            const ids = (input.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            const verdict = item.querySelector('.question-result');
            return {verdict: ids.includes(verdict.id) && !verdict.hidden && verdict.innerText.trim() !== '',
                    shown: ids.every(id => { const el = document.getElementById(id); return el && (!el.hidden || el.classList.contains('limit-message')); })};
        })""")
        assert described and all(d["verdict"] and d["shown"] for d in described), described
        # the layout mirrors: the answer marks sit on the reading side, "Previous" before "Next"
        start = "right" if direction == "rtl" else "left"
        mark = learner.frame.evaluate("s => getComputedStyle(document.querySelector('li.is-right'))[s]", f"border-{start}-width")
        assert mark == "4px", (start, mark)
        learner.sco.locator("[data-nav-page='1']").click()
        prev, nxt = (learner.sco.locator(b).bounding_box()["x"] for b in ("#sco-prev", "#sco-next"))
        assert (prev > nxt) if direction == "rtl" else (prev < nxt)
        assert not any(problems.values()), problems
        shown = learner.frame.evaluate("document.body.innerText")
        left = [english for english, pattern in english_patterns(learner.config()["i18n"]["lang"]) if pattern.search(shown)]
        assert not left, left
        learner.leave()
        assert_clean_calls(learner)
        flat = learner.flat()
        assert float(flat["cmi.core.score.raw" if edition == "scorm12" else "cmi.score.raw"]) == 100
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", i18n.known_languages())
def test_keyboard_only_in_every_language(browser, site, language):
    """Tab, arrows, Space, Enter and typing only, through the whole course, in each catalog."""
    context, learner = _learner(browser, site, language, "scorm12")
    try:
        learner.launch()
        assert learner.config()["i18n"]["lang"].split("-")[0] == language
        learner.walk_by_keyboard("Clavier.", ESSAY)
        flat = learner.flat()
        assert flat["cmi.core.lesson_status"] in ("completed", "passed") and float(flat["cmi.core.score.raw"]) == 100
        assert_clean_calls(learner)
    finally:
        context.close()
