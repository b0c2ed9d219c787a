"""Start-up shortcuts of builder/i18n give Babel's answers: the catalogs' own .po reader reads every
shipped catalog as Babel does; the scripts' strings kept on disk are Babel's extraction."""

from __future__ import annotations

import sys

import pytest

from builder.i18n import catalogs


def _names():
    return catalogs.known_languages()


@pytest.mark.parametrize("name", _names())
def test_reader_matches_babel(name):
    path = catalogs.LOCALES / f"{name}.po"
    ours = catalogs.read_catalog(path, name)
    babel = catalogs.read_catalog(path, name, babel=True)
    assert ours == babel
    assert list(ours[2]) == list(babel[2])  # same order too
    assert ours[2], "an empty catalog would make this test pointless"


PO = '''# comment
msgid ""
msgstr ""
"Language: xx\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"

#: a.html
#, python-format
msgid "%(num)s cat"
msgid_plural "%(num)s cats"
msgstr[0] "one \\"cat\\""
msgstr[2] "many\\tcats\\n"

#, fuzzy
msgid "fuzzy one"
msgstr "ignored"

msgid ""
"long "
"text \\\\ \\\\x"
msgstr ""
"lange "
"Text"

msgid "untranslated"
msgstr ""

#, fuzzy
#~ msgid "old"
#~ msgstr "alt"

msgid "after obsolete"
msgstr "nach"
'''


def test_reader_on_tricky_file(tmp_path):
    path = tmp_path / "de.po"
    path.write_text(PO, encoding="utf-8")
    ours = catalogs.read_catalog(path, "de")
    assert ours == catalogs.read_catalog(path, "de", babel=True)
    assert ours[2]["after obsolete"] == "nach"  # the obsolete entry's fuzzy flag stays with it
    assert ours[2]["%(num)s cat"] == ('one "cat"', "", "many\tcats\n")


def test_unexpected_files_go_to_babel(tmp_path, monkeypatch):
    path = tmp_path / "de.po"
    path.write_text(PO.replace('msgid "untranslated"', 'msgctxt "menu"\nmsgid "untranslated"'), encoding="utf-8")
    with pytest.raises(catalogs._Unexpected):
        catalogs._read(path)
    assert catalogs.read_catalog(path, "de") == catalogs.read_catalog(path, "de", babel=True)


def test_build_path_does_not_import_babel_messages():
    import subprocess

    code = ("import sys; from builder.i18n import catalogs; catalogs.catalog_for('ar'); catalogs.catalog_for('fr-CA');"
            "print(sorted(m for m in sys.modules if m.startswith('babel.messages')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_script_strings_cached_on_disk_are_babels(tmp_path, monkeypatch):
    from builder import i18n
    from builder.render.environment import default_templates_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    scripts = sorted((default_templates_dir() / "scorm" / "js").glob("*.js"))
    assert scripts
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        expected = i18n._extract_js_msgids(source)
        i18n.js_msgids.cache_clear()
        assert i18n.js_msgids(source) == expected  # extracted, then written
        i18n.js_msgids.cache_clear()
        assert i18n.js_msgids(source) == expected  # read back from the disk
    cached = list((tmp_path / "build-course" / "js-msgids").glob("*.json"))
    assert len(cached) == len({s.read_text(encoding="utf-8") for s in scripts})
    assert any(isinstance(m, tuple) for s in scripts for m in i18n.js_msgids(s.read_text(encoding="utf-8")))
    i18n.js_msgids.cache_clear()


def test_plain_language_directions_are_babels():
    from builder.i18n import bidi

    assert bidi._PLAIN_RTL and bidi._PLAIN_LTR and not bidi._PLAIN_RTL & bidi._PLAIN_LTR
    for code in sorted(bidi._PLAIN_RTL | bidi._PLAIN_LTR):
        assert bidi.text_direction(code) == bidi._babel_direction(code), code
    assert {"ar", "he", "fa"} <= bidi._PLAIN_RTL and {"en", "fr"} <= bidi._PLAIN_LTR


def test_plain_numbers_are_babels():
    import random

    from babel import Locale
    from babel.numbers import format_decimal

    from builder import i18n

    locales = {catalogs.load(name).babel_locale for name in catalogs.known_languages()}
    assert set(i18n._GROUP_SEPARATOR) <= locales
    rng = random.Random(10)
    numbers = list(range(2100)) + [rng.randrange(10**k) for k in range(3, 13) for _ in range(40)] + [10**12 - 1]
    for name, separator in sorted(i18n._GROUP_SEPARATOR.items()):
        locale = Locale.parse(name)
        messages = i18n.Messages(name)
        for n in numbers:
            expected = format_decimal(n, locale=locale, numbering_system="latn")
            assert messages.number(n) == expected, (name, n)
            if n < 10**9:
                assert messages.number(float(n)) == expected, (name, n)
    for value in (-0.0, -1, 10**12, 2.5, 1e9, True, -7.0):
        assert not i18n._plain_number(value)
    fr = i18n.Messages("fr")
    assert [fr.number(v) for v in (7, 7.0, 2.5, 1234, -3, -0.0)] == ["7", "7", "2,5", "1\u202f234", "-3", "-0"]
