"""The LMS side of a cmi5 launch, played by the tests against a real LRS (the ADL LRS of
../shared/tools/lrs): registration, the "launched" statement, LMS.LaunchData, a fetch URL that
hands out the auth token once, and the cmi5 rules every statement read back must follow."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

LRS_URL = os.environ.get("ADL_LRS_URL", "http://127.0.0.1:8200/xAPI/")
LRS_USER, LRS_PASSWORD = os.environ.get("ADL_LRS_AUTH", "lms:secret").split(":", 1)
LRS_HOME = Path(os.environ.get("ADL_LRS_HOME", "/var/lib/adl-lrs"))

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/context/"
CATEGORY, MOVEON = CMI5 + "categories/cmi5", CMI5 + "categories/moveon"
SESSION = CMI5 + "extensions/sessionid"
MASTERY = CMI5 + "extensions/masteryscore"
DEFINED = {"launched", "initialized", "completed", "passed", "failed", "abandoned", "waived", "terminated", "satisfied"}
# The verb IRIs of cmi5 section 9.3, exactly.
VERB_IRI = {v: ADL + v for v in ("launched", "initialized", "completed", "passed", "failed", "terminated")}
VERB_IRI.update({v: "https://w3id.org/xapi/adl/verbs/" + v for v in ("abandoned", "waived", "satisfied")})
LMS_ONLY = {"launched", "abandoned", "waived", "satisfied"}  # never sent by an AU (9.3.1, 9.3.6, 9.3.7, 9.3.9)
DURATION = re.compile(r"^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$")


class Lrs:
    """A tiny xAPI client (urllib): the LMS's own access to its LRS."""

    def __init__(self, endpoint: str = LRS_URL, user: str = LRS_USER, password: str = LRS_PASSWORD):
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self.token = base64.b64encode(f"{user}:{password}".encode()).decode()

    def request(self, method: str, path: str, query: Optional[dict] = None, body=None, headers=None):
        url = self.endpoint + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        head = {"Authorization": "Basic " + self.token, "X-Experience-API-Version": "1.0.3", **(headers or {})}
        if data is not None:
            head["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=head)
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                raw = r.read()
                return r.status, dict(r.headers), (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, dict(e.headers), json.loads(raw) if raw else None
            except ValueError:
                return e.code, dict(e.headers), raw.decode("utf-8", "replace")

    def available(self) -> bool:
        try:
            with urllib.request.urlopen(self.endpoint + "about", timeout=3) as r:
                return r.status == 200
        except OSError:
            return False

    def statements(self, registration: str) -> list[dict]:
        """Every statement of a registration, oldest first (following the 'more' links)."""
        status, _, page = self.request("GET", "statements", {"registration": registration, "ascending": "true", "limit": "500"})
        assert status == 200, page
        out = list(page["statements"])
        while page.get("more"):
            more = urllib.parse.urlsplit(page["more"])
            path = more.path.split("/xAPI/", 1)[-1] if "/xAPI/" in more.path else more.path.lstrip("/")
            status, _, page = self.request("GET", path + ("?" + more.query if more.query else ""))
            assert status == 200, page
            out += page["statements"]
        return out

    def state(self, activity_id: str, agent: dict, registration: str, state_id: str):
        status, headers, doc = self.request("GET", "activities/state", {
            "activityId": activity_id, "agent": json.dumps(agent), "registration": registration, "stateId": state_id})
        return status, doc, headers.get("ETag")

    def put_state(self, activity_id: str, agent: dict, registration: str, state_id: str, doc: dict) -> None:
        status, _, etag = self.state(activity_id, agent, registration, state_id)
        guard = {"If-Match": etag} if status == 200 and etag else {"If-None-Match": "*"}
        status, _, body = self.request("PUT", "activities/state", {
            "activityId": activity_id, "agent": json.dumps(agent), "registration": registration, "stateId": state_id},
            doc, guard)
        assert status == 204, (status, body)

    def post(self, statement: dict) -> None:
        status, _, body = self.request("POST", "statements", None, statement)
        assert status == 200, (status, body)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TokenDesk:
    """The LMS's fetch URLs: each hands out the auth token once, then the cmi5 error (8.2.3)."""

    def __init__(self, token: str):
        self.token = token
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()

    def issue(self) -> str:
        key = uuid.uuid4().hex
        with self.lock:
            self.calls[key] = 0
        return key

    def answer(self, key: str) -> dict:
        with self.lock:
            if key not in self.calls:
                return {"error-code": "2", "error-text": "Unknown fetch URL."}
            self.calls[key] += 1
            if self.calls[key] > 1:
                return {"error-code": "1", "error-text": "The authorization token has already been returned."}
        return {"auth-token": self.token}


def serve(root: Path, desk: TokenDesk):
    """The package files and the LMS pages (fetch URLs, the return page) on one local server."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def end_headers(self) -> None:
            origin = self.headers.get("Origin")
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            path = urllib.parse.urlsplit(self.path).path
            if not path.startswith("/lms/fetch/"):
                self.send_error(404)
                return
            body = json.dumps(desk.answer(path.rsplit("/", 1)[-1])).encode()
            self.send_response(200)  # errors too (section 8.2.1)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class LrsOutage:
    """A front door to the LRS that the test can shut: while down, every request (keepalive ones
    sent by a closing tab included, which no browser-side interception sees) gets 503 (the LRS
    refuses), or with down = "unreachable" the connection is closed unanswered (a network error)."""

    def __init__(self, lrs: Lrs):
        self.down = False
        outage, target = self, lrs.endpoint

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if outage.down == "unreachable":
                    self.close_connection = True
                    return
                if outage.down:
                    self.send_response(503)
                    self._cors()
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                head = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
                req = urllib.request.Request(target + self.path.lstrip("/"), data=body if body else None,
                                             method=self.command, headers=head)
                try:
                    with urllib.request.urlopen(req, timeout=20) as r:
                        status, headers, raw = r.status, r.headers, r.read()
                except urllib.error.HTTPError as e:
                    status, headers, raw = e.code, e.headers, e.read()
                self.send_response(status)
                for k, v in headers.items():
                    if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _cors(self) -> None:
                if self.headers.get("Origin"):
                    self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = _forward  # noqa: N815

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()


@dataclass
class Launch:
    url: str
    session: str
    fetch_key: str
    mode: str


@dataclass
class Registration:
    id: str
    actor: dict
    activity_id: str  # the LMS's id for the AU (never the publisher's, section 8.1.5)
    launches: list[Launch] = field(default_factory=list)


class Cmi5Lms:
    """Registers learners for one AU and launches it the way section 8 and 10 require."""

    def __init__(self, lrs: Lrs, desk: TokenDesk, base: str, au_url: str, publisher_id: str,
                 move_on: str, mastery: Optional[float]):
        self.lrs, self.desk, self.base, self.au_url = lrs, desk, base, au_url
        self.publisher_id, self.move_on, self.mastery = publisher_id, move_on, mastery

    def register(self) -> Registration:
        name = "learner-" + uuid.uuid4().hex[:12]
        actor = {"objectType": "Agent", "account": {"homePage": "https://lms.test", "name": name}}
        # A URN: the ADL LRS tries to GET every http(s) activity id after each statement, which
        # only slows the test down on a machine without network.
        return Registration(str(uuid.uuid4()), actor, f"urn:uuid:{uuid.uuid4()}")

    def abandon_unfinished(self, reg: Registration) -> None:
        """Section 9.3.6: a launch in the same registration as a session with no "terminated"
        abandons that session (the LMS records "abandoned", with a duration)."""
        if not reg.launches:
            return
        last = reg.launches[-1]
        done = [s for s in self.lrs.statements(reg.id)
                if s["context"].get("extensions", {}).get(SESSION) == last.session
                and s["verb"]["id"].rsplit("/", 1)[-1] in ("terminated", "abandoned")]
        if done:
            return
        self.lrs.post({
            "id": str(uuid.uuid4()), "actor": reg.actor, "timestamp": now(),
            "verb": {"id": "https://w3id.org/xapi/adl/verbs/abandoned", "display": {"en-US": "abandoned"}},
            "object": {"objectType": "Activity", "id": reg.activity_id}, "result": {"duration": "PT0S"},
            "context": {"registration": reg.id, "extensions": {SESSION: last.session},
                        "contextActivities": {"category": [{"id": CATEGORY}],
                                              "grouping": [{"objectType": "Activity", "id": self.publisher_id}]}},
        })

    def launch(self, reg: Registration, mode: str = "Normal", return_url: bool = True,
               mastery: Optional[float] = None, endpoint: Optional[str] = None) -> Launch:
        self.abandon_unfinished(reg)
        session = str(uuid.uuid4())
        mastery = self.mastery if mastery is None else mastery
        template = {"contextActivities": {"grouping": [{"objectType": "Activity", "id": self.publisher_id}]},
                    "extensions": {SESSION: session}}
        data = {"contextTemplate": template, "launchMode": mode, "moveOn": self.move_on}
        if mastery is not None:
            data["masteryScore"] = mastery
        if return_url:
            data["returnURL"] = self.base + "/lms/returned.html"
        self.lrs.put_state(reg.activity_id, reg.actor, reg.id, "LMS.LaunchData", data)
        extensions = {SESSION: session, CMI5 + "extensions/launchmode": mode,
                      CMI5 + "extensions/launchurl": self.base + "/" + self.au_url, CMI5 + "extensions/moveon": self.move_on}
        if mastery is not None:
            extensions[MASTERY] = mastery
        self.lrs.post({
            "id": str(uuid.uuid4()), "actor": reg.actor, "timestamp": now(),
            "verb": {"id": ADL + "launched", "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": reg.activity_id},
            "context": {"registration": reg.id, "extensions": extensions,
                        "contextActivities": {"category": [{"id": CATEGORY}], "grouping": template["contextActivities"]["grouping"]}},
        })
        key = self.desk.issue()
        query = urllib.parse.urlencode({
            "endpoint": endpoint or self.lrs.endpoint, "fetch": f"{self.base}/lms/fetch/{key}",
            "actor": json.dumps(reg.actor), "registration": reg.id, "activityId": reg.activity_id})
        launch = Launch(f"{self.base}/{self.au_url}?{query}", session, key, mode)
        reg.launches.append(launch)
        return launch


# ------------------------------------------------------------------------------- the rules


def timestamp(statement: dict) -> datetime:
    return datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))


def verb(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def categories(statement: dict) -> set[str]:
    return {a["id"] for a in statement.get("context", {}).get("contextActivities", {}).get("category", [])}


def check_cmi5(statements: list[dict], reg: Registration, publisher_id: str, mastery: Optional[float]) -> dict[str, list[str]]:
    """Assert the cmi5 rules (sections 7.1, 9.3, 9.5, 9.6) over one registration's statements.

    Returns the verbs of each session in timestamp order, keyed by session id.
    """
    sessions: dict[str, list[dict]] = {}
    ids = [s["id"] for s in statements]
    assert len(ids) == len(set(ids)), "a statement id appears twice"
    for s in statements:
        ctx = s.get("context", {})
        assert s["actor"]["account"] == reg.actor["account"], s
        assert ctx.get("registration") == reg.id, s
        assert s.get("timestamp"), s
        session = ctx.get("extensions", {}).get(SESSION)
        assert session, f"no session id: {s['verb']['id']}"
        sessions.setdefault(session, []).append(s)
    registration_verbs: list[str] = []
    out = {}
    for session, items in sessions.items():
        items.sort(key=lambda s: timestamp(s))
        verbs = [verb(s) for s in items]
        out[session] = verbs
        assert verbs[0] == "launched", verbs  # the LMS's, before the AU's first statement
        au = items[1:]
        abandoned = bool(au) and verb(au[-1]) == "abandoned"  # by the LMS at the next launch (9.3.6)
        if abandoned:
            au = au[:-1]
            if not au:  # nothing of the AU's reached the LRS in that session
                continue
        assert verb(au[0]) == "initialized", verbs  # 9.3.2: the AU's first statement of any kind
        if not abandoned:
            assert verb(au[-1]) == "terminated", verbs  # 9.3.8: the last, of any kind
        defined = [verb(s) for s in au if CATEGORY in categories(s)]
        assert len(defined) == len(set(defined)), f"a cmi5 defined verb twice in a session: {verbs}"
        assert len({"passed", "failed"} & set(defined)) <= 1, f"both passed and failed in a session: {verbs}"
        for s in au:
            v, ctx, result = verb(s), s["context"], s.get("result", {})
            assert v not in LMS_ONLY, f"the AU sent {v!r}, which only the LMS may send"
            if v in VERB_IRI:
                assert s["verb"]["id"] == VERB_IRI[v], f"{v}: verb IRI {s['verb']['id']!r}, cmi5 says {VERB_IRI[v]!r}"
            grouping = [a["id"] for a in ctx.get("contextActivities", {}).get("grouping", [])]
            assert publisher_id in grouping, f"{v}: contextTemplate grouping lost"
            cats = categories(s)
            if v in DEFINED:
                assert CATEGORY in cats, f"{v} without the cmi5 category"
                assert s["object"]["id"] == reg.activity_id, f"{v}: object is not the launched activityId"
                judged = "success" in result or "completion" in result
                assert (MOVEON in cats) == judged, f"{v}: moveon category iff success/completion"
                if v not in ("passed", "failed"):
                    assert "score" not in result and "success" not in result, v
                if v != "completed":
                    assert "completion" not in result, v
            else:
                assert CATEGORY not in cats and MOVEON not in cats, f"allowed statement {v} with a cmi5 category"
            if v in ("terminated", "completed", "passed", "failed"):
                assert DURATION.match(result.get("duration", "")), f"{v}: result.duration {result.get('duration')!r}"
            if v == "completed":
                assert result["completion"] is True
            if v in ("passed", "failed"):
                assert result["success"] is (v == "passed")
                scaled = result["score"]["scaled"]
                assert 0 <= scaled <= 1 and result["score"]["min"] <= result["score"]["raw"] <= result["score"]["max"]
                if mastery is not None:
                    assert ctx["extensions"][MASTERY] == mastery
                    assert (scaled >= mastery) == (v == "passed"), (v, scaled, mastery)
            if v == "answered":
                assert s["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
                assert s["object"]["definition"]["interactionType"] in ("choice", "true-false", "fill-in", "long-fill-in")
                assert "response" in result
        registration_verbs += defined
    assert registration_verbs.count("completed") <= 1, "completed twice in a registration"
    assert registration_verbs.count("passed") <= 1, "passed twice in a registration"
    if "passed" in registration_verbs:
        assert "failed" not in registration_verbs[registration_verbs.index("passed"):], "failed after passed"
    return out
