/* The learner's language in the SCO: the strings of the course language (from the gettext
   catalog, handed over by the build in the page's config), their plural rules and numbers.
   t("msgid", {name: value}) and tn("singular", "plural", n, {...}) mirror gettext/ngettext;
   placeholders are Python's %(name)s / %(name)d. Pure functions (tested in node). */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoI18n = api;
})(this, function () {
  "use strict";

  // A gettext plural expression (C syntax: n, integers, ?: || && == != < > <= >= + - * / % !),
  // evaluated by a small parser rather than eval, so no page policy can forbid it.
  function pluralRule(expr) {
    var tokens = String(expr).match(/n|\d+|\|\||&&|==|!=|<=|>=|[<>?:()%*\/+\-!]/g) || [];
    var pos = 0;
    function peek() { return tokens[pos]; }
    function next() { return tokens[pos++]; }
    var BINARY = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];
    function apply(op, a, b) {
      switch (op) {
        case "||": return a || b ? 1 : 0; case "&&": return a && b ? 1 : 0;
        case "==": return a === b ? 1 : 0; case "!=": return a !== b ? 1 : 0;
        case "<": return a < b ? 1 : 0; case ">": return a > b ? 1 : 0;
        case "<=": return a <= b ? 1 : 0; case ">=": return a >= b ? 1 : 0;
        case "+": return a + b; case "-": return a - b; case "*": return a * b;
        case "/": return Math.floor(a / b); default: return a % b;
      }
    }
    function ternary() {
      var cond = binary(0);
      if (peek() !== "?") return cond;
      next();
      var yes = ternary();
      next(); // ":"
      var no = ternary();
      return function (n) { return cond(n) ? yes(n) : no(n); };
    }
    function binary(level) {
      if (level === BINARY.length) return unary();
      var left = binary(level + 1);
      while (BINARY[level].indexOf(peek()) >= 0) {
        left = (function (op, a, b) { return function (n) { return apply(op, a(n), b(n)); }; })(next(), left, binary(level + 1));
      }
      return left;
    }
    function unary() {
      var token = next();
      if (token === "!") { var inner = unary(); return function (n) { return inner(n) ? 0 : 1; }; }
      if (token === "(") { var e = ternary(); next(); return e; }
      if (token === "n") return function (n) { return n; };
      var value = parseInt(token, 10);
      return function () { return value; };
    }
    var rule = ternary();
    return function (n) { return +rule(n); };
  }

  function make(bundle) {
    bundle = bundle || { lang: "en", messages: {}, rules: [] };
    var rules = (bundle.rules || []).map(pluralRule);
    var numbers = null;
    try { numbers = new Intl.NumberFormat(bundle.lang, { numberingSystem: "latn", maximumFractionDigits: 2 }); } catch (e) { numbers = null; }

    function num(value) { return numbers ? numbers.format(value) : String(value); }
    function fill(text, vars) {
      return String(text).replace(/%\((\w+)\)([sd])|%%/g, function (all, name) {
        if (!name) return "%";
        var value = vars && Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : all;
        return typeof value === "number" ? num(value) : String(value);
      });
    }
    function t(msgid, vars) {
      var text = bundle.messages[msgid];
      return fill(typeof text === "string" && text ? text : msgid, vars);
    }
    function tn(singular, plural, n, vars) {
      var entry = bundle.messages[singular], text;
      if (entry && entry.forms && rules[entry.rule]) {
        // a count with a fraction (1.5 points) takes the general plural form, that of 100: a
        // rule's "one" or dual form may spell the number out ("one point") and hide it
        var count = Math.abs(n) === Math.floor(Math.abs(n)) ? Math.abs(n) : 100;
        var i = Math.min(Math.max(rules[entry.rule](count), 0), entry.forms.length - 1);
        text = entry.forms[i];
      } else {
        text = n === 1 ? singular : plural;
      }
      var all = { num: n };
      for (var k in vars) if (Object.prototype.hasOwnProperty.call(vars, k)) all[k] = vars[k];
      return fill(text, all);
    }
    return { t: t, tn: tn, num: num, lang: bundle.lang, dir: bundle.dir || "ltr" };
  }

  return { make: make, pluralRule: pluralRule };
});
