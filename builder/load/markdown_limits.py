"""Refuse Markdown that would make Python-Markdown recurse too deep or crawl, before rendering it.

Python-Markdown renders nested lists recursively (about 300 levels raise ``RecursionError``),
looks for the closing bracket of every ``[`` to the end of its paragraph (4,000 ``[`` in one
paragraph took 40 s when measured), splits a block at each heading or rule and re-reads the rest
(20,000 lines of ``---`` took a minute), and tries every abbreviation on every text (2,000 took
3 s). Real courses stay far below
these limits (``limits.py``), so the checks cost a scan of the text and nothing else.
"""

from __future__ import annotations

import re
from typing import Optional

from .limits import (MAX_ABBREVIATIONS, MAX_BLOCK_LINES, MAX_BRACKETS_PER_COURSE, MAX_BRACKETS_PER_PARAGRAPH,
                     MAX_MARKDOWN_NESTING, MAX_RULES_PER_BLOCK)

# What starts a new inline run in Python-Markdown: a list item, a quote, a heading, a table row.
_RUN_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\|)")
_PREFIX = re.compile(r"^(?:[ \t]|>)*")
# Lines Python-Markdown splits its block at, one by one: a run of them costs the square of its length.
_RULE_OR_HEADING = re.compile(r"^ {0,3}(?:#|(?:[-*_=] *){3,}$|=+ *$|-+ *$)")


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
        block, block_start, rules, abbreviations = 0, 0, 0, 0
        for index, line in enumerate(text.split("\n")):
            if nesting(line) > MAX_MARKDOWN_NESTING:
                return (index, f"quotes and lists are nested more than {MAX_MARKDOWN_NESTING} levels deep",
                        "a page never needs this much nesting: check the indentation and the '>' at the start")
            if not line.strip():  # Python-Markdown's blocks end at blank lines
                block, block_start, rules = 0, index + 1, 0
            else:
                block += 1
                rules += bool(_RULE_OR_HEADING.match(line))
                abbreviations += line.startswith("*[")
            if block > MAX_BLOCK_LINES:
                return (block_start, f"more than {MAX_BLOCK_LINES} lines without a blank line",
                        "put blank lines between paragraphs, lists and headings")
            if rules > MAX_RULES_PER_BLOCK:
                return (block_start, f"more than {MAX_RULES_PER_BLOCK} headings or horizontal rules ('---') without "
                        "a blank line between them", "put a blank line after each heading and rule")
            if abbreviations > MAX_ABBREVIATIONS:
                return (index, f"more than {MAX_ABBREVIATIONS} abbreviation definitions ('*[…]: …') in one page",
                        "keep the abbreviations a page really needs")
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
