//! The dashboard's figures kept between requests. They change only when data do, so
//! a computed value is reused while this process has committed no write since
//! ([`store::Store::write_generation`]) and for at most [`FRESH_FOR`] — the bound on
//! how late a write made by another server on the same database shows here. The
//! units read on every request (the caller's own, to build its scope) are kept the
//! same way in a memo of their own, so a busy dashboard never pushes them out.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppResult;
use crate::App;

/// Longest time a value is reused without a local write (other servers' writes).
pub const FRESH_FOR: Duration = Duration::from_secs(10);
/// Most figures kept; past it the memo starts again empty.
const MOST_FIGURES: usize = 2_000;
/// Most units kept (every commune and province fits).
const MOST_UNITS: usize = 20_000;

type Entry = (u64, Instant, Arc<dyn Any + Send + Sync>);

/// Computed values by key, at most `most` of them.
pub(crate) struct FiguresMemo {
    map: Mutex<HashMap<String, Entry>>,
    most: usize,
}

impl FiguresMemo {
    /// The dashboard figures' memo.
    pub(crate) fn figures() -> FiguresMemo {
        FiguresMemo { map: Mutex::default(), most: MOST_FIGURES }
    }

    /// The units' memo.
    pub(crate) fn units() -> FiguresMemo {
        FiguresMemo { map: Mutex::default(), most: MOST_UNITS }
    }
}

impl std::fmt::Debug for FiguresMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FiguresMemo")
    }
}

/// Whether a value computed at `(generation, at)` may still be served.
pub fn still_fresh(stored_generation: u64, at: Instant, generation: u64, now: Instant) -> bool {
    stored_generation == generation && now.duration_since(at) < FRESH_FOR
}

impl App {
    /// The value of `key`, computed by `compute` unless a fresh one is kept.
    pub async fn memo<T, F, Fut>(&self, key: String, compute: F) -> AppResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        self.memo_in(&self.figures, key, compute).await
    }

    /// A unit by code, kept like the figures (the caller's unit is read on every
    /// request to build its scope).
    pub(crate) async fn kept_unit(&self, code: &str) -> AppResult<Arc<store::units::UnitRecord>> {
        self.memo_in(&self.units_memo, code.to_string(), || async { Ok(self.store.unit(code).await?) }).await
    }

    async fn memo_in<T, F, Fut>(&self, memo: &FiguresMemo, key: String, compute: F) -> AppResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        // Read before computing: a write that lands meanwhile leaves the value stale.
        let generation = self.store.write_generation();
        if let Ok(map) = memo.map.lock() {
            if let Some((g, at, v)) = map.get(&key) {
                if still_fresh(*g, *at, generation, Instant::now()) {
                    if let Ok(hit) = v.clone().downcast::<T>() {
                        return Ok(hit);
                    }
                }
            }
        }
        let value = Arc::new(compute().await?);
        if let Ok(mut map) = memo.map.lock() {
            if map.len() >= memo.most {
                map.clear();
            }
            map.insert(key, (generation, Instant::now(), value.clone() as Arc<dyn Any + Send + Sync>));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_stale_on_a_write_or_with_time() {
        let t0 = Instant::now();
        assert!(still_fresh(3, t0, 3, t0 + Duration::from_secs(1)));
        assert!(!still_fresh(3, t0, 4, t0 + Duration::from_secs(1)), "a local write");
        assert!(!still_fresh(3, t0, 3, t0 + FRESH_FOR), "another server's write shows within FRESH_FOR");
    }
}
