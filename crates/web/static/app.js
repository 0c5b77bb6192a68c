// Small behaviours the pages need, kept out of the HTML so that the
// Content-Security-Policy can forbid inline scripts.
document.addEventListener("submit", function (e) {
  var progress = e.target.querySelector("[data-show-on-submit]");
  if (progress) progress.hidden = false;
});
// The service worker that keeps the application shell for weak connections.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  });
}
// The score sheet's running total and level, kept as points are typed ("6" or
// "6,0") and when the page opens (after a refusal it shows what was typed); the
// server computes the same on save, so the page works without this.
function runningTotal(form) {
  var out = document.getElementById("running-points");
  if (!form || form.id !== "answers" || !out) return;
  var total = 0;
  form.querySelectorAll("input[name^=points_]").forEach(function (i) {
    var v = parseFloat(i.value.replace(",", "."));
    var max = parseFloat(i.getAttribute("data-max")) || 0;
    if (!isNaN(v) && v > 0) total += Math.min(v, max);
  });
  total = Math.round(total * 10) / 10;
  out.textContent = String(total).replace(".", ",");
  var levels = [];
  try { levels = JSON.parse(document.getElementById("running-total").getAttribute("data-levels")) || []; } catch (err) { levels = []; }
  levels.sort(function (a, b) { return b.min - a.min; });
  var reached = levels.find(function (l) { return total >= l.min; });
  document.getElementById("running-level").textContent = reached ? reached.name : "—";
}
document.addEventListener("input", function (e) {
  if (!e.target.form || e.target.form.id !== "answers") return;
  runningTotal(e.target.form);
  var saved = document.getElementById("saved-at");
  if (saved) saved.hidden = true;
});
function totalOnOpen() { runningTotal(document.getElementById("answers")); }
document.addEventListener("DOMContentLoaded", totalOnOpen);
document.addEventListener("htmx:load", totalOnOpen);
// The receipt: copy a code with one tap, print (or save as PDF from the print
// dialog). The buttons appear only where the script runs.
document.addEventListener("DOMContentLoaded", showReceiptButtons);
document.addEventListener("htmx:load", showReceiptButtons);
function showReceiptButtons() {
  document.querySelectorAll("button[data-copy], button[data-print]").forEach(function (b) { b.hidden = false; });
}
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("button[data-copy], button[data-print]");
  if (!b) return;
  if (b.hasAttribute("data-print")) { window.print(); return; }
  var text = document.getElementById(b.getAttribute("data-copy")).textContent.trim();
  var done = function () { b.textContent = b.getAttribute("data-done"); };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(done, function () {});
  } else {
    var r = document.createRange();
    r.selectNodeContents(document.getElementById(b.getAttribute("data-copy")));
    var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    try { document.execCommand("copy"); done(); } catch (err) { /* the code stays selected to copy by hand */ }
  }
});
