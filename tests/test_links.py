"""No dead link in any package (issue 7 §1), checked with one rule set (tests/linkcheck.py).

* Cartridge (CC 1.1 and 1.3): every page, QTI text (both QTI files) and discussion topic holds
  only absolute links and (pages) files of the package that are not pages — never a relative
  link to another HTML file, which Moodle cannot migrate and Canvas reports as missing, nor an
  in-page anchor, as Moodle's import drops every id (tests/test_moodle_links.py shows it).
* SCORM 1.2 and 2004: every link stays inside the SCO (an id of the one document, a file of the
  package) or is absolute and opens a new tab.
* HTML preview: every link reaches a file of the preview (and its anchor) or is absolute.

For the embedded course, and for a course made to stress the rules: citations in a quiz and in a
reflection prompt, a source without address, an image, a link to another module, a footnote.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from builder.diagnostics import Diagnostics
from builder.load import load_course
from builder.package import write_zip
from builder.targets import get_target
from cc_factory import PNG
from linkcheck import check, check_all, links, package_resolver, parse

REPO = Path(__file__).resolve().parents[1]
CARTRIDGES = ("cc1.1", "cc1.3")
EDITIONS = ("scorm12", "scorm2004")


def linked_course_dir(root: Path) -> Path:
    """The embedded course with every kind of link an author can write."""
    shutil.copytree(REPO / "course", root / "course")
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    (root / "course" / "media").mkdir()
    (root / "course" / "media" / "pixel.png").write_bytes(PNG)
    module = root / "course" / "modules" / "01-build-solidarity.md"
    text = module.read_text(encoding="utf-8")
    text = text.replace(
        "prompt: How can we serve to shoulder each other up in this work?",
        "prompt: How can we serve to shoulder each other up in this work? [@2] [@3]")
    text += ("\n\nRead on in [the next module](02-tips-for-being-an-ally.md) or see "
             "[the sources](../modules/03-becoming-imperfect-allies.md). A note.[^n]\n\n"
             "![A small picture](../media/pixel.png)\n\n[^n]: A footnote that cites a source.[@4]\n")
    module.write_text(text, encoding="utf-8")
    quiz = root / "quizzes" / "build-solidarity.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        "What is it offered *as opposed to*?", "What is it offered *as opposed to*?[@1] [@3]"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def linked_course(tmp_path_factory):
    course, diagnostics = load_course(linked_course_dir(tmp_path_factory.mktemp("linked")))
    assert course is not None and not diagnostics.errors, "\n".join(map(str, diagnostics))
    return course


@pytest.fixture(scope="module", params=["embedded", "linked"])
def course(request, embedded_course, linked_course):
    return embedded_course if request.param == "embedded" else linked_course


def build(course, env, fmt: str, out: Path) -> dict[str, bytes]:
    target = get_target(fmt)
    files = target.build(course, env, Diagnostics())
    return {path: data.read_bytes() if isinstance(data, Path) else data for path, data in files.items()}


def report(kind: str, problems, count: int) -> None:
    print(f"\n{kind}: {count} links checked, {len(problems)} dead")
    assert not problems, "\n".join(map(str, problems))


# ------------------------------------------------------------------------------- cartridges


def cartridge_documents(files: dict[str, bytes]):
    """(where, html, is_page) for every HTML text a cartridge gives an LMS."""
    for path in sorted(files):
        if path.startswith("wiki_content/") and path.endswith(".html"):
            yield path, files[path].decode("utf-8"), True
        elif path.endswith(("assessment_qti.xml", ".xml.qti")):
            for n, mattext in enumerate(etree.fromstring(files[path]).iter("{*}mattext")):
                if mattext.get("texttype") == "text/html" and mattext.text:
                    yield f"{path} mattext {n + 1}", mattext.text, False
        elif path.endswith("topic.xml"):
            for text in etree.fromstring(files[path]).iter("{*}text"):
                yield f"{path} text", text.text or "", False


@pytest.mark.parametrize("fmt", CARTRIDGES)
def test_cartridge_has_no_dead_link(course, env, fmt, tmp_path):
    files = build(course, env, fmt, tmp_path)
    problems, count = [], 0
    for where, html, is_page in cartridge_documents(files):
        # Pages may use package files that are not pages (media); texts may only link outside.
        resolve = package_resolver(files, where, allow=lambda p: not p.endswith((".html", ".htm"))) if is_page else None
        problems += check(html, where, resolve=resolve, anchors=False)
        count += len(links(parse(html)))
    report(f"{fmt} {course.id}", problems, count)


def test_cartridge_pages_cite_in_page(linked_course, env, tmp_path):
    """Each module page lists what it cites, numbered as the sources list, with the citation text
    verbatim and its address; a citation links to the source itself (Moodle keeps no anchor),
    or is a bare number when the source has no address; the same in quiz text."""
    files = build(linked_course, env, "cc1.1", tmp_path)
    sources = {s.number: s for s in linked_course.sources}
    page = lxml.html.document_fromstring(files["wiki_content/build-solidarity.html"].decode("utf-8"))
    cited = {int(li.get("value")): li for li in page.xpath("//div[@class='references']//li")}
    assert sorted(cited) == [1, 2, 3, 4]  # text, reflection prompt, footnote and quiz citations
    for number, li in cited.items():
        assert li.get("id") == f"build-solidarity-source-{number}"
        assert sources[number].text in li.text_content()
        assert [a.get("href") for a in li.iter("a")] == ([sources[number].url] if sources[number].url else [])
    for sup in page.xpath("//sup[@class='cite']"):
        source = sources[int(sup.text_content())]
        assert [a.get("href") for a in sup.iter("a")] == ([source.url] if source.url else [])
    qti = files["q_build_solidarity/assessment_qti.xml"].decode("utf-8")
    assert f'href="{sources[1].url}"' in qti and 'target="_blank"' in qti
    assert '<sup class="cite">3</sup>' in qti  # source 3 has no address
    overview = files["wiki_content/course-overview.html"].decode("utf-8")
    assert not [link for link in links(parse(overview)) if link.tag == "a"]


# ------------------------------------------------------------------------------- SCORM


@pytest.mark.parametrize("edition", EDITIONS)
def test_sco_links_stay_inside_or_open_a_new_tab(course, env, edition, tmp_path):
    files = build(course, env, edition, tmp_path)
    html = files["index.html"].decode("utf-8")
    config = json.loads(parse(html).get_element_by_id("sco-config").get("data-config"))
    inside = package_resolver(files, "index.html")

    def resolve(relative: str):
        # A link to another module's page is followed by the runtime (config.pageFiles).
        return html if relative in config["pageFiles"] else inside(relative)

    problems = check(html, f"{edition} index.html", resolve=resolve, new_tab=True)
    report(f"{edition} {course.id}", problems, len(links(parse(html))))


# ------------------------------------------------------------------------------- preview


def test_preview_has_no_dead_link(course, env, tmp_path):
    files = build(course, env, "html", tmp_path)
    pages = [(path, files[path].decode("utf-8")) for path in sorted(files) if path.endswith(".html")]
    problems, count = [], 0
    for path, html in pages:
        problems += check(html, path, resolve=package_resolver(files, path))
        count += len(links(parse(html)))
    report(f"preview {course.id}", problems, count)


# ------------------------------------------------------------------------------- the checker


def test_checker_finds_each_kind_of_dead_link():
    html = ('<p id="a"><a href="#a">ok</a> <a href="#missing">x</a> <a href="sources.html#source-3">x</a>'
            '<a href="https://example.org/">x</a> <a href="javascript:alert(1)">x</a> <a href="#">x</a>'
            '<img src="@@PLUGINFILE@@/x.png" alt=""></p><p id="a"></p>')
    problems = check(html, "t")
    assert sorted(p.url for p in problems) == sorted(["#missing", "sources.html#source-3", "javascript:alert(1)", "#",
                                                      "@@PLUGINFILE@@/x.png", "id=a"])
    (tab,) = check('<a href="https://example.org/">x</a>', "t", new_tab=True)
    assert "target" in tab.why
    files = {"p/a.html": b'<html><body><h2 id="h">x</h2></body></html>', "p/i.png": b""}
    resolve = package_resolver(files, "p/b.html")
    assert not check('<a href="a.html#h">x</a><img src="i.png" alt="">', "t", resolve=resolve)
    assert [p.url for p in check('<a href="a.html#nope">x</a><a href="../p/c.png">x</a>', "t", resolve=resolve)] == [
        "a.html#nope", "../p/c.png"]
