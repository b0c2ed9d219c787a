"""Registry of target builders, by ``--format`` name.

Targets are imported on first use so that a format's dependencies load only when it is built.
"""

from __future__ import annotations

import importlib

from .base import Target

# name -> "module:Class"; the order is the build order and the --help order.
REGISTRY: dict[str, str] = {
    "scorm12": "builder.targets.scorm.scorm12:Scorm12Target",
    "scorm2004": "builder.targets.scorm.scorm2004:Scorm2004Target",
    "cc1.1": "builder.targets.cc.cartridge:CommonCartridge11Target",
    "cc1.3": "builder.targets.cc.cartridge:CommonCartridge13Target",
    "mbz": "builder.targets.moodle.target:MoodleBackupTarget",
    "html": "builder.targets.preview.preview:PreviewTarget",
}

DEFAULT_FORMATS: tuple[str, ...] = tuple(REGISTRY)


def get_target(name: str) -> Target:
    module_name, _, class_name = REGISTRY[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls()


__all__ = ["DEFAULT_FORMATS", "REGISTRY", "Target", "get_target"]
