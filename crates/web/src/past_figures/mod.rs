//! Figures of the years before the 2025 reform under the units of that year: the
//! ministry's import (API) and the list every officer reads (API; the movement
//! dashboard of such a year shows them).

pub(crate) mod api;
