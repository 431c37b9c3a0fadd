//! The state one JSON input is read with, and typed access to its fields.
//!
//! Every accessor takes the JSON path of the object it reads so that a value of the wrong type
//! (`"created_at": "yesterday"`) becomes a warning naming exactly where it is, never a panic and
//! never a lost file. Full secrets are removed from the whole document by [`scrub`] before any
//! accessor sees it.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::ingest::{dates, Batch, Context};
use crate::model::{ExposedSecret, ProjectRef};
use crate::secret;

/// A JSON object.
pub(crate) type Obj = Map<String, Value>;

/// Warnings kept per input; beyond this they are counted, so a 10,000-item list with one bad
/// field on every item still gives a readable source entry.
const MAX_WARNINGS: usize = 50;

/// A time field: absent and `null` are different facts (`last_used_at: null` means never used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    Absent,
    Null,
    Date(Date),
}

impl Stamp {
    pub(crate) fn date(self) -> Option<Date> {
        match self {
            Stamp::Date(d) => Some(d),
            _ => None,
        }
    }
}

/// One input being read: the batch it fills and what is known about its scope.
pub(crate) struct Reader {
    pub(crate) batch: Batch,
    /// The shapes recognized, in the order first seen (they make [`Batch::kind`]).
    kinds: Vec<&'static str>,
    /// The project a wrapper object (`{"project_id": …, "data": …}`) says the items belong to.
    pub(crate) wrapper_project: Option<ProjectRef>,
    /// The project a `proj_…` id in the input's name or URL says.
    name_project: Option<ProjectRef>,
    /// Items that needed a project and had none (one warning for all of them).
    pub(crate) unscoped: usize,
    suppressed: usize,
}

impl Reader {
    pub(crate) fn new(ctx: &Context) -> Self {
        let name_project = project_id_in(&ctx.name)
            .or_else(|| ctx.url.as_deref().and_then(project_id_in))
            .map(|id| ProjectRef {
                id: Some(id),
                name: None,
            });
        Reader {
            batch: Batch {
                url: ctx.url.clone(),
                ..Batch::default()
            },
            kinds: Vec::new(),
            wrapper_project: None,
            name_project,
            unscoped: 0,
            suppressed: 0,
        }
    }

