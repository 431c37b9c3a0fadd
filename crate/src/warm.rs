//! Small made-up inputs for warming the browser's wasm module up before the user's first file.
//!
//! A browser compiles a wasm function the first time it is called, runs it in a baseline tier,
//! and optimizes it only once it has run a while: the analyzer's first file of a session pays for
//! all of that (most of the time of a first read of a 5,000-key page). The analyzer's worker reads
//! these inputs into a throwaway roster while the page waits for a file (www/ui/roster-api.js,
//! `warmUp`), through the same calls a real file takes, so the code a real read runs is compiled,
//! and the hottest of it optimized, before the file arrives. Nothing here is ever in a roster the
//! user sees.
//!
//! The inputs have the shapes of what users read most: an API keys page (the platform's table:
//! names, redacted keys, dates, "Never", projects, creators, permissions) and a usage dashboard cost
//! export (the header of PLATFORM-DATA.md §4.1, Unix-second and ISO days, quoted line items, a
//! blank-amount row). They are generated, not stored, so the module carries no fixture bytes.

use std::fmt::Write as _;

/// One made-up input: a file name (its extension picks the reader, as a real file's does) and
/// its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Keys on the made-up keys page, and rows in the made-up cost export: enough calls of the
/// per-key and per-row code for the browser to optimize it, small enough that a file chosen
/// meanwhile waits only a moment. Wasm code has no on-stack replacement: a function optimized
/// during a long call still finishes that call unoptimized, so one pass over 1,000 keys warms
/// the 5,000-key page's read better than five over 200 (paired 0.84x, fresh browsers, load 3.5).
pub const KEYS: usize = 1_000;
pub const ROWS: usize = 2_000;

/// The inputs to warm up on, in the order to read them.
pub fn inputs() -> Vec<Input> {
    vec![
        Input {
            name: "warm-up-api-keys.html",
            bytes: keys_page(KEYS).into_bytes(),
        },
        Input {
            name: "warm-up-cost.csv",
            bytes: cost_export(ROWS).into_bytes(),
        },
    ]
}

/// A small deterministic generator (a 64-bit LCG's high bits): the same bytes every time.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const TAIL: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

/// An organization's API keys page with `n` keys, as the platform draws it.
pub fn keys_page(n: usize) -> String {
    let mut rnd = Lcg(20_261_122);
    let mut out = String::from(
        "<!DOCTYPE html><!-- saved from url=(0054)https://platform.openai.com/settings/organization/api-keys -->\
         <html><head><title>API keys - OpenAI API</title></head><body><main><h1>API keys</h1><table><thead><tr>\
         <th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Project access</th>\
         <th>Created by</th><th>Permissions</th><th><span class=\"sr-only\">Actions</span></th></tr></thead><tbody>",
    );
    for i in 0..n {
        let created = format!(
            "{} {}, {}",
            MONTHS[rnd.below(12)],
            1 + rnd.below(28),
            2024 + rnd.below(2)
        );
        let used = if rnd.below(7) == 0 {
            "Never".to_string()
        } else {
            format!("Nov {}, 2026", 1 + rnd.below(20))
        };
        let tail: String = (0..4)
            .map(|_| TAIL[rnd.below(TAIL.len())] as char)
            .collect();
        let permissions = ["All", "Restricted", "Read only"][rnd.below(3)];
        let _ = write!(
            out,
            "<tr><td><span>service-{i}</span></td><td><code>sk-proj-...{tail}</code><button>\
             <span class=\"sr-only\">Copy</span></button></td><td><span title=\"{created}\">{created}</span></td>\
             <td>{used}</td><td><span>Project {}</span></td><td><span>Owner {}</span></td><td>{permissions}</td>\
             <td><button aria-label=\"Revoke\"></button></td></tr>",
            rnd.below(20),
            rnd.below(40),
        );
    }
    out.push_str("</tbody></table></main></body></html>");
    out
}

/// A usage dashboard cost export of `rows` rows over 12 keys and 7 days.
pub fn cost_export(rows: usize) -> String {
    let mut rnd = Lcg(1_790_467_200);
    let mut out = String::from(
        "start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,\
         quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,\
         organization_name,user_email,api_source\n",
    );
    let models = ["gpt-5", "gpt-5-mini", "gpt-4.1", "o4-mini"];
    let tokens = ["input_tokens", "output_tokens", "cached_input_tokens"];
    for _ in 0..rows {
        let d = rnd.below(7) as u64;
        let start = 1_790_467_200 + 86_400 * d;
        let (iso, iso_end) = (
            format!("2026-09-{:02}", 21 + d),
            format!("2026-09-{:02}", 22 + d),
        );
        let offset = if d % 3 == 0 { "" } else { "+00:00" };
        if rnd.below(100) == 0 {
            let _ = writeln!(out, "{start},,,,,,,,,,,,,,,,");
            continue;
        }
        let key = rnd.below(12);
        let project = key % 4;
        let user = key % 5;
        let _ = writeln!(
            out,
            "{start},{},{iso}T00:00:00{offset},{iso_end}T00:00:00{offset},{}.{:06},usd,{},tokens,\
             \"{}, {}\",user-{user:04},key_warm{key:02},proj_warm{project},org-acme,Project {project},\
             Acme,m{user}@acme.example,",
            start + 86_400,
            rnd.below(3),
            rnd.below(1_000_000),
            1 + rnd.below(200_000),
            models[rnd.below(models.len())],
            tokens[rnd.below(tokens.len())],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Context;
    use crate::{analyze, Inventory, Policy};

    /// Every warm-up input reads without an error and yields what it was made of: the keys
    /// page's keys, the cost export's usage for its keys.
    #[test]
    fn inputs_read_as_what_they_are() {
        let as_of = jiff::civil::date(2026, 11, 22);
        let mut inv = Inventory::default();
        for input in inputs() {
            let source = inv.ingest(&Context::new(input.name, as_of), &input.bytes);
            assert!(source.error.is_none(), "{}: {:?}", input.name, source.error);
            assert!(source.records > 0, "{}", input.name);
        }
        let report = analyze(&inv, &Policy::default(), as_of);
        assert_eq!(report.sources.len(), 2);
        assert!(report.keys.len() >= KEYS, "{} keys", report.keys.len());
    }

    #[test]
    fn inputs_are_the_same_every_time() {
        assert_eq!(inputs(), inputs());
        assert!(cost_export(3).lines().count() == 4);
    }
}
