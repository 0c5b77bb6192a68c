//! The audit chain: each entry's hash covers the previous hash and its own content,
//! so an edited, inserted or deleted entry breaks the chain.

use sha2::{Digest, Sha256};

/// Hash of the empty chain (before the first entry).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of one audit entry that the hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContent<'a> {
    /// Sequence number of the entry (its id).
    pub id: i64,
    /// Time as Unix milliseconds.
    pub at_ms: i64,
    /// Acting user's id, if any (none for anonymous login attempts and the system).
    pub actor: Option<i64>,
    /// Action name, e.g. `organisation.create`.
    pub action: &'a str,
    /// Entity type, e.g. `organisation`.
    pub entity: &'a str,
    /// Entity id as text.
    pub entity_id: &'a str,
    /// JSON before the change, if any.
    pub before: Option<&'a str>,
    /// JSON after the change, if any.
    pub after: Option<&'a str>,
}

/// SHA-256 over the previous hash and the entry's content, hex-encoded.
/// Every field is length-prefixed so that no two contents collide by concatenation.
pub fn entry_hash(prev_hash: &str, c: &AuditContent<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |b: &[u8]| {
        h.update((b.len() as u64).to_be_bytes());
        h.update(b);
    };
    field(prev_hash.as_bytes());
    field(c.id.to_string().as_bytes());
    field(c.at_ms.to_string().as_bytes());
    field(c.actor.map(|a| a.to_string()).unwrap_or_default().as_bytes());
    field(c.action.as_bytes());
    field(c.entity.as_bytes());
    field(c.entity_id.as_bytes());
    field(c.before.unwrap_or("\u{0}").as_bytes());
    field(c.after.unwrap_or("\u{0}").as_bytes());
    hex::encode(h.finalize())
}

/// The first problem found when checking a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's stored hash does not match its content (edited row).
    HashMismatch { id: i64 },
    /// The entry's `prev_hash` is not the previous entry's hash (inserted or deleted row).
    LinkBroken { id: i64 },
    /// Ids are not consecutive (a row deleted or inserted with a forged id).
    Gap { after: i64, found: i64 },
    /// The chain ends elsewhere than the checkpoint says (entries cut off the end).
    Truncated { checkpoint_id: i64, last_id: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::HashMismatch { id } => {
                write!(f, "entry {id}: content does not match its hash (edited)")
            }
            ChainBreak::LinkBroken { id } => {
                write!(f, "entry {id}: does not link to the previous entry (inserted or deleted before it)")
            }
            ChainBreak::Gap { after, found } => write!(f, "entry {found} follows {after}: entries missing or inserted"),
            ChainBreak::Truncated { checkpoint_id, last_id } => {
                write!(f, "checkpoint names entry {checkpoint_id} but the log ends at {last_id}: entries cut off")
            }
        }
    }
}

/// One stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// The hashed content (owned).
    pub id: i64,
    /// Time.
    pub at_ms: i64,
    /// Actor.
    pub actor: Option<i64>,
    /// Action.
    pub action: String,
    /// Entity.
    pub entity: String,
    /// Entity id.
    pub entity_id: String,
    /// Before JSON.
    pub before: Option<String>,
    /// After JSON.
    pub after: Option<String>,
    /// Stored previous hash.
    pub prev_hash: String,
    /// Stored hash.
    pub hash: String,
}

/// Incremental chain verifier: feed entries in id order, then `finish` with the checkpoint.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    last_id: i64,
    /// Entries checked so far.
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { prev_hash: GENESIS_HASH.to_string(), last_id: 0, checked: 0 }
    }
}

impl ChainVerifier {
    /// Checks the next entry.
    pub fn push(&mut self, e: &StoredEntry) -> Result<(), ChainBreak> {
        if e.id != self.last_id + 1 {
            return Err(ChainBreak::Gap { after: self.last_id, found: e.id });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::LinkBroken { id: e.id });
        }
        let content = AuditContent {
            id: e.id,
            at_ms: e.at_ms,
            actor: e.actor,
            action: &e.action,
            entity: &e.entity,
            entity_id: &e.entity_id,
            before: e.before.as_deref(),
            after: e.after.as_deref(),
        };
        if entry_hash(&e.prev_hash, &content) != e.hash {
            return Err(ChainBreak::HashMismatch { id: e.id });
        }
        self.prev_hash = e.hash.clone();
        self.last_id = e.id;
        self.checked += 1;
        Ok(())
    }

    /// Compares the end of the chain with the checkpoint kept outside the log.
    pub fn finish(&self, checkpoint_id: i64, checkpoint_hash: &str) -> Result<(), ChainBreak> {
        if checkpoint_id != self.last_id || checkpoint_hash != self.prev_hash {
            return Err(ChainBreak::Truncated { checkpoint_id, last_id: self.last_id });
        }
        Ok(())
    }
}

