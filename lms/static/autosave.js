// Autosave for quiz pages. The form works without this script: every page is saved by a plain
// POST. With it, answers are also saved a moment after each change, and a failed save is shown.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("save-status");
  if (!form || !status || !window.fetch || !window.FormData) { return; }
  var texts = {
    saving: form.getAttribute("data-saving") || "Saving…",
    saved: form.getAttribute("data-saved") || "Saved",
    failed: form.getAttribute("data-failed") || "Not saved",
    signedOut: form.getAttribute("data-signed-out") || "Signed out",
    closed: form.getAttribute("data-closed") || "Closed"
  };
  var timer = null;

  function show(text, problem) {
    status.textContent = text;
    status.className = "save-status" + (problem ? " save-problem" : " save-ok");
    status.setAttribute("role", problem ? "alert" : "status");
  }

  function save() {
    show(texts.saving, false);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) { show(texts.saved, false); }
      else if (response.status === 401) { show(texts.signedOut, true); }
      else if (response.status === 409) {
        // Time ran out or it was submitted elsewhere: say so, then show the result.
        show(texts.closed, true);
        response.json().then(function (body) {
          if (body && body.result) { setTimeout(function () { window.location = body.result; }, 4000); }
        });
      }
      else { show(texts.failed, true); }
    }).catch(function () { show(texts.failed, true); });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  }

  form.addEventListener("change", later);
  // The form's own submit saves everything: a pending autosave would only race with it.
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); timer = null; } });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "text") { later(); }
  });
})();
