/* The value formats of each SCORM edition: durations, times and interaction records. Pure
   functions (tested in node), so the runtime never sends a value the LMS would reject. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoFormats = api;
})(this, function () {
  "use strict";

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours 2-4 digits; capped so it stays valid).
  function duration12(ms) {
    var cs = Math.min(Math.max(0, Math.round(ms / 10)), 9999 * 360000 + 359999);
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs % 100, 2);
  }

  // SCORM 2004 timeinterval: ISO 8601 duration, at most hundredths of a second.
  function duration2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, rest = cs % 6000;
    var out = "PT";
    if (h) out += h + "H";
    if (m) out += m + "M";
    if (rest || (!h && !m)) out += String(rest / 100) + "S"; // shortest form: 1.5S, 5S, 0.01S
    return out;
  }

  // SCORM 1.2 CMITime: time of day HH:MM:SS.
  function time12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // SCORM 2004 time (second,10,0): YYYY-MM-DDThh:mm:ss.ssZ (a zone only after fractional seconds).
  function timestamp2004(date) {
    return date.toISOString().slice(0, 22) + "Z";
  }

  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var TYPES = {
    scorm12: { multiple_choice: "choice", multiple_response: "choice", true_false: "true-false", fill_in_blank: "fill-in", essay: "fill-in" },
    scorm2004: { multiple_choice: "choice", multiple_response: "choice", true_false: "true-false", fill_in_blank: "fill-in", essay: "long-fill-in" }
  };
  TYPES.cmi5 = TYPES.scorm2004; // xAPI's interaction vocabulary is SCORM 2004's (cmi5 adapter: cmi5.js)
  var LIMITS = {
    scorm12: { "fill-in": 255, response: 255 },
    scorm2004: { "fill-in": 250, "long-fill-in": 4000, response: 4000 },
    cmi5: { "fill-in": 64000, "long-fill-in": 64000, response: 64000 } // xAPI: no limit but the state size
  };

  // SCORM 1.2 choices are single characters (a-z, 0-9), by the choice's authored position.
  function choiceCodes12(question, ids) {
    return ids.map(function (id) { return LETTERS.charAt(question.choices.indexOf(id)); })
      .sort().join(",");
  }

  // SCORM 2004 choices by their response identifiers (build-time, accepted by every runtime:
  // common.response_ids), in authored order so the same answer always gives the same string.
  function choiceIds2004(question, ids) {
    var out = [];
    question.choices.forEach(function (id, i) {
      if (ids.indexOf(id) >= 0) out.push(question.responses ? question.responses[i] : id);
    });
    return out.join("[,]");
  }

  // At most n UTF-16 units of text, never half a character, a lone surrogate (pasted) made U+FFFD:
  // Moodle's player sends every value through encodeURIComponent, which throws on one, and from
  // then on each commit of the attempt failed (status, score and suspend_data included).
  function cut(text, n) {
    var s = String(text), out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i), d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      var pair = c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000;
      var piece = pair ? s.substr(i, 2) : c >= 0xd800 && c < 0xe000 ? "\ufffd" : s.charAt(i);
      if (out.length + piece.length > n) break;
      out += piece;
      if (pair) i++;
    }
    return out;
  }

  // The interaction for one answered question: {id, type, response, patterns[], result,
  // weighting, description}. `response` is an array of choice ids (choice types, true/false) or
  // the typed text; `correct` is true, false or null (essays: never scored).
  function interaction(edition, question, response, correct) {
    var type = TYPES[edition][question.type];
    var limit = LIMITS[edition];
    var learner, patterns = [];
    if (question.type === "true_false") {
      var answer = response[0] === "true";
      var right = question.correct[0] === "true";
      learner = edition === "scorm12" ? (answer ? "t" : "f") : String(answer);
      patterns = [edition === "scorm12" ? (right ? "t" : "f") : String(right)];
    } else if (type === "choice") {
      learner = edition === "scorm12" ? choiceCodes12(question, response) : choiceIds2004(question, response);
      patterns = [edition === "scorm12" ? choiceCodes12(question, question.correct) : choiceIds2004(question, question.correct)];
    } else {
      learner = cut(response, limit[type]);
      if (question.type === "fill_in_blank") {
        patterns = question.answers.map(function (a) {
          return edition === "scorm12" ? cut(a, 255)
            : "{case_matters=" + (question.caseSensitive ? "true" : "false") + "}" + cut(a, 250);
        }).slice(0, edition === "scorm12" ? 10 : 5);
      }
    }
    var result = correct === null ? "neutral" : correct ? "correct" : (edition === "scorm12" ? "wrong" : "incorrect");
    return {
      id: question.interactionId,
      type: type,
      response: learner,
      patterns: patterns,
      result: result,
      weighting: String(question.points),
      description: question.description
    };
  }

  // The (element, value) pairs to set for interaction n, in an order every LMS accepts
  // (id, then type, before anything that depends on the type).
  function interactionElements(edition, n, record, latencyMs, date) {
    var p = "cmi.interactions." + n + ".";
    var out = [[p + "id", record.id], [p + "type", record.type]];
    record.patterns.forEach(function (pattern, i) { out.push([p + "correct_responses." + i + ".pattern", pattern]); });
    if (edition === "scorm12") {
      out.push([p + "student_response", record.response], [p + "result", record.result],
        [p + "weighting", record.weighting], [p + "latency", duration12(latencyMs)], [p + "time", time12(date)]);
    } else {
      out.push([p + "learner_response", record.response], [p + "result", record.result],
        [p + "weighting", record.weighting], [p + "latency", duration2004(latencyMs)],
        [p + "timestamp", timestamp2004(date)], [p + "description", record.description]);
    }
    return out;
  }

  return {
    duration12: duration12, duration2004: duration2004, time12: time12, timestamp2004: timestamp2004,
    interaction: interaction, interactionElements: interactionElements
  };
});
