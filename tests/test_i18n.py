"""The learner's language: catalogs, plural forms, fallback, overrides, direction, and no English
interface string left in the packages of the French and Arabic test courses."""

from __future__ import annotations

import gettext
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from builder import i18n
from builder.build import build
from builder.diagnostics import BuildError
from builder.i18n.__main__ import main as i18n_command
from i18n_support import COURSES, ROOTS, built_files, english_patterns, load, visible_text

SHIPPED = ("en", "fr", "es", "de", "pt", "ar", "he")
JS = Path(__file__).resolve().parents[1] / "templates" / "scorm" / "js" / "i18n.js"


@pytest.fixture(scope="module")
def packages():
    return {name: built_files(load(name)) for name in COURSES}


def test_catalogs_complete_and_template_up_to_date(capsys):
    assert sorted(i18n.known_languages()) == sorted(SHIPPED)
    status = i18n_command(["check"])
    assert status == 0, capsys.readouterr().out
    assert len(i18n.source_messages()) >= 80


def test_catalog_files_are_as_the_update_command_writes_them(tmp_path):
    """A hand edit keeps the tool's layout, so `python -m builder.i18n update` changes no byte."""
    from babel.messages.pofile import read_po

    from builder.i18n.__main__ import _write
    from builder.i18n.catalogs import LOCALES

    for path in sorted(LOCALES.glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f)
        _write(catalog, tmp_path / path.name)
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("language, expected", [
    ("ar", ["لا أسئلة", "سؤال واحد", "سؤالان", "3 أسئلة", "11 سؤالًا", "100 سؤال"]),
    ("he", ["0 שאלות", "שאלה אחת", "שתי שאלות", "3 שאלות", "11 שאלות", "100 שאלות"]),
    ("fr", ["0 question", "1 question", "2 questions", "3 questions", "11 questions", "100 questions"]),
    ("en", ["0 questions", "1 question", "2 questions", "3 questions", "11 questions", "100 questions"]),
])
def test_plural_forms(language, expected):
    words = i18n.messages(language)
    got = [words.ngettext("%(num)s question", "%(num)s questions", n) % {"num": n} for n in (0, 1, 2, 3, 11, 100)]
    assert got == expected
    assert words.primary.nplurals == {"ar": 6, "he": 3}.get(language, 2)


def test_javascript_plural_rules_agree_with_gettext():
    """The SCO's own evaluator picks the same form as gettext for every catalog, n = 0..1000."""
    rules = {name: i18n.catalog_for(name)[0].plural_expr for name in SHIPPED}
    script = (f"const I = require({json.dumps(str(JS))}); const rules = {json.dumps(rules)}; const out = {{}};"
              "for (const k in rules) { const f = I.pluralRule(rules[k]); out[k] = []; for (let n = 0; n <= 1000; n++) out[k].push(f(n)); }"
              "console.log(JSON.stringify(out));")
    got = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    for name, expr in rules.items():
        assert got[name] == [gettext.c2py(expr)(n) for n in range(1001)], name


def test_javascript_strings_fill_placeholders_and_plurals():
    bundle = i18n.messages("ar").for_js(["Score: %(percent)s%%", ("%(num)s character left", "%(num)s characters left")])
    script = (f"const I = require({json.dumps(str(JS))}); const m = I.make({json.dumps(bundle)});"
              "console.log(JSON.stringify([m.t('Score: %(percent)s%%', {percent: 80}), m.t('Not in the bundle'),"
              "[0, 1, 2, 3, 11, 100].map(n => m.tn('%(num)s character left', '%(num)s characters left', n))]));")
    got = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert got[0] == "النتيجة: 80%" and got[1] == "Not in the bundle"
    assert got[2] == ["لم يتبقَّ أي حرف", "تبقّى حرف واحد", "تبقّى حرفان", "تبقّت 3 أحرف", "تبقّى 11 حرفًا", "تبقّى 100 حرف"]


