"""The seed's quotations, definitions and citations reach the rendered pages verbatim."""

from __future__ import annotations

import lxml.html

from builder.diagnostics import Diagnostics
from builder.targets.preview.preview import PreviewTarget

QUOTATIONS = [
    "“How can we serve to shoulder each other up in this work?”",
    "Solidarity speaks to an understanding that ‘just ways of being’ are interconnected. [...] We are meant to do "
    "this work together. [It] is profoundly collaborative and there are many paths. We do this work on the "
    "shoulders of others, and we ‘shoulder others up’.",
    "Someone who makes the commitment and effort to recognize their privilege (based on gender, class, race, "
    "sexual identity, etc.) and work in solidarity with oppressed groups in the struggle for justice. Allies "
    "understand that it is in their own interest to end all forms of oppression, even those from which they may "
    "benefit in concrete ways.",
    "Allies commit to reducing their own complicity or collusion in oppression of those groups and invest in "
    "strengthening their own knowledge and awareness of oppression.",
    "Embrace a belief that everyone is doing the best that they can, and operating from their best intentions. "
    "What people are thinking and doing makes perfect sense from their perspective.",
    "Be more patient with ourselves and others.",
    "Work to achieve a deeper understanding.",
    "Accept our differences and at the same time seeks solutions.",
    "“Am I walking the talk?”",
    "Vikki Reynolds invites us to show up and take imperfect actions in the face of injustice.",
]
SOURCES = [
    "Vikki Reynolds (2019) The Zone of Fabulousness: Resisting vicarious trauma with connection, collective care "
    "and justice-doing in ways that that centre the people we work alongside. "
    "https://vikkireynoldsdotca.files.wordpress.com/2019/09/2019-context-uk-zone-of-fabulousness-reynolds.pdf",
    "Vikki Reynolds (2012) An Ethical Stance for Justice-Doing in Community Work and Therapy. Journal of Systemic "
    "Therapies, Vol. 31, No. 4, 2012, pp. 18–33 https://vikkireynoldsdotca.files.wordpress.com/2017/12/"
    "reynoldsandpolancoethicsstanceforjusticedoing2012jst.pdf",
    "OpenSource Leadership Strategies, “The Dynamic System of Power, Privilege, and Oppression” (2008).",
    "Center for Assessment and Policy Development.",
    "Franchesca Ramsey [chescaleigh]. (2014). 5 Tips for Being an Ally [Video]. YouTube. "
    "https://www.youtube.com/watch?v=_dg86g-QlM0",
    "Vikki Reynolds (2013) Leaning In” as Imperfect Allies in Community Work. Narrative and Conflict: Explorations "
    "of theory and practice. Volume 1, Issue 1. https://journals.gmu.edu/index.php/NandC/article/view/430/364",
]


def page_text(html: bytes) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


def test_quotations_and_sources_are_verbatim(embedded_course, env):
    files = PreviewTarget().build(embedded_course, env, Diagnostics())
    text = " ".join(page_text(files[m.page_filename]) for m in embedded_course.modules)
    for quote in QUOTATIONS:
        assert quote in text, quote
    sources = page_text(files["sources.html"])
    for number, source in enumerate(SOURCES, 1):
        assert source in sources, source
    links = lxml.html.fromstring(files["sources.html"]).xpath("//ol[@class='sources']/li/a/@href")
    assert len(links) == 4 and all(link.startswith("https://") for link in links)


def test_preview_has_video_embed_link_and_alternative(embedded_course, env):
    files = PreviewTarget().build(embedded_course, env, Diagnostics())
    page = lxml.html.fromstring(files["tips-for-being-an-ally.html"])
    iframe = page.xpath("//iframe")[0]
    assert iframe.get("src").startswith("https://www.youtube-nocookie.com/embed/_dg86g-QlM0")
    assert iframe.get("title") == "Video: 5 Tips for Being an Ally"
    assert page.xpath("//a[@href='https://www.youtube.com/watch?v=_dg86g-QlM0']")
    assert "summary of the five tips" in page.xpath("string(//details[@class='video-alternative'])")


def _cc_page_text(files: dict, embedded_course) -> str:
    return " ".join(page_text(files[f"wiki_content/{m.slug}.html"]) for m in embedded_course.modules)


def test_quotations_verbatim_in_every_package(embedded_course, env):
    from builder.targets import get_target

    for name in ("scorm12", "scorm2004", "cc1.1", "cc1.3"):
        files = get_target(name).build(embedded_course, env, Diagnostics())
        if name.startswith("scorm"):
            text = page_text(files["index.html"])
        else:
            text = _cc_page_text(files, embedded_course) + " " + page_text(files["wiki_content/sources.html"])
        for quote in QUOTATIONS + SOURCES:
            assert quote in text, (name, quote)
