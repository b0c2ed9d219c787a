"""Render a big page once for several variants that differ in a few late values.

The two SCORM editions print the same 3 MB page but for the configuration the runtime reads, the
edition's label and each text box (its budget). ``LatePage`` renders the page once with a marker in
place of each late value and of each "hole" (an included template whose output varies, recorded
with the variables it was included with), then ``fill`` makes each variant: late values printed as
the page prints them, holes rendered by their own template with the variant's variables. The
markers hold a per-page random token and NUL characters, so no course text can forge one; a page
that does not come out clean (a late value printed some other way, a marker left) is refused, and
the caller renders that variant the plain way.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Callable, Mapping, Optional

import jinja2
from markupsafe import Markup

HOLE_STUB = "{{ late_hole() }}"  # what a hole template is replaced by while the page is rendered once


class _HoleLoader(jinja2.BaseLoader):
    """The environment's loader, with the hole templates replaced by the stub."""

    def __init__(self, loader: jinja2.BaseLoader, holes: frozenset[str]):
        self.loader, self.holes = loader, holes

    def get_source(self, environment, template):
        if template in self.holes:
            return HOLE_STUB, None, lambda: True
        return self.loader.get_source(environment, template)


class LatePage:
    def __init__(self, token: str, text: str, hole_template: str, hole_vars: list[dict], late_printed: dict[str, str]):
        self.token, self.text = token, text
        self.hole_template = hole_template
        self.hole_vars = hole_vars  # the variables each hole was included with, in page order
        self.late_printed = late_printed  # late name -> how its marker came out in the page

    @classmethod
    def render(cls, env: jinja2.Environment, template: str, values: Mapping[str, Any],
               late: Mapping[str, Callable[[Any], str]], hole: str) -> Optional["LatePage"]:
        """Render ``template`` once: ``values`` as given, each name of ``late`` as a marker
        (``late[name]`` prints a value the way the page does), the ``hole`` template left open.
        None when the page cannot be rendered that way (the caller renders it plainly)."""
        token = secrets.token_hex(8)
        hole_vars: list[dict] = []

        @jinja2.pass_context
        def late_hole(context) -> Markup:
            hole_vars.append(context.get_all())
            return Markup(f"\x00{token}:hole\x00")

        markers = {name: f"\x00{token}:{name}\x00" for name in late}
        # a fresh template cache: every template of the page is bound to this environment (the
        # build's environment shares its compiled code, see environment.py)
        overlay = env.overlay(loader=_HoleLoader(env.loader, frozenset({hole})), cache_size=100)
        try:
            text = overlay.get_template(template).render({**values, **markers, "late_hole": late_hole})
        except jinja2.TemplateError:  # a template that uses a late value as more than a value
            return None
        printed = {name: str(late[name](marker)) for name, marker in markers.items()}
        if any(text.count(mark) != 1 for mark in printed.values()):
            return None
        return cls(token, text, hole, hole_vars, printed)

    def fill(self, env: jinja2.Environment, late_values: Mapping[str, Any], late: Mapping[str, Callable[[Any], str]],
             hole_values: Callable[[dict], dict]) -> Optional[str]:
        """The page of one variant: ``late_values`` printed by ``late``, each hole rendered with
        ``hole_values(the variables it was included with)``. None when it does not come out clean."""
        token = self.token
        hole_template = env.get_template(self.hole_template)
        pieces = self.text.split(f"\x00{token}:hole\x00")
        if len(pieces) != len(self.hole_vars) + 1:
            return None
        out = [pieces[0]]
        for variables, piece in zip(self.hole_vars, pieces[1:]):
            out.append(hole_template.render(hole_values({**variables, **late_values})))
            out.append(piece)
        text = "".join(out)
        for name, mark in self.late_printed.items():
            text = text.replace(mark, str(late[name](late_values[name])))
        # a marker printed some other way (through another filter) would leave the token (in any
        # case: a filter may have upper-cased it) or a NUL; a case-blind search, not text.lower():
        # lowering the 4 MB page cost ~50 ms an edition
        return None if "\x00" in text or re.search(re.escape(token), text, re.IGNORECASE) else text