def test_a_count_with_a_fraction_keeps_its_number():
    """1.5 points is not "one point" nor a dual: a fraction takes the general plural form (the one
    of 100), in Python and in the SCO, so no form that spells the number out hides it."""
    ar, he, en = i18n.messages("ar"), i18n.messages("he"), i18n.messages("en")
    assert ar.ngettext("%(num)s point", "%(num)s points", 1.5) == "%(num)s نقطة"
    assert ar.ngettext("%(num)s point", "%(num)s points", 2.5) == "%(num)s نقطة"
    assert he.ngettext("%(num)s point", "%(num)s points", 1.5) == "%(num)s נקודות"
    assert en.ngettext("%(num)s point", "%(num)s points", 1.5) == "%(num)s points"
    assert ar.ngettext("%(num)s point", "%(num)s points", 2.0) == "نقطتان"  # a whole float is whole
    msgid = ("You scored %(num)s of %(total)s point (%(percent)s%%).", "You scored %(num)s of %(total)s points (%(percent)s%%).")
    bundles = {name: i18n.messages(name).for_js([msgid]) for name in ("ar", "he", "en")}
    script = (f"const I = require({json.dumps(str(JS))}); const b = {json.dumps(bundles)}; const out = {{}};"
              f"for (const k in b) out[k] = [1.5, 2.5, 2].map(n => I.make(b[k]).tn({json.dumps(msgid[0])}, {json.dumps(msgid[1])}, n, {{num: 1, total: n, percent: 50}}));"
              "console.log(JSON.stringify(out));")
    got = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert got["ar"] == ["حصلت على 1 من 1.5 نقطة (50%).", "حصلت على 1 من 2.5 نقطة (50%).", "حصلت على 1 من نقطتين (50%)."]
    assert got["he"][:2] == ["קיבלתם 1 מתוך 1.5 נקודות (50%).", "קיבלתם 1 מתוך 2.5 נקודות (50%)."]
    assert got["en"] == ["You scored 1 of 1.5 points (50%).", "You scored 1 of 2.5 points (50%).", "You scored 1 of 2 points (50%)."]


def test_fallback_and_direction():
    assert [c.language for c in i18n.catalog_for("fr-CA")] == ["fr", "en"]
    assert [c.language for c in i18n.catalog_for("pt-BR")] == ["pt", "en"]
    assert [c.language for c in i18n.catalog_for("sw")] == ["en"]
    assert i18n.messages("fr-CA").gettext("Try again") == "Réessayer"
    assert i18n.messages("sw").gettext("Try again") == "Try again"
    for rtl in ("ar", "ar-EG", "he", "fa", "ur", "ps", "yi"):
        assert i18n.text_direction(rtl) == "rtl", rtl
    for ltr in ("en", "fr-CA", "de", "tr", "zz"):
        assert i18n.text_direction(ltr) == "ltr", ltr
    assert i18n.mark_blocks("<p>English</p><p>עברית</p>", "ltr") == '<p>English</p><p dir="rtl">עברית</p>'
    assert i18n.mark_blocks("<p>مرحبا</p><p>Hello</p>", "rtl") == '<p>مرحبا</p><p dir="ltr">Hello</p>'
    assert i18n.mark_blocks("<p>Plain English</p>", "ltr") == "<p>Plain English</p>"


@pytest.mark.parametrize("name", sorted(COURSES))
def test_no_english_interface_string_left(packages, name):
    patterns = english_patterns(load(name).language)
    assert len(patterns) > 60
    left = []
    for fmt, files in packages[name].items():
        for path, data in files.items():
            text = visible_text(path, data)
            # in XML a lone lowercase word ("essay", "course") is a machine value, not text
            left += [f"{fmt}:{path}: {english!r}" for english, pattern in patterns if pattern.search(text)
                     and not (path.endswith((".xml", ".qti")) and english.isalpha() and english.islower())]
    assert not left, "\n".join(left)


