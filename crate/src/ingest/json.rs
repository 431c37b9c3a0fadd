//! JSON inputs: OpenAI Administration API responses (lists of project API keys, admin API keys,
//! users, projects, project users, service accounts, invites; usage and cost pages; audit logs),
//! the legacy `/v1/usage` response, Anthropic's Admin API lists (read by
//! [`crate::ingest::providers::anthropic::api`]), and Key Roster's own report.
//!
//! The document is parsed into `serde_json::Value`s (a list's items one at a time, see
//! [`stream`]), scrubbed of every full secret (each one
//! recorded as an [`ExposedSecret`](crate::model::ExposedSecret) at its JSON path), and then
//! walked: lists (`{"object":"list","data":[…]}`, bare arrays, arrays of pages, project wrappers
//! `{"project_id": …, "data": …}`) down to items, each item recognized by its `object` field or,
//! when it has none (audit logs, Anthropic, legacy usage), by its fields. Unknown fields are
//! ignored; a field of the wrong type is a warning naming its path.

pub(crate) mod admin;
mod audit;
pub(crate) mod reader;
mod report;
pub mod shape;
mod stream;
mod usage;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Position, Result};
use crate::ingest::{Batch, Context};
use crate::model::{ExposedSecret, ProjectRef, Seen};
use reader::{child, describe, index, Obj, Reader};

/// What the message for a document of an unknown shape lists.
const EXPECTED: &str = "expected an OpenAI Administration API response (a list with \
\"object\": \"list\" of project API keys, admin API keys, users, projects, project users, \
service accounts or invites; a usage or costs page with \"object\": \"page\"; audit log \
entries), a legacy /v1/usage response, an Anthropic Admin API list (API keys, users, \
workspaces, workspace members, invites, usage or cost report), or a Key Roster report JSON";

/// Reads one JSON input.
pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    read_by(ctx, text, true)
}

/// [`read`], with a list's items streamed ([`stream`]) or, for comparison in tests, the whole
/// document built as one tree first (what `stream` must give the same outcome as).
fn read_by(ctx: &Context, text: &str, streaming: bool) -> Result<Batch> {
    let mut r = Reader::new(ctx);
    let mut skipped = BTreeMap::new();
    let mut exposed = Vec::new();
    let streamed = if !streaming {
        serde_json::from_str::<Value>(text).map(stream::Top::Doc)
    } else {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut sink = stream::Sink {
            r: &mut r,
            skipped: &mut skipped,
            exposed: &mut exposed,
            source: &ctx.name,
        };
        stream::top(&mut de, text, &mut sink).and_then(|top| de.end().map(|()| top))
    };
    let (items, shape) = match streamed {
        Ok(stream::Top::Listed(rest, n)) => {
            // What `list` does around the items (they were read as they were parsed): the
            // object has no wrapper project (the stream read none), then legacy products and
            // paging.
            if rest.contains_key("ft_data") || rest.contains_key("dalle_api_data") {
                usage::legacy_products(&mut r, &rest);
            }
            more_pages(&mut r, &rest, "$");
            (Some(n), Shape::Doc(Value::Object(rest)))
        }
        Ok(stream::Top::Array { values, items }) => (Some(items), Shape::Lines(values)),
        Ok(stream::Top::Doc(doc)) => whole(&mut r, doc, &ctx.name, &mut exposed, &mut skipped),
        Ok(stream::Top::Again) => {
            (r, skipped, exposed) = (Reader::new(ctx), BTreeMap::new(), Vec::new());
            let doc = serde_json::from_str::<Value>(text).map_err(|e| syntax_error(ctx, &e))?;
            whole(&mut r, doc, &ctx.name, &mut exposed, &mut skipped)
        }
        Err(e) if e.to_string().starts_with("trailing characters") => {
            // JSON Lines: what the stream read of the first value is read again, line by line.
            (r, skipped, exposed) = (Reader::new(ctx), BTreeMap::new(), Vec::new());
            let n = lines(ctx, text, &mut r, &mut exposed, &mut skipped)?;
            (Some(n.items), Shape::Lines(n.values))
        }
        Err(e) => return Err(syntax_error(ctx, &e)),
    };
    exposed.append(&mut r.batch.exposed);
    r.batch.exposed = exposed;
    if let Some(note) = audit::skipped_note(&skipped) {
        r.warn(note);
    }
    if !r.recognized() {
        let outline = || match &shape {
            Shape::Doc(doc) => outline(doc),
            Shape::Lines(n) => format!("a list of {n} item(s)"),
        };
        // An empty list says nothing about what it lists, but it is a valid answer.
        if items == Some(0) {
            r.warn("the list is empty: nothing to read".into());
            r.kind("empty-list");
        } else if r.batch.exposed.is_empty() {
            return Err(Error::input(
                &ctx.name,
                Position::default(),
                format!("JSON of an unknown shape ({}); {EXPECTED}", outline()),
            ));
        } else {
            // The secrets found are still worth reporting, even in a file of no known shape.
            r.warn(format!(
                "JSON of an unknown shape ({}); only secrets were looked for",
                outline()
            ));
            r.kind("secrets-only");
        }
    }
    let mut batch = r.finish();
    batch.usage = usage::fold_days(batch.usage);
    if items.is_some() {
        listed(&mut batch);
    }
    Ok(batch)
}

