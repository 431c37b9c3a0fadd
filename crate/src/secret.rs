//! Key values: recognizing redactions, deriving the key kind from a prefix, and catching full
//! secrets so they are redacted the moment they are read and never stored, shown or exported.
//!
//! Platforms redact keys in several shapes: the UI's `sk-...abcd`, documentation's
//! `sk-abc...def`, and the Admin API's first 8 characters + asterisks + last 4
//! (`sk-proj-****…excA`). All are brought to one canonical form, `<visible prefix>...<last 4>`,
//! so the same key read from a page and from the API compares equal (see [`same_key_value`]).

use std::borrow::Cow;

use memchr::memmem;

use crate::model::KeyKind;

/// The marker every OpenAI secret carries: base64 of "OpenAI".
const OPENAI_MARKER: &str = "T3BlbkFJ";

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | '.' | '…' | '•' | '●' | '·' | '∙')
}

/// True when `token` (a run of `[A-Za-z0-9_-]`) is a whole secret key rather than a redaction or
/// a name that merely starts with `sk-`.
pub fn is_full_secret(token: &str) -> bool {
    // Both tests below need at least 32 characters (40 with the marker, a 32-character body
    // otherwise): a redaction such as `sk-proj-` (the scan stops at its dots) is refused at once.
    if token.len() < 32 || !token.starts_with("sk-") || !token.chars().all(is_key_char) {
        return false;
    }
    if token.contains(OPENAI_MARKER) && token.len() >= 40 {
        return true;
    }
    let body = crate::ingest::providers::secret_prefixes()
        .find_map(|p| token.strip_prefix(p))
        .unwrap_or(token);
    // A long random body: mixed case and digits, no word-like dashes. Names such as
    // `sk-my-production-key-for-backend` have no digits and short dash-separated words.
    let long_run = body.split('-').map(str::len).max().unwrap_or(0);
    body.len() >= 32
        && long_run >= 24
        && body.chars().any(|c| c.is_ascii_digit())
        && body.chars().any(|c| c.is_ascii_uppercase())
        && body.chars().any(|c| c.is_ascii_lowercase())
}

/// The kind a key prefix says. A bare `sk-` with nothing else visible says nothing
/// ([`KeyKind::Unknown`]): the page it was read on decides.
pub fn kind_from_value(value: &str) -> KeyKind {
    let v = value.trim();
    if v.starts_with("sk-proj-") {
        KeyKind::Project
    } else if v.starts_with("sk-svcac") {
        KeyKind::ServiceAccount
    } else if v.starts_with("sk-admin") || v.starts_with("sk-ant-admin") {
        KeyKind::Admin
    } else if v.starts_with("sk-ant-") {
        KeyKind::Project
    } else if v.starts_with("sk-None-") {
        KeyKind::User
    } else if let Some(rest) = v.strip_prefix("sk-") {
        match rest.chars().next() {
            Some(c) if is_key_char(c) => KeyKind::User,
            _ => KeyKind::Unknown,
        }
    } else {
        KeyKind::Unknown
    }
}