def test_every_page_has_the_course_direction(packages):
    for name, files_by_format in packages.items():
        direction = "rtl" if name == "ar" else "ltr"
        pages = 0
        for fmt, files in files_by_format.items():
            for path, data in files.items():
                if path.endswith(".html") and b"<html" in data:
                    pages += 1
                    assert re.search(rf'<html lang="[^"]+" dir="{direction}">', data.decode()), (fmt, path)
        assert pages >= 8
    ar = packages["ar"]
    sco = ar["scorm2004"]["index.html"].decode()
    assert '<p dir="ltr">Solidarity is built together' in sco  # an English paragraph in an Arabic course
    assert re.search(r'<span dir="ltr">Working alone', sco)
    cc_page = next(d.decode() for p, d in ar["cc1.1"].items() if p.endswith("tadamun.html"))
    assert '<div lang="ar" dir="rtl">' in cc_page  # Moodle keeps only the body
    assert '<p dir="ltr">Solidarity is built together' in cc_page
    # QTI texts and discussion intros are shown inside the LMS's page: they carry the direction
    qti = next(d.decode() for p, d in ar["cc1.1"].items() if p.endswith("assessment_qti.xml"))
    assert qti.count('<span dir="rtl">') >= 8 and '<span dir="ltr">Working alone' in qti
    canvas_qti = next(d.decode() for p, d in ar["cc1.1"].items() if p.startswith("non_cc_assessments/"))
    assert canvas_qti.count('dir="rtl"') >= 8 and 'dir="ltr">Working alone' in canvas_qti
    topic = next(d.decode() for p, d in ar["cc1.1"].items() if p.endswith("topic.xml"))
    assert '&lt;div dir="rtl"&gt;' in topic
    # and the reverse: Arabic in the French course, in every format a learner or teacher reads
    fr = {fmt: {p: d.decode() for p, d in files.items() if p.endswith((".html", ".xml", ".qti"))}
          for fmt, files in packages["fr"].items()}
    paragraph, choice = "التضامن يُبنى معًا", "العمل الفردي"
    prompt, question = "ماذا تودّ أن تجرّب هذا الأسبوع؟", "أي الأفعال تضامنية؟"
    for fmt in ("scorm12", "scorm2004", "cmi5", "html"):
        page = next(text for path, text in fr[fmt].items() if paragraph in text)
        assert f'<p dir="rtl">{paragraph}' in page, fmt
        assert re.search(rf'<span dir="rtl">{choice}', page) and re.search(rf'dir="rtl">{question}', page), fmt
        assert re.search(rf'<[^>]+ dir="rtl">{prompt}', page), fmt
        assert not re.search(r'dir="rtl"[^>]*>\s*[A-Za-zÀ-ÿ]', page), fmt  # the French text is left as written
    cc_page = fr["cc1.1"]["wiki_content/solidarite.html"]
    assert f'<p dir="rtl">{paragraph}' in cc_page and f'<span dir="rtl">{prompt}' in cc_page
    for path in ("q_verifier/assessment_qti.xml", "non_cc_assessments/q_verifier.xml.qti"):
        qti = fr["cc1.1"][path]
        assert f'<span dir="rtl">{choice}</span>' in qti and f'<span dir="rtl">{question}</span>' in qti, path
        assert '<div dir="rtl"><p>ليس تمامًا' in qti, path  # the choice's feedback
        assert not re.search(r'dir="[a-z]+"[^>]*>\s*(<p>)?[A-Za-zÀ-ÿ]', qti), path  # French texts left as written
    topic = next(text for path, text in fr["cc1.1"].items() if path.endswith("deuxieme_reflexion/topic.xml"))
    assert '&lt;div dir="rtl"&gt;' in topic
    mbz_questions = fr["mbz"]["questions.xml"]
    assert f'&lt;span dir="rtl"&gt;{choice}' in mbz_questions and f'&lt;span dir="rtl"&gt;{question}' in mbz_questions


def test_text_boxes_are_named_by_their_own_prompt(packages):
    from lxml import html as lxml_html

    for name, files in packages.items():
        doc = lxml_html.fromstring(files["scorm12"]["index.html"])
        names = []
        for box in doc.xpath("//textarea | //input[@type='text']"):
            ids = box.get("aria-labelledby").split()
            prompt = doc.get_element_by_id(ids[0])
            assert prompt.text_content().strip(), box.get("id")
            names.append(" ".join(doc.get_element_by_id(i).text_content().strip() for i in ids))
        assert len(names) == 5 and len(set(names)) == len(names), names  # 3 reflections, essay, blank