/// A document read as a whole tree: scrubbed of secrets, then read.
fn whole(
    r: &mut Reader,
    mut doc: Value,
    source: &str,
    exposed: &mut Vec<ExposedSecret>,
    skipped: &mut BTreeMap<String, usize>,
) -> (Option<usize>, Shape) {
    reader::scrub(&mut doc, &mut String::from("$"), source, exposed);
    let items = document(r, &doc, skipped);
    (items, Shape::Doc(doc))
}

/// What a list response held, for the report's coverage: its noun, the one project its keys
/// share, and whether `has_more` said more pages exist (set while reading).
fn listed(batch: &mut Batch) {
    let noun = if !batch.keys.is_empty() {
        "keys"
    } else if batch.members_list {
        "members"
    } else if !batch.projects.is_empty() {
        "projects"
    } else if !batch.usage.is_empty() {
        "rows"
    } else if !batch.events.is_empty() {
        "events"
    } else {
        return;
    };
    let mut projects = batch.keys.iter().map(|k| k.project.clone());
    let first = projects.next().flatten();
    let project = first.filter(|f| projects.all(|p| p.as_ref() == Some(f)));
    let seen = batch.seen.get_or_insert_with(Seen::default);
    seen.noun = noun.into();
    if noun == "keys" {
        seen.project = project;
    }
}

/// What was parsed, for the message about a document of an unknown shape.
enum Shape {
    Doc(Value),
    /// A top-level array or JSON Lines: how many values.
    Lines(usize),
}

/// What reading JSON Lines found: values, and items in them (as [`document`] counts).
struct LinesRead {
    values: usize,
    items: usize,
}

/// JSON Lines (one value per line, as audit log exports to a SIEM are written), read as the
/// array of those values would be, one value at a time: each value's tree is dropped before the
/// next is parsed, so memory and time follow the longest line, not the file.
fn lines(
    ctx: &Context,
    text: &str,
    r: &mut Reader,
    exposed: &mut Vec<ExposedSecret>,
    skipped: &mut BTreeMap<String, usize>,
) -> Result<LinesRead> {
    let mut n = LinesRead {
        values: 0,
        items: 0,
    };
    for (i, v) in serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .enumerate()
    {
        let mut v = v.map_err(|e| syntax_error(ctx, &e))?;
        let at = index("$", i);
        reader::scrub(&mut v, &mut at.clone(), &ctx.name, exposed);
        n.values += 1;
        match &v {
            // A page per line, as a script that saved every page may write it.
            Value::Object(o) if is_list(o) => n.items += list(r, o, &at, skipped),
            Value::Object(o) => {
                n.items += 1;
                item(r, o, &at, skipped);
            }
            other => r.warn(format!(
                "{at}: expected an object, found {}",
                describe(other)
            )),
        }
    }
    Ok(n)
}

/// The parse error with the line (in the position) and column (in the message) serde_json found.
fn syntax_error(ctx: &Context, e: &serde_json::Error) -> Error {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    let message = if e.is_eof() {
        format!(
            "invalid JSON at column {}: {what} (the file is cut short)",
            e.column()
        )
    } else {
        format!("invalid JSON at column {}: {what}", e.column())
    };
    Error::input(
        &ctx.name,
        Position {
            line: Some(e.line() as u64),
            ..Position::default()
        },
        message,
    )
}

/// Reads the top level. Returns the number of items seen in lists (`Some(0)` for an empty
/// list), or `None` when the top level is not a list.
fn document(r: &mut Reader, doc: &Value, skipped: &mut BTreeMap<String, usize>) -> Option<usize> {
    match doc {
        Value::Object(o) if report::is_report(o) => {
            report::read(r, o);
            None
        }
        Value::Object(o) if is_list(o) => Some(list(r, o, "$", skipped)),
        Value::Object(o) => {
            item(r, o, "$", skipped);
            None
        }
        Value::Array(items) => {
            let mut n = 0;
            for (i, v) in items.iter().enumerate() {
                let at = index("$", i);
                match v {
                    // An array of pages, as a script that saved every page may write it.
                    Value::Object(o) if is_list(o) => n += list(r, o, &at, skipped),
                    Value::Object(o) => {
                        n += 1;
                        item(r, o, &at, skipped);
                    }
                    other => r.warn(format!(
                        "{at}: expected an object, found {}",
                        describe(other)
                    )),
                }
            }
            Some(n)
        }
        _ => None,
    }
}

/// A list, a page or a wrapper: an object whose `data` is an array, or a wrapper whose `data`
/// is itself a list.
fn is_list(o: &Obj) -> bool {
    match o.get("data") {
        Some(Value::Array(_)) => true,
        Some(Value::Object(inner)) => is_list(inner),
        _ => false,
    }
}

