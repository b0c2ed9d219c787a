"""The preview's HTTP server (standard library): the shell page, the packages' files, and events.

Routes: ``/`` the shell (the SCO beside the LMS stand-in, or the problems of the last build);
``/sco/<edition>/…`` the SCORM package's files; ``/answers/…`` the read-only preview; ``/events``
server-sent events, one per finished build; ``/status`` the last build as JSON.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..render import make_environment
from ..targets.scorm.state import SUSPEND_LIMITS
from .live import LiveCourse, Snapshot

EDITIONS = ("scorm12", "scorm2004")
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, live: LiveCourse, port: int = 0):
        self.live = live
        self.closing = threading.Event()
        self.env = make_environment(live.source)
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def shell(self, snapshot: Snapshot, edition: str) -> bytes:
        config = {
            "build": snapshot.number,
            "edition": edition,
            "courseId": snapshot.course_id,
            "suspendLimit": SUSPEND_LIMITS[edition],
            "passingScore": snapshot.passing_score,
        }
        page = self.env.get_template("preview/live.html").render(
            snapshot=snapshot, edition=edition, editions=EDITIONS, config=config)
        return page.encode("utf-8")

    def shutdown(self) -> None:
        self.closing.set()
        super().shutdown()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the terminal shows builds, not every request
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        snapshot = self.server.live.current
        if path in ("/", "/index.html"):
            edition = parse_qs(parts.query).get("edition", ["scorm12"])[0]
            edition = edition if edition in EDITIONS else "scorm12"
            return self._send(self.server.shell(snapshot, edition), "text/html; charset=utf-8")
        if path == "/live.js":  # the LMS stand-in and its panel (a template file, overridable)
            source = self.server.env.loader.get_source(self.server.env, "preview/live.js")[0]
            return self._send(source.encode("utf-8"), "text/javascript; charset=utf-8")
        if path == "/events":
            return self._events(snapshot.number)
        if path == "/status":
            body = {"build": snapshot.number, "ok": snapshot.ok, "problems": snapshot.problems,
                    "warnings": snapshot.warnings, "seconds": round(snapshot.seconds, 3)}
            return self._send(json.dumps(body).encode(), "application/json")
        for prefix, name in [(f"/sco/{e}/", e) for e in EDITIONS] + [("/answers/", "html")]:
            if path.startswith(prefix):
                rel = path[len(prefix):] or "index.html"
                return self._package_file(snapshot, name, rel)
        self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)

    def _package_file(self, snapshot: Snapshot, fmt: str, rel: str) -> None:
        files = snapshot.files.get(fmt) if snapshot.ok else None
        data = None if files is None else files.get(rel)
        if data is None:
            return self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)
        if isinstance(data, Path):
            data = data.read_bytes()
        kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript",):
            kind += "; charset=utf-8"
        self._send(data, kind)

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self, seen: int) -> None:
        """One ``data: <build number>`` per finished build; the page reloads itself on a new one."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(f"retry: 1000\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not self.server.closing.is_set():
                snapshot = self.server.live.wait_for_change(seen, HEARTBEAT)
                if snapshot.number != seen:
                    seen = snapshot.number
                    self.wfile.write(f"data: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def serve(live: LiveCourse, port: int, open_browser: bool, say) -> None:
    """Build, serve and watch until Ctrl+C. ``say`` prints one line for the author."""
    from .watch import start_watching

    snapshot = live.rebuild()
    server = PreviewServer(live, port)
    _report(snapshot, say)
    say(f"Preview of {snapshot.title or live.source.resolve().name}: {server.url}  (Ctrl+C to stop)")
    stop = threading.Event()

    def on_change(changes: set) -> None:
        say(f"Changed: {', '.join(sorted(_short(p, live.source) for _, p in changes))} — rebuilding")
        _report(live.rebuild(), say)

    start_watching(live.source, on_change, stop)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.closing.set()
        server.server_close()


def _report(snapshot: Snapshot, say) -> None:
    if snapshot.ok:
        say(f"Build {snapshot.number}: OK in {snapshot.seconds:.2f}s" +
            (f", {len(snapshot.warnings)} warning(s)" if snapshot.warnings else ""))
        for line in snapshot.warnings:
            say(line)
    else:
        say(f"Build {snapshot.number}: {len(snapshot.problems)} problem(s) — shown in the browser until fixed")
        for line in snapshot.problems:
            say(line)


def _short(path: str, source: Path) -> str:
    try:
        return Path(path).resolve().relative_to(source.resolve()).as_posix()
    except ValueError:
        return path
