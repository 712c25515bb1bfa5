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

// One menu group open at a time; a click elsewhere or Escape closes it.
document.addEventListener("click", function (event) {
  document.querySelectorAll(".nav-group details[open]").forEach(function (d) {
    if (!d.contains(event.target)) d.removeAttribute("open");
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".nav-group details[open]").forEach(function (d) {
    d.removeAttribute("open");
    d.querySelector("summary").focus();
  });
});

// After a failed submit the error summary gets the focus (autofocus does this where the
// browser honours it on a non-field); else a newly added row's first field does.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("[data-error-summary]") ||
    document.querySelector("[data-focus-on-load]");
  if (target && document.activeElement !== target) target.focus();
});