/// A copy of one chain entry's hash kept where the database's writer cannot change
/// it (an e-mail, an append-only file, a printout): `ID:HASH`. A log that no longer
/// holds entry ID with that hash was rewritten, however consistent it looks now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Entry id.
    pub id: i64,
    /// Its hash (64 lower-case hex digits).
    pub hash: String,
}

impl Anchor {
    /// Parses `ID:HASH` (the hash in hex, any case).
    pub fn parse(s: &str) -> Option<Anchor> {
        let (id, hash) = s.trim().split_once(':')?;
        let id: i64 = id.trim().parse().ok().filter(|i| *i >= 0)?;
        let hash = hash.trim().to_ascii_lowercase();
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(Anchor { id, hash })
    }

    /// Checks the anchor against the hash the log holds for its entry (`None`: no
    /// such entry). The genesis anchor `0:` + 64 zeros holds for any log.
    pub fn check(&self, stored: Option<&str>) -> Result<(), AnchorBreak> {
        if self.id == 0 && self.hash == GENESIS_HASH {
            return Ok(());
        }
        match stored {
            None => Err(AnchorBreak::Missing { id: self.id }),
            Some(h) if h != self.hash => Err(AnchorBreak::Differs { id: self.id }),
            Some(_) => Ok(()),
        }
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.id, self.hash)
    }
}

/// How the log fails an anchor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    /// The anchored entry is gone (the log was cut before it).
    #[error("anchored entry #{id} is missing (the log was cut)")]
    Missing {
        /// Entry id.
        id: i64,
    },
    /// The entry is there with another hash (the log was rewritten).
    #[error("anchored entry #{id} has another hash (the log was rewritten)")]
    Differs {
        /// Entry id.
        id: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|id| {
                let action = format!("a{id}");
                let c = AuditContent {
                    id,
                    at_ms: id * 10,
                    actor: Some(1),
                    action: &action,
                    entity: "e",
                    entity_id: "1",
                    before: None,
                    after: Some("{}"),
                };
                let hash = entry_hash(&prev, &c);
                let e = StoredEntry {
                    id,
                    at_ms: id * 10,
                    actor: Some(1),
                    action: action.clone(),
                    entity: "e".into(),
                    entity_id: "1".into(),
                    before: None,
                    after: Some("{}".into()),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[StoredEntry], cp: (i64, &str)) -> Result<(), ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.push(e)?;
        }
        v.finish(cp.0, cp.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let last = c[4].hash.clone();
        assert_eq!(verify(&c, (5, &last)), Ok(()));
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain(5);
        let last = c[4].hash.clone();
        c[2].after = Some("{\"x\":1}".into());
        assert_eq!(verify(&c, (5, &last)), Err(ChainBreak::HashMismatch { id: 3 }));
    }

    #[test]
    fn deleted_entry_is_found() {
        let mut c = chain(5);
        let last = c[4].hash.clone();
        c.remove(1);
        assert_eq!(verify(&c, (5, &last)), Err(ChainBreak::Gap { after: 1, found: 3 }));
    }

    #[test]
    fn truncation_is_found_by_checkpoint() {
        let mut c = chain(5);
        let last = c[4].hash.clone();
        c.truncate(3);
        assert_eq!(verify(&c, (5, &last)), Err(ChainBreak::Truncated { checkpoint_id: 5, last_id: 3 }));
    }

    #[test]
    fn anchors_parse_and_check() {
        let h = "ab".repeat(32);
        let a = Anchor::parse(&format!("12:{}", h.to_uppercase())).expect("anchor");
        assert_eq!(a, Anchor { id: 12, hash: h.clone() });
        assert_eq!(a.to_string(), format!("12:{h}"));
        assert!(a.check(Some(&h)).is_ok());
        assert_eq!(a.check(Some(&"cd".repeat(32))), Err(AnchorBreak::Differs { id: 12 }));
        assert_eq!(a.check(None), Err(AnchorBreak::Missing { id: 12 }));
        for bad in ["", "12", "x:ab", "-1:00", &format!("3:{}", "z".repeat(64)), "3:abc"] {
            assert!(Anchor::parse(bad).is_none(), "{bad}");
        }
        assert!(Anchor { id: 0, hash: GENESIS_HASH.into() }.check(None).is_ok());
    }
}
