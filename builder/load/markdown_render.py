"""Markdown -> sanitised HTML fragments, with course-aware links.

One ``MarkdownRenderer`` per course. It renders each chunk once (the model stores the result),
and on the way:

* enforces the raw-HTML policy (``html_policy``) with the line of each violation;
* turns ``[@3]`` into a citation linking to entry 3 of the *page's own* references list (an
  in-page anchor ``#<page>-source-3``): a link to another file breaks once an LMS imports the
  page (docs/lms-import.md), and the page keeps the numbering of the course's sources list;
* resolves relative links: ``other-module.md`` -> that module's page, ``../media/x.png`` ->
  ``media/x.png`` (registering the file), refusing paths that escape the course folder;
* prefixes element ids with a scope (footnotes ``fn:1`` would otherwise clash when several
  modules share one HTML page, as in the SCORM package).

Python-Markdown does not track source lines (Python-Markdown#1235), so positions inside a chunk
are found by searching the chunk's text for the offending URL.
"""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union
from urllib.parse import unquote, urlsplit

import lxml.html
import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..diagnostics import Diagnostics
from ..model import MediaFile, Position
from . import html_policy, markdown_limits
from .filesafety import check_media
from .limits import MAX_BLOCK_LINES, MB, MEDIA_WARN_MB_DEFAULT

CITATION = r"\[@(\d+)\]"
Where = Union[Position, Callable[[], Position]]  # a position, or how to find it when needed
# One line of text with nothing Markdown would act on: rendering it is just escaping. Most quiz
# choices and feedback are like this, and skipping Markdown for them halves the load time.
# Control characters are left to Markdown: it expands tabs and drops NUL, STX and ETX.
_PLAIN = re.compile(r"^(?![\s>#+*-]|\d+[.)]\s)[^*_`\[\]<>&!\\|{}~=^:\x00-\x1f\ud800-\udfff]*$")

# One line whose only Markdown is *emphasis* or **strong** around plain words (most prompts and
# choices): rendered here, as Python-Markdown renders it (checked on random strings), without
# the Markdown pipeline's ~1 ms per call.
_EMPHASIS_ONLY = re.compile(
    r"^(?![\s>#+*-]|\d+[.)]\s)(?:[^*_`\[\]<>&!\\|{}~=^\x00-\x1f\ud800-\udfff]"
    r"|(?<![\w*])\*\*?(?=[A-Za-z0-9])[A-Za-z0-9 ,.'’?-]*[A-Za-z0-9.?](?<!\s)\*{1,2}(?![\w*]))*$"
)
_EMPHASIS = re.compile(r"(\*\*?)([^*]+)\1")
# An image with a relative address, or a link to a web page, with plain words for text, in a line
# otherwise emphasis-only: the line is checked with each of them taken out, and they are written
# as Python-Markdown and _check_output write them (checked on random strings). Groups: alt text,
# image address; link text, web address.
_INLINE = re.compile(r"!\[([A-Za-z0-9][A-Za-z0-9 ,.'’?-]*)\]\(([A-Za-z0-9._/-]+)\)"
                     r"|\[([A-Za-z0-9][A-Za-z0-9 ,.'’?-]*)\]\((https?://[A-Za-z0-9._~/%-]+)\)")
ImageWriter = Callable[[str, str], str]  # (alt text, address) -> <img …>


def _emphasis_only(text: str) -> Optional[str]:
    if text != text.strip() or not _EMPHASIS_ONLY.match(text):
        return None
    inner = _emphasis_line(text)
    return None if inner is None else "<p>" + inner + "</p>"


