"""The loader's Markdown shortcut for one-line text with only *emphasis*/**strong** renders
exactly what Python-Markdown renders, on seeded random strings built to hit its edges."""

from __future__ import annotations

import random
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.load.markdown_render import _PLAIN, LinkContext, MarkdownRenderer, _emphasis_only, _simple_paragraphs
from builder.model import Position

PIECES = list("ab c1:.,?'’*-()#%@/\"é") + ["**", "*", " *x* ", "Question 3: ", " and *care*", "1. ", "**bold**", " _u_ "]


def markdown_html(renderer: MarkdownRenderer, text: str) -> str:
    renderer.md.reset()
    return renderer._check_output(renderer.md.convert(text))


def test_emphasis_shortcut_matches_python_markdown():
    renderer = MarkdownRenderer(LinkContext(Path("."), ""), Diagnostics())
    rng = random.Random(10)
    hits = 0
    for _ in range(6000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        fast = _emphasis_only(text)
        if fast is not None:
            hits += 1
            assert fast == markdown_html(renderer, text), text
    assert hits > 1000  # the shortcut was really exercised


def test_emphasis_shortcut_takes_prompts_and_leaves_the_rest():
    assert _emphasis_only("Which is *right*, and **why**?") == "<p>Which is <em>right</em>, and <strong>why</strong>?</p>"
    for text in ("- a list", "a [link](x)", "two\nlines", "*unbalanced", "x*y*z", "`code`", "a < b", " padded"):
        assert _emphasis_only(text) is None, text


LINE_PIECES = PIECES + ["\t", "\x00", "\x02", "\xa0", "  ", "plain words", "*em*", " **strong**"]
WORDS = ["word", "*em*", "**strong**", "Question", "3:", "care,", "it’s", "é", "well.", "why?", "*a b*",
         "[a link](https://example.org/1/2)", "[x](http://e.org)", "[a](https://e.org)."]
ODD_WORDS = ["[ a](https://e.org)", "[a b](https://e.org/%7E~x)", "[a](https://e.org)[b](https://e.org)",
             "*[a](https://e.org)*", "[*a*](https://e.org)", "[a](ftp://e.org)", "[a](https://e.org \"t\")",
             "x[a](https://e.org/(b))", "*a*[b](https://e.org)", "[a](<https://e.org>)", "[a]", "(b)"]


def random_line(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(["", "  ", " \t"])  # blank to Markdown, or not quite
    if roll < 0.95:  # words, now and then after what starts a list, a heading or a quote, or before spaces
        start = rng.choice(["1. ", "- ", "# ", "> ", "    ", "x*y "] + [""] * 30)
        end = rng.choice([" ", "  "] + [""] * 15)
        words = (rng.choice(WORDS if rng.random() < 0.9 else ODD_WORDS) for _ in range(rng.randint(1, 5)))
        return start + " ".join(words) + end
    return "".join(rng.choice(LINE_PIECES) for _ in range(rng.randint(1, 6)))


def test_paragraph_shortcut_matches_python_markdown():
    """Several lines and paragraphs of plain or emphasis-only text (module pages, feedback)."""
    renderer = MarkdownRenderer(LinkContext(Path("."), ""), Diagnostics())
    rng = random.Random(11)
    hits = 0
    for _ in range(4000):
        text = "\n".join(random_line(rng) for _ in range(rng.randint(2, 6)))
        fast = _simple_paragraphs(text)
        if fast is not None:
            hits += "\n" in text.strip()
            assert fast == markdown_html(renderer, text), repr(text)
    assert hits > 250  # the shortcut was really exercised on several lines


def test_shortcuts_leave_control_characters_to_markdown():
    renderer = MarkdownRenderer(LinkContext(Path("."), ""), Diagnostics())
    for text in ("a\tb", "x *y*\tz", "a\x00b", "a\x02b", "one\ntwo\tthree"):
        assert renderer.block(text, Position("f.md", 1)) == markdown_html(renderer, text), repr(text)
    assert _simple_paragraphs("one\n\ntwo *em*\nthree") == "<p>one</p>\n<p>two <em>em</em>\nthree</p>"
    assert _simple_paragraphs("- a\n- b") is None and _simple_paragraphs("line  \nbreak") is None
    assert _simple_paragraphs("See [the site](https://e.org/a).") == (
        '<p>See <a href="https://e.org/a" target="_blank" rel="noopener">the site</a>.</p>')


def test_links_on_the_shortcut_count_against_the_bracket_budget():
    renderer = MarkdownRenderer(LinkContext(Path("."), ""), Diagnostics())
    renderer.budget.brackets = 2
    line = "A [link](https://e.org) and [another](https://e.org)."
    assert "<a href" in renderer.block(line, Position("f.md", 3)) and renderer.budget.brackets == 0
    assert renderer.block(line, Position("f.md", 4)) == ""  # the budget's error, as on Markdown's path
    assert [e.pos.line for e in renderer.d.errors] == [4]


def test_one_line_shortcuts_through_the_renderer_match_python_markdown():
    """What ``block``/``inline`` return for one line that takes a shortcut (plain or emphasis)."""
    renderer = MarkdownRenderer(LinkContext(Path("."), ""), Diagnostics())
    rng = random.Random(12)
    hits = 0
    for _ in range(3000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(LINE_PIECES + ["&", "<", ">", "&amp;"]) for _ in range(rng.randint(1, 8)))
        else:
            text = random_line(rng)
        if _PLAIN.match(text) or _emphasis_only(text) is not None or _simple_paragraphs(text) is not None:
            hits += 1
            slow = markdown_html(renderer, text)
            assert renderer.block(text, Position("f.md", 1)) == slow, repr(text)
            assert renderer.inline(text, Position("f.md", 1)) == (slow[3:-4] if slow.startswith("<p>") else slow)
    assert hits > 500


IMAGES = ["![Figure one](../media/one.png)", "![A b](../media/two.jpg)", "![x](../media/missing.png)",
          "![x](../../outside.png)", "![x](notes.txt)", "![x](../media/one.png \"t\")", "![](../media/one.png)",
          "![x](01-first.md)", "![x](/abs.png)", "![ x](../media/one.png)", "wow![x](../media/one.png)"]


def renderer_for(course: Path, shortcuts: bool) -> MarkdownRenderer:
    renderer = MarkdownRenderer(LinkContext(course / "course", "course/", module_pages={"modules/01-first.md": "first.html"},
                                            root=course), Diagnostics())
    renderer.shortcuts = shortcuts
    return renderer


def test_pages_with_images_and_links_render_and_report_as_on_markdowns_path(tmp_path):
    """Whole module chunks: the HTML, every diagnostic (missing image, outside the course, not in
    media/) and the media registered are those of Python-Markdown's path."""
    media = tmp_path / "course" / "media"
    media.mkdir(parents=True)
    (media / "one.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 20)
    (media / "two.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 20)
    (tmp_path / "course" / "modules").mkdir()
    (tmp_path / "course" / "modules" / "notes.txt").write_text("x")
    fast, slow = renderer_for(tmp_path, True), renderer_for(tmp_path, False)
    rng = random.Random(13)
    hits = 0
    for n in range(800):
        lines = []
        for _ in range(rng.randint(1, 4)):
            line = random_line(rng)
            if rng.random() < 0.5:
                line = rng.choice(["", "See ", "**Figure:** "]) + rng.choice(IMAGES) + rng.choice(["", " and more."])
            lines.append(line)
        text = "\n".join(lines)
        pos = Position("course/modules/01-first.md", n + 1)
        got = fast.block(text, pos, base="modules", scope="first")
        hits += "<img" in got and _simple_paragraphs(text, lambda alt, address: "") is not None  # shortcut
        assert got == slow.block(text, pos, base="modules", scope="first"), repr(text)
        assert [str(d) for d in fast.d] == [str(d) for d in slow.d], repr(text)
    assert fast.media.keys() == slow.media.keys() and fast.budget.brackets == slow.budget.brackets
    assert hits > 60
