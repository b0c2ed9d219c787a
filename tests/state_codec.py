"""Read the text answers out of a saved learner state (suspend_data) with the runtime's own
decoder (templates/scorm/js/textpack.js, in node): the answers are packed, so a test can no
longer look for them in the raw string."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

PACK = Path(__file__).resolve().parents[1] / "templates" / "scorm" / "js" / "textpack.js"
READ = """
const Pack = require(%s);
const saved = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(saved.map(s => {
  if (s.charAt(0) === "1") return null;  // format 1 keeps them as typed
  const bytes = Pack.fromText(s.split("|").slice(4).join("|")), texts = [];
  for (let pos = 0; bytes && pos < bytes.length - 4;) {  // then 4 bytes: the texts' hash
    const one = Pack.unpackField(bytes, pos);
    if (!one) return null;
    texts.push(one[0]);
    pos = one[1];
  }
  return bytes ? texts : null;
})));
""" % json.dumps(str(PACK))


def saved_texts(*suspend_data: str) -> list[list[str] | None]:
    """The text answers held in each saved state, in order (None: not a packed state)."""
    node = shutil.which("node") or "/usr/bin/node"
    proc = subprocess.run([node, "-e", READ], input=json.dumps(list(suspend_data)), capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(proc.stdout)


def saved_text(suspend_data: str) -> str:
    """Every answer of one saved state, joined by newlines (for `in` checks)."""
    (texts,) = saved_texts(suspend_data)
    assert texts is not None, suspend_data[:40]
    return "\n".join(texts)
