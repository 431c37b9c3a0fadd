//! How two human-written names are compared: one [`fold`] for the whole crate, used by ingest
//! (joining members to key owners, projects by name) and by the rules (default and duplicate key
//! names, owners, mutes by name), so a name that joins on ingest also counts as the same name
//! when a rule judges it.

use unicode_normalization::UnicodeNormalization;

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
        // Normalization leaves ASCII as it is: only case and spacing fold (most names, fast).
        return s
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let bare: String = s
        .nfkd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect::<String>()
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect();
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

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
