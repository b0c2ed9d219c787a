/* Compact learner state for suspend_data. The format and the build-time budget that keeps it
   under the SCORM 1.2 limit are described in builder/targets/scorm_state.py; keep them in step. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoState = api;
})(this, function () {
  "use strict";

  var VERSION = "1";
  var ATTEMPTS_CAP = 36 * 36 - 1; // two base-36 digits, as the build-time budget assumes

  // layout: {id: 4 chars, pages: n, quizzes: n, texts: n}
  function empty(layout) {
    var state = { visited: [], page: 0, quizzes: [], texts: [] };
    for (var p = 0; p < layout.pages; p++) state.visited.push(false);
    for (var q = 0; q < layout.quizzes; q++) state.quizzes.push({ attempts: 0, best: 0 });
    for (var t = 0; t < layout.texts; t++) state.texts.push("");
    return state;
  }

  function encode(state, layout) {
    var bits = "";
    for (var i = 0; i < layout.pages; i += 5) {
      var v = 0;
      for (var j = 0; j < 5 && i + j < layout.pages; j++) if (state.visited[i + j]) v |= 1 << j;
      bits += v.toString(32);
    }
    var quizzes = state.quizzes.map(function (q) {
      return Math.min(q.attempts, ATTEMPTS_CAP).toString(36) + "." + Math.max(0, Math.round(q.best)).toString(36);
    }).join(",");
    var texts = state.texts.map(function (s) { return s.length.toString(36) + ":" + s; }).join("");
    return VERSION + layout.id + "|" + bits + "|" + state.page.toString(36) + "|" + quizzes + "|" + texts;
  }

  // Returns the state, or null when the string is empty, damaged or from another course layout
  // (never a half-restored state: it is all or nothing).
  function decode(text, layout) {
    if (typeof text !== "string" || text.charAt(0) !== VERSION || text.substr(1, 4) !== layout.id) return null;
    var fields = [], pos = 6;
    for (var f = 0; f < 3; f++) {
      var bar = text.indexOf("|", pos);
      if (bar < 0) return null;
      fields.push(text.slice(pos, bar));
      pos = bar + 1;
    }
    var state = empty(layout);
    var bits = fields[0];
    if (bits.length !== Math.ceil(layout.pages / 5)) return null;
    for (var i = 0; i < layout.pages; i++) {
      var v = parseInt(bits.charAt(Math.floor(i / 5)), 32);
      if (isNaN(v)) return null;
      state.visited[i] = ((v >> (i % 5)) & 1) === 1;
    }
    var page = parseInt(fields[1], 36);
    if (!/^[0-9a-z]+$/.test(fields[1]) || page >= layout.pages) return null;
    state.page = page;
    var quizzes = fields[2] === "" ? [] : fields[2].split(",");
    if (quizzes.length !== layout.quizzes) return null;
    for (var q = 0; q < quizzes.length; q++) {
      var m = /^([0-9a-z]+)\.([0-9a-z]+)$/.exec(quizzes[q]);
      if (!m) return null;
      state.quizzes[q] = { attempts: parseInt(m[1], 36), best: parseInt(m[2], 36) };
    }
    for (var t = 0; t < layout.texts; t++) {
      var colon = text.indexOf(":", pos);
      if (colon < 0 || !/^[0-9a-z]+$/.test(text.slice(pos, colon))) return null;
      var len = parseInt(text.slice(pos, colon), 36);
      if (colon + 1 + len > text.length) return null;
      state.texts[t] = text.substr(colon + 1, len);
      pos = colon + 1 + len;
    }
    return pos === text.length ? state : null;
  }

  return { VERSION: VERSION, ATTEMPTS_CAP: ATTEMPTS_CAP, empty: empty, encode: encode, decode: decode };
});
