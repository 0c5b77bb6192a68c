//! Encryption at rest of citizens' contact details and attachments: XChaCha20-Poly1305
//! (RustCrypto `chacha20poly1305`) under keys from a key file.
//!
//! The key file holds one key per line, `ID:HEX64` (ID 1–255); the highest ID seals
//! new data and every listed key opens old data. For the embedded default the file is
//! created on first start next to the database with mode 0600. Rotation: append a
//! line with a higher ID and restart — new data uses the new key, old data stays
//! readable; keep old lines until every case sealed with them has been purged.
//!
//! A sealed value is `[1 (format)] [key ID] [24-byte nonce] [ciphertext + tag]`, and
//! nonces come from `rand::thread_rng` (ChaCha12, seeded from the OS); the
//! purpose ("contact", "attachment") is bound as associated data so that a value
//! cannot be moved to another column.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::AppError;

const FORMAT: u8 = 1;
const NONCE_LEN: usize = 24;

/// The keys that seal and open personal data.
#[derive(Clone)]
pub struct Sealer {
    keys: Vec<(u8, Key)>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer({} keys)", self.keys.len())
    }
}

impl Sealer {
    /// A sealer with one random key that lives only in memory (tests, benchmarks).
    pub fn ephemeral() -> Sealer {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        Sealer { keys: vec![(1, Key::from(k))] }
    }

    /// Parses a key file's text.
    pub fn from_text(text: &str) -> Result<Sealer, String> {
        let mut keys = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, hexkey) = line.split_once(':').ok_or_else(|| format!("line {}: expected ID:HEX", n + 1))?;
            let id: u8 = id.trim().parse().map_err(|_| format!("line {}: bad key id", n + 1))?;
            let bytes = hex::decode(hexkey.trim()).map_err(|_| format!("line {}: bad hex", n + 1))?;
            let arr: [u8; 32] = bytes.try_into().map_err(|_| format!("line {}: a key has 32 bytes", n + 1))?;
            if id == 0 || keys.iter().any(|(i, _)| *i == id) {
                return Err(format!("line {}: key id must be 1–255 and unique", n + 1));
            }
            keys.push((id, Key::from(arr)));
        }
        if keys.is_empty() {
            return Err("no key in the key file".into());
        }
        keys.sort_by_key(|(i, _)| *i);
        Ok(Sealer { keys })
    }

    /// Loads the key file at `path`, creating it with one new key (mode 0600) when
    /// it does not exist. Returns the sealer and whether the file was created.
    pub fn load_or_create(path: &Path) -> Result<(Sealer, bool), String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((Sealer::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                let mut k = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut k);
                let text = format!(
                    "# phongtrao: keys sealing citizens' contact details and attachments.\n# Back this file up with the database; without it that data cannot be read.\n1:{}\n",
                    hex::encode(k)
                );
                write_private(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok((Sealer::from_text(&text)?, true))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Seals `plain` for `purpose` with the newest key.
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> Result<Vec<u8>, AppError> {
        let (id, key) = self.keys.last().ok_or_else(|| AppError::Internal("no sealing key".into()))?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = XChaCha20Poly1305::new(key)
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: purpose.as_bytes() })
            .map_err(|_| AppError::Internal("seal failed".into()))?;
        let mut out = Vec::with_capacity(2 + NONCE_LEN + ct.len());
        out.push(FORMAT);
        out.push(*id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens a value sealed for `purpose`.
    pub fn open(&self, purpose: &str, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
        let bad = |m: &str| AppError::Internal(format!("cannot open sealed data: {m}"));
        if sealed.len() < 2 + NONCE_LEN || sealed[0] != FORMAT {
            return Err(bad("format"));
        }
        let key =
            self.keys.iter().find(|(i, _)| *i == sealed[1]).map(|(_, k)| k).ok_or_else(|| bad("unknown key id"))?;
        XChaCha20Poly1305::new(key)
            .decrypt(
                XNonce::from_slice(&sealed[2..2 + NONCE_LEN]),
                Payload { msg: &sealed[2 + NONCE_LEN..], aad: purpose.as_bytes() },
            )
            .map_err(|_| bad("authentication failed"))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_purpose() {
        let s = Sealer::ephemeral();
        let sealed = s.seal("contact", b"0912345678").unwrap();
        assert!(!sealed.windows(10).any(|w| w == b"0912345678"), "plain text must not appear");
        assert_eq!(s.open("contact", &sealed).unwrap(), b"0912345678");
        assert!(s.open("attachment", &sealed).is_err(), "purpose is bound");
        assert!(Sealer::ephemeral().open("contact", &sealed).is_err(), "another key cannot open it");
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(s.open("contact", &tampered).is_err());
    }

    #[test]
    fn key_file_is_created_once_and_rotation_keeps_old_data_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/case-keys.txt");
        let (a, created) = Sealer::load_or_create(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let old = a.seal("contact", b"x").unwrap();
        let (b, created) = Sealer::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(b.open("contact", &old).unwrap(), b"x");
        let text = std::fs::read_to_string(&path).unwrap() + &format!("2:{}\n", "ab".repeat(32));
        let rotated = Sealer::from_text(&text).unwrap();
        let new = rotated.seal("contact", b"y").unwrap();
        assert_eq!(new[1], 2, "the newest key seals");
        assert_eq!(rotated.open("contact", &old).unwrap(), b"x");
        assert!(Sealer::from_text("1:zz").is_err());
        assert!(Sealer::from_text("# only a comment").is_err());
    }
}
