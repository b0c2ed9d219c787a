"""What the team learnt about real importers (shared/docs/moodle-import.md, canvas-import.md),
as checks on a package's manifest."""

from __future__ import annotations

import re

from .archive import Package
from .findings import Report
from .manifest import MANIFEST, Manifest, parse

SNIFF_BYTES = 1024  # Moodle's CC detectors read only this much of the manifest
CANVAS_SCHEMA = re.compile(r"IMS(?: Thin)? Common Cartridge", re.I)
CANVAS_VERSIONS = {"cc1.0": "1.0.0", "cc1.1": "1.1.0", "cc1.2": "1.2.0", "cc1.3": "1.3.0"}
CANVAS_MARKER = "course_settings/canvas_export.txt"


def check_cartridge(m: Manifest, pkg: Package, report: Report) -> None:
    ns = m.ns
    schema = (m.root.findtext(m.el("metadata") + "/" + m.el("schema")) or "").strip()
    version = (m.root.findtext(m.el("metadata") + "/" + m.el("schemaversion")) or "").strip()
    if m.kind in ("cc1.2", "cc1.3"):
        report.info("moodle-cc-version", f"Common Cartridge {m.kind[2:]}: Moodle reads only CC 1.0 and 1.1 and "
                       "refuses this one ('Unknown backup format')", "for Moodle, export or build a CC 1.1 cartridge "
                       "(build-course writes both)", file=MANIFEST, line=m.root.sourceline)
    else:
        head = (pkg.read(MANIFEST) or b"")[:SNIFF_BYTES].decode("utf-8", "ignore").lower()
        head = "".join(head.split()).replace('"', "").replace("'", "")
        if f"xmlns={ns.lower()}" not in head:
            report.error("moodle-namespace-late", f"the default namespace is not within the manifest's first "
                         f"{SNIFF_BYTES} bytes; Moodle looks only there and answers 'Unknown backup format'",
                         "put xmlns=\"…\" first on the <manifest> element and keep comments out of the top",
                         file=MANIFEST, line=1)
    if not CANVAS_SCHEMA.search(schema):
        report.error("canvas-schema", f"<schema> is '{schema}'; Canvas recognises a cartridge only by "
                     "'IMS Common Cartridge' there", "write <schema>IMS Common Cartridge</schema>", file=MANIFEST)
    if version != CANVAS_VERSIONS.get(m.kind, version):
        report.error("canvas-schemaversion", f"<schemaversion> is '{version}'; Canvas accepts only three-part "
                     f"versions and refuses this one ('Unsupported content package')",
                     f"write <schemaversion>{CANVAS_VERSIONS[m.kind]}</schemaversion>", file=MANIFEST)
    if any(r.type.startswith("imsccauth") for r in m.resources.values()) or m.root.find(
            ".//{*}authorizations") is not None:
        report.error("moodle-protected", "the cartridge carries authorizations (a protected cartridge); Moodle "
                     "refuses it", "export it without protection", file=MANIFEST)
    if m.kind == "cc1.3" and any(r.type.startswith("assignment_xml") for r in m.resources.values()):
        report.info("cc13-assignments", "assignments (CC 1.3) are imported by Canvas; Moodle refuses CC 1.3 and "
                    "other LMSs may skip them", file=MANIFEST)
    _canvas_flavour(m, pkg, report)


def _canvas_flavour(m: Manifest, pkg: Package, report: Report) -> None:
    if CANVAS_MARKER not in pkg.names:
        return
    declared = any(r.href == CANVAS_MARKER for r in m.resources.values())
    if not declared:
        report.warning("canvas-marker-undeclared", f"{CANVAS_MARKER} is in the zip but no resource has it as its href; "
                       "Canvas then ignores the Canvas files and imports the standard cartridge only",
                       "declare a resource with href=\"course_settings/canvas_export.txt\"", file=CANVAS_MARKER)
        return
    report.info("canvas-flavour", "Canvas-flavoured cartridge: Canvas reads course_settings/module_meta.xml, "
                "wiki_content/ and non_cc_assessments/ instead of the organization and the CC QTI; other LMSs read "
                "the standard description, so both must describe the same course", file=CANVAS_MARKER)
    if "course_settings/module_meta.xml" not in pkg.names:
        report.warning("canvas-module-meta", "no course_settings/module_meta.xml; Canvas imports the content without "
                       "any module", "add module_meta.xml", file=CANVAS_MARKER)
    for name in pkg.names:
        if name.startswith("non_cc_assessments/") and name.endswith(".xml.qti"):
            ident = name[len("non_cc_assessments/"):-len(".xml.qti")]
            if f"{ident}/assessment_meta.xml" not in pkg.names:
                report.warning("canvas-assessment-meta", f"quiz '{ident}' has no {ident}/assessment_meta.xml; Canvas "
                               "imports it as an unpublished graded quiz with default settings",
                               "add the quiz's assessment_meta.xml at exactly that path", file=name)
    meta = parse(pkg, "course_settings/module_meta.xml", report) if "course_settings/module_meta.xml" in pkg.names else None
    if meta is not None:
        for ref in meta.iter("{*}identifierref"):
            if (ref.text or "").strip() and ref.text.strip() not in m.resources:
                report.warning("canvas-module-item", f"module_meta.xml names resource '{ref.text.strip()}', which the "
                               "manifest does not declare; Canvas drops that module item", "declare it or remove the "
                               "item", file="course_settings/module_meta.xml", line=ref.sourceline)


def check_scorm(m: Manifest, pkg: Package, report: Report) -> None:
    scos = [r for r in m.resources.values() if r.scorm_type == "sco"]
    if not m.item_refs:
        report.error("scorm-no-items", "the organization has no item that launches anything; the SCORM player shows "
                     "an empty activity", "add an <item identifierref=…> for each SCO", file=MANIFEST)
    if not scos:
        report.error("scorm-no-sco", "no resource is a SCO (adlcp:scormtype=\"sco\"); nothing will report progress "
                     "or a score to the LMS", "mark the launch resource as a SCO", file=MANIFEST)
    for ref, line in m.item_refs:
        res = m.resources.get(ref)
        if res is not None and not res.href:
            report.error("scorm-no-launch", f"item launches resource '{ref}', which has no href; the player has nothing "
                         "to open", "give the resource href=\"launch page\"", file=MANIFEST, line=line)
    if m.kind == "scorm2004":
        if len(scos) > 1:
            report.warning("moodle-2004-multi-sco", f"{len(scos)} SCOs in SCORM 2004: in Moodle's player every SCO "
                           "after the first fails to initialise (error 104) and records nothing",
                           "use one SCO, or SCORM 1.2 for Moodle", file=MANIFEST)
        report.info("moodle-2004", "SCORM 2004 in Moodle: no sequencing, success status only if the SCO sets it",
                    "for Moodle prefer SCORM 1.2", file=MANIFEST)
    for mastery in m.root.iter("{*}masteryscore"):
        try:
            ok = 0 <= float((mastery.text or "").strip()) <= 100
        except ValueError:
            ok = False
        if not ok:
            report.error("scorm-masteryscore", f"masteryscore '{mastery.text}' is not a number from 0 to 100; SCORM "
                         "1.2 players ignore it or refuse the manifest", "write a number such as 80",
                         file=MANIFEST, line=mastery.sourceline)
