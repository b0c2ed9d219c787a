"""Refuse Markdown that would make Python-Markdown recurse too deep or crawl, before rendering it.

Python-Markdown renders nested lists recursively (about 300 levels raise ``RecursionError``) and
looks for the closing bracket of every ``[`` to the end of its paragraph, so a paragraph of
thousands of ``[`` takes minutes (4,000 took 40 s when measured). Real courses stay far below
these limits (``limits.py``), so the checks cost a scan of the text and nothing else.
"""

from __future__ import annotations

import re
from typing import Optional

from .limits import MAX_BRACKETS_PER_COURSE, MAX_BRACKETS_PER_PARAGRAPH, MAX_MARKDOWN_NESTING

# What starts a new inline run in Python-Markdown: a list item, a quote, a heading, a table row.
_RUN_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\|)")
_PREFIX = re.compile(r"^(?:[ \t]|>)*")


def nesting(line: str) -> int:
    """Levels of quotes and indentation (4 columns each, Python-Markdown's tab length)."""
    quotes = width = 0
    after_quote = False
    for char in _PREFIX.match(line).group(0):
        if char == ">":
            quotes, after_quote = quotes + 1, True
            continue
        if char == " " and after_quote:  # "> " is one level, its space is not indentation
            after_quote = False
            continue
        width = width + 4 - width % 4 if char == "\t" else width + 1
        after_quote = False
    return quotes + width // 4


class Budget:
    """The '[' left for the whole course (one per renderer, so per build)."""

    def __init__(self, brackets: int = MAX_BRACKETS_PER_COURSE):
        self.brackets = brackets

    def find_problem(self, text: str) -> Optional[tuple[int, str, str]]:
        """(line offset in ``text``, message, hint) of the first problem, or None."""
        run, run_start = 0, 0
        for index, line in enumerate(text.split("\n")):
            if nesting(line) > MAX_MARKDOWN_NESTING:
                return (index, f"quotes and lists are nested more than {MAX_MARKDOWN_NESTING} levels deep",
                        "a page never needs this much nesting: check the indentation and the '>' at the start")
            if not line.strip() or _RUN_START.match(line):
                run, run_start = 0, index
            count = line.count("[")
            run += count
            if run > MAX_BRACKETS_PER_PARAGRAPH:
                return (run_start, f"more than {MAX_BRACKETS_PER_PARAGRAPH} '[' (links, images, citations) in one "
                        "paragraph", "split the paragraph, or put the links in a list")
        total = text.count("[")
        if total > self.brackets:
            return (0, f"more than {MAX_BRACKETS_PER_COURSE:,} '[' (links, images, citations) in the course's text",
                    "a course this large should be split into several courses (docs/security.md)")
        self.brackets -= total
        return None
