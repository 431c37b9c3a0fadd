//! How two human-written names are compared: one [`fold`] for the whole crate, used by ingest
//! (joining members to key owners, projects by name) and by the rules (default and duplicate key
//! names, owners, mutes by name), so a name that joins on ingest also counts as the same name
//! when a rule judges it.
//!
//! Unicode normalization ([`normalize`]) comes from the unicode-normalization crate's tables
//! (feature `unicode-tables`: the CLI) or, in the browser, from the browser's own
//! `String.prototype.normalize`, which the wasm facade installs ([`set_normalizer`]): the
//! tables are about 100 KB of the wasm module the popup loads on every open. Normalization is
//! stable across Unicode versions for assigned characters, so both give the same answers for
//! every character both versions know; both wasm modules use the browser's, so they always
//! agree with each other.

/// A Unicode normalization, as [`fold`] and file names need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Compatibility composition: full-width letters and ligatures become plain ones.
    Nfkc,
    /// Compatibility decomposition: accents become combining marks after their letter.
    Nfkd,
    /// [`Form::Nfkd`] without any combining mark (General_Category M).
    NfkdWithoutMarks,
}

/// `s` in the normalization `form`.
#[cfg(feature = "unicode-tables")]
pub fn normalize(s: &str, form: Form) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    match form {
        Form::Nfkc => s.nfkc().collect(),
        Form::Nfkd => s.nfkd().collect(),
        Form::NfkdWithoutMarks => s.nfkd().filter(|c| !is_combining_mark(*c)).collect(),
    }
}

/// A normalization the embedder provides (the browser's), for a build without the tables.
#[cfg(not(feature = "unicode-tables"))]
pub type Normalizer = fn(&str, Form) -> String;

#[cfg(not(feature = "unicode-tables"))]
static NORMALIZER: std::sync::OnceLock<Normalizer> = std::sync::OnceLock::new();

/// Installs the normalization of a build without the tables (the wasm facade does, before any
/// roster exists); the first one installed stays.
#[cfg(not(feature = "unicode-tables"))]
pub fn set_normalizer(f: Normalizer) {
    let _ = NORMALIZER.set(f);
}

/// `s` in the normalization `form`, by the installed normalizer; `s` as it is when none was
/// installed (only a build that forgot to would see it: non-ASCII names then compare as typed).
#[cfg(not(feature = "unicode-tables"))]
pub fn normalize(s: &str, form: Form) -> String {
    match NORMALIZER.get() {
        Some(f) => f(s, form),
        None => s.to_string(),
    }
}

/// The text two names are compared by: Unicode NFKC (full-width letters and ligatures become
/// plain ones), lowercased, Latin/Greek/Cyrillic accents removed, runs of whitespace one space,
/// no leading or trailing space.
///
/// Accents go because a person matches "José García" on the members page with "Jose Garcia"
/// typed into a key's owner field: only the combining diacritics block (U+0300–U+036F) is
/// dropped, so the vowel signs of Indic scripts, which change the name, stay. Lowercase rather
/// than full case folding (`ß` stays `ß`) is what platforms themselves use for emails.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // Normalization leaves ASCII as it is: only case and spacing fold (most names, fast:
        // one `String`, folded several times per key by the rules and the groups).
        let mut out = String::with_capacity(s.len());
        for w in s.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        }
        return out;
    }
    let decomposed: String = normalize(s, Form::Nfkd)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    let bare: String = normalize(&decomposed, Form::Nfkc)
        .chars()
        .flat_map(char::to_lowercase)
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names and what they fold to, whichever normalizer is built in: the native tests and the
/// wasm facade's tests (the browser's normalizer) check the same list.
#[doc(hidden)]
pub const FOLD_EXAMPLES: &[(&str, &str)] = &[
    ("Ｇｒａｃｅ  Hopper", "grace hopper"),
    (" ÉMILE\tZola ", "emile zola"),
    ("E\u{301}mile", "emile"),
    ("José García", "jose garcia"),
    ("Ångström", "angstrom"),
    ("ﬁnance ﬂeet", "finance fleet"),
    ("Ⅻ ㎏ ½", "xii kg 1⁄2"),
    ("\u{1100}\u{1161}", "가"),
    ("कामल", "कामल"),
    ("Straße", "straße"),
    ("ΆΛΦΑ", "αλφα"),
    ("Ёлка", "елка"),
];

#[cfg(test)]
mod tests {
    use super::{fold, FOLD_EXAMPLES};

    #[test]
    fn the_examples_fold_as_listed() {
        for (name, folded) in FOLD_EXAMPLES {
            assert_eq!(fold(name), *folded, "{name:?}");
        }
    }

    #[test]
    fn ascii_folds_as_the_unicode_path_would() {
        for s in [
            "Ada  LOVELACE",
            " x\t\ny ",
            "",
            "   ",
            "ci-Prod_2 key",
            "\x0bv\x0ct",
        ] {
            let slow: String = s
                .chars()
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(fold(s), slow, "{s:?}");
        }
    }

    #[test]
    fn width_case_and_spacing_fold() {
        assert_eq!(fold("Ｇｒａｃｅ  Hopper"), "grace hopper");
        assert_eq!(fold(" ada\tLOVELACE \n"), "ada lovelace");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn accents_fold_whether_composed_or_not() {
        assert_eq!(fold(" ÉMILE\tZola "), "emile zola");
        assert_eq!(fold("E\u{301}mile"), fold("Émile"));
        assert_eq!(fold("José García"), fold("Jose Garcia"));
        assert_eq!(fold("Ångström"), "angstrom");
    }

    #[test]
    fn marks_that_change_a_name_are_kept() {
        // Devanagari vowel signs are combining marks too, but "कमल" and "कामल" are two names.
        assert_ne!(fold("कमल"), fold("कामल"));
        // NFKC recomposes Hangul, so it compares equal whichever way it was typed.
        assert_eq!(fold("\u{1100}\u{1161}"), fold("가"));
    }
}
