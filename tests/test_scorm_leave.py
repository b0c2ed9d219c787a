"""Leaving the SCO never fails a commit (issue 7 §4), on scorm-again with an LMS that commits
over HTTP, synchronously, as scorm-again does by default with an ``lmsCommitUrl``.

Chromium forbids a synchronous request during page dismissal, so a Commit made while the page
unloads fails (scorm-again: 101 in SCORM 1.2, 391 in 2004). The SCO commits while the page is
alive, and on leaving sends only the finish call, which scorm-again sends as a beacon.
"""

from __future__ import annotations

import pytest

from state_codec import saved_text
from test_scorm_e2e import EDITIONS, assert_clean_calls, browser, learner_for, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def learner_over_http(site, learner_for):  # noqa: F811
    """The shared fresh-profile learners, with the site's base URL for the HTTP-commit LMS."""
    return learner_for, site[0]


@pytest.mark.parametrize("edition", EDITIONS)
def test_leaving_the_page_fails_no_call(learner_over_http, edition):
    make, base = learner_over_http
    learner = make(edition)
    settings = {"lmsCommitUrl": f"{base}/lms/commit", "useAsynchronousCommits": False}
    learner.launch(settings=settings)
    config = learner.config()
    learner.sco.locator(".reflection textarea").first.fill("Written before leaving.")
    learner.answer_quiz(0, right=True)
    learner.sco.locator("[data-nav-page='1']").click()
    # Hidden while alive (another tab): the SCO commits then, over the synchronous request.
    learner.frame.evaluate("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
                           "document.dispatchEvent(new Event('visibilitychange'))")
    before = learner.calls()
    assert before[-1][0].endswith("Commit") and before[-1][3] == "true", before[-3:]
    learner.leave()  # the frame navigates away: page dismissal
    calls = learner.calls()
    assert_clean_calls(learner)
    finish = "LMSFinish" if edition == "scorm12" else "Terminate"
    assert calls[-1][0] == finish and calls[-1][3] == "true", calls[-3:]
    assert not [c for c in calls[len(before):] if c[0].endswith("Commit")], "a Commit during page dismissal"
    errors = [c for c in calls if c[4] not in ("0",) and not (c[0] == "GetValue" and c[4] == "403")]
    print(f"\n{edition} over HTTP: {len(calls)} API calls, {len(errors)} errors, "
          f"{sum(c[0].endswith('Commit') for c in calls)} commits while alive, then {finish} alone")
    # What the LMS received with the finish call is the whole session (bookmark included).
    flat = learner.flat()
    assert flat["cmi.core.lesson_location" if edition == "scorm12" else "cmi.location"] == config["pages"][1]["id"]
    assert "Written before leaving." in saved_text(flat["cmi.suspend_data"])
