//! The top level of a JSON document read one list item at a time.
//!
//! Why: a key list of 20,000 items is a tree of a million values; built whole, its allocation
//! and (worse) its freeing cost more than the reading, and more per item the larger the tree
//! (10x the keys took 16x the time: glibc consolidating the freed chunks of one huge tree). Read
//! through a serde visitor, the items of the top-level `data` array (or of a top-level array)
//! become a small tree each, scrubbed of secrets and read, and dropped before the next one is
//! parsed: memory follows the largest item, not the document.
//!
//! The outcome is the one reading the whole tree gives, byte for byte: the same parser reports
//! the same errors at the same positions (it is still serde_json's, driven by the same
//! `Deserializer`), items are read in the same order with the same paths, and secrets are listed
//! in the order the whole-tree scrub visits them (top-level fields sorted by name, `data` among
//! them). Where the rest of the object could change how the items read (a wrapper's project, a
//! report's `keys`, a secret as a field name, a second `data`), nothing is streamed, or, when
//! that is seen only after `data`, the caller reads the document again as a whole tree.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::reader::{self, child, describe, index, Obj, Reader};
use crate::model::ExposedSecret;

/// What the stream read.
pub(super) enum Top {
    /// A document not read item by item (not an object or array, no `data` array, or a shape
    /// whose fields matter to its items): the whole tree, not scrubbed yet.
    Doc(Value),
    /// An object whose `data` array was read item by item: the object's other fields, scrubbed,
    /// with an empty `data` in its place (for outlines), and how many items `data` held.
    Listed(Obj, usize),
    /// An array whose elements were read: how many, and how many items they listed.
    Array { values: usize, items: usize },
    /// A field seen after `data` changes how its items read: read the whole tree instead.
    Again,
}

/// Where read items and secrets go.
pub(super) struct Sink<'a> {
    pub(super) r: &'a mut Reader,
    pub(super) skipped: &'a mut BTreeMap<String, usize>,
    /// Secrets in document order, as the whole-tree scrub would list them.
    pub(super) exposed: &'a mut Vec<ExposedSecret>,
    pub(super) source: &'a str,
}

/// Reads `text` with `de`; the caller checks the end (`Deserializer::end`) afterwards.
pub(super) fn top(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    text: &str,
    sink: &mut Sink<'_>,
) -> serde_json::Result<Top> {
    match text
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .as_bytes()
        .first()
    {
        Some(b'{' | b'[') => de.deserialize_any(TopVisitor { sink }),
        _ => Value::deserialize(de).map(Top::Doc),
    }
}

/// Fields whose presence changes how a list's items are read (a wrapper's project scopes
/// them; `keys` may make the object a Key Roster report).
fn matters_to_items(field: &str) -> bool {
    matches!(field, "project" | "project_id" | "project_name" | "keys") || field.contains("sk-")
}

struct TopVisitor<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let sink = self.sink;
        let mut rest = Obj::new();
        // Whether a field that matters to items was seen, and what `data` was.
        let mut matters = false;
        let mut streamed: Option<(usize, Vec<ExposedSecret>)> = None;
        let (mut again, mut seen_data) = (false, false);
        while let Some(field) = map.next_key::<String>()? {
            let is_data = field == "data";
            if is_data && !matters && !seen_data {
                seen_data = true;
                let mut exposed = Vec::new();
                match map.next_value_seed(Data {
                    sink: &mut *sink,
                    exposed: &mut exposed,
                })? {
                    DataRead::Items(n) => streamed = Some((n, exposed)),
                    DataRead::Other(v) => {
                        rest.insert(field, v);
                    }
                }
                continue;
            }
            seen_data |= is_data;
            let value: Value = map.next_value()?;
            if streamed.is_some() && (is_data || matters_to_items(&field)) {
                again = true;
            }
            matters |= matters_to_items(&field);
            rest.insert(field, value);
        }
        if again {
            return Ok(Top::Again);
        }
        let Some((n, data_exposed)) = streamed else {
            return Ok(Top::Doc(Value::Object(rest)));
        };
        // The whole-tree scrub visits fields in name order: those before `data`, `data`'s
        // items, those after.
        let mut path = String::from("$");
        let mut after = false;
        for (field, value) in rest.iter_mut() {
            if !after && field.as_str() > "data" {
                sink.exposed.extend(data_exposed.iter().cloned());
                after = true;
            }
            let len = path.len();
            path.push_str(&child("", field));
            reader::scrub(value, &mut path, sink.source, sink.exposed);
            path.truncate(len);
        }
        if !after {
            sink.exposed.extend(data_exposed);
        }
        rest.insert("data".into(), Value::Array(Vec::new()));
        Ok(Top::Listed(rest, n))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        let sink = self.sink;
        let (mut values, mut items) = (0, 0);
        while let Some(mut v) = seq.next_element::<Value>()? {
            let at = index("$", values);
            values += 1;
            reader::scrub(&mut v, &mut at.clone(), sink.source, sink.exposed);
            match &v {
                // An array of pages, as a script that saved every page may write it.
                Value::Object(o) if super::is_list(o) => {
                    items += super::list(sink.r, o, &at, sink.skipped)
                }
                Value::Object(o) => {
                    items += 1;
                    super::item(sink.r, o, &at, sink.skipped);
                }
                other => sink.r.warn(format!(
                    "{at}: expected an object, found {}",
                    describe(other)
                )),
            }
        }
        Ok(Top::Array { values, items })
    }
}