    /// Records that a shape was recognized.
    pub(crate) fn kind(&mut self, kind: &'static str) {
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
        }
    }

    pub(crate) fn recognized(&self) -> bool {
        !self.kinds.is_empty()
    }

    pub(crate) fn warn(&mut self, message: String) {
        if self.batch.warnings.len() < MAX_WARNINGS {
            self.batch.warnings.push(message);
        } else {
            self.suppressed += 1;
        }
    }

    /// The project of an item that does not say its own: the wrapper's, else the input name's.
    /// `None` when neither knows; the caller counts it in [`Reader::unscoped`].
    pub(crate) fn scope(&mut self) -> Option<ProjectRef> {
        let p = self
            .wrapper_project
            .clone()
            .or_else(|| self.name_project.clone());
        if p.is_none() {
            self.unscoped += 1;
        }
        p
    }

    pub(crate) fn finish(mut self) -> Batch {
        if self.unscoped > 0 {
            let n = self.unscoped;
            self.batch.warnings.push(format!(
                "{n} record(s) do not say which project they belong to (the Admin API leaves it \
                 out): name the file after the project id (e.g. proj_abc123-api-keys.json) or wrap \
                 the list as {{\"project_id\": \"proj_…\", \"data\": …}}"
            ));
        }
        if self.suppressed > 0 {
            let n = self.suppressed;
            self.batch
                .warnings
                .push(format!("… and {n} more warning(s) like the ones above"));
        }
        self.batch.kind = if self.kinds.is_empty() {
            "json:unknown".to_string()
        } else {
            format!("json:{}", self.kinds.join("+"))
        };
        self.batch
    }

    /// A text field. Absent, `null` and blank are `None`; a number is taken as its digits (ids
    /// are sometimes numeric); any other type is a warning.
    pub(crate) fn text(&mut self, o: &Obj, field: &str, path: &str) -> Option<String> {
        match o.get(field)? {
            Value::String(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.wrong_type(path, field, "text", other);
                None
            }
        }
    }

    /// A time: Unix seconds (integer or float, as OpenAI sends them) or an RFC 3339 / ISO date
    /// string (as Anthropic and hand-made files have them).
    pub(crate) fn time(&mut self, o: &Obj, field: &str, path: &str) -> Stamp {
        let Some(v) = o.get(field) else {
            return Stamp::Absent;
        };
        let parsed = match v {
            Value::Null => return Stamp::Null,
            Value::Number(n) => n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.is_finite())
                        .map(|f| f.floor() as i64)
                })
                .and_then(dates::from_unix),
            Value::String(s) => parse_time_text(s),
            _ => None,
        };
        match parsed {
            Some(d) => Stamp::Date(d),
            None => {
                self.wrong_type(path, field, "Unix seconds or an RFC 3339 time", v);
                Stamp::Absent
            }
        }
    }

    /// A non-negative integer count (requests, tokens). Integral floats are accepted.
    pub(crate) fn count(&mut self, o: &Obj, field: &str, path: &str) -> Option<u64> {
        let v = o.get(field)?;
        let n = match v {
            Value::Null => return None,
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19)
                    .map(|f| f as u64)
            }),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong_type(path, field, "a whole number", v);
        }
        n
    }

    /// A decimal amount (dollars). Numbers and numeric strings.
    pub(crate) fn amount(&mut self, o: &Obj, field: &str, path: &str) -> Option<f64> {
        let v = o.get(field)?;
        let n = match v {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|f| f.is_finite());
        if n.is_none() {
            self.wrong_type(path, field, "a number", v);
        }
        n
    }

    pub(crate) fn flag(&mut self, o: &Obj, field: &str, path: &str) -> Option<bool> {
        match o.get(field)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                self.wrong_type(path, field, "true or false", other);
                None
            }
        }
    }

    /// A nested object; `null` and absent are `None`, another type is a warning.
    pub(crate) fn object<'v>(&mut self, o: &'v Obj, field: &str, path: &str) -> Option<&'v Obj> {
        match o.get(field)? {
            Value::Object(m) => Some(m),
            Value::Null => None,
            other => {
                self.wrong_type(path, field, "an object", other);
                None
            }
        }
    }

    /// A nested array; `null` and absent are `None`, another type is a warning.
    pub(crate) fn array<'v>(
        &mut self,
        o: &'v Obj,
        field: &str,
        path: &str,
    ) -> Option<&'v Vec<Value>> {
        match o.get(field)? {
            Value::Array(a) => Some(a),
            Value::Null => None,
            other => {
                self.wrong_type(path, field, "a list", other);
                None
            }
        }
    }

    /// A `{id, name}` project reference from an item's `project` object or `project_id` /
    /// `project_name` fields.
    pub(crate) fn project_ref(&mut self, o: &Obj, path: &str) -> Option<ProjectRef> {
        let mut p = match o.get("project") {
            Some(Value::Object(m)) => {
                let at = child(path, "project");
                ProjectRef {
                    id: self.text(m, "id", &at),
                    name: self.text(m, "name", &at),
                }
            }
            Some(Value::String(s)) if !s.trim().is_empty() => ProjectRef {
                id: None,
                name: Some(s.trim().to_string()),
            },
            _ => ProjectRef::default(),
        };
        if p.id.is_none() {
            p.id = self.text(o, "project_id", path);
        }
        if p.name.is_none() {
            p.name = self.text(o, "project_name", path);
        }
        (!p.is_empty()).then_some(p)
    }

    fn wrong_type(&mut self, path: &str, field: &str, expected: &str, found: &Value) {
        let at = child(path, field);
        let found = describe(found);
        self.warn(format!(
            "{at}: expected {expected}, found {found}; the value was ignored"
        ));
    }
}

/// `path.field`, or `path["field"]` when the field is not a plain identifier.
pub(crate) fn child(path: &str, field: &str) -> String {
    if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{field}")
    } else {
        format!("{path}[{}]", Value::String(field.to_string()))
    }
}

