"""``build-course preview``: the course served on 127.0.0.1, rebuilt in memory on every save.

``live.LiveCourse`` builds the SCORM packages and the read-only preview in memory; ``watch``
rebuilds it when a course, quiz, media or template file changes; ``server`` serves the learner's
view (the SCO page, as the package has it, beside a small LMS stand-in) and tells open tabs to
reload through server-sent events.
"""

from .live import LiveCourse
from .server import PreviewServer

__all__ = ["LiveCourse", "PreviewServer"]
