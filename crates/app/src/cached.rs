//! A value loaded from the database once and kept until a change makes it stale
//! (the working calendar, the routing rules).

use std::sync::RwLock;

/// One cached value; `get` is cheap, `forget` after every write that changes it.
pub struct Cached<T: Clone> {
    value: RwLock<Option<T>>,
}

impl<T: Clone> Default for Cached<T> {
    fn default() -> Self {
        Cached { value: RwLock::new(None) }
    }
}

impl<T: Clone> Cached<T> {
    /// The cached value, if loaded.
    pub fn get(&self) -> Option<T> {
        self.value.read().ok().and_then(|g| g.clone())
    }

    /// Keeps `v` and returns it.
    pub fn set(&self, v: T) -> T {
        if let Ok(mut g) = self.value.write() {
            *g = Some(v.clone());
        }
        v
    }

    /// Drops the value; the next `get` misses.
    pub fn forget(&self) {
        if let Ok(mut g) = self.value.write() {
            *g = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_forget() {
        let c = Cached::<u32>::default();
        assert_eq!(c.get(), None);
        assert_eq!(c.set(7), 7);
        assert_eq!(c.get(), Some(7));
        c.forget();
        assert_eq!(c.get(), None);
    }
}
