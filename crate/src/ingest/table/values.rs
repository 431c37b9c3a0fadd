//! Cell values as people and spreadsheets write them: money and counts with any thousands and
//! decimal separators, permission levels, owners ("You", "Service account", a name over an
//! email), key kinds and owner types as Key Roster's own keys.csv spells them.
//!
//! Each function answers `Ok(None)` for a cell that says "nothing" (empty, a dash) and `Err(Unreadable)`
//! for text it cannot read, so the caller warns with the row and column.

use crate::model::{KeyKind, Owner, OwnerType, Permissions, Provider};

/// A cell whose text is not a value of the kind asked for; the caller warns with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// [`str::trim`], answered at once for text that starts and ends with a visible ASCII character
/// (a cell as exports write it): a cost export's row has its cells trimmed a dozen times.
pub fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// True for the cells that mean "no value": empty, dashes, `None`, `N/A`.
pub fn is_blank(text: &str) -> bool {
    const BLANK: &[&str] = &[
        "", "-", "—", "–", "none", "n/a", "na", "null", "unknown", "no limit", "not set",
    ];
    let t = trim(text);
    // Called for every cell read: compare without allocating a lower-cased copy.
    t.len() <= 8 && BLANK.iter().any(|b| t.eq_ignore_ascii_case(b))
}

/// True for text cells that show no value: empty, a dash, `N/A`. Narrower than [`is_blank`]:
/// `Na` is a surname and `None` a possible name, but neither is an amount or a date.
pub fn is_empty_text(text: &str) -> bool {
    matches!(trim(text), "" | "-" | "—" | "–" | "n/a" | "N/A")
}

/// A number as a page or spreadsheet shows it: `$1,234.50`, `1.234,50`, `0,50` (decimal comma
/// in a semicolon file), `0.003835980000000000000000000000`, `(1.00)`, `1.2K`, `3M`.
pub fn number(text: &str, decimal_comma: bool) -> Result<Option<f64>, Unreadable> {
    if is_blank(text) {
        return Ok(None);
    }
    if let Some(v) = plain_number(trim(text), decimal_comma) {
        return Ok(Some(v));
    }
    let mut t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '$'))
        .collect();
    for unit in ["usd", "USD"] {
        if let Some(rest) = t.strip_suffix(unit) {
            t = rest.to_string();
        }
    }
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        negative = true;
        t = t.get(1..t.len() - 1).unwrap_or("").to_string();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest.to_string();
    }
    let mut scale = 1.0;
    if let Some(last) = t.chars().last() {
        let factor = match last {
            'k' | 'K' => Some(1e3),
            'm' | 'M' => Some(1e6),
            'b' | 'B' => Some(1e9),
            _ => None,
        };
        if let Some(f) = factor {
            scale = f;
            t.pop();
        }
    }
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(Unreadable);
    }
    let normalized = separators(&t, decimal_comma);
    let v: f64 = normalized.parse().map_err(|_| Unreadable)?;
    if !v.is_finite() {
        return Err(Unreadable);
    }
    Ok(Some(if negative { -v * scale } else { v * scale }))
}

