/* Grading, the course's completion/success/score rules, and the "never go backwards" guard
   that protects what the LMS already recorded when a learner re-enters the same attempt. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ScoScoring = api;
})(this, function () {
  "use strict";

  // true / false, or null for an essay (reviewed by the teacher, never scored).
  function grade(question, response) {
    if (question.type === "essay") return null;
    if (question.type === "fill_in_blank") {
      var given = String(response).trim();
      return question.answers.some(function (a) {
        a = a.trim();
        return question.caseSensitive ? a === given : a.toLowerCase() === given.toLowerCase();
      });
    }
    var chosen = response.slice().sort().join(" ");
    return chosen === question.correct.slice().sort().join(" ");
  }

  function isAnswered(question, response) {
    if (question.type === "essay" || question.type === "fill_in_blank") return String(response).trim() !== "";
    return response.length > 0;
  }

  // {complete, percent (null before any quiz was submitted), success: passed|failed|unknown}
  function rollup(config, state) {
    var pagesDone = config.pages.every(function (page, i) { return !page.required || state.visited[i]; });
    var quizzesDone = state.quizzes.every(function (q) { return q.attempts > 0; });
    var complete = (!config.requirePages || pagesDone) && (!config.requireQuizzes || quizzesDone);
    var possible = 0, earned = 0, submitted = false;
    config.quizzes.forEach(function (quiz, i) {
      possible += quiz.pointsPossible;
      earned += state.quizzes[i].best / 100;
      submitted = submitted || state.quizzes[i].attempts > 0;
    });
    var percent = possible > 0 && submitted ? Math.round(Math.min(earned / possible, 1) * 10000) / 100 : null;
    var success = "unknown";
    if (config.passingScore !== null && percent !== null) {
      if (percent / 100 >= config.passingScore) success = "passed";
      else if (quizzesDone) success = "failed";
    }
    return { complete: complete, percent: percent, success: success };
  }

  // SCORM 1.2 has one status for both completion and success.
  function lessonStatus(config, r) {
    if (!r.complete) return "incomplete";
    if (config.passingScore === null || config.quizzes.length === 0) return "completed";
    return r.success === "passed" ? "passed" : "failed";
  }

  var RANKS = {
    lesson: { "": 0, "not attempted": 0, browsed: 1, incomplete: 1, failed: 2, completed: 3, passed: 4 },
    completion: { "": 0, unknown: 0, "not attempted": 0, incomplete: 1, completed: 2 },
    success: { "": 0, unknown: 0, failed: 1, passed: 2 }
  };

  // The better of what we computed and what the LMS already holds (`kind`: lesson, completion, success).
  function best(kind, computed, recorded) {
    var ranks = RANKS[kind];
    return (ranks[recorded] || 0) > (ranks[computed] || 0) ? recorded : computed;
  }

  // Deterministic shuffle (mulberry32 seeded by a string hash): the same learner sees the same
  // order for the same attempt, so a relaunch does not reshuffle under their eyes.
  function shuffle(items, seedText) {
    var h = 2166136261;
    for (var i = 0; i < seedText.length; i++) h = Math.imul(h ^ seedText.charCodeAt(i), 16777619);
    var seed = h >>> 0;
    function next() {
      seed = (seed + 0x6d2b79f5) >>> 0;
      var t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    var out = items.slice();
    for (var k = out.length - 1; k > 0; k--) {
      var j = Math.floor(next() * (k + 1));
      var tmp = out[k]; out[k] = out[j]; out[j] = tmp;
    }
    return out;
  }

  return { grade: grade, isAnswered: isAnswered, rollup: rollup, lessonStatus: lessonStatus, best: best, shuffle: shuffle };
});