/// A top-level `data` value: an array is read item by item, anything else kept as a tree.
struct Data<'s, 'a> {
    sink: &'s mut Sink<'a>,
    exposed: &'s mut Vec<ExposedSecret>,
}

enum DataRead {
    Items(usize),
    Other(Value),
}

impl<'de> DeserializeSeed<'de> for Data<'_, '_> {
    type Value = DataRead;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<DataRead, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Data<'_, '_> {
    type Value = DataRead;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DataRead, A::Error> {
        let Data { sink, exposed } = self;
        let mut i = 0;
        while let Some(mut v) = seq.next_element::<Value>()? {
            let p = index("$.data", i);
            i += 1;
            reader::scrub(&mut v, &mut p.clone(), sink.source, exposed);
            match v.as_object() {
                Some(obj) => super::item(sink.r, obj, &p, sink.skipped),
                None => sink
                    .r
                    .warn(format!("{p}: expected an object, found {}", describe(&v))),
            }
        }
        Ok(DataRead::Items(i))
    }

    // Anything else is kept as serde_json's own `Value` visitor would build it.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DataRead, A::Error> {
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(DataRead::Other)
    }
    fn visit_bool<E>(self, v: bool) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::Null))
    }
    fn visit_none<E>(self) -> Result<DataRead, E> {
        Ok(DataRead::Other(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::Context;

    /// Reads `text` streamed and as one tree; the outcomes (or errors) must be equal.
    fn same(text: &str) {
        let ctx = Context::new("keys.json", jiff::civil::date(2026, 11, 22));
        let streamed = super::super::read_by(&ctx, text, true);
        let whole = super::super::read_by(&ctx, text, false);
        assert_eq!(streamed, whole, "{text}");
    }

    fn secret(tail: &str) -> String {
        format!(
            "sk-proj-{}T3BlbkFJ{}{tail}",
            "Ab3".repeat(10),
            "Zx9".repeat(10)
        )
    }

    fn key(i: usize, extra: &str) -> String {
        format!(
            r#"{{"object": "organization.project.api_key", "id": "key_{i}", "name": "k{i}",
               "redacted_value": "sk-proj-...a{i}B2", "created_at": 1738540800,
               "last_used_at": null, "owner": {{"type": "user", "user": {{"id": "user_{i}",
               "email": "u{i}@example.com"}}}}{extra}}}"#
        )
    }

    #[test]
    fn a_streamed_key_list_reads_as_the_whole_tree_does() {
        let items = [
            key(1, ""),
            key(2, &format!(r#", "note": "{}""#, secret("a"))),
            r#""not an object""#.to_string(),
            key(3, r#", "created_at": "yesterday""#),
            r#"{"object": "mystery"}"#.to_string(),
        ]
        .join(",");
        // Secrets before and after `data` in name order, paging after it.
        same(&format!(
            r#"{{"a_note": "{}", "object": "list", "data": [{items}], "first_id": "key_1",
               "last_id": "key_3", "has_more": true, "z_note": "{}"}}"#,
            secret("b"),
            secret("c")
        ));
        same(&format!(r#"[{items}]"#));
        same(r#"{"object": "list", "data": []}"#);
        same(r#"{"object": "list", "data": [1, 2, 3]}"#);
    }

    #[test]
    fn fields_that_scope_the_items_are_read_whatever_their_place() {
        let items = [key(1, ""), key(2, "")].join(",");
        // A wrapper's project before and after its data; a report's keys; a second `data`.
        same(&format!(
            r#"{{"project_id": "proj_abc1", "data": [{items}]}}"#
        ));
        same(&format!(
            r#"{{"data": [{items}], "project_id": "proj_abc1"}}"#
        ));
        same(&format!(
            r#"{{"data": [{items}], "project": {{"id": "proj_x1", "name": "X"}}}}"#
        ));
        same(&format!(
            r#"{{"data": [{items}], "data": [{}]}}"#,
            key(9, "")
        ));
        same(&format!(
            r#"{{"data": {{"object": "list", "data": [{items}]}}}}"#
        ));
        same(&format!(r#"{{"{}": 1, "data": [{items}]}}"#, secret("d")));
        same(r#"{"keys": [], "as_of": "2026-11-22", "data": []}"#);
    }

    #[test]
    fn errors_and_json_lines_are_those_of_the_whole_tree() {
        let k = key(1, "");
        same(&format!(
            r#"{{"object": "list", "data": [{k}, {{"id": }}]}}"#
        ));
        same(&format!(r#"{{"object": "list", "data": [{k}"#));
        same(&format!(
            "{{\"object\": \"list\", \"data\": [{}]}}\n{{\"object\": \"list\", \"data\": [{}]}}\n",
            k.replace('\n', " "),
            key(2, "").replace('\n', " ")
        ));
        same("[1, 2] [3]");
        same("\"just text\"");
        same("  ");
    }
}
