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
