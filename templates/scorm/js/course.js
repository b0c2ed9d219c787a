/* The SCO: page navigation, quizzes, text answers and tracking. One page, so the LMS session is
   initialised once and terminated once. Depends on state.js, formats.js, scoring.js, lms.js, quiz.js. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("sco-config").getAttribute("data-config"));
  var E = config.edition, is12 = E === "scorm12";
  var State = window.ScoState, Formats = window.ScoFormats, Scoring = window.ScoScoring;
  var I18n = window.ScoI18n.make(config.i18n), t = I18n.t, tn = I18n.tn;
  var EL = is12
    ? { status: "cmi.core.lesson_status", raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
        location: "cmi.core.lesson_location", exit: "cmi.core.exit", session: "cmi.core.session_time",
        entry: "cmi.core.entry", learner: "cmi.core.student_id" }
    : { completion: "cmi.completion_status", success: "cmi.success_status", raw: "cmi.score.raw", min: "cmi.score.min",
        max: "cmi.score.max", scaled: "cmi.score.scaled", location: "cmi.location", exit: "cmi.exit",
        session: "cmi.session_time", entry: "cmi.entry", learner: "cmi.learner_id" };
  var LOCATION_LIMIT = is12 ? 255 : 1000;

  var log = function (message) { if (window.console) window.console.warn("[sco] " + message); };
  var lms = window.ScoLms.connect(E, window, log);
  var startedAt = Date.now();
  var state = State.empty(config.layout);
  var recorded = { lesson: "", completion: "", success: "", percent: null }; // what the LMS holds
  var interactionCount = 0, learnerId = "", storageKey = "", saveTimer = null;
  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-page-index]"));
  var notice = document.getElementById("sco-notice");

  // Exposed for the tests and for anyone debugging a package in an LMS.
  window.buildCourseSco = { config: config, lms: lms, state: function () { return state; } };

  function say(text, kind) {
    notice.textContent = text;
    notice.className = "notice sco-notice" + (kind ? " is-" + kind : "");
    notice.hidden = !text;
  }

  // ---------------------------------------------------------------- start and restore

  // One SCO of several (scorm: {sco: module}) keeps its own copy under its own key.
  var scoKey = config.sco ? ":" + config.sco.id : "";
  // Moodle's player hands each SCO the data it had when the player page opened, so a SCO opened
  // again in the same player page would get its older state back and write over its newer one.
  // The latest state of each SCO is kept on the player's API object, which lives exactly as long
  // as that page (an LMS that gives every launch its own API never sees an entry here).
  function playerMemo() {
    try {
      if (!lms.api) return null;
      if (!lms.api.buildCourseScos) lms.api.buildCourseScos = {};
      return lms.api.buildCourseScos;
    } catch (e) { return null; }
  }

  // Moodle's player (mod/scorm/module.js) opens every SCO of an activity in one page with one API
  // object, which refuses some SCOs that a fresh player page accepts: in 2004 every SCO after one
  // that terminated (Initialize answers 104: scorm_13.js never clears its Terminated flag); in 1.2
  // a SCO opened again after it stored interactions (LMSInitialize throws: CollectData added an
  // entry per interaction to the SCO's data model, and initdatamodel replays them before the
  // objects they belong to exist). Such a SCO opens the player page again at itself, so Moodle
  // builds the API from what it stored; once, never in a loop. See docs/scorm.md.
  function reopenInMoodlePlayer() {
    if (!config.sco || !lms.errors || !lms.api) return false;
    var refused = lms.errors[lms.errors.length - 1], kind = "";
    try { kind = lms.api.constructor.name; } catch (e) { return false; }
    if (!refused || !(kind === "SCORMapi1_2" && refused.code === "exception" ||
        kind === "SCORMapi1_3" && refused.code === "104")) return false;
    try {
      var src = (window.frameElement && window.frameElement.getAttribute("src")) || "";
      var launch = /^(.*\/mod\/scorm\/)loadSCO\.php\?(.*\bscoid=\d+.*)$/.exec(src);
      if (!launch) return false;
      var url = launch[1] + "player.php?" + launch[2].replace(/(^|&)mode=(?=&|$)/, "$1mode=normal");
      var key = "build-course:moodle-reopen", last = JSON.parse(window.sessionStorage.getItem(key) || "{}");
      if (last.url === url && Date.now() - last.at < 10000) return false; // refused again right away
      window.sessionStorage.setItem(key, JSON.stringify({ url: url, at: Date.now() }));
      window.parent.location.assign(url);
      return true;
    } catch (e) { return false; }
  }

  function restore() {
    lms.start();
    if (!lms.initialized && reopenInMoodlePlayer()) return false;
    if (lms.mode === "lms") {
      learnerId = lms.get(EL.learner);
      storageKey = "build-course:" + config.courseId + ":" + E + ":" + learnerId + scoKey;
      var memo = playerMemo(), mine = memo && memo[storageKey];
      var saved = mine ? mine.state : lms.get("cmi.suspend_data");
      var restored = State.decode(saved, config.layout), copy = null;
      if (lms.forget) {
        // lms.js keeps a browser copy only while the LMS has not confirmed it, so a copy is newer
        // than what the LMS hands back: it wins, except in a new attempt (ab-initio), which
        // starts afresh. Moodle hands our SCO its data again on every entry of the same attempt
        // because it always leaves with cmi.exit "suspend" (docs/scorm.md).
        if (lms.get(EL.entry) === "ab-initio") lms.forget(storageKey);
        else if (!mine) copy = State.decode(lms.load(storageKey), config.layout);
      } else if (!restored && !saved) {
        copy = State.decode(lms.load(storageKey), config.layout); // an adapter with its own copy policy (cmi5)
      }
      if (copy) {
        restored = copy;
        say(t("Your earlier progress in this browser was restored."), "info");
      } else if (!restored && saved) {
        log("suspend_data could not be read (another version of the course?); starting afresh");
        say(t("This course has changed since your last visit, so your earlier answers could not be restored."), "warn");
      }
      if (restored) state = restored;
      if (is12) recorded.lesson = lms.get(EL.status);
      else { recorded.completion = lms.get(EL.completion); recorded.success = lms.get(EL.success); }
      var raw = parseFloat(lms.get(EL.raw));
      recorded.percent = isNaN(raw) ? null : raw;
      interactionCount = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
      if (mine) interactionCount = Math.max(interactionCount, mine.interactions);
      var location = lms.get(EL.location);
      var byLocation = config.pages.map(function (p) { return p.id; }).indexOf(location);
      if (byLocation >= 0 && !copy) state.page = byLocation; // the copy holds a newer page
    } else {
      learnerId = "offline";
      storageKey = "build-course:" + config.courseId + ":" + E + ":offline" + scoKey;
      var local = State.decode(lms.load(storageKey), config.layout);
      if (local) state = local;
      var storable = lms.store(storageKey + ":probe", "1");
      if (lms.forget) lms.forget(storageKey + ":probe");
      if (lms.api) say(t("The learning management system did not start this module, so nothing you do here is saved there. Leave the activity and enter it again."), "warn");
      else say(storable
        ? t("No learning management system was found, so your progress is kept only in this browser.")
        : t("No learning management system was found, so your progress is kept only in this browser for this visit (this browser does not allow saving)."), "warn");
    }
  }

  // ---------------------------------------------------------------- tracking

  function reportStatus() {
    var r = Scoring.rollup(config, state);
    if (r.percent !== null && (recorded.percent === null || r.percent >= recorded.percent)) {
      lms.set(EL.min, "0");
      lms.set(EL.max, "100");
      lms.set(EL.raw, String(r.percent));
      if (!is12) lms.set(EL.scaled, String(Math.round(r.percent * 100) / 10000));
      recorded.percent = r.percent;
    }
    if (is12) {
      var status = Scoring.best("lesson", Scoring.lessonStatus(config, r), recorded.lesson);
      if (status !== recorded.lesson) { lms.set(EL.status, status); recorded.lesson = status; }
    } else {
      var completion = Scoring.best("completion", r.complete ? "completed" : "incomplete", recorded.completion);
      if (completion !== recorded.completion) { lms.set(EL.completion, completion); recorded.completion = completion; }
      if (config.passingScore !== null) {
        // Moodle never judges 2004 success itself, so the SCO always says passed or failed.
        var success = Scoring.best("success", r.success, recorded.success);
        if (success !== "unknown" && success !== recorded.success) { lms.set(EL.success, success); recorded.success = success; }
      }
    }
    updateProgress(r);
  }

  // Writes everything and commits: called after every meaningful change.
  // endSession: called while the page is being dismissed, where the finish call that follows
  // commits by itself and a Commit of its own would fail (see leave()).
  function save(endSession) {
    clearTimeout(saveTimer);
    saveTimer = null;
    var encoded = State.encode(state, config.layout);
    if (encoded.length > config.suspendLimit) {
      // Cannot happen while the text budgets hold; never send a value the LMS would cut.
      log("state is " + encoded.length + " characters, over the limit of " + config.suspendLimit);
      say(t("Your latest answers are too long to be saved by the LMS. Please shorten one of them."), "warn");
    } else {
      lms.store(storageKey, encoded);
      if (lms.mode === "lms") lms.set("cmi.suspend_data", encoded);
    }
    if (lms.mode !== "lms") { updateProgress(Scoring.rollup(config, state)); return; }
    lms.set(EL.location, config.pages[state.page].id.slice(0, LOCATION_LIMIT));
    lms.set(EL.exit, "suspend");
    reportStatus();
    var memo = playerMemo();
    if (memo) memo[storageKey] = { state: encoded, interactions: interactionCount };
    var elapsed = Date.now() - startedAt;
    lms.set(EL.session, is12 ? Formats.duration12(elapsed) : Formats.duration2004(elapsed));
    if (!endSession) lms.commit();
  }

  function saveSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1500);
  }

  // Leaving: the values are set, then the finish call alone (LMSFinish/Terminate) ends the
  // session and commits them. No Commit during page dismissal: Chromium forbids the synchronous
  // request an LMS makes for it (scorm-again answers 101 / 391). Everything else was already
  // committed while the page was alive (each save, and when the page became hidden).
  var leaving = false;
  function leave() {
    if (leaving) return;
    leaving = true;
    save(true);
    lms.finish(); // never adl.nav.request=exitAll: Moodle's player throws on it
  }

  // ---------------------------------------------------------------- pages

  var navLinks = Array.prototype.slice.call(document.querySelectorAll("[data-nav-page]"));
  var prevButton = document.getElementById("sco-prev"), nextButton = document.getElementById("sco-next");
  var pageFiles = config.pageFiles;

  function showPage(index, focusTarget) {
    pages.forEach(function (section, i) { section.hidden = i !== index; });
    navLinks.forEach(function (link, i) {
      if (i === index) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    state.page = index;
    state.visited[index] = true;
    navLinks[index].parentNode.classList.add("is-visited");
    prevButton.hidden = index === 0;
    nextButton.hidden = index === pages.length - 1;
    if (index > 0) prevButton.querySelector(".nav-title").textContent = config.pages[index - 1].title;
    if (index < pages.length - 1) nextButton.querySelector(".nav-title").textContent = config.pages[index + 1].title;
    if (focusTarget) {
      var target = focusTarget === true ? pages[index].querySelector("h1") : focusTarget;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
      if (target.scrollIntoView) target.scrollIntoView({ block: "start" });
    }
    save();
  }

  function updateProgress(r) {
    var required = config.pages.filter(function (p) { return p.required; }).length;
    var seen = config.pages.filter(function (p, i) { return p.required && state.visited[i]; }).length;
    var done = state.quizzes.filter(function (q) { return q.attempts > 0; }).length;
    var parts = [tn("Pages visited: %(num)s of %(total)s", "Pages visited: %(num)s of %(total)s", seen, { total: required })];
    if (config.quizzes.length) parts.push(tn("Quizzes submitted: %(num)s of %(total)s", "Quizzes submitted: %(num)s of %(total)s", done, { total: config.quizzes.length }));
    if (r.percent !== null) parts.push(t("Score: %(percent)s%%", { percent: r.percent }));
    if (r.complete) parts.push(t("Course complete"));
    document.getElementById("sco-progress").textContent = parts.join(" · ");
    navLinks.forEach(function (link, i) { if (state.visited[i]) link.parentNode.classList.add("is-visited"); });
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[href]") : null;
    if (!link) return;
    var nav = link.getAttribute("data-nav-page");
    if (nav !== null) { ev.preventDefault(); showPage(parseInt(nav, 10), true); return; }
    // Links between pages in the content point at the page files of the other targets.
    var href = link.getAttribute("href"), hash = href.indexOf("#");
    var file = hash >= 0 ? href.slice(0, hash) : href, fragment = hash >= 0 ? href.slice(hash + 1) : "";
    if (Object.prototype.hasOwnProperty.call(pageFiles, file)) {
      ev.preventDefault();
      var target = fragment ? document.getElementById(fragment) : null;
      showPage(pageFiles[file], target || true);
    }
  });
  prevButton.addEventListener("click", function () { showPage(state.page - 1, true); });
  nextButton.addEventListener("click", function () { showPage(state.page + 1, true); });

  // ---------------------------------------------------------------- text answers

  // Text answers share the room the build left for them (config.textRoom bytes, packed): each
  // keeps its reservation (config.texts[i].budget) and may grow into what the others leave.
  var textBudgets = config.texts.map(function (f) { return f.budget; });
  var textRoom = config.textRoom, textSizes = [];
  var BYTES_PER_CHAR = 0.5; // packed prose (docs/scorm.md; state.py TYPICAL_BYTES_PER_CHAR) until an answer shows its own

  function setupText(box) {
    var index = parseInt(box.getAttribute("data-text-index"), 10);
    var maxLength = config.texts[index].maxLength;
    var area = box.querySelector("textarea"), counter = box.querySelector(".counter");
    var message = box.querySelector(".limit-message");
    area.value = state.texts[index];
    var lastGood = area.value, exactTimer = null;

    function tooLong(text) { return maxLength !== null && maxLength !== undefined && text.length > maxLength; }
    // Whether the text can be saved: the plain UTF-8 length bounds the packed size, so the real
    // packing is only needed when that bound does not fit.
    function fits(text) {
      if (tooLong(text)) return false;
      var allowed = State.allowance(textSizes, textBudgets, textRoom, index);
      return window.ScoTextPack.utf8(text).length + 3 <= allowed || State.packedSize(index, text) <= allowed;
    }
    // The counter is an estimate ("about"): packed size depends on what is written. What is
    // refused is decided on the real packed size (fits), never on the estimate.
    function refresh() {
      clearTimeout(exactTimer);
      exactTimer = null;
      var text = area.value;
      textSizes[index] = State.packedSize(index, text);
      var free = State.allowance(textSizes, textBudgets, textRoom, index) - textSizes[index];
      // What the next characters will cost: what the second half of the answer cost (packing
      // learns as it goes, so the first characters cost more than the next ones).
      var half = Math.floor(text.length / 2), perChar = BYTES_PER_CHAR;
      if (text.length >= 200) perChar = (textSizes[index] - window.ScoTextPack.packField(text.slice(0, half)).length) / (text.length - half);
      else if (text.length >= 40) perChar = textSizes[index] / text.length;
      perChar = Math.max(perChar, 0.2);
      var left = Math.max(0, Math.floor(free / perChar));
      if (maxLength !== null && maxLength !== undefined && maxLength - text.length <= left) {
        left = maxLength - text.length; // the author's own limit binds: an exact count
        counter.textContent = tn("%(num)s character left", "%(num)s characters left", left);
      } else {
        counter.textContent = tn("About %(num)s character left", "About %(num)s characters left", left);
      }
      counter.classList.toggle("is-low", left < 50);
      if (left > 0) message.hidden = true;
    }
    function refreshSoon() { // long answers (SCORM 2004) are packed again once typing pauses
      if (area.value.length < 4000) { refresh(); return; }
      clearTimeout(exactTimer);
      exactTimer = setTimeout(refresh, 300);
    }
    function refuse(text) {
      message.textContent = tooLong(text)
        ? tn("This answer can hold at most %(num)s character, so what you just typed or pasted was not added. Shorten your answer to make room.",
          "This answer can hold at most %(num)s characters, so what you just typed or pasted was not added. Shorten your answer to make room.", maxLength)
        : t("There is no more room to save this answer, so what you just typed or pasted was not added. Shorten this answer or another one to make room.");
      message.hidden = false;
    }
    // Stop typing when the answer would no longer fit, with a visible message, instead of a silent cut.
    area.addEventListener("beforeinput", function (ev) {
      if (!/^insert/.test(ev.inputType)) return;
      var data = ev.data;
      if (data === null || data === undefined) {
        data = ev.dataTransfer ? ev.dataTransfer.getData("text/plain") : /LineBreak|Paragraph/.test(ev.inputType) ? "\n" : "";
      }
      var next = area.value.slice(0, area.selectionStart) + data + area.value.slice(area.selectionEnd);
      if (next.length >= area.value.length && !fits(next) && ev.cancelable) {
        ev.preventDefault();
        refuse(next);
      }
    });
    area.addEventListener("input", function () {
      // Not cancelable (IME composition): put the last text back. Never a deletion, even in the
      // rare case where a shorter text packs a byte longer (save() then waits for a shorter one).
      if (area.value.length > lastGood.length && !fits(area.value)) {
        var refused = area.value;
        area.value = lastGood;
        refuse(refused);
      }
      lastGood = area.value;
      state.texts[index] = area.value;
      refreshSoon();
      saveSoon();
    });
    area.addEventListener("blur", function () {
      if (exactTimer) refresh();
      if (saveTimer) save();
    });
    refresh();
  }

  // ---------------------------------------------------------------- quizzes (js/quiz.js)

  // One cmi.interactions entry per answered question, appended (1.2 interactions are write-only).
  function recordInteraction(question, response, correct, latencyMs, date) {
    var record = Formats.interaction(E, question, response, correct);
    Formats.interactionElements(E, interactionCount, record, latencyMs, date).forEach(function (pair) {
      lms.set(pair[0], pair[1]);
    });
    interactionCount++;
  }

  var quizHost = {
    config: config,
    state: function () { return state; },
    learnerId: function () { return learnerId; },
    record: recordInteraction,
    i18n: I18n,
    save: function () { save(); }
  };

  // ---------------------------------------------------------------- go

  // An adapter that must read its launch data over the network first (cmi5) says when it is ready.
  window.buildCourseSco.leave = leave;
  if (lms.ready) lms.ready.then(go); else go();

  function go() {
    if (restore() === false) return; // the player page opens again at this SCO
    // Links out of the course open in a new tab: navigating the SCO's frame would end the session.
    Array.prototype.slice.call(document.querySelectorAll("main a[href^='http']")).forEach(function (a) {
      a.target = "_blank";
      a.rel = "noopener";
    });
    textSizes = State.textSizes(state);
    Array.prototype.slice.call(document.querySelectorAll("[data-text-index]")).forEach(setupText);
    Array.prototype.slice.call(document.querySelectorAll("[data-quiz-index]")).forEach(function (section) { window.ScoQuiz.setup(section, quizHost); });
    document.documentElement.classList.add("sco-ready");
    showPage(state.page, false);
    window.addEventListener("pagehide", leave);
    window.addEventListener("beforeunload", leave);
    // Hidden while alive (another tab, a minimised window, a phone locking): commit now, as the
    // page may never come back. During dismissal leave() has run first, and this does nothing.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !leaving) save();
    });
  }
})();
