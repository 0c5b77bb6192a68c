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
// Offline drafts. A form marked data-draft (the score sheet, a case note) that
// cannot reach the server is kept on this phone (localStorage, keyed by the form's
// address) with a visible "Chưa gửi", and sent when the connection returns. The
// score sheet carries the version it was opened on: if someone saved meanwhile the
// server answers 409 with both versions side by side, so nothing is lost silently.
var DRAFT_PREFIX = "phongtrao-draft:";
function draftKey(f) { return DRAFT_PREFIX + f.getAttribute("action"); }
function readDraft(f) {
  try { return JSON.parse(localStorage.getItem(draftKey(f)) || "null"); } catch (err) { return null; }
}
function draftState(f, text) {
  var s = f.querySelector(".draft-state");
  var d = f.querySelector(".draft-discard");
  if (s) { s.hidden = !text; s.textContent = text || ""; }
  if (d) d.hidden = !text;
}
function showDraft(f) {
  var d = readDraft(f);
  var s = f.querySelector(".draft-state");
  if (!d || !s) { draftState(f, ""); return; }
  var hm = new Date(d.at).toLocaleTimeString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hour12: false });
  draftState(f, s.getAttribute("data-unsent") + " " + hm);
  var saved = document.getElementById("saved-at");
  if (saved) saved.hidden = true;
}
function keepDraft(f) {
  var fields = [];
  new FormData(f).forEach(function (v, k) { if (typeof v === "string" && k !== "csrf") fields.push([k, v]); });
  try { localStorage.setItem(draftKey(f), JSON.stringify({ fields: fields, at: Date.now() })); } catch (err) { return; }
  showDraft(f);
}
function restoreDraft(f, d) {
  d.fields.forEach(function (kv) {
    f.querySelectorAll("[name='" + kv[0].replace(/'/g, "") + "']").forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === kv[1];
      else el.value = kv[1];
    });
  });
  runningTotal(f);
}
function sendDraft(f) {
  var d = readDraft(f);
  if (!d || f.getAttribute("data-sending")) return;
  f.setAttribute("data-sending", "1");
  var s = f.querySelector(".draft-state");
  if (s) draftState(f, s.getAttribute("data-sending"));
  var csrf = f.querySelector("input[name=csrf]");
  var body = new URLSearchParams();
  d.fields.forEach(function (kv) { body.append(kv[0], kv[1]); });
  if (csrf) body.append("csrf", csrf.value);
  fetch(f.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
    return r.text().then(function (html) {
      // Sent. The server's answer (the saved page, or a conflict or a refusal
      // holding everything sent) takes the page's place.
      localStorage.removeItem(draftKey(f));
      if (r.redirected && r.ok) { location.assign(r.url); return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      document.body.replaceWith(doc.body);
      if (window.htmx) window.htmx.process(document.body);
      totalOnOpen();
    });
  }).catch(function () {
    f.removeAttribute("data-sending");
    showDraft(f);
  });
}
function draftsOnOpen() {
  document.querySelectorAll("form[data-draft]").forEach(function (f) {
    var d = readDraft(f);
    if (!d) return;
    restoreDraft(f, d);
    showDraft(f);
    if (navigator.onLine) sendDraft(f);
  });
}
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (!f.matches || !f.matches("form[data-draft]") || navigator.onLine) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  keepDraft(f);
}, true);
document.addEventListener("htmx:sendError", function (e) {
  var f = e.detail && e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("form[data-draft]");
  if (f) keepDraft(f);
});
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest(".draft-discard");
  if (!b) return;
  localStorage.removeItem(draftKey(b.form));
  location.reload();
});
window.addEventListener("online", function () { document.querySelectorAll("form[data-draft]").forEach(sendDraft); });
document.addEventListener("DOMContentLoaded", draftsOnOpen);
document.addEventListener("htmx:load", draftsOnOpen);
