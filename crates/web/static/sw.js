// phongtrao's service worker: keeps the application shell (styles, scripts, the
// icon and the offline page) so that a phone with a weak or no connection still
// opens something useful. Pages themselves hold personal data and are never
// cached: a navigation goes to the network, and only when that fails does the
// offline page answer.
var SHELL = "phongtrao-shell-v2";
var FILES = ["/static/app.css", "/static/app.js", "/static/htmx.min.js", "/static/icon.svg", "/offline"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(FILES); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // The shell: from the cache, refreshed from the network when it answers.
    e.respondWith(caches.open(SHELL).then(function (c) {
      return c.match(req).then(function (hit) {
        var fresh = fetch(req).then(function (r) { if (r.ok) c.put(req, r.clone()); return r; });
        return hit || fresh;
      });
    }));
    return;
  }
  if (req.mode === "navigate") {
    e.respondWith(fetch(req).catch(function () { return caches.match("/offline"); }));
  }
});
