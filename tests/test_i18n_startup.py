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