def _emphasis_line(text: str) -> Optional[str]:
    """One line checked by ``_EMPHASIS_ONLY``, rendered without the paragraph around it."""
    parts = _EMPHASIS.split(text)  # text, marker, emphasised, text, marker, emphasised, ..., text
    if any("*" in plain for plain in parts[::3]):
        return None  # unbalanced markers: leave them to Python-Markdown
    out = []
    for i in range(0, len(parts), 3):
        out.append(parts[i])  # no escaping: the pattern admits no '&', '<' or '>'
        if i + 2 < len(parts):
            tag = "strong" if parts[i + 1] == "**" else "em"
            out.append(f"<{tag}>{parts[i + 2]}</{tag}>")
    return "".join(out)


def _simple_paragraphs(text: str, image: Optional[ImageWriter] = None) -> Optional[str]:
    """Paragraphs (blank lines between them) whose every line is plain or ``*emphasis*``-only
    text with links to web pages and, when ``image`` writes them, images; rendered as
    Python-Markdown renders them (checked on random strings); None for anything else. Module
    pages and feedback written as sentences with emphasis, links and figures take this path."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if not line.strip(" "):  # Markdown's blank line
            if lines:
                paragraphs.append("<p>" + "\n".join(lines) + "</p>")
                lines = []
            continue
        if line != line.strip() or len(lines) >= MAX_BLOCK_LINES:  # line breaks; the limit's error
            return None
        html = _simple_line(line, image)
        if html is None:
            return None
        lines.append(html)
    if lines:
        paragraphs.append("<p>" + "\n".join(lines) + "</p>")
    return "\n".join(paragraphs)


def _simple_line(line: str, image: Optional[ImageWriter]) -> Optional[str]:
    """One line of a paragraph: plain, *emphasis*, links to web pages, images (when ``image``
    writes them); None for anything else."""
    if _PLAIN.match(line):
        return line  # no escaping: the pattern admits no '&', '<' or '>'
    if "[" not in line:
        return _emphasis_line(line) if _EMPHASIS_ONLY.match(line) else None
    parts = _INLINE.split(line)  # text, alt, address, link text, web address, text, ...
    if len(parts) == 1 or not _EMPHASIS_ONLY.match(_INLINE.sub("x", line)):  # each as a word
        return None
    out = []
    for i in range(0, len(parts), 5):
        html = _emphasis_line(parts[i])
        if html is None:
            return None
        out.append(html)
        if i + 1 >= len(parts):
            break
        alt, address, words, url = parts[i + 1:i + 5]
        if alt is None:
            out.append(f'<a href="{url}" target="_blank" rel="noopener">{words}</a>')
        elif image is None:
            return None
        else:
            out.append(image(alt, address))
    return "".join(out)


def _image_placeholder(alt: str, address: str) -> str:
    return "<img>"


@dataclass
class _Chunk:
    """The chunk being rendered: its text and where it starts, to place diagnostics."""

    text: str
    pos: Position
    base: str  # folder of the source file, relative to the course folder ("modules")
    scope: str  # id prefix

    def locate(self, needle: str) -> Position:
        index = self.text.find(needle)
        if index < 0:
            return self.pos
        line = self.text.count("\n", 0, index)
        column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        if line == 0 and self.pos.column > 0:
            column += self.pos.column - 1
        return Position(self.pos.file, self.pos.line + line, column if self.pos.line else 0)


@dataclass
class LinkContext:
    """What the renderer must know about the course to resolve links."""

    course_dir: Path  # the course/ folder
    source_file_prefix: str  # how positions name files in course/ ("course/")
    module_pages: dict = field(default_factory=dict)  # "modules/02-x.md" -> "x.html"
    source_numbers: frozenset = frozenset()
    source_urls: dict = field(default_factory=dict)  # number -> url, for sources that have one
    sources_page: str = "sources.html"
    root: Optional[Path] = None  # the course folder (--source): media must really be inside it
    media_warn_bytes: int = MEDIA_WARN_MB_DEFAULT * MB
    source_label: str = "Source %(num)s"  # a citation's accessible name, in the course language


def reference_anchor(page: str, number: int) -> str:
    """The id of source ``number`` in the references list of ``page`` (a module slug)."""
    return f"{page}-source-{number}" if page else f"source-{number}"


class _CitationPattern(InlineProcessor):
    def __init__(self, renderer: "MarkdownRenderer"):
        super().__init__(CITATION)
        self.renderer = renderer

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        number = int(m.group(1))
        ctx, chunk = self.renderer.links, self.renderer.chunk
        if number not in ctx.source_numbers:
            valid = ", ".join(str(n) for n in sorted(ctx.source_numbers)) or "none yet"
            self.renderer.d.error(chunk.locate(m.group(0)), f"citation [@{number}] names no source",
                                  f"course.yaml lists sources {valid}; add one or fix the number")
        renderer = self.renderer
        cited = renderer.cited.setdefault(renderer.page, [])
        if number not in cited:
            cited.append(number)
        sup = etree.Element("sup", {"class": "cite"})
        if chunk.scope:  # page text: jump to the page's own references list
            href = "#" + reference_anchor(renderer.page, number)
        else:
            # Text an LMS may show away from its page (a quiz item, a discussion topic): link to
            # the source itself, or show the bare number when it has no address.
            href = ctx.source_urls.get(number)
        if href is None:
            sup.text = str(number)
        else:
            link = etree.SubElement(sup, "a", {"href": href, "aria-label": ctx.source_label % {"num": number}})
            link.text = str(number)
        return sup, m.start(0), m.end(0)


class _LinkRewriter(Treeprocessor):
    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                element.set("href", self.renderer.resolve(element.get("href"), image=False))
            elif element.tag == "img":
                if element.get("src") is not None:
                    element.set("src", self.renderer.resolve(element.get("src"), image=True))
                if not (element.get("alt") or "").strip():
                    self.renderer.d.warning(
                        self.renderer.chunk.locate(element.get("src") or "!["),
                        "image has no description (alt text)",
                        "write what the image shows between the brackets: ![description](…)",
                    )
        return None


class _HeadingShifter(Treeprocessor):
    """The page title is a page's only <h1>; an author's ``# Heading`` moves one level down.

    In a module that uses ``#``, the loader sets ``heading_shift`` for the whole file so ``#`` and
    ``##`` stay one level apart; elsewhere (quiz text) a chunk with an h1 is shifted on its own.
    """

    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        headings = [e for e in root.iter() if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        shift = self.renderer.heading_shift or (1 if any(e.tag == "h1" for e in headings) else 0)
        for element in headings if shift else ():
            element.tag = f"h{min(int(element.tag[1]) + shift, 6)}"
        return None


class _CourseExtension(markdown.Extension):
    def __init__(self, renderer: "MarkdownRenderer"):
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.inlinePatterns.register(_CitationPattern(self.renderer), "course_citation", 175)
        md.treeprocessors.register(_LinkRewriter(md, self.renderer), "course_links", 5)
        md.treeprocessors.register(_HeadingShifter(md, self.renderer), "course_headings", 4)


class MarkdownRenderer:
    def __init__(self, links: LinkContext, diagnostics: Diagnostics):
        self.links = links
        self.d = diagnostics
        self.media: dict[str, MediaFile] = {}
        # media file -> the span of diagnostics its first check said (a forked half's are dropped
        # when the other half checked the same file first: see halves.py)
        self.media_said: dict[str, tuple[int, int]] = {}
        self.budget = markdown_limits.Budget()  # bounds the time Markdown may take (docs/security.md)
        self.heading_shift = 0  # levels to move headings down (set per module file by the loader)
        # The page being loaded (a module slug, set by the loader) and the sources cited on
        # each page, in order of first citation: every page lists its own references.
        self.page = ""
        self.cited: dict[str, list[int]] = {}
        self.chunk = _Chunk("", Position("<none>"), "", "")
        self._md: Optional[markdown.Markdown] = None
        self.shortcuts = True  # text that needs no Python-Markdown skips it (tests turn this off)

    @property
    def md(self) -> markdown.Markdown:
        """The Python-Markdown instance, made on first use (~50 ms: its extensions compile their
        patterns): a course whose text all takes the shortcuts never needs it."""
        if self._md is None:
            # the extensions' classes, not their names: a name makes Python-Markdown scan every
            # installed package's entry points (importlib.metadata, ~30 ms of start-up)
            from markdown.extensions.abbr import AbbrExtension
            from markdown.extensions.attr_list import AttrListExtension
            from markdown.extensions.footnotes import FootnoteExtension
            from markdown.extensions.sane_lists import SaneListExtension
            from markdown.extensions.tables import TableExtension

            self._md = markdown.Markdown(
                extensions=[TableExtension(), FootnoteExtension(), AttrListExtension(), SaneListExtension(),
                            AbbrExtension(), _CourseExtension(self)],
                output_format="html",
            )
        return self._md

    # -- public ---------------------------------------------------------------------------

    def block(self, text: str, pos: Where, base: str = "", scope: str = "") -> str:
        """Render Markdown that may hold paragraphs, lists, quotes, tables.

        ``pos``: where the text starts, or a function giving it (only asked for when the text
        needs Python-Markdown: most quiz text takes a shortcut and never needs a position)."""
        return self._render(text, pos, base, scope)

    def inline(self, text: str, pos: Where, base: str = "", scope: str = "") -> str:
        """Render a short piece of Markdown (a prompt, a choice) without the wrapping <p>."""
        html = self._render(text, pos, base, scope)
        if len(html) >= 7 and html.startswith("<p>") and html.endswith("</p>") and "<p>" not in html[3:-4]:
            return html[3:-4]
        return html

    # -- internals ------------------------------------------------------------------------

    def _shortcut(self, text: str, pos: Where, base: str, scope: str) -> Optional[str]:
        """The HTML of text that needs no Python-Markdown (see _simple_paragraphs), else None."""
        if "\n" not in text and "[" not in text:
            return _emphasis_only(text)
        if "![" not in text:
            html = _simple_paragraphs(text)
            # Links count against the course's budget of '[' as on Python-Markdown's path.
            return html if html is not None and ("[" not in text or self.budget.find_problem(text) is None) else None
        # Images: checked first, then the budget, then written: resolving an image reports its
        # problems (missing file, outside media/) once, on this path as on Markdown's.
        if _simple_paragraphs(text, _image_placeholder) is None or self.budget.find_problem(text) is not None:
            return None
        self.chunk = _Chunk(text, pos if isinstance(pos, Position) else pos(), base, scope)
        return _simple_paragraphs(text, self._image)

    def _image(self, alt: str, address: str) -> str:
        return f'<img alt="{alt}" src="{self.resolve(address, image=True)}">'

    def _render(self, text: str, pos: Where, base: str, scope: str) -> str:
        text = text or ""
        if self.shortcuts and _PLAIN.match(text):
            # Markdown drops a final newline but keeps trailing spaces; no escaping: the pattern
            # admits no '&', '<' or '>'.
            text = text.rstrip("\n")
            return f"<p>{text}</p>" if text else ""
        if self.shortcuts:
            html = self._shortcut(text, pos, base, scope)
            if html is not None:
                return html
        if not isinstance(pos, Position):
            pos = pos()
        self.chunk = _Chunk(text, pos, base, scope)
        ok = True
        for line, column, message, hint in html_policy.find_violations(text):
            ok = False
            self.d.error(Position(pos.file, pos.line + line, column if pos.line else 0), message, hint)
        if not ok:
            return ""
        problem = self.budget.find_problem(text)
        if problem is not None:  # input that would make Python-Markdown recurse or crawl
            line, message, hint = problem
            self.d.error(Position(pos.file, pos.line + line if pos.line else 0), message, hint)
            return ""
        self.md.reset()
        html = self.md.convert(text)
        return self._check_output(html)

    def resolve(self, url: str, image: bool) -> str:
        """Rewrite one link or image source; report what cannot work."""
        chunk, d = self.chunk, self.d
        if html_policy.unsafe_url(url):
            d.error(chunk.locate(url), f"link '{url}' uses a scheme that is not allowed",
                    "use an http(s):// or mailto: link, or a relative path to a file in course/media/")
            return "#"
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#") or not url:
            return url
        if parts.path == self.links.sources_page:
            return url  # a citation, or a link to the generated sources page
        target = posixpath.normpath(posixpath.join(chunk.base, unquote(parts.path)))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        where = chunk.locate(url)
        if target.startswith("../") or target == ".." or posixpath.isabs(parts.path):
            d.error(where, f"'{url}' points outside the course folder",
                    "keep images and files in course/media/ and link to them relatively, e.g. ../media/file.png")
            return "#"
        if target.endswith(".md"):
            page = self.links.module_pages.get(target)
            if page is None:
                d.error(where, f"link to '{url}': no module file {self.links.source_file_prefix}{target} in the outline",
                        "link to a module listed in course.yaml's outline")
                return "#"
            return page + fragment
        path = self.links.course_dir / target
        if not os.path.lexists(path):
            what = "image" if image else "file"
            d.error(where, f"{what} '{url}' not found (looked for {self.links.source_file_prefix}{target})",
                    "check the spelling and case of the file name, and that the file is in course/media/")
            return "#"
        if not target.startswith("media/"):
            d.error(where, f"'{url}' is not in course/media/", "move the file into course/media/ and link to it there")
            return "#"
        if target not in self.media:  # links, FIFOs, devices, odd content: checked once per file
            root = self.links.root or self.links.course_dir.parent
            said = len(d.items)
            source = check_media(path, root, url, where, d, self.links.media_warn_bytes)
            if source is None:
                return "#"
            self.media[target] = MediaFile(target, source, where)
            self.media_said[target] = (said, len(d.items))
        return target + fragment

    def _check_output(self, html: str) -> str:
        """Second line of defence, and id scoping: walk the rendered fragment with lxml."""
        if not html.strip():
            return ""
        wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
        scope = self.chunk.scope
        ids = set()
        for element in wrapper.iter():
            if not isinstance(element.tag, str):
                continue  # comments
            if element is not wrapper and element.tag not in html_policy.OUTPUT_ELEMENTS:
                self.d.error(self.chunk.pos, f"element <{element.tag}> is not allowed in course text",
                             f"use Markdown or only {html_policy.ALLOWED_SUMMARY}")
                element.drop_tree()
                continue
            for name in list(element.attrib):
                if name not in html_policy.OUTPUT_ATTRIBUTES:
                    self.d.error(self.chunk.locate(name), f"attribute '{name}' is not allowed in course text",
                                 "remove it (style and event handlers are never allowed)")
                    del element.attrib[name]
            if scope and element.get("id"):
                ids.add(element.get("id"))
                element.set("id", f"{scope}-{element.get('id')}")
        for element in wrapper.iter("a"):
            # A link out of the course opens a new tab: in a SCO (or an LMS frame) following it
            # in place would end the session (docs/lms-import.md).
            if urlsplit(element.get("href", "")).scheme in ("http", "https"):
                element.set("target", "_blank")
                element.set("rel", "noopener")
        if scope and ids:
            for element in wrapper.iter("a"):
                href = element.get("href", "")
                if href.startswith("#") and href[1:] in ids:
                    element.set("href", f"#{scope}-{href[1:]}")
        inner = escape_text(wrapper.text) + "".join(
            lxml.html.tostring(child, encoding="unicode", method="html") for child in wrapper
        )
        return inner.strip()


def media_of(renderer: MarkdownRenderer) -> tuple[MediaFile, ...]:
    return tuple(renderer.media[key] for key in sorted(renderer.media))


def escape_text(text: Optional[str]) -> str:
    return html_lib.escape(text or "", quote=False)
