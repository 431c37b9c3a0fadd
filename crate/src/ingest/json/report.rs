//! Key Roster's own report JSON (see [`crate::report::Report`]) read back: its keys, members and
//! projects, so a previous audit can be reopened or merged with new inputs.
//!
//! Each record is read on its own: one record a user edited into a wrong shape is a warning,
//! not a lost report. A key's usage totals and daily series stay on the key; merging turns them
//! into usage rows so that linking can recompute them like any other usage.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::reader::{child, index, Obj, Reader};
use crate::model::{Key, Member, Project};

/// True when the object looks like a Key Roster report rather than an API response.
pub(super) fn is_report(o: &Obj) -> bool {
    o.get("keys").is_some_and(Value::is_array)
        && (o.contains_key("as_of") || o.contains_key("findings") || o.contains_key("summary"))
}

pub(super) fn read(r: &mut Reader, o: &Obj) {
    r.kind("keyroster-report");
    if let Some(org) = r.text(o, "org", "$") {
        r.batch.org = Some(org);
    }
    r.batch.keys = records::<Key>(r, o, "keys");
    r.batch.members = records::<Member>(r, o, "members");
    r.batch.projects = records::<Project>(r, o, "projects");
    // The report's members came from member lists, so the roster knew its members.
    r.batch.members_list = !r.batch.members.is_empty();
}

fn records<T: DeserializeOwned>(r: &mut Reader, o: &Obj, field: &str) -> Vec<T> {
    let Some(items) = r.array(o, field, "$") else {
        return Vec::new();
    };
    let at = child("$", field);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match T::deserialize(item) {
            Ok(v) => out.push(v),
            Err(e) => r.warn(format!(
                "{}: not a report record ({e}); it was skipped",
                index(&at, i)
            )),
        }
    }
    out
}
