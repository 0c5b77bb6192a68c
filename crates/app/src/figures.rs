//! The dashboard's figures kept between requests. They change only when data do, so
//! a computed value is reused while this process has committed no write since
//! ([`store::Store::write_generation`]) and for at most [`FRESH_FOR`] — the bound on
//! how late a write made by another server on the same database shows here.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppResult;
use crate::App;

/// Longest time a value is reused without a local write (other servers' writes).
pub const FRESH_FOR: Duration = Duration::from_secs(10);
/// Most values kept; past it the memo starts again empty.
const MOST: usize = 2_000;

type Entry = (u64, Instant, Arc<dyn Any + Send + Sync>);

/// Computed figures by key.
#[derive(Default)]
pub(crate) struct FiguresMemo(Mutex<HashMap<String, Entry>>);

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
        // Read before computing: a write that lands meanwhile leaves the value stale.
        let generation = self.store.write_generation();
        if let Ok(map) = self.figures.0.lock() {
            if let Some((g, at, v)) = map.get(&key) {
                if still_fresh(*g, *at, generation, Instant::now()) {
                    if let Ok(hit) = v.clone().downcast::<T>() {
                        return Ok(hit);
                    }
                }
            }
        }
        let value = Arc::new(compute().await?);
        if let Ok(mut map) = self.figures.0.lock() {
            if map.len() >= MOST {
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
