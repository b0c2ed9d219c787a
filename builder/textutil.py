"""Small text helpers shared by every stage (plain titles, slugs, NCName identifiers)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_MD_MARKS = re.compile(r"[*_`~]+|!?\[([^\]]*)\]\([^)]*\)")


def strip_markdown(text: str) -> str:
    """Inline Markdown/HTML -> plain text (good enough for titles and LMS names)."""
    text = _MD_MARKS.sub(lambda m: m.group(1) or "", text)
    text = _TAG.sub("", text)
    return " ".join(html.unescape(text).split())


def plain_title(text: str, limit: int = 200) -> str:
    """Plain text for LMS names (Moodle and Canvas accept 255 characters; keep a margin)."""
    return clip(strip_markdown(text), limit)


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word, ending with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def ascii_fold(text: str) -> str:
    """Accents dropped, not the letters they sit on ("alliés" -> "allies"); other scripts vanish."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "page"


_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def is_ncname(value: str) -> bool:
    return bool(_NCNAME.match(value))


def to_ncname(text: str, prefix: str = "x") -> str:
    """Make an XML NCName (no leading digit: Moodle validates ids as xs:ID)."""
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    if not ident or not (ident[0].isalpha() or ident[0] == "_"):
        ident = f"{prefix}{ident}"
    return ident


def short_hash(*parts: str, length: int = 8) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]
