"""Text direction: of a language (the page) and of a piece of author text (its first strong
character, as the browser's ``dir="auto"`` decides).

Author text is marked with an explicit ``dir="rtl"``/``"ltr"`` where it runs against the page,
decided at build time, rather than ``dir="auto"``: Moodle's HTML cleaner (HTMLPurifier) keeps
only ``ltr``/``rtl`` values, so the same markup survives every LMS.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import unicodedata
from typing import Optional

_TAG = re.compile(r"<[^>]*>")
# The opening tags of the blocks a direction is decided for (the loader's sanitised HTML).
_BLOCK = re.compile(r"<(p|li|h[1-6]|blockquote|dd|dt|td|th|caption|figcaption|summary)(\s[^>]*)?>", re.I)
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]|[\U00010800-\U00010fff]|[\U0001e800-\U0001efff]")


@functools.lru_cache(maxsize=256)
def text_direction(language: str) -> str:
    """"rtl" for a right-to-left language (ar, he, fa, ur, ps, yi, ckb…), else "ltr" (CLDR)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            locale = Locale.parse(language.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def first_strong(text: str) -> Optional[str]:
    """The direction of the first strongly directional character of an HTML fragment's text."""
    plain = html_lib.unescape(_TAG.sub(" ", text))
    for ch in plain:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def mark_blocks(html: str, page_dir: str) -> str:
    """Give each block of author HTML whose text runs against ``page_dir`` its own ``dir``.

    An English page without any right-to-left letter comes back unchanged (the common case).
    """
    if page_dir == "ltr" and not _RTL_CHARS.search(html):
        return html

    def mark(m: re.Match) -> str:
        attrs = m.group(2) or ""
        if re.search(r"\sdir\s*=", attrs):
            return m.group(0)
        direction = first_strong(html[m.end():m.end() + 400])
        if direction is None or direction == page_dir:
            return m.group(0)
        return f'<{m.group(1)}{attrs} dir="{direction}">'

    return _BLOCK.sub(mark, html)