/// The redaction Key Roster stores for a full secret: its type prefix, `...`, its last 4.
pub fn redact(secret: &str) -> String {
    // Every provider's prefixes, longest first (crate::ingest::providers).
    let prefix = crate::ingest::providers::secret_prefixes()
        .find(|p| secret.starts_with(*p))
        .unwrap_or("");
    let tail: String = {
        let chars: Vec<char> = secret.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    format!("{prefix}...{tail}")
}

/// Brings a displayed redacted value to the canonical `<prefix>...<last4>` form.
///
/// Returns `None` when the text is not a redacted key at all (empty, or no visible suffix), and
/// also for a full secret: callers check [`is_full_secret`] first and report it.
pub fn canonical_redaction(text: &str) -> Option<String> {
    let (prefix, tail) = redaction_parts(text)?;
    Some(format!("{prefix}...{tail}"))
}

/// True when [`canonical_redaction`] reads `text` as a redacted key, without writing its
/// canonical form: asked of every word of a page that starts with `sk-`.
pub fn is_redaction(text: &str) -> bool {
    redaction_parts(text).is_some()
}

/// The visible prefix and suffix of a displayed redacted value ([`canonical_redaction`]).
fn redaction_parts(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    if t.is_empty() || is_full_secret(t) {
        return None;
    }
    let start = t.find(is_mask_char)?;
    let prefix = &t[..start];
    let rest = &t[start..];
    let tail = rest.trim_start_matches(is_mask_char);
    if tail.is_empty() || !tail.chars().all(is_key_char) || !prefix.chars().all(is_key_char) {
        return None;
    }
    if prefix.is_empty() && tail.len() < 2 {
        return None;
    }
    Some((prefix, tail))
}

/// Splits a canonical redaction into its visible prefix and suffix.
pub fn parts(canonical: &str) -> (&str, &str) {
    canonical.split_once("...").unwrap_or((canonical, ""))
}

/// True when two canonical redactions can be the same key: same visible suffix, and one visible
/// prefix extends the other (`sk-...excA` and `sk-proj-...excA` can be one key; `sk-svcacct-...`
/// and the API's `sk-svcac...` are).
pub fn same_key_value(a: &str, b: &str) -> bool {
    let (pa, sa) = parts(a);
    let (pb, sb) = parts(b);
    if sa.is_empty() || sb.is_empty() {
        return false;
    }
    let suffix_ok = sa.ends_with(sb) || sb.ends_with(sa);
    let prefix_ok = pa.starts_with(pb) || pb.starts_with(pa);
    suffix_ok && prefix_ok && sa.len().min(sb.len()) >= 3
}

/// Replaces every full secret inside `text` with its redaction. Returns the scrubbed text and the
/// redactions of what was found (empty when the text held no secret).
pub fn scrub(text: &str) -> (String, Vec<String>) {
    let (out, found) = scrub_cow(text);
    (out.into_owned(), found)
}

/// [`scrub`] that hands `text` back borrowed when it holds no full secret, the usual case: a
/// report of 5,000 keys stops at every `sk-proj-...` redaction, and copying a megabyte of JSON
/// to change nothing was a tenth of the CLI's run. The text is copied only from the first
/// secret on.
pub fn scrub_cow(text: &str) -> (Cow<'_, str>, Vec<String>) {
    let b = text.as_bytes();
    let sk = memmem::Finder::new(b"sk-");
    let mut out: Option<String> = None;
    let mut found = Vec::new();
    let mut copied = 0; // text[..copied] is already in `out`
    let mut from = 0;
    while let Some(at) = sk.find(&b[from..]) {
        // No boundary check: a secret glued to text before it (`Namesk-proj-…`) is still a
        // secret, and a redaction or a name after `sk-` is never long and random enough to match.
        let i = from + at;
        // Key characters are ASCII, so the token ends at the first byte that is not one (a
        // byte of a multi-byte character never is), which is always a char boundary.
        let end = b[i..]
            .iter()
            .position(|c| !is_key_char(char::from(*c)))
            .map_or(b.len(), |e| i + e);
        let token = &text[i..end];
        if is_full_secret(token) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            let r = redact(token);
            o.push_str(&r);
            found.push(r);
            copied = end;
        }
        // `end >= i + 3`: "sk-" is three key characters, so the scan always moves on.
        from = end;
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            (Cow::Owned(o), found)
        }
        None => (Cow::Borrowed(text), found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_secret() -> String {
        format!(
            "sk-proj-{}{}{}",
            "Ab3".repeat(25),
            OPENAI_MARKER,
            "Zx9".repeat(25)
        )
    }

    #[test]
    fn full_secrets_are_recognized() {
        assert!(is_full_secret(&project_secret()));
        assert!(is_full_secret(&format!(
            "sk-{}{}{}",
            "aB1cD2eF3gH4iJ5kL6mN", OPENAI_MARKER, "oP7qR8sT9uV0wX1yZ2aB"
        )));
        assert!(is_full_secret(&format!(
            "sk-ant-api03-{}AA",
            "xY7".repeat(31)
        )));
    }

    #[test]
    fn names_and_redactions_are_not_secrets() {
        assert!(!is_full_secret(
            "sk-my-production-key-for-the-backend-service"
        ));
        assert!(!is_full_secret("sk-proj-...excA"));
        assert!(!is_full_secret("sk-abc"));
    }

    #[test]
    fn redactions_become_canonical() {
        let api = format!("sk-proj-{}excA", "*".repeat(152));
        assert_eq!(
            canonical_redaction(&api).as_deref(),
            Some("sk-proj-...excA")
        );
        let sa = format!("sk-svcac{}380A", "*".repeat(155));
        assert_eq!(canonical_redaction(&sa).as_deref(), Some("sk-svcac...380A"));
        assert_eq!(
            canonical_redaction("sk-...abcd").as_deref(),
            Some("sk-...abcd")
        );
        assert_eq!(
            canonical_redaction(" sk-abc…def ").as_deref(),
            Some("sk-abc...def")
        );
        assert_eq!(
            canonical_redaction("sk-••••Wxyz").as_deref(),
            Some("sk-...Wxyz")
        );
        for t in [
            "sk-...abcd",
            " sk-abc…def ",
            "sk-••••Wxyz",
            "Secret key",
            "",
            "a",
            "sk-",
        ] {
            assert_eq!(is_redaction(t), canonical_redaction(t).is_some(), "{t:?}");
        }
        assert!(!is_redaction(&project_secret()));
        assert_eq!(canonical_redaction("Secret key"), None);
        assert_eq!(canonical_redaction(""), None);
        assert_eq!(canonical_redaction(&project_secret()), None);
    }

    #[test]
    fn kinds_follow_prefixes() {
        assert_eq!(kind_from_value("sk-proj-...a1B2"), KeyKind::Project);
        assert_eq!(kind_from_value("sk-svcac...380A"), KeyKind::ServiceAccount);
        assert_eq!(
            kind_from_value("sk-svcacct-...380A"),
            KeyKind::ServiceAccount
        );
        assert_eq!(kind_from_value("sk-admin...s1MA"), KeyKind::Admin);
        assert_eq!(kind_from_value("sk-abc...def"), KeyKind::User);
        assert_eq!(kind_from_value("sk-...abcd"), KeyKind::Unknown);
    }

    #[test]
    fn same_key_across_redaction_styles() {
        assert!(same_key_value("sk-...excA", "sk-proj-...excA"));
        assert!(same_key_value("sk-svcacct-...380A", "sk-svcac...380A"));
        assert!(!same_key_value("sk-proj-...excA", "sk-proj-...excB"));
        assert!(!same_key_value("sk-proj-...excA", "sk-admin...excA"));
    }

    #[test]
    fn scrub_replaces_secrets_inside_text() {
        let s = project_secret();
        let (out, found) = scrub(&format!("export OPENAI_API_KEY={s} # prod"));
        assert_eq!(found, vec![redact(&s)]);
        assert!(!out.contains(&s));
        assert!(out.contains("sk-proj-..."));
        let (out, found) = scrub("task-sk-proj-...excA stays");
        assert!(found.is_empty());
        assert_eq!(out, "task-sk-proj-...excA stays");
        let (out, found) = scrub(&format!("Name{s}"));
        assert_eq!(found.len(), 1);
        assert!(!out.contains("T3BlbkFJ"));
    }
}
