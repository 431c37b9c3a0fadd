//! What type a text or attribute value is, for the page skeleton: `<redacted-key>`,
//! `<full-secret>`, `<email>`, `<url>`, `<proj-id>`, `<number>`, `<money>`, `<date>`, `<id>`,
//! else `<text:N>`. The value itself is never returned, only its type.

use crate::ingest::dates::{self, Parsed};
use crate::ingest::table::values::is_email;
use crate::secret;

/// The type of one text or attribute value; empty for whitespace.
pub fn kind_of(raw: &str) -> String {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return String::new();
    }
    if !secret::scrub(&t).1.is_empty() {
        return "<full-secret>".into();
    }
    if let Some(k) = value_kind(&t) {
        return k.into();
    }
    // "Last used: Nov 3, 2025", "Owner — Priya Nair": a label and a value.
    for sep in [": ", " — ", " - "] {
        if let Some((label, value)) = t.split_once(sep) {
            if !label.is_empty() && !value.is_empty() {
                let v = value_kind(value.trim())
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("<text:{}>", value.trim().chars().count()));
                return format!("<text:{}>{sep}{v}", label.chars().count());
            }
        }
    }
    // A key or an email inside a longer text is worth knowing about.
    let inside: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter_map(value_kind)
        .filter(|k| matches!(*k, "<redacted-key>" | "<email>" | "<proj-id>"))
        .collect::<Vec<_>>();
    let n = t.chars().count();
    match inside.first() {
        Some(k) => format!("<text:{n} with {}>", k.trim_matches(['<', '>'])),
        None => format!("<text:{n}>"),
    }
}

/// The type of a whole value, when it is one of the typed kinds.
fn value_kind(t: &str) -> Option<&'static str> {
    if is_redaction(t) {
        return Some("<redacted-key>");
    }
    if is_email(t) {
        return Some("<email>");
    }
    let lower = t.to_ascii_lowercase();
    if ["http://", "https://", "//", "www."]
        .iter()
        .any(|p| lower.starts_with(p))
        && !t.contains(' ')
    {
        return Some("<url>");
    }
    if let Some(rest) = t.strip_prefix("proj_") {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some("<proj-id>");
        }
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return Some("<number>");
    }
    if is_money(t) {
        return Some("<money>");
    }
    if is_number(t) {
        return Some("<number>");
    }
    // Any date the readers know, "Never" included; a fixed "today" is enough to recognize
    // "3 days ago".
    if matches!(
        dates::parse(t, jiff::civil::date(2000, 1, 1)),
        Some(Parsed::Date(_) | Parsed::Never)
    ) {
        return Some("<date>");
    }
    let token = t.len() >= 8
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().any(|c| c.is_ascii_alphabetic());
    token.then_some("<id>")
}

/// A key as a platform redacts it (`sk-proj-...K2m9`, `sk-...q7Rt`, `****abcd`): the canonical
/// form, with an `sk` prefix or a run of mask characters, so `v1.2` is not a key.
fn is_redaction(t: &str) -> bool {
    let Some(c) = secret::canonical_redaction(t) else {
        return false;
    };
    let (prefix, _) = secret::parts(&c);
    prefix.starts_with("sk") || (prefix.is_empty() && t.contains("***")) || t.contains("•••")
}

fn is_money(t: &str) -> bool {
    let body = t
        .trim_start_matches(['-', '−'])
        .trim_start_matches(['$', '€', '£', '¥'])
        .trim_end_matches(" USD")
        .trim_end_matches(" EUR");
    body.len() < t.len() && is_number(body)
}

/// `1,234`, `12.5`, `3.4K`, `42%`, `1 234 567`.
fn is_number(t: &str) -> bool {
    let body = t
        .trim_end_matches(['%', 'K', 'k', 'M', 'B'])
        .trim_start_matches(['-', '−', '+']);
    let mut digits = 0;
    let mut dots = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => dots += 1,
            ',' | ' ' | '\u{a0}' | '\u{202f}' => {}
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_typed_never_copied() {
        assert_eq!(kind_of("sk-proj-...K2m9"), "<redacted-key>");
        assert_eq!(kind_of("sk-...q7Rt"), "<redacted-key>");
        assert_eq!(kind_of("priya@acme.test"), "<email>");
        assert_eq!(kind_of("Nov 3, 2025"), "<date>");
        assert_eq!(kind_of("Never"), "<date>");
        assert_eq!(kind_of("$1,204.50"), "<money>");
        assert_eq!(kind_of("12,400"), "<number>");
        assert_eq!(kind_of("proj_k7Qx2m"), "<proj-id>");
        assert_eq!(kind_of("https://platform.example/settings"), "<url>");
        assert_eq!(kind_of("  Priya   Nair "), "<text:10>");
        assert_eq!(kind_of("Last used: Nov 3, 2025"), "<text:9>: <date>");
        assert_eq!(kind_of("Owner — Priya Nair"), "<text:5> — <text:10>");
        assert_eq!(kind_of("v1.2"), "<text:4>");
        let secret = format!("sk-proj-{}", "Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5");
        assert_eq!(
            kind_of(&format!("Your key {secret} copy it now")),
            "<full-secret>"
        );
    }
}
