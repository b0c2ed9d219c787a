"""Maintain the catalogs: ``python -m builder.i18n extract|update|check|list`` (from the repository).

extract  read every template, script and Python module for _()/ngettext()/t()/tn() and write
         builder/i18n/messages.pot (the template a translator starts a new language from)
update   extract, then merge the template into every locales/*.po (new strings come in empty)
check    exit 1 when messages.pot is out of date or a catalog misses a translation
list     print every interface string (the keys course.yaml's `messages:` accepts)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from .catalogs import LOCALES, TEMPLATE

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None, "tn": (1, 2)}


def extract() -> Catalog:
    with (HERE / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="build-course", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(REPO), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if Path(filename).parts[0] not in ("builder", "templates"):
            continue  # tests, build/, dist/ … hold no interface string
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    # no dates in the files: an update that changes no string changes no byte
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith(('"POT-Creation-Date', '"PO-Revision-Date'))),
                    encoding="utf-8")


def _ids(catalog: Catalog) -> set:
    return {m.id for m in catalog if m.id}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    template = extract()
    if command == "list":
        for m in sorted(template, key=lambda m: str(m.id)):
            if m.id:
                print(m.id[0] if isinstance(m.id, tuple) else m.id)
        return 0
    if command in ("extract", "update"):
        _write(template, TEMPLATE)
        print(f"{TEMPLATE.relative_to(REPO)}: {len(_ids(template))} strings")
    if command == "update":
        for path in sorted(LOCALES.glob("*.po")):
            with path.open("rb") as f:
                po = read_po(f)
            po.update(template, no_fuzzy_matching=True)
            _write(po, path)
            missing = [m.id for m in po if m.id and not (all(m.string) if isinstance(m.id, tuple) else m.string)]
            print(f"{path.relative_to(REPO)}: {len(missing)} to translate")
        return 0
    if command == "check":
        with TEMPLATE.open("rb") as f:
            stored = read_po(f)
        problems = []
        if _ids(stored) != _ids(template):
            problems.append(f"{TEMPLATE.name} is out of date: run python -m builder.i18n update")
        for path in sorted(LOCALES.glob("*.po")):
            with path.open("rb") as f:
                po = read_po(f)
            have = {m.id for m in po if m.id and not m.fuzzy and (all(m.string) if isinstance(m.id, tuple) else m.string)}
            for msgid in sorted(_ids(template) - have, key=str):
                problems.append(f"{path.name}: not translated: {msgid!r}")
        print("\n".join(problems) or "catalogs complete")
        return 1 if problems else 0
    return 0 if command in ("extract",) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
