"""The raw-HTML policy: what HTML may appear in course text, so no package carries script.

Authors write Markdown. Where Markdown has no syntax for something, a small set of harmless
inline elements is allowed (``<sup>``, ``<abbr title>``, ``<span lang>``…). Everything else —
``<script>``, ``<style>``, ``<iframe>``, forms, event handlers, ``javascript:`` URLs, block HTML —
is an error at the line where it is written. The rendered HTML is checked again against an
allow-list (defence in depth: Markdown extensions such as attr_list can add attributes).
"""

from __future__ import annotations

import re
from typing import Iterator

# Inline elements an author may write by hand, and the only attributes they may carry.
AUTHOR_ELEMENTS = frozenset(
    "abbr b br cite code del dfn em i ins kbd mark q s small span strong sub sup u".split()
)
AUTHOR_ATTRIBUTES = frozenset({"title", "lang", "dir"})

# What the Markdown renderer itself produces (plus the author subset), checked after rendering.
OUTPUT_ELEMENTS = AUTHOR_ELEMENTS | frozenset(
    "a p h2 h3 h4 h5 h6 ul ol li blockquote pre hr img table thead tbody tfoot tr th td "
    "div dl dt dd caption colgroup col figure figcaption".split()
)
OUTPUT_ATTRIBUTES = AUTHOR_ATTRIBUTES | frozenset(
    {"href", "src", "alt", "id", "class", "colspan", "rowspan", "start", "value", "align",
     "aria-label", "role", "rev", "rel", "width", "height", "scope", "reversed"}
)
SAFE_SCHEMES = ("http", "https", "mailto")

ALLOWED_SUMMARY = ", ".join(f"<{tag}>" for tag in sorted(AUTHOR_ELEMENTS))

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*?)?)\s*(/?)>")
_ATTR = re.compile(r"([^\s=/]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?\1")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def visible_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines of Markdown with fenced code blocks blanked out (HTML there is just text)."""
    fence = None
    for index, line in enumerate(text.split("\n")):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if line.startswith("    ") or line.startswith("\t"):
            continue  # indented code block (approximation: never inside a list in our sources)
        yield index, line


def find_violations(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Yield (line index, column, what is wrong, how to fix) for raw HTML outside the policy."""
    for index, line in visible_lines(text):
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in _TAG.finditer(line):
            closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3) or ""
            if attrs.startswith(":") or "@" in tag:
                continue  # Markdown autolink <https://…> or <name@example.org>
            column = match.start() + 1
            if closing and tag not in AUTHOR_ELEMENTS:
                continue  # reported at its opening tag
            if tag not in AUTHOR_ELEMENTS:
                if tag in ("iframe", "video", "embed", "object"):
                    hint = "use a ```video``` block instead"
                elif tag in ("script", "style", "link", "meta"):
                    hint = "scripts and styles are not allowed in course text; use templates/ to change the look"
                elif tag == "img":
                    hint = "use Markdown: ![description](../media/file.png)"
                elif tag == "a":
                    hint = "use Markdown: [text](https://…)"
                else:
                    hint = f"write it in Markdown, or use only {ALLOWED_SUMMARY}"
                yield index, column, f"raw HTML <{tag}> is not allowed", hint
                continue
            if closing:
                continue
            for attr in _ATTR.finditer(attrs):
                name = attr.group(1).lower()
                if name not in AUTHOR_ATTRIBUTES:
                    yield (index, column, f"attribute '{name}' on <{tag}> is not allowed",
                           "only title, lang and dir may be used on inline HTML")


def unsafe_url(url: str) -> bool:
    """True for URLs with a scheme other than http(s)/mailto (javascript:, data:, file: …)."""
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    return bool(match) and match.group(1).lower() not in SAFE_SCHEMES
