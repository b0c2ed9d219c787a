"""The loader's Markdown shortcut for one-line text with only *emphasis*/**strong** renders
exactly what Python-Markdown renders, on seeded random strings built to hit its edges."""

from __future__ import annotations

import random
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.load.markdown_render import LinkContext, MarkdownRenderer, _emphasis_only

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
