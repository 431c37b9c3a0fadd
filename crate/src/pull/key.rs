//! The admin key: where it may come from (the environment or a private file, never an argument,
//! which every user of the machine can read in the process list) and how it may be shown (only
//! as its redaction). [`AdminKey`] has no `Display` and a redacting `Debug`, so a `{}` or `{:?}`
//! anywhere cannot print it; the one way out is `AdminKey::expose`, used for the request
//! header and for scrubbing text a server sent back.

use std::fmt;
use std::path::Path;

use super::{Provider, PullError};
use crate::secret;

/// An admin key, held only in memory.
pub struct AdminKey(String);

impl AdminKey {
    /// The key from `--key-file` when given, else from the provider's environment variable.
    pub fn load(provider: Provider, key_file: Option<&Path>) -> Result<Self, PullError> {
        let var = provider.key_var();
        let text = match key_file {
            Some(path) => read_private_file(path)?,
            None => std::env::var(var).map_err(|_| {
                PullError::new(format!(
                    "no admin key: set {var} in the environment, or name a file readable only \
                     by you with --key-file (the key is never taken as an argument)"
                ))
            })?,
        };
        let key = text.trim();
        if key.is_empty() {
            let from = key_file.map_or_else(|| var.to_string(), |p| p.display().to_string());
            return Err(PullError::new(format!("no admin key: {from} is empty")));
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            let from = key_file.map_or_else(|| var.to_string(), |p| p.display().to_string());
            return Err(PullError::new(format!(
                "{from} holds more than one word; it must hold the admin key alone"
            )));
        }
        Ok(AdminKey(key.to_string()))
    }

    /// The key's redaction (`sk-admin-...r2D2`), the only form any message shows.
    pub fn redacted(&self) -> String {
        secret::redact(&self.0)
    }

    /// The key itself: for the request header and for [`AdminKey::scrub`], nothing else.
    pub(super) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` (a server's error message, which may echo the key back) with the key and every
    /// other full secret replaced by its redaction.
    pub fn scrub(&self, text: &str) -> String {
        let text = text.replace(&self.0, &self.redacted());
        secret::scrub(&text).0
    }
}

impl fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AdminKey({})", self.redacted())
    }
}

/// Reads a key file, refusing one that others can read: a key in a world-readable file has
/// already leaked to every account on the machine, and saying so is the kindest thing to do.
fn read_private_file(path: &Path) -> Result<String, PullError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| PullError::new(format!("cannot read the key file {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(PullError::new(format!(
                "refusing the key file {}: its mode is {mode:03o}, so {} can read it; \
                 make it readable only by you (chmod 600 {}) and consider rotating the key",
                path.display(),
                if mode & 0o007 != 0 {
                    "every user of this machine"
                } else {
                    "its group"
                },
                path.display()
            )));
        }
    }
    if !meta.is_file() {
        return Err(PullError::new(format!(
            "the key file {} is not a file",
            path.display()
        )));
    }
    std::fs::read_to_string(path)
        .map_err(|e| PullError::new(format!("cannot read the key file {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-admin-Q9xW2eR4tY6uI8oP0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR1tY3uI5oP7aST3BlbkFJs1MAq2W3e4R5t6Y7u8I9o0P1a2S3d4F5g6H7j8K9l0Z1x2C3v4B5n6M7q8W9e0R1t2Y3u4I5";

    #[test]
    fn the_key_never_prints_whole() {
        let key = AdminKey(KEY.into());
        assert!(!format!("{key:?}").contains(KEY));
        assert_eq!(key.redacted(), secret::redact(KEY));
        let echoed = format!("Incorrect API key provided: {KEY}. You can find yours at …");
        let scrubbed = key.scrub(&echoed);
        assert!(!scrubbed.contains(KEY), "{scrubbed}");
        assert!(scrubbed.contains(&key.redacted()));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused_with_the_reason() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("admin.key");
        std::fs::write(&path, format!("{KEY}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = AdminKey::load(Provider::OpenAi, Some(&path))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mode is 644") && e.contains("chmod 600"), "{e}");
        assert!(!e.contains(KEY));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let e = AdminKey::load(Provider::OpenAi, Some(&path))
            .unwrap_err()
            .to_string();
        assert!(e.contains("its group"), "{e}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let key = AdminKey::load(Provider::OpenAi, Some(&path)).unwrap();
        assert_eq!(
            key.expose(),
            KEY,
            "the trailing newline is not part of the key"
        );
    }
}
