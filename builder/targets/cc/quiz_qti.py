"""Both QTI files of one quiz (the Common Cartridge profile's and Canvas's), for every cartridge
version a build makes, from one pair of documents.

The two files present each question alike and carry the same feedback: the Canvas document copies
those parts from the CC one instead of building them again. The cartridge versions' files differ
only in the schema the root points at, so each document is serialised once per version.
"""

from __future__ import annotations

import jinja2

from ...diagnostics import Diagnostics
from . import canvas_qti
from . import qti as cc_qti
from .outline import QuizRes
from .qti_xml import item_specs, point_at, serialize
from .versions import CcVersion


def quiz_qti(
    res: QuizRes, versions: tuple[CcVersion, ...], env: jinja2.Environment, diagnostics: Diagnostics
) -> dict[CcVersion, tuple[bytes, bytes]]:
    """{version: (CC profile QTI, Canvas QTI)} for each of ``versions``."""
    specs = item_specs(res.quiz, res.item_idents, env)
    cc = cc_qti.assessment(res, versions[0], specs, diagnostics)
    canvas = canvas_qti.assessment(res, versions[0], specs, twin=cc)
    made = {}
    for version in versions:
        point_at(cc, version)
        point_at(canvas, version)
        made[version] = (serialize(cc), serialize(canvas))
    return made
