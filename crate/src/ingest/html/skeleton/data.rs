//! Skeletons of inputs that are not pages: a delimited file's rows as the types of their fields,
//! a JSON file's tree with its values typed. A CSV export or an API file that reads as nothing
//! gets the same safe "Copy structure" as a page.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::kinds::kind_of;
use super::MAX_LINES;

/// Rows as `<text:4> | <date> | · | <email>` (`·` an empty field); runs of rows with the same field types are counted.
pub(super) fn delimited(text: &str, out: &mut String) {
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let delimiter = crate::ingest::csv::sniff(&head);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let _ = writeln!(
        out,
        "delimited text, {:?} between fields",
        delimiter as char
    );
    let mut lines = 1;
    let mut last_shape = String::new();
    let mut more = 0usize;
    for record in rdr.records() {
        let line = match record {
            Ok(r) => r
                .iter()
                .map(|f| {
                    Some(kind_of(f))
                        .filter(|k| !k.is_empty())
                        .unwrap_or("·".into())
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Err(_) => "(a line the CSV reader cannot split)".to_string(),
        };
        let shape = line.replace(|c: char| c.is_ascii_digit(), "");
        if shape == last_shape {
            more += 1;
            continue;
        }
        if more > 0 {
            let _ = writeln!(out, "… {more} more like this");
            lines += 1;
        }
        more = 0;
        if lines >= MAX_LINES {
            let _ = writeln!(out, "… cut at {MAX_LINES} lines");
            return;
        }
        out.push_str(&line);
        out.push('\n');
        lines += 1;
        last_shape = shape;
    }
    if more > 0 {
        let _ = writeln!(out, "… {more} more like this");
    }
}

/// The JSON tree: object keys kept when they are field names (`owner`, `last_used_at`) rather
/// than data (`user-abc123`, `Ada Lovelace`), every value typed, array items of one shape counted.
pub(super) fn json(v: &Value, out: &mut String) {
    let mut lines = 0;
    walk(v, 0, "", out, &mut lines);
    if lines > MAX_LINES {
        let _ = writeln!(out, "… cut at {MAX_LINES} lines");
    }
}

fn field_name(k: &str) -> String {
    let schema = !k.is_empty()
        && k.len() <= 40
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && kind_of(k).starts_with("<text:");
    if schema {
        k.to_string()
    } else {
        "<key>".to_string()
    }
}

fn line(out: &mut String, lines: &mut usize, depth: usize, text: &str) {
    *lines += 1;
    if *lines <= MAX_LINES {
        let _ = writeln!(out, "{}{text}", "  ".repeat(depth));
    }
}

fn walk(v: &Value, depth: usize, label: &str, out: &mut String, lines: &mut usize) {
    match v {
        Value::Object(map) => {
            line(out, lines, depth, &format!("{label}{{}}"));
            for (k, child) in map {
                walk(
                    child,
                    depth + 1,
                    &format!("{}: ", field_name(k)),
                    out,
                    lines,
                );
            }
        }
        Value::Array(items) => {
            line(
                out,
                lines,
                depth,
                &format!("{label}[{} items]", items.len()),
            );
            let mut seen = HashSet::new();
            let mut folded = 0;
            for item in items {
                if seen.insert(shape(item)) {
                    walk(item, depth + 1, "", out, lines);
                } else {
                    folded += 1;
                }
            }
            if folded > 0 {
                line(
                    out,
                    lines,
                    depth + 1,
                    &format!("… {folded} more like these"),
                );
            }
        }
        Value::String(s) => line(out, lines, depth, &format!("{label}{}", kind_of(s))),
        Value::Number(_) => line(out, lines, depth, &format!("{label}<number>")),
        Value::Bool(_) => line(out, lines, depth, &format!("{label}<bool>")),
        Value::Null => line(out, lines, depth, &format!("{label}null")),
    }
}

/// An item's structure: field names and value kinds without lengths.
fn shape(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, c)| format!("{}:{}", field_name(k), shape(c)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let kinds: HashSet<String> = items.iter().map(shape).collect();
            let mut kinds: Vec<String> = kinds.into_iter().collect();
            kinds.sort();
            format!("[{}]", kinds.join(","))
        }
        Value::String(s) => kind_of(s).replace(|c: char| c.is_ascii_digit(), ""),
        Value::Number(_) => "n".into(),
        Value::Bool(_) => "b".into(),
        Value::Null => "0".into(),
    }
}