/// The common case read without copying: digits with at most one `.` (`0.4891384627`, `24716`),
/// which [`number`] would read as Rust's float syntax unchanged; `None` for anything else (signs,
/// units, separators, `1.234` in a decimal-comma file) and for what does not parse finite.
///
/// Up to 15 digits with a digit on each side of the `.` (a cost export's amounts) are read
/// exactly as `parse` reads them, without it: the digits as an integer (under 2^53, so exact as
/// a float) divided by a power of ten up to 10^22 (exact too), one correctly rounded division
/// giving the correctly rounded value, bit for bit (Clinger's fast path). `parse` was a quarter
/// of the rows' thread's cost of reading an amount.
fn plain_number(t: &str, decimal_comma: bool) -> Option<f64> {
    let b = t.as_bytes();
    let (mut digits, mut dot, mut mantissa) = (0usize, None, 0u64);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            }
            b'.' if dot.is_none() => dot = Some(i),
            _ => return None,
        }
    }
    if digits == 0 || (decimal_comma && dot.is_some()) {
        return None;
    }
    let fraction = match dot {
        None => 0,
        Some(i) if i > 0 && i + 1 < b.len() => b.len() - i - 1,
        // `5.` or `.5`: left to `parse`.
        Some(_) => usize::MAX,
    };
    if digits <= 15 {
        if let Some(&scale) = POW10.get(fraction) {
            return Some(mantissa as f64 / scale);
        }
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// 10^0 to 10^22: the powers of ten a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Brings digits with `,` and `.` to Rust's float syntax, deciding which is the decimal mark.
fn separators(t: &str, decimal_comma: bool) -> String {
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    let decimal = match (commas, dots) {
        (0, 0) => None,
        // Both present: the last one is the decimal mark (`1,234.50`, `1.234,50`).
        (_, _) if commas > 0 && dots > 0 => {
            if t.rfind(',') > t.rfind('.') {
                Some(',')
            } else {
                Some('.')
            }
        }
        (1, 0) => {
            let after = t.rsplit(',').next().map_or(0, str::len);
            if decimal_comma || after != 3 {
                Some(',')
            } else {
                None
            }
        }
        (_, 0) => None,
        (0, 1) => {
            let after = t.rsplit('.').next().map_or(0, str::len);
            // In a decimal-comma file `1.234` is a thousand and more, not one and a bit.
            if decimal_comma && after == 3 {
                None
            } else {
                Some('.')
            }
        }
        _ => None,
    };
    t.chars()
        .filter_map(|c| match c {
            ',' | '.' if Some(c) == decimal => Some('.'),
            ',' | '.' => None,
            d => Some(d),
        })
        .collect()
}

/// A whole non-negative count (requests, tokens).
pub fn count(text: &str, decimal_comma: bool) -> Result<Option<u64>, Unreadable> {
    match number(text, decimal_comma)? {
        None => Ok(None),
        Some(v) if v >= 0.0 && v < u64::MAX as f64 && (v.fract() == 0.0 || v >= 1000.0) => {
            Ok(Some(v.round() as u64))
        }
        Some(_) => Err(Unreadable),
    }
}

/// `All`, `Restricted`, `Read only` / `Read Only` / `read_only`.
pub fn permissions(text: &str) -> Result<Permissions, Unreadable> {
    let first = text.lines().next().unwrap_or("");
    // Lower case, `_` and `-` as spaces, words joined by one space: built into one string (it
    // is asked of every key row; four strings and a vector of words were 1,700 instructions a
    // row, and a second path for short text made the popup's module bigger).
    let mut norm = String::with_capacity(first.len());
    for word in first
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !norm.is_empty() {
            norm.push(' ');
        }
        norm.extend(word.chars().flat_map(char::to_lowercase));
    }
    permission_of(&norm)
}

/// [`permissions`] of its normalized text (lower case, words joined by single spaces).
fn permission_of(norm: &str) -> Result<Permissions, Unreadable> {
    match norm {
        "all" | "full access" | "all permissions" => Ok(Permissions::All),
        "restricted" | "custom" => Ok(Permissions::Restricted),
        "read only" | "readonly" | "read" => Ok(Permissions::ReadOnly),
        "" | "unknown" | "—" => Ok(Permissions::Unknown),
        _ => Err(Unreadable),
    }
}

/// Key Roster's own `key_kind` values, and the words a page might use.
pub fn key_kind(text: &str) -> Result<KeyKind, Unreadable> {
    match text.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
        "project" | "project_key" => Ok(KeyKind::Project),
        "user" | "legacy_user" | "user_key" | "legacy" => Ok(KeyKind::User),
        "service_account" | "svcacct" => Ok(KeyKind::ServiceAccount),
        "admin" | "admin_key" => Ok(KeyKind::Admin),
        "" | "unknown" => Ok(KeyKind::Unknown),
        _ => Err(Unreadable),
    }
}

/// Key Roster's own `owner_type` values.
pub fn owner_type(text: &str) -> Result<OwnerType, Unreadable> {
    match text.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
        "user" => Ok(OwnerType::User),
        "service_account" => Ok(OwnerType::ServiceAccount),
        "organization" | "org" => Ok(OwnerType::Organization),
        "" | "unknown" => Ok(OwnerType::Unknown),
        _ => Err(Unreadable),
    }
}

pub fn provider(text: &str) -> Result<Option<Provider>, Unreadable> {
    match text.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "openai" => Ok(Some(Provider::Openai)),
        "anthropic" => Ok(Some(Provider::Anthropic)),
        _ => Err(Unreadable),
    }
}

/// True for text that is one email address.
pub fn is_email(text: &str) -> bool {
    // Asked of every word of a page's text (layout's anchors): most have no `@`, found in a
    // plain loop over a few bytes, cheaper than a trim and a char search.
    if !text.as_bytes().contains(&b'@') {
        return false;
    }
    let t = text.trim();
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !t.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}

