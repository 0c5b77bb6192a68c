//! The public honour roll (no login): `GET /api/v1/public/honour-roll?year=` and
//! `/vinh-danh?year=` — the year's recognised collectives, models and (when the
//! decision says public) persons, by province.

pub(crate) mod api;
pub(crate) mod pages;
