/* The LMS connection: finds the SCORM API the standard way, wraps both editions behind one
   interface, checks and logs every error code, and falls back to the browser's own storage
   when no LMS is there (opened from disk or a preview server); with an LMS, the browser keeps a
   copy only until the LMS confirms a commit of it. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoLms = api;
})(this, function () {
  "use strict";

  var CALLS = {
    scorm12: { api: "API", init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError", text: "LMSGetErrorString", diagnostic: "LMSGetDiagnostic",
      alreadyInitialized: "101" },
    scorm2004: { api: "API_1484_11", init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError", text: "GetErrorString", diagnostic: "GetDiagnostic",
      alreadyInitialized: "103", notInitializedValue: "403" }
  };
  var MAX_HOPS = 10; // frames to climb per chain; deeper nesting is not an LMS player

  // Walks win, its parents, then the opener and its parents. Cross-origin frames throw on
  // access; they are skipped, never retried.
  function findApi(win, name) {
    function climb(w) {
      for (var hops = 0; w && hops <= MAX_HOPS; hops++) {
        try {
          if (w[name]) return w[name];
          if (!w.parent || w.parent === w) return null;
          w = w.parent;
        } catch (e) {
          return null;
        }
      }
      return null;
    }
    var found = climb(win);
    if (!found) {
      try { found = win.opener ? climb(win.opener) : null; } catch (e) { found = null; }
    }
    return found;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // A connection: mode "lms" or "offline"; get/set/commit/finish never throw.
  function connect(edition, win, log) {
    var calls = CALLS[edition];
    var api = findApi(win, calls.api);
    var conn = { mode: api ? "lms" : "offline", errors: [], initialized: false, finished: false, api: api };

    function check(what, benign) {
      var code = "0";
      try { code = String(api[calls.error]()); } catch (e) { code = "exception"; }
      if (code !== "0" && code !== "" && code !== benign) {
        var text = "", diag = "";
        try { text = api[calls.text](code); diag = api[calls.diagnostic](code); } catch (e) { /* keep the code */ }
        conn.errors.push({ call: what, code: code, text: text });
        log("SCORM error " + code + " after " + what + ": " + text + (diag && diag !== text ? " (" + diag + ")" : ""));
      }
      return code;
    }

    function call(method, args, what, benign) {
      try {
        var result = api[method].apply(api, args);
        return { value: result, code: check(what, benign) };
      } catch (e) {
        // Some players throw from inside (Moodle's 2004 player on certain answers): log, go on.
        conn.errors.push({ call: what, code: "exception", text: String(e) });
        log("SCORM call " + what + " threw: " + e);
        return { value: "", code: "exception" };
      }
    }

    conn.start = function () {
      if (!api || conn.initialized) return conn.initialized;
      var r = call(calls.init, [""], calls.init, calls.alreadyInitialized); // already started: not a fault
      conn.initialized = String(r.value) === "true" || r.code === calls.alreadyInitialized;
      if (!conn.initialized) conn.mode = "offline"; // no endless retries: one try, then local
      return conn.initialized;
    };
    conn.get = function (element) {
      if (!conn.initialized || conn.finished) return "";
      // 2004 answers 403 for an element nothing has set yet: an empty value, not a fault.
      var r = call(calls.get, [element], calls.get + "(" + element + ")", calls.notInitializedValue);
      return r.value === null || r.value === undefined ? "" : String(r.value);
    };
    conn.set = function (element, value) {
      if (!conn.initialized || conn.finished) return false;
      var r = call(calls.set, [element, String(value)], calls.set + "(" + element + ")");
      return String(r.value) === "true";
    };
    conn.commit = function () {
      if (!conn.initialized || conn.finished) return false;
      return confirmed(String(call(calls.commit, [""], calls.commit).value) === "true");
    };
    conn.finish = function () {
      if (!conn.initialized || conn.finished) return false;
      conn.finished = true; // once, even if the call fails: a second Terminate is an error
      // Not a confirmation: during page dismissal players send it as a beacon, whose fate is unknown.
      return String(call(calls.finish, [""], calls.finish).value) === "true";
    };

    // The browser copy of the learner's state. Offline it is the only store. With an LMS it is
    // kept only while the LMS has not confirmed that state (a Commit answered "true"): the
    // answers may be personal and the computer shared. What remains is a state the LMS may not
    // have (its commits failed, or the learner left within moments of a change, which only the
    // finish call carried); course.js restores it on the next visit of the same attempt.
    var pending = null, confirmedValue = null;
    function confirmed(ok) {
      if (ok && pending !== null) { confirmedValue = pending.value; conn.forget(pending.key); pending = null; }
      return ok;
    }
    conn.load = function (key) {
      var s = storage();
      try { return s ? s.getItem(key) || "" : ""; } catch (e) { return ""; }
    };
    conn.store = function (key, value) {
      var s = storage();
      if (conn.mode === "lms") {
        if (value === confirmedValue) { conn.forget(key); pending = null; return !!s; } // the LMS has it
        pending = { key: key, value: value };
      }
      try { if (s) s.setItem(key, value); return !!s; } catch (e) { return false; }
    };
    conn.forget = function (key) {
      var s = storage();
      try { if (s) s.removeItem(key); } catch (e) { /* nothing kept, nothing to remove */ }
    };
    return conn;
  }

  return { findApi: findApi, connect: connect, CALLS: CALLS };
});
