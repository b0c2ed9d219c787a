/* An interactive quiz in the SCO: choices shuffled per learner and attempt, answers checked in
   the page with feedback per choice and per question, retries as the quiz allows. The host
   (js/course.js) records the interactions and saves. */
(function () {
  "use strict";
  var Scoring = window.ScoScoring;

  function setup(section, host) {
    var config = host.config, state = host.state();
    var t = host.i18n.t, tn = host.i18n.tn;
    var qi = parseInt(section.getAttribute("data-quiz-index"), 10);
    var quiz = config.quizzes[qi];
    var form = section.querySelector("form"), result = section.querySelector(".quiz-result");
    var status = section.querySelector(".quiz-status"), retry = section.querySelector(".quiz-retry");
    var submit = section.querySelector(".quiz-submit");
    var attemptStarted = Date.now(), answeredAt = {};

    function items() { return Array.prototype.slice.call(form.querySelectorAll("[data-question-index]")); }
    function questionOf(item) { return quiz.questions[parseInt(item.getAttribute("data-question-index"), 10)]; }
    function attemptsLeft() { return quiz.attempts === null ? Infinity : quiz.attempts - state.quizzes[qi].attempts; }

    function responseOf(item, q) {
      if (q.type === "fill_in_blank" || q.type === "essay") return item.querySelector("input[type=text], textarea").value;
      return Array.prototype.slice.call(item.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    }

    function arrange() {
      if (!quiz.shuffle) return;
      var seed = host.learnerId() + ":" + quiz.id + ":" + (state.quizzes[qi].attempts + 1);
      items().forEach(function (item) {
        var q = questionOf(item), list = item.querySelector(".choices");
        if (!list || q.type === "true_false") return;
        var byId = {};
        Array.prototype.slice.call(list.children).forEach(function (li) { byId[li.getAttribute("data-choice")] = li; });
        Scoring.shuffle(q.choices, seed + ":" + q.id).forEach(function (id) { list.appendChild(byId[id]); });
      });
    }

    function showStatus() {
      var s = state.quizzes[qi], left = attemptsLeft();
      var parts = [];
      if (s.attempts === 0) parts.push(t("Not submitted yet."));
      else {
        parts.push(tn("Submitted %(num)s time.", "Submitted %(num)s times.", s.attempts));
        parts.push(quiz.pointsPossible ? t("Best score: %(percent)s%%.", { percent: Math.round(s.best / quiz.pointsPossible) })
          : t("Best score: not scored."));
      }
      parts.push(left === Infinity ? t("Attempts: unlimited.")
        : tn("Attempts left: %(num)s of %(total)s.", "Attempts left: %(num)s of %(total)s.", Math.max(left, 0), { total: quiz.attempts }));
      status.textContent = parts.join(" ");
    }

    function setEnabled(enabled) {
      Array.prototype.slice.call(form.querySelectorAll("input, textarea")).forEach(function (i) { i.disabled = !enabled; });
      submit.hidden = !enabled;
    }

    // Once checked, each input is described by what is shown about it (its choice's mark and
    // feedback, the question's verdict and feedback): a screen reader reads them on return.
    function describe(item) {
      var shown = Array.prototype.slice.call(item.querySelectorAll(".question-result, .question-feedback"))
        .filter(function (el) { return !el.hidden && el.id; }).map(function (el) { return el.id; });
      Array.prototype.slice.call(item.querySelectorAll("input, textarea")).forEach(function (input) {
        var own = [], li = input.closest("[data-choice]");
        if (li) {
          Array.prototype.slice.call(li.querySelectorAll(".choice-mark, .feedback")).forEach(function (el) {
            if (!el.hidden && el.id && el.textContent) own.push(el.id);
          });
        }
        if (!input.hasAttribute("data-described")) input.setAttribute("data-described", input.getAttribute("aria-describedby") || "");
        var ids = [input.getAttribute("data-described")].concat(own, shown).join(" ").trim();
        if (ids) input.setAttribute("aria-describedby", ids); else input.removeAttribute("aria-describedby");
      });
    }

    function undescribe() {
      Array.prototype.slice.call(form.querySelectorAll("[data-described]")).forEach(function (input) {
        var before = input.getAttribute("data-described");
        if (before) input.setAttribute("aria-describedby", before); else input.removeAttribute("aria-describedby");
        input.removeAttribute("data-described");
      });
    }

    function clearFeedback() {
      undescribe();
      result.removeAttribute("data-percent");
      Array.prototype.slice.call(form.querySelectorAll(".feedback, .question-result, .sample-answer")).forEach(function (f) { f.hidden = true; });
      Array.prototype.slice.call(form.querySelectorAll("[data-choice]")).forEach(function (li) {
        li.classList.remove("is-right"); li.classList.remove("is-wrong-answer");
        li.querySelector(".choice-mark").textContent = "";
      });
      result.textContent = "";
    }

    form.addEventListener("change", function (ev) {
      var item = ev.target.closest("[data-question-index]");
      if (item) answeredAt[item.getAttribute("data-question-index")] = Date.now();
    });
    form.addEventListener("input", function (ev) {
      var item = ev.target.closest("[data-question-index]");
      if (item) answeredAt[item.getAttribute("data-question-index")] = Date.now();
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (attemptsLeft() <= 0) return;
      var missing = items().filter(function (item) {
        var q = questionOf(item);
        return q.type !== "essay" && !Scoring.isAnswered(q, responseOf(item, q));
      });
      if (missing.length) {
        result.textContent = tn("Please answer every question before checking (%(num)s still unanswered).",
          "Please answer every question before checking (%(num)s still unanswered).", missing.length);
        var first = missing[0].querySelector("input, textarea");
        if (first) first.focus();
        return;
      }
      var earned = 0, now = new Date();
      items().forEach(function (item) {
        var q = questionOf(item), response = responseOf(item, q);
        var correct = Scoring.grade(q, response);
        if (correct) earned += q.points;
        // per-choice feedback for what the learner chose
        Array.prototype.slice.call(item.querySelectorAll("input:checked")).forEach(function (input) {
          var li = input.closest("[data-choice]");
          var right = q.correct.indexOf(input.value) >= 0;
          li.classList.add(right ? "is-right" : "is-wrong-answer");
          var fb = li.querySelector(".feedback");
          if (fb) fb.hidden = false;
          li.querySelector(".choice-mark").textContent = right ? t("Correct choice.") : t("Not a correct choice.");
        });
        var verdict = item.querySelector(".question-result");
        verdict.textContent = correct === null ? t("Saved. This answer is not scored; your teacher may read it.") :
          correct ? t("Correct.") : t("Not quite.");
        verdict.className = "question-result " + (correct === null ? "" : correct ? "is-right" : "is-wrong");
        verdict.hidden = false;
        var fbKind = correct === null ? null : correct ? "correct" : "incorrect";
        Array.prototype.slice.call(item.querySelectorAll(".question-feedback")).forEach(function (fb) {
          var kind = fb.getAttribute("data-when");
          fb.hidden = !(kind === "general" || kind === fbKind || (kind === "sample" && correct === null));
        });
        describe(item);
        if (Scoring.isAnswered(q, response)) {
          var latency = (answeredAt[item.getAttribute("data-question-index")] || now.getTime()) - attemptStarted;
          host.record(q, response, correct, latency, now);
        }
      });
      var s = state.quizzes[qi];
      s.attempts = Math.min(s.attempts + 1, window.ScoState.ATTEMPTS_CAP);
      var hundredths = Math.round(earned * 100);
      s.best = Math.max(s.best, hundredths);
      var possible = quiz.pointsPossible;
      result.textContent = possible
        ? tn("You scored %(num)s of %(total)s point (%(percent)s%%).", "You scored %(num)s of %(total)s points (%(percent)s%%).", possible,
          { num: earned, total: possible, percent: Math.round(earned / possible * 100) })
        : t("Your answers were saved.");
      result.setAttribute("data-percent", possible ? String(Math.round(earned / possible * 100)) : "");
      setEnabled(false);
      retry.hidden = attemptsLeft() <= 0;
      if (attemptsLeft() <= 0) result.textContent += " " + t("You have used all your attempts.");
      showStatus();
      host.save();
      result.focus();
    });

    retry.addEventListener("click", function () {
      items().forEach(function (item) {
        var q = questionOf(item);
        if (q.type === "essay") return; // keep what they wrote
        Array.prototype.slice.call(item.querySelectorAll("input")).forEach(function (i) {
          if (i.type === "text") i.value = ""; else i.checked = false;
        });
      });
      clearFeedback();
      arrange();
      setEnabled(true);
      retry.hidden = true;
      attemptStarted = Date.now();
      answeredAt = {};
      var first = form.querySelector("input, textarea");
      if (first) first.focus();
    });

    arrange();
    showStatus();
    if (attemptsLeft() <= 0) {
      setEnabled(false);
      result.textContent = t("You have used all your attempts for this quiz.");
    }
  }


  window.ScoQuiz = { setup: setup };
})();