/// Reads a list's items. A wrapper's `project_id` / `project` scopes the items under it.
fn list(r: &mut Reader, o: &Obj, path: &str, skipped: &mut BTreeMap<String, usize>) -> usize {
    let outer = r.wrapper_project.clone();
    if let Some(p) = wrapper_project(r, o, path) {
        r.wrapper_project = Some(p);
    }
    let at = child(path, "data");
    let n = match o.get("data") {
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let p = index(&at, i);
                match v.as_object() {
                    Some(obj) => item(r, obj, &p, skipped),
                    None => r.warn(format!("{p}: expected an object, found {}", describe(v))),
                }
            }
            items.len()
        }
        Some(Value::Object(inner)) => list(r, inner, &at, skipped),
        _ => 0,
    };
    if o.contains_key("ft_data") || o.contains_key("dalle_api_data") {
        usage::legacy_products(r, o);
    }
    more_pages(r, o, path);
    r.wrapper_project = outer;
    n
}

/// The project a wrapper object names, when it is a wrapper and not a list item itself.
fn wrapper_project(r: &mut Reader, o: &Obj, path: &str) -> Option<ProjectRef> {
    if o.get("object").and_then(Value::as_str) == Some("list") && !o.contains_key("project_id") {
        return None;
    }
    r.project_ref(o, path)
}

/// `has_more: true` means the input is one page of several.
fn more_pages(r: &mut Reader, o: &Obj, path: &str) {
    if o.get("has_more").and_then(Value::as_bool) != Some(true) {
        return;
    }
    r.batch.seen.get_or_insert_with(Seen::default).more = true;
    let page = o.get("object").and_then(Value::as_str) == Some("page");
    let next = o.get("next_page").and_then(Value::as_str);
    let last = o.get("last_id").and_then(Value::as_str);
    let msg = match (page, next, last) {
        (_, Some(n), _) => format!("more pages exist: fetch them with page={n}"),
        // Anthropic's lists (no `object: "list"`) page with `after_id`.
        (false, _, Some(l)) if !o.contains_key("object") && o.contains_key("first_id") => {
            format!("more pages exist after {l}: fetch them with after_id={l}")
        }
        (false, _, Some(l)) => {
            format!("more pages exist after {l}: fetch them with after={l}")
        }
        _ => format!("{path}: more pages exist (has_more is true) but the response does not say where they start"),
    };
    r.warn(msg);
}

/// Reads one item, recognized by its `object` or, without one, by its fields.
fn item(r: &mut Reader, o: &Obj, path: &str, skipped: &mut BTreeMap<String, usize>) {
    let object = o.get("object").and_then(Value::as_str).unwrap_or("");
    match object {
        "organization.project.api_key" => admin::project_key(r, o, path),
        "organization.admin_api_key" => admin::admin_key(r, o, path),
        "organization.project.service_account.api_key" => {
            admin::service_account_key(r, o, path, None, None)
        }
        "organization.user" => admin::user(r, o, path),
        "organization.project" => admin::project(r, o, path),
        "organization.project.user" => admin::project_user(r, o, path),
        "organization.project.service_account" => admin::service_account(r, o, path),
        "organization.invite" => admin::invite(r, o, path),
        "project.rate_limit" => {
            if !r
                .batch
                .warnings
                .iter()
                .any(|w| w.starts_with("rate limits"))
            {
                r.warn("rate limits (requests and tokens per minute) are not part of the roster; they were not read".into());
            }
            r.kind("rate-limits");
        }
        "bucket" => usage::bucket(r, o, path),
        o_kind if o_kind == "organization.costs.result" || is_usage_result(o_kind) => {
            usage::result(r, o, path, None)
        }
        "" if crate::ingest::providers::anthropic::api::item(r, o, path) => {}
        "organization.audit_log" | ""
            if o.contains_key("effective_at") && o.contains_key("type") =>
        {
            audit::event(r, o, path, skipped)
        }
        "" if o.contains_key("n_requests") || o.contains_key("aggregation_timestamp") => {
            usage::legacy(r, o, path)
        }
        "" if o.contains_key("start_time") && o.contains_key("results") => {
            usage::bucket(r, o, path)
        }
        _ => {
            let what = if object.is_empty() {
                outline_obj(o)
            } else {
                format!("object {object:?}")
            };
            r.warn(format!("{path}: skipped an item of unknown type ({what})"));
        }
    }
}

fn is_usage_result(object: &str) -> bool {
    object.starts_with("organization.usage.") && object.ends_with(".result")
}

/// A one-line outline of a document for the unknown-shape message.
fn outline(doc: &Value) -> String {
    match doc {
        Value::Object(o) => outline_obj(o),
        Value::Array(a) => format!("a list of {} item(s)", a.len()),
        other => format!("a single value {}", describe(other)),
    }
}

fn outline_obj(o: &Obj) -> String {
    if o.is_empty() {
        return "an empty object".into();
    }
    let names: Vec<&str> = o.keys().take(8).map(String::as_str).collect();
    let more = if o.len() > 8 { ", …" } else { "" };
    format!("an object with fields {}{more}", names.join(", "))
}