/// A name and an email from a cell that may stack them (`Ada Lovelace` over `ada@example.com`)
/// or write them on one line (`Ada Lovelace <ada@example.com>`).
pub fn name_and_email(text: &str) -> (Option<String>, Option<String>) {
    let mut name = None;
    let mut email = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let (Some(open), true) = (line.find('<'), line.ends_with('>')) {
            let inner = line.get(open + 1..line.len() - 1).unwrap_or("");
            if is_email(inner) {
                email.get_or_insert_with(|| inner.to_string());
                let before = line.get(..open).unwrap_or("").trim();
                if !before.is_empty() {
                    name.get_or_insert_with(|| before.to_string());
                }
                continue;
            }
        }
        if is_email(line) {
            email.get_or_insert_with(|| line.to_string());
        } else if let Some((before, last)) = line
            .rsplit_once(char::is_whitespace)
            .filter(|(b, l)| is_email(l) && !b.trim().is_empty())
        {
            // A name and an email shown side by side: `Priya Nair priya@example.com`.
            email.get_or_insert_with(|| last.to_string());
            name.get_or_insert_with(|| before.trim().to_string());
        } else {
            name.get_or_insert_with(|| line.to_string());
        }
    }
    (name, email)
}

/// An owner as the page shows it: `You`, `Service account` (perhaps over its name), a person's
/// name and/or email, `Organization`.
pub fn owner(text: &str) -> Owner {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.first() else {
        return Owner::default();
    };
    let lower = first.to_lowercase();
    if lower == "you" {
        // "You" is whoever viewed the page: a person, but not one the page names. Keeping the
        // word as a name would make it a member nobody has, and a false "owner departed".
        return Owner {
            kind: OwnerType::User,
            ..Owner::default()
        };
    }
    if lower.starts_with("service account") {
        // `Service account` alone, `Service account: deploy-bot`, or the name on the next line.
        let inline = first
            .get("service account".len()..)
            .unwrap_or("")
            .trim_start_matches([':', '·', '-', '—', ' '])
            .trim();
        let name = if inline.is_empty() {
            lines.get(1).map(|s| s.to_string())
        } else {
            Some(inline.to_string())
        };
        return Owner {
            kind: OwnerType::ServiceAccount,
            name,
            ..Owner::default()
        };
    }
    if lower == "organization" || lower == "organisation" {
        return Owner {
            kind: OwnerType::Organization,
            ..Owner::default()
        };
    }
    let (name, email) = name_and_email(text);
    Owner {
        kind: if name.is_some() || email.is_some() {
            OwnerType::User
        } else {
            OwnerType::Unknown
        },
        name,
        email,
        id: None,
    }
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        /// The plain path's numbers are `parse`'s, bit for bit: digits, at most one dot, leading
        /// and trailing zeros, up to 17 digits (past 15 it is `parse` itself).
        #[test]
        fn plain_numbers_are_parsed_bit_for_bit(
            int in "[0-9]{0,9}",
            frac in proptest::option::of("[0-9]{0,12}"),
        ) {
            let t = match &frac {
                Some(f) => format!("{int}.{f}"),
                None => int.clone(),
            };
            let want = t.parse::<f64>().ok().filter(|v| v.is_finite());
            let got = plain_number(&t, false);
            if int.is_empty() && frac.as_deref().is_none_or(str::is_empty) {
                proptest::prop_assert_eq!(got, None);
            } else {
                proptest::prop_assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{}", t);
            }
        }
    }

    use super::*;

    /// Permissions read as the former normalization (the whole line lower-cased, then split and
    /// joined) read them.
    #[test]
    fn permissions_read_as_the_general_normalization_does() {
        let general = |text: &str| {
            let first = text.lines().next().unwrap_or("");
            let norm: String = first
                .to_lowercase()
                .chars()
                .map(|c| if c == '_' || c == '-' { ' ' } else { c })
                .collect();
            permission_of(&norm.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        for text in [
            "All",
            " READ_only ",
            "read-only\nx",
            "Read\x0bonly",
            "readonly",
            "Full  access",
            "",
            "  ",
            "Unknown",
            "custom",
            "restricted_",
            "-all-",
            "Write",
            "read only only",
            "all permissions",
            "—",
            "Ｒead",
            "x".repeat(40).as_str(),
        ] {
            assert_eq!(permissions(text), general(text), "{text:?}");
        }
    }

    #[test]
    fn money_in_every_notation() {
        assert_eq!(number("$1,234.50", false), Ok(Some(1234.5)));
        assert_eq!(number("1.234,50", true), Ok(Some(1234.5)));
        assert_eq!(number("0,50", true), Ok(Some(0.5)));
        assert_eq!(number("0,50", false), Ok(Some(0.5)));
        assert_eq!(number("1,234", false), Ok(Some(1234.0)));
        assert_eq!(number("1.234", true), Ok(Some(1234.0)));
        assert_eq!(
            number("0.003835980000000000000000000000", false),
            Ok(Some(0.00383598))
        );
        assert_eq!(number("(1.00)", false), Ok(Some(-1.0)));
        assert_eq!(number("$ 12.00 USD", false), Ok(Some(12.0)));
        assert_eq!(number("—", false), Ok(None));
        assert_eq!(number("None", false), Ok(None));
        assert_eq!(number("abc", false), Err(Unreadable));
        assert_eq!(number("1.2.3,4,5", false), Err(Unreadable));
    }

    #[test]
    fn plain_numbers_read_without_copying_as_the_general_path_reads_them() {
        for (text, comma) in [
            ("0.4891384627", false),
            ("24716", false),
            ("5.", false),
            (".5", false),
            (" 12.50 ", false),
            ("1.234", true),
            ("1.234", false),
            ("0,50", true),
            ("1,234", false),
            ("1.2.3", false),
            (".", false),
        ] {
            let slow = separators_path(text, comma);
            assert_eq!(
                number(text, comma),
                slow,
                "{text:?} (decimal comma: {comma})"
            );
        }
        assert_eq!(plain_number("1.234", true), None);
        assert_eq!(plain_number(".", false), None);
        assert_eq!(number("1.234", true), Ok(Some(1234.0)));
    }

    /// [`number`] without its plain-number shortcut.
    fn separators_path(text: &str, comma: bool) -> Result<Option<f64>, Unreadable> {
        let t = text.trim();
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(Unreadable);
        }
        let v: f64 = separators(t, comma).parse().map_err(|_| Unreadable)?;
        Ok(Some(v))
    }

    #[test]
    fn counts_take_suffixes_and_refuse_fractions() {
        assert_eq!(count("1,204", false), Ok(Some(1204)));
        assert_eq!(count("1.2K", false), Ok(Some(1200)));
        assert_eq!(count("3M", false), Ok(Some(3_000_000)));
        assert_eq!(count("2.5", false), Err(Unreadable));
        assert_eq!(count("-4", false), Err(Unreadable));
    }

    #[test]
    fn permission_spellings() {
        assert_eq!(permissions("All"), Ok(Permissions::All));
        assert_eq!(
            permissions("Restricted\nModels: Read"),
            Ok(Permissions::Restricted)
        );
        assert_eq!(permissions("Read only"), Ok(Permissions::ReadOnly));
        assert_eq!(permissions("Read Only"), Ok(Permissions::ReadOnly));
        assert_eq!(permissions("read_only"), Ok(Permissions::ReadOnly));
        assert_eq!(permissions(""), Ok(Permissions::Unknown));
        assert_eq!(permissions("Everything"), Err(Unreadable));
    }

    #[test]
    fn owners_as_pages_show_them() {
        assert_eq!(owner("You").kind, OwnerType::User);
        assert_eq!(owner("You").name, None);
        let sa = owner("Service account\ndeploy-bot");
        assert_eq!(
            (sa.kind, sa.name.as_deref()),
            (OwnerType::ServiceAccount, Some("deploy-bot"))
        );
        let sa = owner("Service account: ci");
        assert_eq!(sa.name.as_deref(), Some("ci"));
        let u = owner("Ada Lovelace\nada@example.com");
        assert_eq!(u.kind, OwnerType::User);
        assert_eq!(u.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(u.email.as_deref(), Some("ada@example.com"));
        let u = owner("Priya Nair priya@example.com");
        assert_eq!(u.name.as_deref(), Some("Priya Nair"));
        assert_eq!(u.email.as_deref(), Some("priya@example.com"));
        let u = owner("Grace Hopper <grace@example.com>");
        assert_eq!(u.name.as_deref(), Some("Grace Hopper"));
        assert_eq!(u.email.as_deref(), Some("grace@example.com"));
        assert_eq!(owner("").kind, OwnerType::Unknown);
    }
}
