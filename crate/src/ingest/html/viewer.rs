//! Who is signed in, when the page names them: "Signed in as Ada Lovelace", an account menu
//! button labeled with a name or email (`aria-label="Account menu for ada@example.com"`), or
//! an avatar menu showing an email. A key "created by You" belongs to that person.

use jiff::civil::Date;
use scraper::{ElementRef, Node};

use super::clean;
use super::layout::{anchors_of, Counts};
use super::outline::Outline;
use crate::ingest::table::values;
use crate::model::{Owner, OwnerType};

/// Phrases that introduce the signed-in person, lower case.
const INTRO: &[&str] = &[
    "signed in as",
    "logged in as",
    "account menu for",
    "open account menu for",
    "user menu for",
    "open user menu for",
    "account:",
    "profile:",
];

/// Class, id or test-id words of an account menu.
const MENU_WORDS: &[&str] = &["account", "avatar", "profile", "user-menu", "usermenu"];

/// Who the page says is signed in. Looks only at the nodes [`text_may_say`] and
/// [`element_may_say`] kept in the page's [`Outline`], in document order.
pub(super) fn signed_in(outline: &Outline<'_>, counts: &Counts, as_of: Date) -> Option<Owner> {
    for &n in &outline.viewer {
        match n.value() {
            Node::Text(t) => {
                if let Some(o) = after_intro(t).and_then(person) {
                    return Some(o);
                }
                if says_signed_in(t) {
                    // The name in the next box: `<p>Signed in as</p><p>Ada</p>`.
                    let parent = n.parent()?;
                    let text = ElementRef::wrap(parent).map(|el| clean::cell(el, as_of).text)?;
                    if let Some(o) = after_intro(&text.replace('\n', " ")).and_then(person) {
                        return Some(o);
                    }
                }
            }
            Node::Element(e) => {
                // One pass over the element's attributes: this is asked of every element.
                let mut menu = false;
                let mut label = None;
                for (name, v) in e.attrs() {
                    match name {
                        "aria-label" | "title" | "alt" => {
                            if let Some(o) = after_intro(v).and_then(person) {
                                return Some(o);
                            }
                            if name == "aria-label" {
                                label = Some(v);
                            }
                        }
                        "class" | "id" | "data-testid" => menu = menu || menu_word(v),
                        _ => {}
                    }
                }
                if !menu {
                    continue;
                }
                let a = anchors_of(counts, n);
                if a.emails == 1 && a.chars <= 80 {
                    let text = ElementRef::wrap(n).map(|el| clean::cell(el, as_of).text)?;
                    if let Some(o) = person(&text) {
                        return Some(o);
                    }
                }
                if let Some(o) = label.filter(|v| v.contains('@')).and_then(person) {
                    return Some(o);
                }
            }
            _ => {}
        }
    }
    None
}

/// True when a class, id or test id names an account menu (`_account_a71kx`, `avatarButton`).
fn menu_word(v: &str) -> bool {
    v.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .any(|w| {
            let w = w.trim_matches('-');
            MENU_WORDS
                .iter()
                .any(|m| w.get(..m.len()).is_some_and(|h| h.eq_ignore_ascii_case(m)))
        })
}

/// True when [`signed_in`] may read something from this text: it starts with an [`INTRO`].
pub(super) fn text_may_say(t: &str) -> bool {
    after_intro(t).is_some() || says_signed_in(t)
}

/// True when [`signed_in`] may read something from this element: a label that starts with an
/// [`INTRO`], or an account-menu word in its class, id or test id.
pub(super) fn element_may_say(e: &scraper::node::Element) -> bool {
    e.attrs().any(|(name, v)| match name {
        "aria-label" | "title" | "alt" => after_intro(v).is_some(),
        "class" | "id" | "data-testid" => menu_word(v),
        _ => false,
    })
}

/// The words after an [`INTRO`] phrase that starts `text` (compared without allocating: this is
/// asked of every text and label on the page).
fn after_intro(text: &str) -> Option<&str> {
    let t = text.trim();
    // Most texts start with a letter no phrase starts with: one byte compared per phrase.
    let first = t.as_bytes().first()?.to_ascii_lowercase();
    if !INTRO.iter().any(|p| p.as_bytes().first() == Some(&first)) {
        return None;
    }
    INTRO.iter().find_map(|p| {
        t.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .and_then(|_| t.get(p.len()..))
            .map(str::trim)
            .filter(|r| !r.is_empty())
    })
}

fn says_signed_in(text: &str) -> bool {
    let t = text.trim();
    t.get(.."signed in as".len())
        .is_some_and(|h| h.eq_ignore_ascii_case("signed in as"))
}

/// A person from `Ada Lovelace`, `ada@example.com`, `Ada Lovelace (ada@example.com)`.
fn person(text: &str) -> Option<Owner> {
    let t = text.replace('(', "<").replace(')', ">");
    let (name, email) = values::name_and_email(t.trim().trim_end_matches('.'));
    if name.is_none() && email.is_none() {
        return None;
    }
    Some(Owner {
        kind: OwnerType::User,
        name,
        email,
        id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::html::layout::count;
    use scraper::Html;

    fn viewer(html: &str) -> Option<(Option<String>, Option<String>)> {
        let doc = Html::parse_document(html);
        let root = doc.tree.root();
        let counts = count(root);
        signed_in(&Outline::of(root), &counts, jiff::civil::date(2026, 11, 22))
            .map(|o| (o.name, o.email))
    }

    #[test]
    fn the_page_names_who_is_signed_in() {
        let ada = |e: Option<&str>| Some((Some("Ada Lovelace".to_string()), e.map(String::from)));
        assert_eq!(
            viewer("<header><button><span class=sr-only>Signed in as Ada Lovelace</span></button></header>"),
            ada(None)
        );
        assert_eq!(
            viewer(
                "<button aria-label=\"Account menu for Ada Lovelace (ada@example.com)\"></button>"
            ),
            ada(Some("ada@example.com"))
        );
        assert_eq!(
            viewer("<div class=\"_avatarMenu_x1\"><span>Ada Lovelace</span><span>ada@example.com</span></div>"),
            ada(Some("ada@example.com"))
        );
        // An email in the page's content names nobody as the viewer.
        assert_eq!(
            viewer("<table><tr><td>ada@example.com</td></tr></table>"),
            None
        );
    }
}