def test_course_messages_override(packages, tmp_path):
    sco = packages["fr"]["scorm12"]["index.html"].decode()
    assert ">Vérifier mes réponses maintenant</button>" in sco
    assert "Vérifier mes réponses<" not in sco

    def write(messages: str) -> Path:
        root = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
        shutil.copytree(ROOTS / "minimal", root)
        text = (ROOTS / "minimal" / "course" / "course.yaml").read_text().replace("language: en", "language: ar")
        (root / "course" / "course.yaml").write_text(text + "messages:\n" + messages)
        return root

    good = write('  "Try again": "أعد المحاولة"\n  "%(num)s character left": ["0", "1", "2", "%(num)s a", "%(num)s b", "%(num)s c"]\n')
    build(good, tmp_path / "out", formats=["scorm12"])
    with zipfile.ZipFile(tmp_path / "out" / "minimal-scorm12.zip") as z:
        assert "أعد المحاولة</button>" in z.read("index.html").decode()
    bad = write('  "Check my answer": "x"\n  "Try again": "%(count)s"\n  "%(num)s point": ["a", "b"]\n  "Score: %(percent)s%%": "50%"\n')
    with pytest.raises(BuildError) as failure:
        build(bad, tmp_path / "out2", formats=["scorm12"])
    text = "\n".join(map(str, failure.value.diagnostics.errors))
    lines = (bad / "course" / "course.yaml").read_text().splitlines()
    first = lines.index("messages:") + 2
    assert f"course/course.yaml:{first}:3: error: 'Check my answer' is not an interface string" in text
    assert "did you mean 'Check my answers'?" in text
    assert f"course/course.yaml:{first + 1}:" in text and "'%(count)s' is not a placeholder" in text
    assert f"course/course.yaml:{first + 2}:" in text and "needs 6 plural forms in 'ar'" in text
    assert f"course/course.yaml:{first + 3}:" in text and "write %% for a percent sign" in text


