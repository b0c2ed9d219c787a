"""`build-course preview` in real Chromium: start it, take the quiz, see what the LMS stand-in
records, edit a file and see the change (no manual reload), break a file and see the error with
file:line as the command line prints it, fix it and see the course again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.scaffold import create
from cli import main
from test_scorm_e2e import browser  # noqa: F401 - the same headless Chromium as the SCORM tests

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.browser


class PreviewProcess:
    """`build-course preview` in a child process, as an author runs it; its output is kept."""

    def __init__(self, source: Path, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())", "preview", "--source",
             str(source), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self.wait_for(r"(http://127\.0\.0\.1:\d+/)").group(1)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def course(tmp_path) -> Path:
    create(tmp_path / "c", "Live course")
    return tmp_path / "c"


@pytest.fixture
def preview(course):
    process = PreviewProcess(course)
    yield process
    process.stop()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a rebuild on a busy machine (2 shared cores) takes seconds
    context = browser.new_context()
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_the_author_loop(preview, course, page):
    from playwright.sync_api import expect

    assert re.search(r"Build 1: OK in \d", "\n".join(preview.lines))
    page.goto(preview.url)
    sco = page.frame_locator("#sco-frame")
    expect(sco.locator("h1").first).to_have_text("Welcome")
    expect(page.locator("#lms-completion")).to_have_text("incomplete")  # the SCO has started its session
    expect(page.locator("#lms-sessions")).to_have_text("0")

    # take the quiz (every question must be answered): one answer wrong, the others right
    sco.locator("#q-welcome-first-tip").get_by_label("Understand your privilege").check()
    sco.locator("#q-welcome-which-tips").get_by_label("Listen and do your homework").check()
    sco.locator("#q-welcome-which-tips").get_by_label("You will make mistakes").check()
    sco.locator("#q-welcome-mistakes-happen").get_by_label("True").check()
    sco.locator("#q-welcome-ally-is-a input[type=text]").fill("verb")
    sco.locator("#q-welcome-in-your-words textarea").fill("Acting with others.")
    sco.locator(".quiz-submit").click()
    rows = page.locator("#lms-interactions tr")
    expect(page.locator("#lms-interactions tr[data-interaction='welcome.first-tip'] td").nth(3)).to_have_text("correct")
    expect(page.locator("#lms-interactions tr[data-interaction='welcome.mistakes-happen'] td").nth(3)).to_have_text("wrong")
    expect(page.locator("#lms-interactions tr[data-interaction='welcome.ally-is-a'] td").nth(2)).to_have_text("verb")
    assert rows.count() >= 4
    expect(page.locator("#lms-completion")).to_have_text("completed")
    expect(page.locator("#lms-score")).not_to_have_text("—")
    used = int(re.match(r"(\d+) of 4096 characters used, (\d+) left", page.locator("#lms-suspend").inner_text()).group(1))
    assert 0 < used < 4096

    # relaunch: the SCO resumes the attempt (entry "resume"); the record is kept
    page.locator("#lms-relaunch").click()
    expect(page.locator("#lms-sessions")).to_have_text("1")
    expect(page.locator("#lms-log li").first).to_contain_text("true")
    expect(page.locator("#lms-interactions tr[data-interaction='welcome.first-tip']")).to_have_count(1)

    # edit a module: the open tab shows the change by itself
    module = course / "course" / "modules" / "01-welcome.md"
    module.write_text(module.read_text().replace("Write the module in Markdown", "Edited while previewing"))
    expect(sco.locator("text=Edited while previewing")).to_be_visible()
    preview.wait_for(r"Build 2: OK")

    # break a quiz: the page shows the problem, exactly as the command line reports it
    quiz = course / "quizzes" / "welcome.yaml"
    good = quiz.read_text()
    quiz.write_text(good.replace("prompt: Which tip comes first in the video?", 'prompt: "Which tip comes first'))
    cli = CliRunner().invoke(main, ["validate", "--source", str(course)])
    (expected,) = [line for line in cli.output.splitlines() if ": error: " in line]
    assert expected.startswith("quizzes/welcome.yaml:")
    expect(page.locator("#live-problems")).to_contain_text(expected)
    preview.wait_for(re.escape(expected))

    # fix it: the course is back, and so is the attempt
    quiz.write_text(good)
    expect(sco.locator("text=Edited while previewing")).to_be_visible()
    expect(page.locator("#lms-interactions tr[data-interaction='welcome.first-tip']")).to_have_count(1)

    # reset: a fresh attempt
    page.locator("#lms-reset").click()
    expect(page.locator("#lms-interactions tr")).to_have_count(0)
    expect(page.locator("#lms-sessions")).to_have_text("0")


def test_scorm2004_view_and_the_answers_view(preview, page):
    from playwright.sync_api import expect

    page.goto(preview.url + "?edition=scorm2004")
    sco = page.frame_locator("#sco-frame")
    expect(sco.locator("h1").first).to_have_text("Welcome")
    expect(page.locator("#lms-completion")).to_have_text("incomplete")
    expect(page.locator("#lms-success")).to_have_text("unknown")
    expect(page.locator("#lms-suspend")).to_contain_text("of 64000 characters used")
    page.goto(preview.url + "answers/welcome.html")
    expect(page.locator("main")).to_contain_text("Understand your privilege")


def test_port_option_and_a_taken_port(course, tmp_path):
    first = PreviewProcess(course, "--port", "0")
    try:
        port = first.url.rsplit(":", 1)[1].strip("/")
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())", "preview", "--source",
             str(course), "--port", port], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert f"cannot serve on port {port}" in result.stderr
    finally:
        first.stop()


def test_open_starts_the_browser_on_the_url(course, tmp_path):
    opened = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    script.chmod(0o755)
    process = PreviewProcess(course, "--open", env={"BROWSER": str(script)})
    try:
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text().strip() == process.url
    finally:
        process.stop()


def test_a_templates_folder_created_while_previewing_is_watched(course, tmp_path):
    from builder.preview.watch import course_filter
    from watchfiles import Change

    accept = course_filter(course)
    assert accept(Change.added, str(course / "templates" / "scorm" / "sco.html"))  # not there yet
    assert accept(Change.modified, str(course / "course" / "media" / "a.png"))
    assert not accept(Change.modified, str(course / "dist" / "c-scorm12.zip"))
    assert not accept(Change.modified, str(course / "notes.txt"))
