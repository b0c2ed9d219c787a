"""Registry of target builders, by ``--format`` name.

Targets are imported on first use so that a format's dependencies load only when it is built,
and so is ``Target`` (Jinja2, the catalogs): ``build-course --help`` needs only the names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Target

# name -> "module:Class"; the order is the build order and the --help order.
REGISTRY: dict[str, str] = {
    "scorm12": "builder.targets.scorm.scorm12:Scorm12Target",
    "scorm2004": "builder.targets.scorm.scorm2004:Scorm2004Target",
    "cc1.1": "builder.targets.cc.cartridge:CommonCartridge11Target",
    "cc1.3": "builder.targets.cc.cartridge:CommonCartridge13Target",
    "mbz": "builder.targets.moodle.target:MoodleBackupTarget",
    "cmi5": "builder.targets.cmi5.target:Cmi5Target",
    "html": "builder.targets.preview.preview:PreviewTarget",
    # question banks, for LMSs that take questions rather than courses: built only when asked for
    "moodle-xml": "builder.targets.qbank.moodle_xml:MoodleXmlTarget",
    "gift": "builder.targets.qbank.gift:GiftTarget",
    "qti": "builder.targets.qbank.qti:QtiBankTarget",
}
ON_REQUEST: frozenset[str] = frozenset({"moodle-xml", "gift", "qti"})

DEFAULT_FORMATS: tuple[str, ...] = tuple(name for name in REGISTRY if name not in ON_REQUEST)


def __getattr__(name: str):
    if name == "Target":
        from .base import Target

        return Target
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_target(name: str) -> "Target":
    module_name, _, class_name = REGISTRY[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls()


__all__ = ["DEFAULT_FORMATS", "REGISTRY", "Target", "get_target"]
