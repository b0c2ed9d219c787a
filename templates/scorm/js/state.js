/* Compact learner state for suspend_data. The format and the build-time budget that keeps it
   under the edition's limit are described in builder/targets/scorm/state.py; keep them in step.
   The text answers are packed by textpack.js (loaded first). */
(function (root, factory) {
  var api = factory(typeof module === "object" && module.exports ? require("./textpack.js") : root.ScoTextPack);
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoState = api;
})(this, function (Pack) {
  "use strict";

  var VERSION = "2"; // "1" (texts as typed, length-prefixed) is still read, see decodeTextsV1
  var ATTEMPTS_CAP = 36 * 36 - 1; // two base-36 digits, as the build-time budget assumes
  var CHECK_BYTES = 4; // state.py CHECK_BYTES

  // A 32-bit FNV-1a hash of the texts (UTF-8, each closed by 0xff, never a UTF-8 byte), stored
  // after them: a value damaged on its way (or read by a codec that differs) gives nothing
  // rather than words the learner never wrote, which the next save would keep.
  function checkBytes(texts) {
    var h = 0x811c9dc5;
    texts.forEach(function (text) {
      var bytes = Pack.utf8(text);
      for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
      h = Math.imul(h ^ 255, 16777619);
    });
    return [h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  }

  // layout: {id: 4 chars, pages: n, quizzes: n, texts: n}
  function empty(layout) {
    var state = { visited: [], page: 0, quizzes: [], texts: [] };
    for (var p = 0; p < layout.pages; p++) state.visited.push(false);
    for (var q = 0; q < layout.quizzes; q++) state.quizzes.push({ attempts: 0, best: 0 });
    for (var t = 0; t < layout.texts; t++) state.texts.push("");
    return state;
  }

  // The packed bytes of one text answer, remembered for the last text of each field: a save
  // re-packs only what changed.
  var packedCache = {};
  function packed(index, text) {
    var hit = packedCache[index];
    if (hit && hit.text === text) return hit.bytes;
    var bytes = Pack.packField(text);
    packedCache[index] = { text: text, bytes: bytes };
    return bytes;
  }

  // Bytes each text answer takes in the state (what the budget counts).
  function textSizes(state) {
    return state.texts.map(function (text, i) { return packed(i, text).length; });
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
    var bytes = [];
    state.texts.forEach(function (text, t) { bytes = bytes.concat(packed(t, text)); });
    bytes = bytes.concat(checkBytes(state.texts));
    return VERSION + layout.id + "|" + bits + "|" + state.page.toString(36) + "|" + quizzes + "|" + Pack.toText(bytes);
  }

  function decodeTexts(field, count) {
    var bytes = Pack.fromText(field), texts = [], pos = 0;
    if (!bytes) return null;
    for (var t = 0; t < count; t++) {
      var one = Pack.unpackField(bytes, pos);
      if (!one) return null;
      texts.push(one[0]);
      pos = one[1];
    }
    if (pos !== bytes.length - CHECK_BYTES) return null;
    var check = checkBytes(texts);
    for (var c = 0; c < CHECK_BYTES; c++) if (bytes[pos + c] !== check[c]) return null;
    return texts;
  }

  // Format 1 (builds before the texts were packed): "<length in base 36>:<text>" per answer.
  function decodeTextsV1(field, count) {
    var texts = [], pos = 0;
    for (var t = 0; t < count; t++) {
      var colon = field.indexOf(":", pos);
      if (colon < 0 || !/^[0-9a-z]+$/.test(field.slice(pos, colon))) return null;
      var len = parseInt(field.slice(pos, colon), 36);
      if (colon + 1 + len > field.length) return null;
      texts.push(field.substr(colon + 1, len));
      pos = colon + 1 + len;
    }
    return pos === field.length ? texts : null;
  }

  // Returns the state, or null when the string is empty, damaged or from another course layout
  // (never a half-restored state: it is all or nothing).
  function decode(text, layout) {
    if (typeof text !== "string") return null;
    var version = text.charAt(0);
    if ((version !== VERSION && version !== "1") || text.substr(1, 4) !== layout.id) return null;
    var fields = [], pos = 6;
    if (text.charAt(5) !== "|") return null;
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
    var texts = (version === "1" ? decodeTextsV1 : decodeTexts)(text.slice(pos), layout.texts);
    if (!texts) return null;
    state.texts = texts;
    return state;
  }

  // Text room: each field keeps its reserved minimum (budgets[i] bytes, from the build) and may
  // grow into what the others neither reserve nor use, so the total never passes `room`.
  function allowance(sizes, budgets, room, index) {
    var others = 0;
    for (var i = 0; i < sizes.length; i++) if (i !== index) others += Math.max(sizes[i], budgets[i]);
    return room - others;
  }

  return {
    VERSION: VERSION, ATTEMPTS_CAP: ATTEMPTS_CAP, empty: empty, encode: encode, decode: decode,
    packedSize: function (index, text) { return packed(index, text).length; },
    textSizes: textSizes, allowance: allowance
  };
});