ITALIAN = """msgid ""
msgstr ""
"Language: it\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Check my answers"
msgstr "Verifica le mie risposte"

msgid "%(num)s character left"
msgid_plural "%(num)s characters left"
msgstr[0] "Resta %(num)s carattere"
msgstr[1] "Restano %(num)s caratteri"
"""


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A copy of the catalogs folder the builder reads, for a test that adds a language to it."""
    from builder.i18n import catalogs

    folder = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES, folder)
    monkeypatch.setattr(catalogs, "LOCALES", folder)
    caches = (catalogs.load, catalogs._chain, i18n.messages)
    for cache in caches:
        cache.cache_clear()
    yield folder
    for cache in caches:
        cache.cache_clear()


def test_a_language_is_added_by_one_file_and_gaps_are_warned(locales, tmp_path):
    """it.po with two strings: an Italian course gets them, English for the rest, and the build
    warns (at course.yaml's language line) how many strings are still English; a language with
    no catalog at all is warned too. Overridden strings do not count as missing."""
    def course(language: str, extra: str = "") -> Path:
        root = tmp_path / language
        shutil.copytree(ROOTS / "minimal", root)
        yaml = root / "course" / "course.yaml"
        yaml.write_text(yaml.read_text().replace("language: en", f"language: {language}") + extra)
        return root

    (locales / "it.po").write_text(ITALIAN, encoding="utf-8")
    line = next(n for n, text in enumerate((ROOTS / "minimal" / "course" / "course.yaml").read_text().splitlines(), 1)
                if text.startswith("language:"))
    report = build(course("it"), tmp_path / "out-it", formats=["scorm12"])
    with zipfile.ZipFile(tmp_path / "out-it" / "minimal-scorm12.zip") as z:
        sco = z.read("index.html").decode()
    assert '<html lang="it" dir="ltr">' in sco and ">Verifica le mie risposte</button>" in sco
    assert "Restano" in sco and ">Try again</button>" in sco  # the rest falls back to English
    total = len(i18n.source_messages())
    warnings = [str(w) for w in report.diagnostics.warnings]
    assert [w for w in warnings if f"course/course.yaml:{line}:" in w and f"{total - 2} of {total} interface strings" in w
            and "it.po" in w and "English" in w], warnings

    report = build(course("sw"), tmp_path / "out-sw", formats=["scorm12"])
    warnings = [str(w) for w in report.diagnostics.warnings]
    assert [w for w in warnings if f"course/course.yaml:{line}:" in w and "no interface catalog for 'sw'" in w
            and "builder/i18n/locales/sw.po" in w], warnings

    for language in ("fr-CA", "en-GB", "pt-BR"):  # complete catalogs: nothing to say
        report = build(course(language), tmp_path / f"out-{language}", formats=["scorm12"])
        assert not [w for w in report.diagnostics.warnings if "interface" in str(w)], language


def test_module_files_named_in_the_course_language(tmp_path):
    """An author writes file names in their own script: Arabic names build (two distinct pages,
    not both 'page.html'), accents are dropped rather than their letters ('alliés' -> 'allies')."""
    from builder.load.modules import module_names

    assert module_names("modules/02-alliés.md") == ("m02-allies", "allies")
    arabic = [module_names(f"modules/{name}.md") for name in ("01-تضامن", "02-حلفاء", "تضامن", "حلفاء")]
    assert len({slug for _, slug in arabic}) == 4 and len({ident for ident, _ in arabic}) == 4, arabic
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", ident) for ident, slug in arabic)
    assert module_names("modules/01-تضامن.md") == module_names("modules/01-تضامن.md")  # stable build to build
    root = tmp_path / "ar"
    shutil.copytree(ROOTS / "i18n-ar", root)
    modules = root / "course" / "modules"
    (modules / "01-tadamun.md").rename(modules / "01-تضامن.md")
    (modules / "02-hulafa.md").rename(modules / "02-حلفاء.md")
    yaml = root / "course" / "course.yaml"
    yaml.write_text(yaml.read_text().replace("01-tadamun.md", "01-تضامن.md").replace("02-hulafa.md", "02-حلفاء.md"))
    build(root, tmp_path / "out", formats=["html"])
    pages = sorted(p.name for p in (tmp_path / "out" / "dawra-ar-preview").glob("*.html"))
    assert len(pages) == 4 and "page.html" not in pages, pages


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def bare_template_text(source: str) -> list[str]:
    """Words a template writes outside {{ }} / {% %}: every one should go through _()."""
    s = re.sub(r"\{#.*?#\}|<!--.*?-->|<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    s = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", s, flags=re.S)
    attrs = re.findall(r'\s(?:title|aria-label|alt|placeholder|value)="([^"]*[A-Za-z][^"]*)"', s)
    return attrs + re.findall(r"\S*[A-Za-z]\S*", re.sub(r"<[^>]*>", " ", s))


def bare_script_text(source: str) -> list[str]:
    """Sentences in the SCO's scripts outside t()/tn() (console logs aside)."""
    s = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    s = re.sub(r"(?m)//.*$|^.*\b(?:log|console\.\w+)\(.*$", " ", s)
    s = re.sub(r"\b(?:t|tn)\(\s*(\"(?:[^\"\\]|\\.)*\"\s*,?\s*)+", "(", s)
    return [lit for lit in re.findall(r"\"((?:[^\"\\]|\\.)*)\"", s)
            if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", lit) and (lit[:1].isupper() or lit.rstrip()[-1:] in ".!?:")
            and lit != "use strict"]


def test_no_interface_text_outside_the_catalog():
    assert bare_template_text('<p>Check {{ _("x") }}</p><a title="Go">{{ a }}</a>') == ["Go", "Check"]
    assert bare_script_text('say(t("Fine text."));\nsay("Bare sentence here.");') == ["Bare sentence here."]
    found = {str(p.relative_to(TEMPLATES)): bare_template_text(p.read_text(encoding="utf-8"))
             for p in sorted(TEMPLATES.rglob("*.html"))}
    found.update({str(p.relative_to(TEMPLATES)): bare_script_text(p.read_text(encoding="utf-8"))
                  for p in sorted((TEMPLATES / "scorm" / "js").glob("*.js"))})
    assert not {k: v for k, v in found.items() if v}
