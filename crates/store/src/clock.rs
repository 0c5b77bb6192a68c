//! The one clock of phongtrao: every "now" and "today" of the server comes from
//! here. Dates are Vietnam's (`domain::clock`). With the `test-clock` feature (the
//! testkit turns it on) tests may move the clock with [`set_offset_for_tests`];
//! the offset is process-wide.

use chrono::{DateTime, NaiveDate, Utc};

#[cfg(feature = "test-clock")]
static OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn offset_ms() -> i64 {
    #[cfg(feature = "test-clock")]
    {
        OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(feature = "test-clock"))]
    {
        0
    }
}

/// Moves the clock `ms` milliseconds away from the system clock (0 puts it back),
/// for every thread of the process.
#[cfg(feature = "test-clock")]
pub fn set_offset_for_tests(ms: i64) {
    OFFSET_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    system.saturating_add(offset_ms())
}

/// Now, in Unix seconds.
pub fn now_secs() -> i64 {
    now_ms().div_euclid(1000)
}

/// Now, as a UTC instant.
pub fn now_utc() -> DateTime<Utc> {
    domain::clock::instant_ms(now_ms())
}

/// Today's date in Vietnam.
pub fn today() -> NaiveDate {
    domain::clock::vietnam_date(now_utc())
}

/// Today's date in Vietnam as YYYY-MM-DD.
pub fn today_iso() -> String {
    domain::clock::iso(today())
}

/// The current year in Vietnam.
pub fn current_year() -> i64 {
    domain::clock::vietnam_year(now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, since moving the clock is process-wide.
    #[test]
    fn the_clock_agrees_with_itself_and_moves_in_tests() {
        let before = now_ms();
        let today = today();
        assert!(now_secs() >= before / 1000);
        assert_eq!(today_iso(), domain::clock::iso(today));
        assert_eq!(current_year(), i64::from(chrono::Datelike::year(&today)));
        #[cfg(feature = "test-clock")]
        {
            let day = 86_400_000;
            set_offset_for_tests(400 * day);
            let (moved, later) = (now_ms(), super::today());
            set_offset_for_tests(0);
            assert!(moved - before >= 400 * day && moved - before < 401 * day);
            assert!((later - today).num_days() >= 399);
        }
    }
}
