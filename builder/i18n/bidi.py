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


# The direction of each plain language code that CLDR (Babel's locale data) has a locale for, as
# Babel answers it: asking Babel loads its locale data (~50 ms of start-up, babel.dates included).
# Any other tag ("fr-CA", "sr_Latn", an alias such as "iw") is asked of Babel.
# tests/test_i18n_startup.py checks every entry against Babel.
_PLAIN_RTL = frozenset((
    "apc ar ary bal bgn bqi brh ckb dv fa he ks lrc mzn nqo ps rhg sd sdh skr syr trw ug ur yi "
).split())
_PLAIN_LTR = frozenset((
    "aa ab ady af agq ak am an ann arn as asa ast az ba bas be bem bew bez bg bgc bho blo blt "
    "bm bn bo br brx bs bss bua byn ca cad cch ccp ce ceb cgg cho chr cic co cop cs csw cu cv "
    "cy da dav de dje doi dsb dua dyo dz ebu ee el en eo es et eu ewo ff fi fil fo fr frr fur "
    "fy ga gaa gd gez gl gn gsw gu guz gv ha haw hi hnj hr hrx hsb ht hu hy ia id ie ig ii io "
    "is isv it iu ja jbo jgo jmc jv ka kaa kab kaj kam kbd kcg kde kea kek ken kgp khq ki kk "
    "kkj kl kln km kn ko kok kpe ksb ksf ksh ku kw kxv ky la lag lb lg lij lkt lld lmo ln lo lt "
    "ltg lu luo luy lv lzz mai mas mdf mer mfe mg mgh mgo mhn mi mic mk ml mn mni moh mr mrh ms "
    "mt mua mus mww my myv naq nb nd nds ne nl nmg nn nnh no nr nso nus nv ny nyn oc oka om or "
    "os osa pa pap pcm pi pis pl pms prg pt qu quc raj rif rm rn ro rof ru rw rwk sa sah saq "
    "sat sbp sc scn se seh ses sg sgs shi shn si sid sk sl sma smj smn sms sn so sq sr ss ssy "
    "st su sus suz sv sw szl ta te teo tg th ti tig tk tn to tok tpi tr trv ts tt twq tyv tzm "
    "uk uz vai ve vec vi vmw vo vun wa wae wal wbp wo xdq xh xnr xog yav yo yrl yue za zgh zh "
    "zu "
).split())


@functools.lru_cache(maxsize=256)
def text_direction(language: str) -> str:
    """"rtl" for a right-to-left language (ar, he, fa, ur, ps, yi, ckb…), else "ltr" (CLDR)."""
    if language in _PLAIN_RTL:
        return "rtl"
    if language in _PLAIN_LTR:
        return "ltr"
    return _babel_direction(language)


def _babel_direction(language: str) -> str:
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
