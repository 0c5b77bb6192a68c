//! Installable and usable on a weak connection: the web app manifest, the service
//! worker that keeps the application shell (`static/sw.js`), and the page it shows
//! when a navigation finds no network.

pub(crate) mod pages;
