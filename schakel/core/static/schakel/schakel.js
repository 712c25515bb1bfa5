// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (event) {
  // A form marked data-single-submit sends once: a second click does nothing.
  var form = event.target;
  if (!form.hasAttribute("data-single-submit")) return;
  var submitter = event.submitter;
  if (submitter && submitter.name === "add") return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
});
