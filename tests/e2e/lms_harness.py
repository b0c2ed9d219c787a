"""The pieces of the SCORM end-to-end tests: a local server, the LMS-like harness page driven
through Playwright, and a learner who walks the course (by mouse or by keyboard alone)."""

from __future__ import annotations

import functools
import http.server
import threading
import zipfile
from pathlib import Path

from lxml import etree

E2E = Path(__file__).resolve().parent
AXE = E2E / "node_modules" / "axe-core" / "axe.min.js"
LEARNER = {"scorm12": "cmi.core.student_id", "scorm2004": "cmi.learner_id"}
ENTRY = {"scorm12": "cmi.core.entry", "scorm2004": "cmi.entry"}
# Written by the SCO during a session only; an LMS does not hand them back on the next launch.
SESSION_ONLY = {
    "scorm12": ("cmi.core.session_time", "cmi.core.exit"),
    "scorm2004": ("cmi.session_time", "cmi.exit"),
}


def unpack(package: Path, dest: Path) -> str:
    """Unzip a package and return its SCO's launch href, as an LMS reads it from the manifest."""
    with zipfile.ZipFile(package) as zf:
        zf.extractall(dest)
    tree = etree.parse(str(dest / "imsmanifest.xml"))
    ns = {"cp": tree.getroot().nsmap[None]}
    ref = tree.xpath("//cp:organization//cp:item[@identifierref][1]/@identifierref", namespaces=ns)[0]
    return tree.xpath("//cp:resource[@identifier=$r]/@href", r=ref, namespaces=ns)[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test output is for test results
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        """An LMS's commit endpoint (scorm-again's lmsCommitUrl): accepts every commit."""
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"result": true, "errorCode": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def relaunch_data(flat: dict, edition: str, entry: str) -> dict:
    """What an LMS hands the SCO on the next launch of the same attempt."""
    data = {k: v for k, v in flat.items() if k not in SESSION_ONLY[edition] and v not in ("", None, {})}
    data[ENTRY[edition]] = entry
    return data


class Learner:
    """Drives the harness page: launch, leave, read the LMS record, answer as a learner."""

    def __init__(self, page, base: str, edition: str, launch_url: str):
        self.page, self.base, self.edition, self.launch_url = page, base, edition, launch_url
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)
        # Chromium's console line for a failed load does not name the resource; this list does.
        self.failed_requests: list[str] = []
        page.on("requestfailed", lambda request: self.failed_requests.append(request.url))
        page.route("**/*", self._offline)
        page.goto(f"{base}/lms/harness.html")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _offline(self, route) -> None:
        # The tests run offline: YouTube (and anything not on the local server) is blocked.
        if route.request.url.startswith(self.base) or route.request.url.startswith("about:"):
            route.continue_()
        else:
            route.abort()

    # -- LMS side ------------------------------------------------------------------------------

    def launch(self, data: dict | None = None, learner: str = "learner-1", settings: dict | None = None) -> None:
        """``settings``: scorm-again settings over the harness's own (e.g. an lmsCommitUrl)."""
        data = dict(data or {})
        data.setdefault(LEARNER[self.edition], learner)
        self.page.evaluate("([e, u, d, s]) => lms.launch(e, u, d, s)", [self.edition, self.launch_url, data, settings or {}])
        self.sco.locator("html.sco-ready").wait_for(state="attached")
        self.page.wait_for_function("lms.commits.length > 0")

    def leave(self) -> None:
        self.page.evaluate("lms.leave()")
        self.page.wait_for_function("lms.finished > 0")

    def flat(self) -> dict:
        return self.page.evaluate("lms.flat()")

    def calls(self) -> list[list]:
        return self.page.evaluate("lms.calls")

    def set_values(self) -> dict[str, list[str]]:
        """Every value the SCO set, by element, in order."""
        out: dict[str, list[str]] = {}
        for name, element, value, _result, _code in self.calls():
            if name.endswith("SetValue"):
                out.setdefault(element, []).append(value)
        return out

    # -- learner side --------------------------------------------------------------------------

    @property
    def sco(self):
        return self.page.frame_locator("#sco")

    @property
    def frame(self):
        return self.page.locator("#sco").element_handle().content_frame()

    def config(self) -> dict:
        return self.frame.evaluate("window.buildCourseSco.config")

    def visible_title(self) -> str:
        return self.sco.locator(".sco-page:not([hidden]) h1").inner_text()

    def answer_quiz(self, index: int, right: bool, essay_text: str = "") -> None:
        quiz = self.config()["quizzes"][index]
        section = self.sco.locator(f"[data-quiz-index='{index}']")
        for qi, q in enumerate(quiz["questions"]):
            item = section.locator(f"[data-question-index='{qi}']")
            if q["type"] in ("multiple_choice", "true_false"):
                wrong = [c for c in q["choices"] if c not in q["correct"]]
                item.locator(f"input[value='{q['correct'][0] if right else wrong[0]}']").check()
            elif q["type"] == "multiple_response":
                wrong = [c for c in q["choices"] if c not in q["correct"]]
                for c in q["correct"] if right else wrong[:1]:
                    item.locator(f"input[value='{c}']").check()
            elif q["type"] == "fill_in_blank":
                item.locator("input[type=text]").fill(q["answers"][0] if right else "not this")
            elif essay_text:
                item.locator("textarea").fill(essay_text)
        section.locator(".quiz-submit").click()
        section.locator(".quiz-result[data-percent]").wait_for()  # set once checked, in any language

    def tab_to(self, selector: str, limit: int = 300) -> None:
        """Press Tab until the focus is on ``selector`` (the keyboard is the only input)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.frame.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def walk_by_keyboard(self, reflection_text: str, essay_text: str) -> None:
        """The whole course with Tab, arrows, Space, Enter and typing: every text written, every
        quiz answered right and checked, every page reached by the Next button. No mouse."""
        config, keyboard, frame = self.config(), self.page.keyboard, self.frame
        for index, page in enumerate(config["pages"]):
            section = f"[data-page-index='{index}']"
            for area in self.sco.locator(f"{section} .reflection textarea").all():
                self.tab_to(f"#{area.get_attribute('id')}")
                keyboard.type(reflection_text)
            quiz_el = self.sco.locator(f"{section} [data-quiz-index]")
            if quiz_el.count():
                quiz = config["quizzes"][int(quiz_el.get_attribute("data-quiz-index"))]
                for n, q in enumerate(quiz["questions"]):
                    item = f"{section} [data-question-index='{n}']"
                    if q["type"] in ("multiple_choice", "true_false"):
                        self.tab_to(f"{item} input")
                        for _ in range(len(q["choices"]) + 1):
                            if frame.evaluate("() => document.activeElement.value") == q["correct"][0]:
                                break
                            keyboard.press("ArrowDown")
                        keyboard.press("Space")
                    elif q["type"] == "multiple_response":
                        for c in q["correct"]:
                            self.tab_to(f"{item} input[value='{c}']")
                            keyboard.press("Space")
                    else:
                        self.tab_to(f"{item} input[type=text], {item} textarea")
                        keyboard.type(q["answers"][0] if q["type"] == "fill_in_blank" else essay_text)
                self.tab_to(f"{section} .quiz-submit")
                keyboard.press("Enter")
                self.sco.locator(f"{section} .quiz-result[data-percent='100']").wait_for()
                # the result is announced: a status region that takes the focus
                assert frame.evaluate("document.activeElement.getAttribute('role')") == "status"
            if index < len(config["pages"]) - 1:
                self.tab_to("#sco-next")
                keyboard.press("Enter")
                assert self.visible_title() == config["pages"][index + 1]["title"]

    def retry_quiz(self, index: int) -> None:
        self.sco.locator(f"[data-quiz-index='{index}'] .quiz-retry").click()

    def axe(self) -> list[dict]:
        """axe-core on the SCO document as it is shown now: serious and critical violations."""
        frame = self.frame
        if not frame.evaluate("typeof window.axe !== 'undefined'"):
            frame.add_script_tag(path=str(AXE))
        violations = frame.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
            "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
        )
        return [v for v in violations if v["impact"] in ("serious", "critical")]
