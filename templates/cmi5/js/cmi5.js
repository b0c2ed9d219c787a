/* The cmi5 LMS adapter: the interface of lms.js (connect -> start, get, set, commit, finish,
   load, store) over xAPI, so the SCORM runtime (course.js, quiz.js, scoring.js, state.js) runs
   unchanged. course.js keeps reading and writing the SCORM 2004 data model; this file turns
   what it commits into cmi5 (cmi5 Quartz, sections 8-11):

   launch   endpoint, fetch, actor, registration, activityId from the URL; the auth token from
            one POST to fetch; LMS.LaunchData (contextTemplate, launchMode, masteryScore,
            moveOn, returnURL); cmi5LearnerPreferences; the AU's own progress document.
   defined  initialized first; completed / passed / failed as they happen (Normal mode only,
            at most one passed-or-failed per session, completed and passed once per
            registration, never failed after passed); terminated last, with result.duration.
   allowed  one "answered" statement per answered question and per reflection written, in the
            xAPI interaction vocabulary (SCORM 2004's, which course.js already produces).
   state    cmi.suspend_data, cmi.location and what was sent: State API documents (two, in
            turn), written with POST (a JSON merge, so no ETag round trip); a launch takes the
            copy with the highest rev (a time stamp, strictly increasing).
   browser  the learner's texts may be personal and the computer shared: localStorage holds
            a copy of the progress only until the LRS has acknowledged a write of it, and a
            statement only until the LRS has stored it; a copy newer than the LRS's is restored
            and sent by the next launch of the registration; a launch of another registration
            removes it unread.
   network  every request goes through one queue, in order, retried with back-off; a failure
            shows #cmi5-save-failed until everything is saved; on page hide whatever is left
            is sent with fetch(..., {keepalive: true}), which outlives the page; statements
            not acknowledged are kept in localStorage, and the next launch re-sends the ones
            the LRS does not have. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoLms = api;
})(this, function () {
  "use strict";

  var XAPI_VERSION = "1.0.3";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var VERBS = {
    initialized: ADL + "initialized", completed: ADL + "completed", passed: ADL + "passed",
    failed: ADL + "failed", terminated: ADL + "terminated", answered: ADL + "answered"
  };
  var CATEGORY = { cmi5: "https://w3id.org/xapi/cmi5/context/categories/cmi5",
    moveon: "https://w3id.org/xapi/cmi5/context/categories/moveon" };
  var EXT = { masteryScore: "https://w3id.org/xapi/cmi5/context/extensions/masteryscore",
    progress: "https://w3id.org/xapi/cmi5/result/extensions/progress" };
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var KEEPALIVE_LIMIT = 60000; // bytes: browsers allow 64 KiB of keepalive bodies in flight
  var MAX_BACKOFF = 30000;
  var MAX_BATCH = 50;
  var LAUNCH_TIMEOUT = 30000;
  var BATCH_BYTES = 40000; // a batch stays under the keepalive limit (UTF-8 bytes, estimated high)

  // ---------------------------------------------------------------- pure parts (tested in node)

  // The five cmi5 launch parameters, in any order, or null when the page was not launched by
  // a cmi5 LMS (opened from disk, a preview): then the runtime works offline as with SCORM.
  function launchParams(search) {
    var query = new URLSearchParams(search || "");
    var out = {};
    var names = ["endpoint", "fetch", "actor", "registration", "activityId"];
    for (var i = 0; i < names.length; i++) {
      var value = query.get(names[i]);
      if (!value) return null;
      out[names[i]] = value;
    }
    try { out.actor = JSON.parse(out.actor); } catch (e) { return null; }
    if (!/\/$/.test(out.endpoint)) out.endpoint += "/";
    return out;
  }

  function uuid() {
    var b = new Uint8Array(16);
    (typeof crypto !== "undefined" ? crypto : require("crypto").webcrypto).getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The LMS's contextTemplate, never overwritten, plus the registration and what we add.
  function context(template, registration, categories, parent) {
    var ctx = JSON.parse(JSON.stringify(template || {}));
    if (!ctx.registration) ctx.registration = registration;
    if (categories.length || parent) ctx.contextActivities = ctx.contextActivities || {};
    categories.forEach(function (id) {
      var list = ctx.contextActivities.category = ctx.contextActivities.category || [];
      if (!list.some(function (a) { return a.id === id; })) list.push({ id: id, objectType: "Activity" });
    });
    if (parent) {
      var parents = ctx.contextActivities.parent = ctx.contextActivities.parent || [];
      if (!parents.some(function (a) { return a.id === parent; })) parents.push({ id: parent, objectType: "Activity" });
    }
    return ctx;
  }

  // Section 9.3.4/9.3.5: passed when the scaled score reaches the mastery score; failed only
  // when the judgement is final for this session (every quiz submitted, and none has an
  // attempt left or the session is ending), since passed may not follow failed in the same
  // session. A later session may still pass.
  function judge(mastery, scaled, final) {
    if (mastery === null || mastery === undefined || scaled === null) return null;
    if (scaled >= mastery) return "passed";
    return final ? "failed" : null;
  }

  function isFinal(config, state, ending) {
    if (!state) return false;
    return config.quizzes.every(function (quiz, i) {
      var q = state.quizzes[i];
      return q.attempts > 0 && (ending || (quiz.attempts !== null && q.attempts >= quiz.attempts));
    });
  }

  function langMap(lang, text) {
    var map = {};
    map[lang] = text;
    return map;
  }

  // The object and result of an "answered" statement from the cmi.interactions.n.* values.
  function answered(record, question, lang, durationText) {
    var definition = { type: INTERACTION, name: langMap(lang, record.description || question.id),
      interactionType: record.type };
    if (record.patterns.length) definition.correctResponsesPattern = record.patterns;
    if (record.type === "choice" && question.choiceTexts) {
      definition.choices = (question.responses || question.choices).map(function (id, i) {
        return { id: id, description: langMap(lang, question.choiceTexts[i]) };
      });
    }
    var result = { response: record.response };
    if (durationText) result.duration = durationText;
    var weight = parseFloat(record.weighting);
    if (record.result === "correct" || record.result === "incorrect") {
      result.success = record.result === "correct";
      if (weight > 0) result.score = { raw: result.success ? weight : 0, min: 0, max: weight };
    }
    return { object: { objectType: "Activity", id: record.id, definition: definition }, result: result };
  }

  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return (h >>> 0).toString(36) + "." + text.length.toString(36);
  }

  // ---------------------------------------------------------------- the connection

  function connect(edition, win, log) {
    var doc = win.document;
    var config = JSON.parse(doc.getElementById("sco-config").getAttribute("data-config"));
    var C = config.cmi5, lang = C.lang;
    var Formats = win.ScoFormats, State = win.ScoState;
    var params = launchParams(win.location.search);
    var conn = { mode: "offline", errors: [], initialized: false, finished: false, launchMode: null, statements: [] };
    var model = {}; // cmi.* as course.js reads and writes them
    var interactions = {}; // index -> {element: value} not yet sent
    var progress = { rev: 0, suspendData: "", location: "", percent: null, sent: {}, texts: {}, totalMs: 0 };
    var auth = "", launchData = null, mastery = null, normal = false, judged = false;
    var initializedAt = 0, lastStamp = 0, exiting = false, gaveUp = false, slotTurn = 0;
    // The browser copy of the progress (see saveProgress), kept only while the LRS has not
    // acknowledged it, under prefix + course id + ":" + registration + ":" + activityId: the
    // course id lets a launch find an earlier registration's copies even where the LMS gives
    // each registration its own activityId (cmi5 8.1.5 only says it SHOULD keep one). Earlier
    // builds wrote prefix + registration + ":" + activityId: read, then removed.
    var BACKUP = "build-course:cmi5:", OUTBOX = "build-course:cmi5-outbox:";
    var own = params ? config.courseId + ":" + params.registration + ":" + params.activityId : "";
    var backupKey = BACKUP + own, oldBackupKey = params ? BACKUP + params.registration + ":" + params.activityId : "";
    var restoredFromBrowser = false;
    var endedKey = params ? "build-course:cmi5-ended:" + params.fetch : "";
    // Statements sent but not yet acknowledged by the LRS, kept in this browser: the tab may
    // close while the LRS is unreachable, and the next launch then sends what never arrived.
    var outboxKey = OUTBOX + own, oldOutboxKey = params ? OUTBOX + params.registration + ":" + params.activityId : "";
    var outbox = [];

    function el(id) { return doc.getElementById(id); }
    function show(id, visible) { var e = el(id); if (e) e.hidden = !visible; }
    function storage(kind) { try { return win[kind]; } catch (e) { return null; } }

    // Strictly increasing timestamps: order is judged by timestamp (section 9.3).
    function stamp() {
      var t = Math.max(Date.now(), lastStamp + 1);
      lastStamp = t;
      return new Date(t).toISOString();
    }

    // ---- HTTP

    function query(extra) {
      var q = new URLSearchParams();
      Object.keys(extra).forEach(function (k) { q.set(k, extra[k]); });
      return q.toString();
    }
    function stateQuery(stateId) {
      return query({ activityId: params.activityId, agent: JSON.stringify(params.actor),
        registration: params.registration, stateId: stateId });
    }
    function request(method, path, body, keepalive) {
      var headers = { "X-Experience-API-Version": XAPI_VERSION, Authorization: auth };
      var text;
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        text = JSON.stringify(body);
      }
      return win.fetch(params.endpoint + path, {
        method: method, headers: headers, body: text, cache: "no-store", credentials: "omit",
        keepalive: !!keepalive && (!text || new TextEncoder().encode(text).length < KEEPALIVE_LIMIT)
      });
    }
    function getJson(path, missingOk) {
      return request("GET", path).then(function (r) {
        if (r.status === 404 && missingOk) return null;
        if (!r.ok) throw new Error("GET " + path.split("?")[0] + ": HTTP " + r.status);
        return r.json();
      });
    }

    function keepOutbox() {
      var s = storage("localStorage");
      try {
        if (!s) return;
        if (outbox.length) s.setItem(outboxKey, JSON.stringify(outbox)); else s.removeItem(outboxKey);
      } catch (e) { /* full or blocked: only the in-memory queue is left */ }
    }
    function acknowledged(statements) {
      var ids = {};
      statements.forEach(function (st) { ids[st.id] = true; });
      outbox = outbox.filter(function (st) { return !ids[st.id]; });
      keepOutbox();
    }

    // ---- the queue: one request at a time, in order; retried until the LRS has it

    var queue = [], busy = false, failures = 0, retryTimer = null, idle = [];

    function deliver(item, keepalive) {
      var call = item.kind === "statements"
        ? request("POST", "statements", item.body, keepalive)
        : request("POST", "activities/state?" + stateQuery(slotOf(item)), item.body, keepalive);
      return call.then(function (r) {
        // 409 on a batch: the LRS already has these ids (a retry of a batch that got through;
        // a batch is stored whole or not at all, and never changes once sent)
        if (r.ok || (item.kind === "statements" && r.status === 409)) return "ok";
        if (r.status === 400 || r.status === 413) {
          return r.text().then(function (t) { log("LRS refused " + item.kind + " (HTTP " + r.status + "): " + t); return "drop"; });
        }
        return "retry"; // 401/403 (token), 408, 429, 5xx
      }, function () { return "retry"; });
    }

    // The statements waiting at the head of the queue leave as one batch (fewer round trips);
    // the batch is fixed from then on, so a retry sends exactly the same statements.
    function batchHead() {
      if (queue[0].kind !== "statement") return;
      var n = 0, size = 0;
      while (n < queue.length && n < MAX_BATCH && queue[n].kind === "statement" && (n === 0 || size < BATCH_BYTES)) {
        size += JSON.stringify(queue[n].body).length * 3; // UTF-8 bytes at worst
        n++;
      }
      var batch = { kind: "statements", body: queue.slice(0, n).map(function (q) { return q.body; }) };
      queue.splice(0, n, batch);
    }

    // The progress goes to two State documents in turn, and a launch reads the newer (by rev):
    // a copy still in flight when the tab closes and the last one sent beside it then land in
    // different documents, so whichever arrives last, the newest is kept. A retry keeps its slot.
    function slotOf(item) {
      if (!item.slot) {
        item.slot = C.stateIds[slotTurn];
        slotTurn = 1 - slotTurn;
      }
      return item.slot;
    }

    function pump() {
      if (busy || retryTimer || !queue.length) return;
      busy = true;
      batchHead();
      var item = queue[0];
      deliver(item, true).then(function (outcome) {
        busy = false;
        if (outcome === "retry") {
          failures++;
          conn.errors.push({ call: item.kind, code: "retry", text: "attempt " + failures });
          show("cmi5-save-failed", true);
          retryTimer = setTimeout(function () { retryTimer = null; pump(); }, Math.min(MAX_BACKOFF, 500 * Math.pow(2, failures)));
          return;
        }
        if (queue[0] === item) queue.shift();
        if (item.kind === "statements") acknowledged(item.body); // stored, or refused for good
        else if (outcome === "ok") saved(item.body.rev);
        failures = 0;
        if (!queue.length) {
          show("cmi5-save-failed", false);
          idle.splice(0).forEach(function (f) { f(); });
        }
        pump();
      });
    }

    function enqueue(item) {
      if (item.kind === "state") {
        // only the newest progress matters: drop older ones not yet in flight (the first is,
        // while busy)
        queue = queue.filter(function (q, i) { return q.kind !== "state" || (busy && i === 0); });
      }
      queue.push(item);
      pump();
    }

    // Page hide: send everything not yet sent at once with keepalive, the progress document
    // last and only its newest copy (an older one must not land after it).
    function flushNow() {
      if (!busy && queue.length) batchHead();
      var statements = [], newest = null;
      // The request in flight was sent with keepalive and completes without the page: sending
      // it again could race it into the LRS twice. What is sent here leaves the queue, so the
      // queue cannot send it again when the request in flight ends while the page still lives
      // (the ADL LRS stores two concurrent copies of one id twice). Unacknowledged, it stays in
      // the outbox for the next launch.
      var rest = queue.slice(busy ? 1 : 0);
      queue = queue.slice(0, busy ? 1 : 0);
      function sent(item) {
        deliver(item, true).then(function (outcome) {
          if (outcome !== "retry" && item.kind === "statements") acknowledged(item.body);
          else if (outcome === "ok" && item.kind === "state") saved(item.body.rev);
        });
      }
      rest.forEach(function (item) {
        if (item.kind === "statement") statements.push(item.body);
        else if (item.kind === "statements") statements = statements.concat(item.body);
        else if (item.kind === "state") newest = item;
      });
      if (statements.length) sent({ kind: "statements", body: statements });
      if (newest) sent(newest);
    }

    // ---- statements

    function send(verb, extra) {
      var st = { id: uuid(), actor: params.actor, verb: { id: VERBS[verb], display: { "en-US": verb } },
        object: { objectType: "Activity", id: params.activityId }, timestamp: stamp() };
      Object.keys(extra || {}).forEach(function (k) { st[k] = extra[k]; });
      conn.statements.push(verb);
      outbox.push(st);
      keepOutbox();
      enqueue({ kind: "statement", body: st });
    }

    function defined(verb, result, moveon) {
      var ctx = context(launchData.contextTemplate, params.registration, moveon ? [CATEGORY.cmi5, CATEGORY.moveon] : [CATEGORY.cmi5]);
      if ((verb === "passed" || verb === "failed") && mastery !== null) {
        ctx.extensions = ctx.extensions || {};
        ctx.extensions[EXT.masteryScore] = mastery;
      }
      send(verb, { result: result, context: ctx });
    }

    function allowed(object, result) {
      send("answered", { object: object, result: result,
        context: context(launchData.contextTemplate, params.registration, [], params.activityId) });
    }

    function elapsed() { return Date.now() - initializedAt; }
    function duration(ms) { return Formats.duration2004(ms); }

    // ---- launch

    function fetchToken() {
      var store = storage("sessionStorage");
      if (store && store.getItem(endedKey)) throw new Error("this launch has ended; launch again from the LMS");
      // POST once (section 8.2): the fetch URL is single-use
      return win.fetch(params.fetch, { method: "POST", cache: "no-store", credentials: "omit" }).then(function (r) {
        if (!r.ok) throw new Error("fetch URL: HTTP " + r.status);
        return r.json();
      }).then(function (body) {
        if (!body || !body["auth-token"]) throw new Error("fetch URL error " + (body && body["error-code"]) + ": " + (body && body["error-text"]));
        var token = body["auth-token"];
        auth = /^Basic /.test(token) ? token : "Basic " + token;
      });
    }

    // The newest of the two LRS copies and this browser's (a save the LRS never acknowledged);
    // the first write then goes to the other document, never over the newest. A browser copy
    // no newer than the LRS's is spent: removed unused.
    function restoreBackup(copies) {
      var local = null, s = storage("localStorage");
      try { local = s ? JSON.parse(s.getItem(backupKey) || s.getItem(oldBackupKey) || "null") : null; } catch (e) { local = null; }
      var best = null;
      copies.forEach(function (copy, i) {
        if (copy && (!best || (copy.rev || 0) > (best.rev || 0))) { best = copy; slotTurn = 1 - i; }
      });
      if (local && (!best || (local.rev || 0) > (best.rev || 0))) {
        best = local;
        restoredFromBrowser = true;
        try { s.setItem(backupKey, JSON.stringify(local)); } catch (e) { /* still under the old key */ }
      } else {
        remove(backupKey);
      }
      if (best) Object.keys(progress).forEach(function (k) { if (best[k] !== undefined) progress[k] = best[k]; });
    }

    function remove(key) {
      var s = storage("localStorage");
      try { if (s) s.removeItem(key); } catch (e) { /* blocked: nothing was kept either */ }
    }

    // Copies of another registration of this course (another learner on this computer, or an
    // attempt the LMS has closed) are never read: removed at launch. So are the copies earlier
    // builds kept: under the old keys (this registration's were read into the new ones) and
    // course.js's own (this adapter's copy holds the same state).
    function removeOtherCopies() {
      var s = storage("localStorage"), keys = [], mine = [backupKey, outboxKey];
      var course = config.courseId + ":";
      // course.js's key + ":" + registration (+ ":Browse" or ":Review")
      var legacy = "build-course:" + config.courseId + ":" + config.edition + ":";
      var registration = /.:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:Browse|:Review)?$/i;
      try {
        for (var i = 0; s && i < s.length; i++) keys.push(s.key(i));
      } catch (e) { return; }
      keys.forEach(function (key) {
        if (mine.indexOf(key) >= 0) return;
        var prefix = key.indexOf(BACKUP) === 0 ? BACKUP : key.indexOf(OUTBOX) === 0 ? OUTBOX : "";
        var rest = key.slice(prefix.length);
        var other = prefix && rest.indexOf(course) === 0 &&
          rest.slice(course.length).indexOf(params.registration + ":") !== 0;
        // old: prefix + registration (a UUID, no colon) + ":" + activityId
        var old = prefix && rest.slice(rest.indexOf(":") + 1) === params.activityId;
        var courseJs = !prefix && key.indexOf(legacy) === 0 && registration.test(key.slice(legacy.length));
        if (other || old || courseJs) remove(key);
      });
    }

    // What the last session in this browser sent without an answer: asked of the LRS one by
    // one. "lost" (404) is sent again in this session; a statement the LRS cannot tell about
    // (no answer, no right to read) is kept for the next launch and never sent twice.
    function earlierOutbox() {
      var s = storage("localStorage"), old = [];
      try {
        var seen = {};
        old = s ? JSON.parse(s.getItem(outboxKey) || "[]").concat(JSON.parse(s.getItem(oldOutboxKey) || "[]")) : [];
        old = old.filter(function (st) { return !seen[st.id] && (seen[st.id] = true); });
      } catch (e) { old = []; }
      return Promise.all(old.map(function (st) {
        return request("GET", "statements?" + query({ statementId: st.id })).then(function (r) {
          return r.status === 404 ? "lost" : r.ok ? "there" : "unknown";
        }, function () { return "unknown"; });
      })).then(function (found) {
        return { lost: old.filter(function (st, i) { return found[i] === "lost"; }),
                 unknown: old.filter(function (st, i) { return found[i] === "unknown"; }) };
      });
    }

    function launch() {
      return fetchToken().then(function () {
        return getJson("activities/state?" + stateQuery("LMS.LaunchData"));
      }).then(function (data) {
        launchData = data;
        if (!data || !data.contextTemplate || !data.launchMode) throw new Error("LMS.LaunchData is incomplete");
        return Promise.all([
          // section 11: read on startup; missing or refused is not an error
          getJson("agents/profile?" + query({ agent: JSON.stringify(params.actor), profileId: "cmi5LearnerPreferences" }), true)
            .catch(function () { return null; }),
          getJson("activities/state?" + stateQuery(C.stateIds[0]), true),
          getJson("activities/state?" + stateQuery(C.stateIds[1]), true),
          earlierOutbox()
        ]);
      }).then(function (found) {
        if (gaveUp) return; // too late: the page already runs offline
        conn.preferences = found[0];
        restoreBackup([found[1], found[2]]);
        var earlier = found[3];
        // completed / passed / failed that never arrived are judged again in this session
        earlier.lost.forEach(function (st) { delete progress.sent[st.verb.id.split("/").pop()]; });
        conn.launchMode = launchData.launchMode;
        normal = launchData.launchMode === "Normal";
        var given = parseFloat(launchData.masteryScore);
        mastery = isNaN(given) ? C.masteryScore : given; // the LMS's value wins (section 10.2.4)
        conn.returnURL = launchData.returnURL || "";
        var account = params.actor.account || {};
        model["cmi.learner_id"] = account.name || params.actor.mbox || "";
        model["cmi.suspend_data"] = progress.suspendData;
        model["cmi.location"] = progress.location;
        model["cmi.completion_status"] = progress.sent.completed ? "completed" : "";
        model["cmi.success_status"] = progress.sent.passed ? "passed" : progress.sent.failed ? "failed" : "";
        model["cmi.score.raw"] = progress.percent === null ? "" : String(progress.percent);
        model["cmi.interactions._count"] = "0";
        initializedAt = Date.now();
        conn.mode = "lms";
        conn.initialized = true;
        defined("initialized");
        // A copy the LRS never acknowledged goes to it now, whatever the learner does next
        // (Browse and Review send none: it waits in the browser for a Normal launch).
        if (restoredFromBrowser) saveProgress();
        // Browse and Review judge nothing: a lost completed/passed/failed waits for a Normal launch
        var waiting = normal ? [] : earlier.lost.filter(function (st) { return st.verb.id !== VERBS.answered; });
        outbox = earlier.unknown.concat(waiting, outbox);
        keepOutbox();
        removeOtherCopies();
        // answers that never arrived, in this session now (the LMS abandoned the other one)
        earlier.lost.forEach(function (st) {
          if (st.verb.id === VERBS.answered) allowed(st.object, st.result);
        });
        show("cmi5-mode-browse", launchData.launchMode === "Browse");
        show("cmi5-mode-review", launchData.launchMode === "Review");
        var exit = el("cmi5-exit");
        if (exit) {
          exit.hidden = false;
          exit.addEventListener("click", function () {
            exiting = true;
            exit.disabled = true;
            if (win.buildCourseSco && win.buildCourseSco.leave) win.buildCourseSco.leave();
          });
        }
      });
    }

    // A launch that hangs (an LMS or LRS not answering) must not leave the page dead.
    function timeout(ms) {
      return new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error("no answer in " + ms / 1000 + " s")); }, ms); });
    }

    conn.ready = !params ? Promise.resolve() : Promise.race([launch(), timeout(LAUNCH_TIMEOUT)]).catch(function (e) {
      gaveUp = true;
      conn.mode = "offline";
      conn.errors.push({ call: "launch", code: "launch", text: String(e && e.message || e) });
      log("cmi5 launch failed: " + (e && e.message || e));
      show("cmi5-launch-failed", true);
    });

    // ---- what course.js calls

    conn.start = function () { return conn.initialized; };
    conn.get = function (element) {
      return conn.initialized && Object.prototype.hasOwnProperty.call(model, element) ? model[element] : "";
    };
    conn.set = function (element, value) {
      if (!conn.initialized || conn.finished) return false;
      var m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(element);
      if (m) (interactions[m[1]] = interactions[m[1]] || {})[m[2]] = String(value);
      else model[element] = String(value);
      return true;
    };

    function questionById(id) {
      for (var i = 0; i < config.quizzes.length; i++) {
        for (var j = 0; j < config.quizzes[i].questions.length; j++) {
          if (config.quizzes[i].questions[j].interactionId === id) return config.quizzes[i].questions[j];
        }
      }
      return null;
    }

    function sendInteractions() {
      Object.keys(interactions).sort(function (a, b) { return a - b; }).forEach(function (n) {
        var v = interactions[n], patterns = [];
        for (var i = 0; v["correct_responses." + i + ".pattern"] !== undefined; i++) patterns.push(v["correct_responses." + i + ".pattern"]);
        var question = questionById(v.id);
        if (!question) { log("unknown interaction " + v.id); return; }
        var record = { id: v.id, type: v.type, response: v.learner_response || "", patterns: patterns,
          result: v.result, weighting: v.weighting, description: v.description };
        var parts = answered(record, question, lang, v.latency || "");
        allowed(parts.object, parts.result);
      });
      interactions = {};
    }

    // Reflections written or changed since they were last sent, once the learner moves on.
    function sendReflections(state) {
      if (!state) return;
      config.texts.forEach(function (field, i) {
        var r = C.reflections[field.key], text = state.texts[i];
        if (!r || !text || progress.texts[field.key] === hash(text)) return;
        progress.texts[field.key] = hash(text);
        allowed({ objectType: "Activity", id: r.id,
          definition: { type: INTERACTION, name: langMap(lang, r.prompt), interactionType: "long-fill-in" } },
          { response: text });
      });
    }

    // The browser copy is written before the save leaves and removed once the LRS has
    // acknowledged the newest save (a POST answered 2xx); a save refused for good (400/413)
    // keeps it. rev is a time stamp, strictly increasing: a launch compares it with the LRS's
    // copy, which a session in another browser may have written since.
    function saveProgress() {
      if (!normal) return; // Browse and Review record nothing, not even progress (section 10.2.2)
      progress.rev = Math.max(progress.rev + 1, Date.now());
      var s = storage("localStorage");
      try { if (s) s.setItem(backupKey, JSON.stringify(progress)); } catch (e) { /* full or blocked: the LRS copy */ }
      enqueue({ kind: "state", body: JSON.parse(JSON.stringify(progress)) });
    }

    function saved(rev) {
      if (rev === progress.rev) remove(backupKey); // else a newer save is on its way, with its copy
    }

    conn.commit = function (finishing) {
      if (!conn.initialized || (conn.finished && !finishing)) return false;
      sendInteractions();
      var state = State.decode(model["cmi.suspend_data"] || "", config.layout);
      var moved = model["cmi.location"] !== progress.location;
      if (moved || finishing) sendReflections(state);
      var percent = parseFloat(model["cmi.score.raw"]);
      if (!isNaN(percent) && (progress.percent === null || percent > progress.percent)) progress.percent = percent;
      var totalMs = progress.totalMs + elapsed();
      if (normal && model["cmi.completion_status"] === "completed" && !progress.sent.completed) {
        progress.sent.completed = true;
        defined("completed", { completion: true, duration: duration(totalMs) }, true);
      }
      if (normal && !judged && !progress.sent.passed && progress.percent !== null) {
        var scaled = Math.round(progress.percent * 100) / 10000;
        var verdict = judge(mastery, scaled, isFinal(config, state, finishing));
        if (verdict && !(verdict === "failed" && progress.sent.failed)) {
          judged = true; // one of passed/failed per session (section 9.3)
          progress.sent[verdict] = true;
          defined(verdict, { success: verdict === "passed", duration: duration(totalMs),
            score: { scaled: scaled, raw: Math.round(progress.percent), min: 0, max: 100 } }, true);
        }
      }
      var changed = model["cmi.suspend_data"] !== progress.suspendData || moved;
      progress.suspendData = model["cmi.suspend_data"] || "";
      progress.location = model["cmi.location"] || "";
      if (changed || finishing) {
        if (finishing) progress.totalMs = totalMs;
        saveProgress();
      }
      return true;
    };

    conn.finish = function () {
      if (!conn.initialized || conn.finished) return false;
      conn.commit(true);
      conn.finished = true;
      var result = { duration: duration(elapsed()) };
      if (!progress.sent.completed) {
        var state = State.decode(progress.suspendData, config.layout);
        if (state) {
          var required = config.pages.filter(function (p) { return p.required; }).length;
          var seen = config.pages.filter(function (p, i) { return p.required && state.visited[i]; }).length;
          result.extensions = {};
          result.extensions[EXT.progress] = required ? Math.floor(100 * seen / required) : 0;
        }
      }
      defined("terminated", result);
      var s = storage("sessionStorage");
      try { if (s) s.setItem(endedKey, "1"); } catch (e) { /* a reload then fails at the fetch URL instead */ }
      if (!exiting) flushNow(); // the page is going away (course.js calls this on pagehide)
      var done = function () {
        show("cmi5-ended", true);
        show("cmi5-exit", false);
        if (exiting && conn.returnURL) win.location.assign(conn.returnURL); // section 10.2.6
      };
      if (!queue.length) done(); else idle.push(done);
      return true;
    };

    // course.js's own browser copy. Launched, this adapter keeps the only copy (above), so
    // course.js stores nothing and loads the state only when this browser's copy won, which
    // makes it say so. Not launched (from disk, a preview) the browser is the only store, as
    // with SCORM. A launch that failed records nothing and keeps what the learner does for
    // this tab only (sessionStorage): nobody else on this computer can open it afterwards.
    function local() { return storage(params ? "sessionStorage" : "localStorage"); }
    conn.load = function (key) {
      if (conn.initialized) return restoredFromBrowser ? progress.suspendData : "";
      var s = local();
      try { return s ? s.getItem(key) || "" : ""; } catch (e) { return ""; }
    };
    conn.store = function (key, value) {
      if (conn.initialized) return true;
      var s = local();
      try { if (s) s.setItem(key, value); return !!s; } catch (e) { return false; }
    };
    conn.forget = function (key) {
      if (conn.initialized) return;
      var s = local();
      try { if (s) s.removeItem(key); } catch (e) { /* nothing kept */ }
    };
    conn.pending = function () { return queue.length; };
    // Closed after "Save and exit" but before the queue drained: send the rest now.
    win.addEventListener("pagehide", function () { if (conn.finished && queue.length) flushNow(); });
    return conn;
  }

  return { connect: connect, launchParams: launchParams, context: context, judge: judge, isFinal: isFinal,
    answered: answered, uuid: uuid, VERBS: VERBS, CATEGORY: CATEGORY };
});
