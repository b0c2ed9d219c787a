/* Text answers packed small for suspend_data: a context-mixing compressor (order 0, 1 and 2 over
   UTF-8, mixed by a small learned mixer, binary arithmetic coding) whose model starts already
   trained on PRIMER, so that a few hundred characters compress well too; and a base-85 text form
   that stays within SCORM 1.2's ASCII (CMIString4096) and avoids characters LMSs escape or trim.

   Everything is integer arithmetic (divisions only by powers of two, no Math.exp/log), so every
   browser decodes exactly what another one encoded. Changing PRIMER, the model or ALPHABET
   changes the format: bump ScoState.VERSION with it. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoTextPack = api;
})(this, function () {
  "use strict";

  // 85 characters: letters, digits and punctuation no LMS or markup escapes, no space (trimmed),
  // no "+" (a value form-posted without encoding comes back with a space in its place).
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$()*`,-./:;=?@[]^_{}~";
  // Reflection-like sentences in the languages the course catalog speaks, written for this codec:
  // model data that trains the compressor, never shown (hence single quotes, unlike interface text).
  var PRIMER = [
    'I think that the most important thing I learned in this module is how people can work together. ',
    'In my experience, when we listen to each other and share what we know, the whole group becomes stronger. ',
    'For example, at work I would like to try this with my team, because we often forget why our actions matter. ',
    'What surprised me was that the idea is older than I thought, and that it was a question of practice, not only of words. ',
    'I would also ask my colleagues what they think, and I will write down one change I can make this week. ',
    'Je pense que ce module m\'a appris l\'importance de la solidarité : quand nous travaillons ensemble, ',
    'nous sommes plus forts. Dans mon expérience, il est difficile de prendre le temps d\'écouter les autres, ',
    'mais c\'est là que les idées deviennent des actions. Par exemple, je voudrais essayer cela avec mon équipe ',
    'et je vais noter ce que j\'ai appris, parce que cela me semble très utile pour la suite. ',
    'أعتقد أن أهم ما تعلمته في هذه الوحدة هو كيف يمكن للناس أن يعملوا معًا. في تجربتي، عندما نستمع ',
    'إلى بعضنا ونتشارك ما نعرفه، تصبح المجموعة كلها أقوى. على سبيل المثال، أود أن أجرب هذا مع فريقي ',
    'في العمل، لأننا ننسى أحيانًا لماذا تهم أفعالنا، وسأكتب تغييرًا واحدًا يمكنني القيام به هذا الأسبوع. ',
    'אני חושב שהדבר החשוב ביותר שלמדתי ביחידה הזו הוא איך אנשים יכולים לעבוד יחד, ',
    'וכשאנחנו מקשיבים זה לזה הקבוצה כולה נעשית חזקה יותר. '
  ].join("");

  var O2_BITS = 18, LIMIT = 40;

  function squashTable() {
    var t = [1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348,
      3607, 3785, 3901, 3975, 4024, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094];
    var sq = new Int32Array(4095);
    for (var d = -2047; d <= 2047; d++) {
      var w = d & 127, i = (d >> 7) + 16;
      sq[d + 2047] = (t[i] * (128 - w) + t[i + 1] * w + 64) >> 7;
    }
    return sq;
  }
  var SQ = squashTable();
  function squash(d) { return d > 2047 ? 4095 : d < -2047 ? 1 : SQ[d + 2047]; }
  var ST = (function () { // stretch = inverse of squash
    var st = new Int32Array(4096), pi = 0;
    for (var x = -2047; x <= 2047; x++) {
      var v = squash(x);
      for (var i = pi; i <= v; i++) st[i] = x;
      pi = v + 1;
    }
    for (var j = pi; j < 4096; j++) st[j] = 2047;
    return st;
  })();
  var RATE = new Int32Array(LIMIT + 1);
  for (var n = 0; n <= LIMIT; n++) RATE[n] = Math.floor(131072 / (2 * n + 3)); // 65536 / (n + 1.5)

  // The model: three tables of 16-bit probabilities with hit counts, and the mixer's weights.
  function Model() {
    this.p = [new Uint16Array(256), new Uint16Array(65536), new Uint16Array(1 << O2_BITS)];
    this.n = [new Uint8Array(256), new Uint8Array(65536), new Uint8Array(1 << O2_BITS)];
    for (var k = 0; k < 3; k++) this.p[k].fill(32768);
    this.w = new Int32Array([22000, 22000, 22000, 0]);
  }
  Model.prototype.copy = function () {
    var m = Object.create(Model.prototype);
    m.p = this.p.map(function (a) { return a.slice(); });
    m.n = this.n.map(function (a) { return a.slice(); });
    m.w = this.w.slice();
    return m;
  };

  // One byte's worth of bit predictions; code(p) codes (or reads) the next bit with probability
  // p/4096 of a 1 and returns it. Unrolled over the three models: this runs for every bit.
  function byteStep(m, c1, c2, code) {
    var p0 = m.p[0], p1 = m.p[1], p2 = m.p[2], n0 = m.n[0], n1 = m.n[1], n2 = m.n[2], w = m.w;
    var h = Math.imul((c2 << 8) | c1, 0x2f0b4c27) >>> (32 - O2_BITS), c0 = 1, mask = (1 << O2_BITS) - 1;
    for (var b = 0; b < 8; b++) {
      var i0 = c0, i1 = (c1 << 8) | c0, i2 = (h ^ (c0 * 0x9e5)) & mask;
      var x0 = ST[p0[i0] >>> 4], x1 = ST[p1[i1] >>> 4], x2 = ST[p2[i2] >>> 4];
      var p = squash(Math.floor((x0 * w[0] + x1 * w[1] + x2 * w[2] + 256 * w[3]) / 65536));
      if (p < 1) p = 1; else if (p > 4095) p = 4095;
      var bit = code(p), err = ((bit << 12) - p) * 6, target = bit ? 65535 : 0;
      w[0] += Math.floor(x0 * err / 1024);
      w[1] += Math.floor(x1 * err / 1024);
      w[2] += Math.floor(x2 * err / 1024);
      w[3] += Math.floor(256 * err / 1024);
      var k = n0[i0];
      p0[i0] += Math.floor((target - p0[i0]) * RATE[k] / 65536);
      if (k < LIMIT) n0[i0] = k + 1;
      k = n1[i1];
      p1[i1] += Math.floor((target - p1[i1]) * RATE[k] / 65536);
      if (k < LIMIT) n1[i1] = k + 1;
      k = n2[i2];
      p2[i2] += Math.floor((target - p2[i2]) * RATE[k] / 65536);
      if (k < LIMIT) n2[i2] = k + 1;
      c0 = (c0 << 1) | bit;
    }
    return c0 & 255;
  }

  var primed = null;
  function model() {
    if (!primed) {
      primed = new Model();
      var bytes = utf8(PRIMER), c1 = 0, c2 = 0;
      for (var i = 0; i < bytes.length; i++) {
        var byte = bytes[i];
        byteStep(primed, c1, c2, function () { var bit = (byte >> 7) & 1; byte <<= 1; return bit; });
        c2 = c1; c1 = bytes[i];
      }
    }
    return primed.copy();
  }

  function utf8(text) {
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }

  // Lone surrogates were written as their own 3-byte forms above, so this gives the text back exactly.
  function fromUtf8(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length;) {
      var b = bytes[i], c, extra;
      if (b < 0x80) { c = b; extra = 0; } else if (b < 0xe0) { c = b & 31; extra = 1; }
      else if (b < 0xf0) { c = b & 15; extra = 2; } else { c = b & 7; extra = 3; }
      if (i + extra > bytes.length - 1) return null; // cut inside a character
      for (var k = 1; k <= extra; k++) c = (c << 6) | (bytes[i + k] & 63);
      i += extra + 1;
      if (c >= 0x10000) { c -= 0x10000; s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023)); }
      else s += String.fromCharCode(c);
    }
    return s;
  }

  // Compressed bytes of a text (its UTF-8 length first, as a varint, then the coded bits).
  function compress(text) {
    var bytes = utf8(text), out = [], m = model(), x1 = 0, x2 = 0xffffffff, c1 = 0, c2 = 0;
    pushVarint(out, bytes.length);
    function emit(bit, p) {
      var xmid = x1 + Math.floor((x2 - x1) * p / 4096);
      if (bit) x2 = xmid; else x1 = xmid + 1;
      while (((x1 ^ x2) & 0xff000000) === 0) {
        out.push(x2 >>> 24);
        x1 = (x1 << 8) >>> 0;
        x2 = ((x2 << 8) | 255) >>> 0;
      }
      return bit;
    }
    for (var i = 0; i < bytes.length; i++) {
      var byte = bytes[i];
      byteStep(m, c1, c2, function (p) { var bit = (byte >> 7) & 1; byte <<= 1; return emit(bit, p); });
      c2 = c1; c1 = bytes[i];
    }
    if (bytes.length) out.push(x1 >>> 24); // the decoder pads with 0xff: x1 <= value <= x2
    return out;
  }

  function decompress(data) {
    var head = readVarint(data, 0);
    if (!head) return null;
    var length = head[0], pos = head[1], m = model(), x1 = 0, x2 = 0xffffffff, x = 0, bytes = [], c1 = 0, c2 = 0;
    // More than any coding could give: damaged. A bit costs at least log2(4096/4095) bits (p is
    // kept within 1..4095), so a byte holds at most ~2,839 bytes of text, plus the 4-byte register.
    if (length > 2900 * (data.length + 4)) return null;
    if (length === 0) return pos === data.length ? "" : null;
    // Past the end the coder reads 0xff; a real stream never needs more than 3 of those, so reading
    // further means damage (and stops decoding a damaged length long before it is reached).
    function next() { return pos++ < data.length ? data[pos - 1] : 255; }
    for (var k = 0; k < 4; k++) x = ((x << 8) | next()) >>> 0;
    function take(p) {
      var xmid = x1 + Math.floor((x2 - x1) * p / 4096), bit = x <= xmid ? 1 : 0;
      if (bit) x2 = xmid; else x1 = xmid + 1;
      while (((x1 ^ x2) & 0xff000000) === 0) {
        x1 = (x1 << 8) >>> 0;
        x2 = ((x2 << 8) | 255) >>> 0;
        x = ((x << 8) | next()) >>> 0;
      }
      return bit;
    }
    for (var i = 0; i < length; i++) {
      if (pos > data.length + 3) return null;
      var byte = byteStep(m, c1, c2, take);
      bytes.push(byte);
      c2 = c1; c1 = byte;
    }
    return pos <= data.length + 3 ? fromUtf8(bytes) : null;
  }

  function pushVarint(out, value) {
    while (value >= 128) { out.push((value & 127) | 128); value = Math.floor(value / 128); }
    out.push(value);
  }
  function readVarint(data, pos) {
    var value = 0, scale = 1;
    for (var i = 0; i < 4; i++) {
      if (pos >= data.length) return null;
      var b = data[pos++];
      value += (b & 127) * scale;
      if (b < 128) return [value, pos];
      scale *= 128;
    }
    return null;
  }
  function varintWidth(value) { var w = 1; while (value >= 128) { value = Math.floor(value / 128); w++; } return w; }

  // One field: <varint: payload length * 2 + compressed?> <payload>, payload = the compressed
  // bytes, or the plain UTF-8 when that is not longer (a guaranteed bound for the budget).
  function packField(text) {
    if (text === "") return [0];
    var plain = utf8(text), packed = compress(text), useful = packed.length < plain.length;
    var payload = useful ? packed : plain, out = [];
    pushVarint(out, payload.length * 2 + (useful ? 1 : 0));
    return out.concat(payload);
  }
  function unpackField(data, pos) {
    var head = readVarint(data, pos);
    if (!head) return null;
    var length = Math.floor(head[0] / 2), end = head[1] + length;
    if (end > data.length) return null;
    var payload = data.slice(head[1], end);
    var text = head[0] & 1 ? decompress(payload) : fromUtf8(payload);
    return text === null ? null : [text, end];
  }

  // Base 85: 4 bytes -> 5 characters; a last group of k bytes -> k + 1 characters.
  function charsFor(bytes) { return Math.floor(bytes / 4) * 5 + (bytes % 4 ? bytes % 4 + 1 : 0); }
  function toText(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 4) {
      var k = Math.min(4, bytes.length - i), v = 0;
      for (var j = 0; j < 4; j++) v = v * 256 + (j < k ? bytes[i + j] : 0);
      var digits = [];
      for (var d = 0; d < 5; d++) { digits.unshift(ALPHABET.charAt(v % 85)); v = Math.floor(v / 85); }
      s += digits.slice(0, k + 1).join("");
    }
    return s;
  }
  function fromText(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i += 5) {
      var group = text.substr(i, 5), k = group.length - 1, v = 0;
      if (k < 1) return null;
      for (var d = 0; d < 5; d++) {
        var digit = d < group.length ? ALPHABET.indexOf(group.charAt(d)) : 84;
        if (digit < 0) return null;
        v = v * 85 + digit;
      }
      if (v > 0xffffffff) return null;
      for (var j = 0; j < k; j++) bytes.push(Math.floor(v / Math.pow(256, 3 - j)) % 256);
    }
    return bytes;
  }

  return {
    ALPHABET: ALPHABET, compress: compress, decompress: decompress, utf8: utf8, fromUtf8: fromUtf8,
    packField: packField, unpackField: unpackField, charsFor: charsFor, toText: toText, fromText: fromText,
    varintWidth: varintWidth
  };
});
