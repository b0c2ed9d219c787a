/* An LMS-like player for the end-to-end tests: a fresh scorm-again API per launch, exposed where
   a SCO looks for it (this window, the SCO's parent), the SCO in an iframe, and the LMS-side
   record (every call, commit and error) readable by the test. */
(function () {
  "use strict";
  var NAMES = { scorm12: "API", scorm2004: "API_1484_11" };
  var PREFIX = { scorm12: "LMS", scorm2004: "" };

  var lms = {
    api: null,
    edition: null,
    calls: [],      // [method, element, value, result, errorCode]
    commits: [],    // flattened CMI after each successful Commit/Terminate
    finished: 0,

    launch: function (edition, url, flatData, extraSettings) {
      delete window.API;
      delete window.API_1484_11;
      var settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5, mastery_override: false };
      Object.keys(extraSettings || {}).forEach(function (key) { settings[key] = extraSettings[key]; });
      var api = edition === "scorm12" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
      if (flatData) api.loadFromFlattenedJSON(flatData, "");
      lms.api = api;
      lms.edition = edition;
      lms.calls = [];
      lms.commits = [];
      lms.finished = 0;
      wrap(api, edition);
      window[NAMES[edition]] = api;
      document.getElementById("sco").src = url;
    },

    leave: function () { document.getElementById("sco").src = "about:blank"; },

    flat: function () { return lms.api.getFlattenedCMI(); },
    value: function (element) { return lms.api.getCMIValue(element); }
  };

  // Record what the SCO does, as a real LMS's log would.
  function wrap(api, edition) {
    var p = PREFIX[edition];
    var methods = edition === "scorm12"
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"];
    methods.forEach(function (name) {
      var original = api[name].bind(api);
      api[name] = function (a, b) {
        var result = original.apply(null, arguments);
        var code = String(api.lastErrorCode);
        lms.calls.push([name, a === undefined ? "" : String(a), b === undefined ? null : String(b), String(result), code]);
        if ((name === p + "Commit" || name === (p ? "LMSFinish" : "Terminate")) && String(result) === "true") {
          lms.commits.push(api.getFlattenedCMI());
        }
        if (name === (p ? "LMSFinish" : "Terminate")) lms.finished++;
        return result;
      };
    });
  }

  window.lms = lms;
})();