/// Appends what [`child`] would to `path`, without allocating for a plain field (the scrub
/// walks every field of every item).
fn push_child(path: &mut String, field: &str) {
    if !field.is_empty()
        && field
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_')
    {
        path.push('.');
        path.push_str(field);
    } else {
        path.push_str(&child("", field));
    }
}

/// `path[i]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// A short description of a value for messages. Strings are cut, so a long value never floods
/// a warning (they were scrubbed of secrets already).
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let cut: String = s.chars().take(40).collect();
            if cut.len() < s.len() {
                format!("{:?}", format!("{cut}…"))
            } else {
                format!("{s:?}")
            }
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Parses `2024-10-30T23:58:27.427722Z` (any offset, taken to UTC) or a plain `2024-10-30`.
fn parse_time_text(s: &str) -> Option<Date> {
    let t = s.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(d) = t.parse::<Date>() {
        return Some(d);
    }
    // Unix seconds written as text.
    t.parse::<i64>().ok().and_then(dates::from_unix)
}

/// The first `proj_<alphanumerics>` in a file name or URL. The id stops at the first character
/// that is not a letter or digit, so `proj_abc123_keys.json` gives `proj_abc123`.
pub(crate) fn project_id_in(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find("proj_") {
        let before_ok = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let after = &rest[i + 5..];
        let len = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        if before_ok && len > 0 {
            return Some(format!("proj_{}", &after[..len]));
        }
        rest = after;
    }
    None
}

/// Replaces every full secret anywhere in the document with its redaction, recording where it
/// was as a JSON path. After this no full secret exists in memory in the parsed document.
pub(crate) fn scrub(
    value: &mut Value,
    path: &mut String,
    source: &str,
    out: &mut Vec<ExposedSecret>,
) {
    match value {
        Value::String(s) => {
            if s.contains("sk-") {
                let (clean, found) = secret::scrub(s);
                if !found.is_empty() {
                    for redacted in found {
                        out.push(ExposedSecret {
                            source: source.to_string(),
                            location: path.clone(),
                            kind: secret::kind_from_value(&redacted),
                            redacted,
                        });
                    }
                    *s = clean;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                scrub(item, path, source, out);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            // A secret used as a field name (`{"sk-proj-…": "prod"}`) would otherwise reach
            // warnings and error messages through paths and outlines.
            if map.keys().any(|k| k.contains("sk-")) {
                let old = std::mem::take(map);
                for (k, v) in old {
                    let (clean, found) = secret::scrub(&k);
                    for redacted in found {
                        out.push(ExposedSecret {
                            source: source.to_string(),
                            location: format!("{path} (a field name)"),
                            kind: secret::kind_from_value(&redacted),
                            redacted,
                        });
                    }
                    map.insert(clean, v);
                }
            }
            for (k, v) in map.iter_mut() {
                let len = path.len();
                push_child(path, k);
                scrub(v, path, source, out);
                path.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids_are_found_in_names_and_urls() {
        assert_eq!(
            project_id_in("proj_abc123-api-keys.json").as_deref(),
            Some("proj_abc123")
        );
        assert_eq!(
            project_id_in("keys/proj_Xy9_page2.json").as_deref(),
            Some("proj_Xy9")
        );
        assert_eq!(
            project_id_in("https://api.openai.com/v1/organization/projects/proj_q1/api_keys")
                .as_deref(),
            Some("proj_q1")
        );
        assert_eq!(project_id_in("subproj_abc.json"), None);
        assert_eq!(project_id_in("keys.json"), None);
    }

    #[test]
    fn paths_quote_dotted_fields() {
        assert_eq!(
            child("$.data[0]", "api_key.created"),
            "$.data[0][\"api_key.created\"]"
        );
        assert_eq!(child("$", "data"), "$.data");
    }

    #[test]
    fn times_accept_seconds_and_rfc3339() {
        assert_eq!(
            parse_time_text("2024-10-30T23:58:27.427722Z"),
            Some(jiff::civil::date(2024, 10, 30))
        );
        assert_eq!(
            parse_time_text("2024-10-30"),
            Some(jiff::civil::date(2024, 10, 30))
        );
        assert_eq!(
            parse_time_text("1711471533"),
            Some(jiff::civil::date(2024, 3, 26))
        );
        assert_eq!(parse_time_text("yesterday"), None);
    }
}
