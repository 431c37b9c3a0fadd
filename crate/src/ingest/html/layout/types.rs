//! The last resort of labeling: what a field's value is. A redaction is the Secret key, a lone
//! email the Email (or, on a key, its creator), a name with a person's chip the owner, a
//! permission word Permissions, "Never" Last used, the first date Created and the second Last
//! used, a `proj_` id the Project; plain text takes the next free slot of the platform's own
//! column order (Name, Project, Created by for keys).

use jiff::civil::Date;

use super::fields::Field;
use super::{Anchor, Anchors};
use crate::ingest::dates::{self, Parsed};
use crate::ingest::html::clean::CellText;
use crate::ingest::table::values;

/// An unlabeled name followed by an unlabeled lone email is one person shown as two boxes; a
/// person's chip shown as its own box (`deploy-bot` then `Service account`) belongs to the
/// field before it.
pub(super) fn merge_stacked(fs: &mut Vec<Field>) {
    let mut i = 1;
    while i < fs.len() {
        let chip = fs[i].label.is_none()
            && fs[i].cell.badges.is_empty()
            && matches!(
                fs[i].cell.text.to_lowercase().as_str(),
                "service account" | "you"
            );
        if chip {
            let f = fs.remove(i);
            fs[i - 1].cell.badges.push(f.cell.text);
        } else {
            i += 1;
        }
    }
    let mut i = 0;
    while i + 1 < fs.len() {
        let (a, b) = (&fs[i], &fs[i + 1]);
        let mergeable = a.label.is_none()
            && b.label.is_none()
            && values::is_email(&b.cell.text)
            && kind_of(&a.cell, None) == Value::Text;
        if mergeable {
            let b = fs.remove(i + 1);
            let a = &mut fs[i];
            a.cell.text = format!("{}\n{}", a.cell.text, b.cell.text);
            a.cell.badges.extend(b.cell.badges);
        }
        i += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Key,
    /// A key's name stacked over its redaction.
    NamedKey,
    Email,
    /// A name over an email, or a name with a person's chip.
    Person,
    Project,
    Never,
    Date,
    Permission,
    Role,
    Status,
    Money,
    Text,
}

fn kind_of(c: &CellText, as_of: Option<Date>) -> Value {
    let t = c.text.trim();
    let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let a = Anchors::of_text(t);
    if a.keys > 0 {
        let plain = lines.iter().any(|l| Anchors::of_text(l).keys == 0);
        return if plain { Value::NamedKey } else { Value::Key };
    }
    if a.emails > 0 {
        return if lines.len() == 1 && values::is_email(t) {
            Value::Email
        } else {
            Value::Person
        };
    }
    let chips: Vec<String> = c.badges.iter().map(|b| b.to_lowercase()).collect();
    if chips.iter().any(|b| b == "you" || b == "service account") || t.eq_ignore_ascii_case("you") {
        return Value::Person;
    }
    if a.projects > 0 && lines.len() == 1 {
        return Value::Project;
    }
    let lower = t.to_lowercase();
    if matches!(lower.as_str(), "owner" | "reader" | "member" | "admin") {
        return Value::Role;
    }
    if matches!(
        lower.as_str(),
        "active"
            | "inactive"
            | "invited"
            | "pending"
            | "archived"
            | "disabled"
            | "expired"
            | "revoked"
    ) {
        return Value::Status;
    }
    if matches!(values::permissions(t), Ok(p) if p != crate::model::Permissions::Unknown) {
        return Value::Permission;
    }
    if let Some(as_of) = as_of {
        let hinted = c
            .hint
            .as_deref()
            .and_then(|h| dates::parse(h, as_of))
            .filter(|p| matches!(p, Parsed::Date(_)));
        match hinted.or_else(|| dates::parse(t, as_of)) {
            Some(Parsed::Never) => return Value::Never,
            Some(Parsed::Date(_)) => return Value::Date,
            _ => {}
        }
    }
    if a.money > 0 && lines.len() == 1 {
        return Value::Money;
    }
    Value::Text
}

/// Labels the fields nothing labeled, by what their values are.
pub(super) fn by_type(fs: &mut [Field], anchor: Anchor, as_of: Date) {
    let mut taken: Vec<String> = fs
        .iter()
        .filter_map(|f| f.label.as_ref().map(|l| l.to_lowercase()))
        .collect();
    let take = |taken: &mut Vec<String>, l: &str| -> Option<String> {
        if taken.iter().any(|t| t == &l.to_lowercase()) {
            return None;
        }
        taken.push(l.to_lowercase());
        Some(l.to_string())
    };
    for f in fs.iter_mut().filter(|f| f.label.is_none()) {
        let v = kind_of(&f.cell, Some(as_of));
        let wanted: &[&str] = match (anchor, v) {
            (_, Value::Key) => &["Secret key"],
            (Anchor::Key, Value::NamedKey) => &["Name", "Secret key"],
            (Anchor::Key, Value::Email | Value::Person) => &["Created by"],
            (Anchor::Key, Value::Project) => &["Project"],
            (Anchor::Key, Value::Never) => &["Last used"],
            (Anchor::Key, Value::Date) => &["Created", "Last used", "Expires"],
            (Anchor::Key, Value::Permission) => &["Permissions"],
            (Anchor::Key, Value::Money) => &["Cost"],
            // A key's status chip (the Claude Console's Active / Inactive / Archived).
            (Anchor::Key, Value::Status) => &["Status"],
            (Anchor::Key, Value::Text) => &["Name", "Project", "Created by"],
            (Anchor::Email, Value::Email) => &["Email", "Name"],
            (Anchor::Email, Value::Person) => &["Name"],
            (Anchor::Email, Value::Role) => &["Role"],
            (Anchor::Email, Value::Status) => &["Status"],
            (Anchor::Email, Value::Date) => &["Added"],
            (Anchor::Email, Value::Text) => &["Name"],
            (Anchor::Project, Value::Project) => &["ID"],
            (Anchor::Project, Value::Status) => &["Status"],
            (Anchor::Project, Value::Date) => &["Created"],
            (Anchor::Project, Value::Text) => &["Name"],
            _ => &[],
        };
        f.label = wanted.iter().find_map(|l| take(&mut taken, l));
    }
}
