"""A link checker for what the packages put in front of a learner (issue 7 §1).

One rule set, applied to an HTML document or fragment as some LMS shows it: every ``href`` and
``src`` must be

* absolute ``http(s)`` (with ``new_tab``: an ``<a>`` must also open a new tab, as a SCO must not
  navigate its own frame away), or ``mailto:``;
* an in-page ``#anchor`` whose id exists in the same document (unless ``anchors=False``: where
  the LMS drops every id, as Moodle's Common Cartridge import does);
* or, where the caller allows it, a file the caller says exists (``resolve``): a file of the
  package next to the page, or a file Moodle stored for that activity.

A link is a problem with where it was found and why, so a failing test names every dead link.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Optional
from urllib.parse import unquote, urlsplit

import lxml.html

# Attributes that make the browser fetch or navigate.
LINK_ATTRIBUTES = {"a": "href", "area": "href", "img": "src", "iframe": "src", "script": "src",
                   "link": "href", "source": "src", "video": "src", "audio": "src", "track": "src",
                   "embed": "src", "object": "data", "form": "action"}


@dataclass(frozen=True)
class Link:
    tag: str
    url: str
    target: str


@dataclass(frozen=True)
class Problem:
    where: str
    url: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.url!r} {self.why}"


def parse(html: str):
    """A whole document or a fragment, as an lxml tree (an empty fragment gives an empty div)."""
    text = html.strip()
    if not text:
        return lxml.html.fragment_fromstring("<div></div>")
    if text[:15].lower().startswith(("<!doctype", "<html")):
        return lxml.html.document_fromstring(text)
    return lxml.html.fragment_fromstring(text, create_parent="div")


def links(tree) -> list[Link]:
    out = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        attribute = LINK_ATTRIBUTES.get(element.tag)
        if attribute and element.get(attribute) is not None:
            out.append(Link(element.tag, element.get(attribute).strip(), element.get("target", "")))
    return out


def _anchors(tree) -> set[str]:
    """Ids a fragment link can land on (``id`` anywhere, ``name`` on ``<a>``)."""
    found = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
    found |= {e.get("name") for e in tree.iter("a") if e.get("name")}
    return found


def duplicate_ids(tree) -> list[str]:
    seen, twice = set(), []
    for e in tree.iter():
        if isinstance(e.tag, str) and e.get("id"):
            if e.get("id") in seen:
                twice.append(e.get("id"))
            seen.add(e.get("id"))
    return twice


def check(html: str, where: str, *, resolve: Optional[Callable[[str], Optional[str]]] = None,
          new_tab: bool = False, anchors: bool = True) -> list[Problem]:
    """Problems of one document. ``resolve(url)`` -> the target file's HTML ("" for a non-HTML
    file) or None when it does not exist; without ``resolve`` every relative link is a problem."""
    tree = parse(html)
    ids = _anchors(tree) if anchors else set()
    problems = [Problem(where, f"id={i}", "is used twice in the same document") for i in duplicate_ids(tree)]
    for link in links(tree):
        problems += _check_link(link, ids, where, resolve, new_tab, anchors)
    return problems


def _check_link(link: Link, ids: set, where: str, resolve, new_tab: bool, in_page: bool) -> list[Problem]:
    url = link.url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.netloc:
            return [Problem(where, url, "has no host")]
        if new_tab and link.tag == "a" and link.target != "_blank":
            return [Problem(where, url, "leaves the page in place (needs target=\"_blank\")")]
        return []
    if scheme == "mailto" and link.tag == "a":
        return []
    if scheme or parts.netloc:
        return [Problem(where, url, f"uses a scheme no LMS page can follow ({scheme or '//'})")]
    if url.startswith("#"):
        fragment = unquote(url[1:])
        if not fragment:
            return [Problem(where, url, "is an empty anchor (a dead link)")]
        if not in_page:
            return [Problem(where, url, "is an in-page anchor, and this LMS drops every id")]
        return [] if fragment in ids else [Problem(where, url, "names no id in this page")]
    if not url:
        return [Problem(where, url, "is empty")]
    if resolve is None:
        return [Problem(where, url, "is relative: it resolves to nothing once the page is imported")]
    target = resolve(unquote(parts.path))
    if target is None:
        return [Problem(where, url, "points to a file that is not there")]
    if parts.fragment and unquote(parts.fragment) not in _anchors(parse(target)):
        return [Problem(where, url, "names no id in the page it points to")]
    return []


def package_resolver(files: Mapping[str, bytes], page_path: str, *,
                     allow: Callable[[str], bool] = lambda path: True) -> Callable[[str], Optional[str]]:
    """``resolve`` for a page inside a package (``files``: path in package -> bytes): a relative
    link must reach a file of the package that ``allow(path)`` accepts."""
    folder = posixpath.dirname(page_path)

    def resolve(relative: str) -> Optional[str]:
        path = posixpath.normpath(posixpath.join(folder, relative))
        if path.startswith("../") or path not in files or not allow(path):
            return None
        data = files[path]
        return data.decode("utf-8", "replace") if path.endswith((".html", ".htm")) else ""

    return resolve


def check_all(documents: Iterable[tuple[str, str]], **options) -> tuple[list[Problem], int]:
    """(problems, number of links checked) over (where, html) pairs."""
    problems, count = [], 0
    for where, html in documents:
        count += len(links(parse(html)))
        problems += check(html, where, **options)
    return problems, count
