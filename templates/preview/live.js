/* build-course preview: a small LMS stand-in for the SCO in the frame, and its panel.

   It answers the SCORM 1.2 (window.API) or 2004 (window.API_1484_11) calls the SCO finds in its
   parent window, keeps what an LMS would store in sessionStorage (so a rebuild or a relaunch
   resumes the same attempt), and shows it: completion, success, score, each interaction as
   recorded, the suspend-data budget. A new build (server-sent event) reloads the page. */
(function () {
  "use strict";
  var holder = document.getElementById("live-config");
  var cfg = JSON.parse(holder.getAttribute("data-config"));

  // -- reload on every new build (or when the build is fixed) ---------------------------------
  if (window.EventSource) {
    var events = new EventSource("/events");
    events.onmessage = function (e) {
      if (Number(e.data) !== cfg.build) {
        events.close();
        window.location.reload();
      }
    };
  }
  var frame = document.getElementById("sco-frame");
  if (!frame) return; // the problems page: nothing to record

  var is12 = cfg.edition === "scorm12";
  var KEY = "build-course-preview:" + cfg.courseId + ":" + cfg.edition;
  var EL = is12 ? {
    status: "cmi.core.lesson_status", entry: "cmi.core.entry", exit: "cmi.core.exit",
    location: "cmi.core.lesson_location", raw: "cmi.core.score.raw", learnerId: "cmi.core.student_id",
    learnerName: "cmi.core.student_name", response: "student_response"
  } : {
    status: "cmi.completion_status", success: "cmi.success_status", entry: "cmi.entry", exit: "cmi.exit",
    location: "cmi.location", raw: "cmi.score.raw", scaled: "cmi.score.scaled", learnerId: "cmi.learner_id",
    learnerName: "cmi.learner_name", response: "learner_response"
  };
  var ERRORS = is12 ? {
    "0": "No error", "101": "General exception", "201": "Invalid argument error", "301": "Not initialized",
    "401": "Not implemented error", "403": "Element is read only", "405": "Incorrect data type"
  } : {
    "0": "No error", "103": "Already initialized", "104": "Content instance terminated",
    "112": "Termination after termination", "122": "Retrieve data before initialization",
    "123": "Retrieve data after termination", "132": "Store data before initialization",
    "133": "Store data after termination", "142": "Commit before initialization",
    "143": "Commit after termination", "351": "General set failure", "401": "Undefined data model element",
    "404": "Data model element is read only", "406": "Data model element type mismatch",
    "407": "Data model element value out of range"
  };
  var READ_ONLY = [EL.entry, EL.learnerId, EL.learnerName, "cmi.interactions._count", "cmi.core.credit",
    "cmi.credit", "cmi.mode", "cmi.core.lesson_mode", "cmi.core.total_time", "cmi.total_time"];

  function fresh() { return { data: {}, sessions: 0, log: [] }; }
  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY)) || fresh(); } catch (e) { return fresh(); }
  }
  var store = load();
  var session = "new"; // new | running | done (per launch of the SCO)
  var lastError = "0";

  function save() {
    try { window.sessionStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* private mode */ }
    render();
  }
  function log(call, detail, result) {
    store.log.unshift(call + (detail ? " " + detail : "") + " → " + result);
    store.log = store.log.slice(0, 30);
  }

  // What the LMS hands the SCO at launch: resume after a suspend, a fresh start the first time.
  function launch() {
    var d = store.data;
    var suspended = d[EL.exit] === "suspend";
    d[EL.entry] = store.sessions === 0 ? "ab-initio" : (suspended ? "resume" : "");
    d[EL.learnerId] = "preview-author";
    d[EL.learnerName] = "Author, Preview";
    if (!d[EL.status]) d[EL.status] = is12 ? "not attempted" : "unknown";
    if (!is12 && !d[EL.success]) d[EL.success] = "unknown";
    if (!is12 && cfg.passingScore !== null && cfg.passingScore !== undefined) {
      d["cmi.scaled_passing_score"] = String(cfg.passingScore);
    }
    d[is12 ? "cmi.core.lesson_mode" : "cmi.mode"] = "normal";
    d[is12 ? "cmi.core.credit" : "cmi.credit"] = "credit";
    delete d[EL.exit];
    delete d[is12 ? "cmi.core.session_time" : "cmi.session_time"];
  }

  function interactionCount() {
    var n = 0;
    while (store.data["cmi.interactions." + n + ".id"] !== undefined) n++;
    return n;
  }

  function fail(code, result) { lastError = code; return result; }

  function initialize(call) {
    if (session === "running") { log(call, "", "false"); return fail(is12 ? "101" : "103", "false"); }
    launch();
    session = "running";
    lastError = "0";
    log(call, "", "true");
    save();
    return "true";
  }
  function terminate(call) {
    if (session !== "running") { log(call, "", "false"); return fail(is12 ? "301" : "112", "false"); }
    session = "done";
    store.sessions += 1;
    lastError = "0";
    log(call, "", "true");
    save();
    return "true";
  }
  function getValue(call, element) {
    if (session !== "running") return fail(is12 ? "301" : (session === "new" ? "122" : "123"), "");
    lastError = "0";
    if (element === "cmi.interactions._count") return String(interactionCount());
    if (/\._children$/.test(element)) return "";
    var value = store.data[element];
    return value === undefined ? "" : String(value);
  }
  function setValue(call, element, value) {
    value = String(value);
    if (session !== "running") {
      log(call, element, "false");
      return fail(is12 ? "301" : (session === "new" ? "132" : "133"), "false");
    }
    if (READ_ONLY.indexOf(element) >= 0) { log(call, element, "false"); return fail(is12 ? "403" : "404", "false"); }
    var m = /^cmi\.interactions\.(\d+)\./.exec(element);
    if (m && Number(m[1]) > interactionCount()) { log(call, element, "false"); return fail(is12 ? "201" : "351", "false"); }
    if (element === "cmi.suspend_data" && value.length > cfg.suspendLimit) {
      log(call, element + " (" + value.length + " characters)", "false");
      return fail(is12 ? "405" : "407", "false");
    }
    store.data[element] = value;
    lastError = "0";
    log(call, element + " = " + (value.length > 40 ? value.slice(0, 40) + "…" : value), "true");
    save();
    return "true";
  }
  function commit(call) {
    if (session !== "running") return fail(is12 ? "301" : "142", "false");
    lastError = "0";
    log(call, "", "true");
    save();
    return "true";
  }
  function errorText(code) { return ERRORS[String(code)] || ""; }

  if (is12) {
    window.API = {
      LMSInitialize: function () { return initialize("LMSInitialize"); },
      LMSFinish: function () { return terminate("LMSFinish"); },
      LMSGetValue: function (el) { return getValue("LMSGetValue", el); },
      LMSSetValue: function (el, v) { return setValue("LMSSetValue", el, v); },
      LMSCommit: function () { return commit("LMSCommit"); },
      LMSGetLastError: function () { return lastError; },
      LMSGetErrorString: errorText,
      LMSGetDiagnostic: errorText
    };
  } else {
    window.API_1484_11 = {
      Initialize: function () { return initialize("Initialize"); },
      Terminate: function () { return terminate("Terminate"); },
      GetValue: function (el) { return getValue("GetValue", el); },
      SetValue: function (el, v) { return setValue("SetValue", el, v); },
      Commit: function () { return commit("Commit"); },
      GetLastError: function () { return lastError; },
      GetErrorString: errorText,
      GetDiagnostic: errorText
    };
  }

  // -- the panel -------------------------------------------------------------------------------
  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value === undefined || value === "" ? "—" : value;
  }
  function render() {
    var d = store.data;
    text("lms-completion", d[EL.status]);
    text("lms-success", is12 ? "—" : d[EL.success]);
    var score = d[EL.raw] === undefined ? "" : d[EL.raw] + (is12 ? " %" : "");
    if (!is12 && d[EL.scaled] !== undefined) score += " (" + d[EL.scaled] + ")";
    text("lms-score", score);
    text("lms-location", d[EL.location]);
    text("lms-exit", d[EL.exit]);
    text("lms-sessions", String(store.sessions));
    var used = (d["cmi.suspend_data"] || "").length;
    var meter = document.getElementById("lms-suspend-meter");
    if (meter) meter.value = used;
    var budget = document.getElementById("lms-suspend");
    budget.textContent = budget.getAttribute("data-format").replace("{used}", used)
      .replace("{limit}", cfg.suspendLimit).replace("{left}", cfg.suspendLimit - used);
    var body = document.getElementById("lms-interactions");
    body.textContent = "";
    for (var n = 0; n < interactionCount(); n++) {
      var p = "cmi.interactions." + n + ".";
      var row = document.createElement("tr");
      row.setAttribute("data-interaction", d[p + "id"]);
      [String(n), d[p + "id"], d[p + EL.response], d[p + "result"], d[p + "correct_responses.0.pattern"]]
        .forEach(function (value) {
          var cell = document.createElement("td");
          cell.textContent = value === undefined ? "" : value;
          row.appendChild(cell);
        });
      body.appendChild(row);
    }
    var list = document.getElementById("lms-log");
    list.textContent = "";
    store.log.slice(0, 12).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
  }

  function relaunch() {
    // The SCO finishes its session on unload (pagehide); then the new page initialises again.
    frame.src = "/sco/" + cfg.edition + "/index.html?build=" + cfg.build + "&launch=" + Date.now();
  }
  document.getElementById("lms-relaunch").addEventListener("click", relaunch);
  document.getElementById("lms-reset").addEventListener("click", function () {
    store = fresh();
    session = "new";
    save();
    relaunch();
  });
  // A SCO that does not finish its session when it is replaced: the stand-in ends it, as an LMS
  // does when the player closes (the SCO's own pagehide handlers run first).
  frame.addEventListener("load", function () {
    try {
      frame.contentWindow.addEventListener("pagehide", function () {
        if (session === "running") terminate("(player closed)");
      });
    } catch (e) { /* not our page */ }
  });
  render();
})();
