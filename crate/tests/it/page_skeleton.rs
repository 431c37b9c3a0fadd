//! "Copy page structure" must never copy the page: for every fixture page, no text and no
//! attribute value of the page survives in its skeleton, and every line of the skeleton is made
//! only of markup names, spec keywords and type tokens.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ego_tree::NodeRef;
use keyroster::ingest::html::skeleton::{self, KEPT_VALUES, LEGEND, MAX_LINES};
use scraper::{Html, Node};

/// Every page a test reads: the fixture folders of pages (the layouts corpus when present).
fn fixture_pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut pages = Vec::new();
    for dir in ["html", "e2e", "org", "layouts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue; // layouts/ arrives with the layout corpus
        };
        for e in entries.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if matches!(ext, "html" | "htm" | "mhtml" | "mht") {
                pages.push(p);
            }
        }
    }
    pages.sort();
    pages
}

/// What the page holds: texts and attribute values (and comments), and its markup names.
#[derive(Default)]
struct Contents {
    texts: HashSet<String>,
    names: HashSet<String>,
}

fn contents(html: &str) -> Contents {
    let doc = Html::parse_document(html);
    let mut c = Contents::default();
    let add = |s: &str, texts: &mut HashSet<String>| {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() >= 3 {
            // The whole text, and each word of it long enough to be telling (a surname).
            for w in t.split(|ch: char| !ch.is_alphanumeric()) {
                if w.chars().count() >= 5 {
                    texts.insert(w.to_lowercase());
                }
            }
            texts.insert(t.to_lowercase());
        }
    };
    walk(doc.tree.root(), &mut |n| match n.value() {
        Node::Text(t) => add(t, &mut c.texts),
        Node::Comment(t) => add(t, &mut c.texts),
        Node::Element(el) => {
            c.names.insert(el.name().to_string());
            for (a, v) in el.attrs() {
                c.names.insert(a.to_string());
                add(v, &mut c.texts);
            }
        }
        _ => {}
    });
    c
}

fn walk<'a>(n: NodeRef<'a, Node>, f: &mut impl FnMut(NodeRef<'a, Node>)) {
    for d in n.descendants() {
        f(d);
    }
}

/// Words the skeleton itself writes: type tokens and the fixed phrases of its notation.
const NOTATION: &[&str] = &[
    "redacted-key",
    "full-secret",
    "date",
    "email",
    "money",
    "number",
    "url",
    "proj-id",
    "id",
    "text",
    "with",
    "more",
    "like",
    "this",
    "the",
    "above",
    "hidden",
    "deeper",
    "elements",
    "not",
    "shown",
    "cut",
    "at",
    "lines",
    "saved",
    "from",
    "!doctype",
];

fn is_type_token(t: &str) -> bool {
    let inner = &t[1..t.len() - 1];
    if let Some(rest) = inner.strip_prefix("text:") {
        let (n, with) = rest.split_once(" with ").unwrap_or((rest, "email"));
        return n.bytes().all(|b| b.is_ascii_digit())
            && ["redacted-key", "email", "proj-id"].contains(&with);
    }
    [
        "redacted-key",
        "full-secret",
        "date",
        "email",
        "money",
        "number",
        "url",
        "proj-id",
        "id",
    ]
    .contains(&inner)
}

/// Every token of every line is a markup name of the page, a spec keyword, a small number, a
/// type token, or the notation's own words: there is no room left for page text.
fn assert_only_structure(page: &Path, c: &Contents, sk: &str) {
    for line in sk.lines().skip(1) {
        // Type tokens first (they may hold spaces: `<text:12 with email>`).
        let mut rest = String::new();
        let mut s = line;
        while let Some(open) = s.find('<') {
            rest.push_str(&s[..open]);
            let tail = &s[open..];
            match tail[1..].find(['<', '>']).map(|i| i + 1) {
                Some(close) if tail.as_bytes()[close] == b'>' => {
                    let tok = &tail[..=close];
                    if tok.starts_with("<!--") {
                        rest.push_str(tok);
                    } else {
                        assert!(
                            is_type_token(tok),
                            "{}: {tok:?} in {line:?}",
                            page.display()
                        );
                        rest.push_str(" T ");
                    }
                    s = &tail[close + 1..];
                }
                _ => {
                    rest.push('<');
                    s = &tail[1..];
                }
            }
        }
        rest.push_str(s);
        for tok in rest.split_whitespace() {
            let ok = |w: &str| {
                w == "T"
                    || c.names.contains(w)
                    || KEPT_VALUES.contains(&w)
                    || NOTATION.contains(&w)
                    || (w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            };
            let fine = match tok {
                ">" | ":" | "—" | "-" | "…" | "(hidden)" | "<!--" | "-->" | "data-…" | "lines;" => {
                    true
                }
                _ if tok.bytes().all(|b| b.is_ascii_digit()) => true, // counts
                _ => match tok.split_once('=') {
                    Some((name, value)) => {
                        (ok(name) || name == "data-…")
                            && (ok(value)
                                || value.bytes().all(|b| b.is_ascii_digit()) && value.len() <= 2)
                    }
                    None => {
                        let name = tok.split_once('.').map_or(tok, |(n, k)| {
                            assert!(k.bytes().all(|b| b.is_ascii_digit()), "{tok:?}");
                            n
                        });
                        ok(name) || ok(tok.trim_end_matches(':'))
                    }
                },
            };
            assert!(
                fine,
                "{}: unexpected {tok:?} in line {line:?}",
                page.display()
            );
        }
    }
}

#[test]
fn no_text_of_any_fixture_page_survives_in_its_skeleton() {
    let pages = fixture_pages();
    assert!(pages.len() >= 15, "fixture pages found: {}", pages.len());
    let mut checked = 0;
    for page in &pages {
        let bytes = std::fs::read(page).expect("fixture reads");
        let name = page.display().to_string();
        let sk = skeleton::of_bytes(&name, &bytes);
        assert!(sk.starts_with(LEGEND));
        let body = sk[LEGEND.len()..].to_lowercase();
        let html = String::from_utf8_lossy(&bytes);
        let c = contents(&html);
        let vocabulary: Vec<String> = c
            .names
            .iter()
            .cloned()
            .chain(KEPT_VALUES.iter().chain(NOTATION).map(|s| s.to_string()))
            .collect();
        for t in &c.texts {
            checked += 1;
            if body.contains(t.as_str()) {
                // Only where the text is itself a word of markup or notation ("table", "date").
                assert!(
                    vocabulary.iter().any(|v| v.contains(t.as_str())),
                    "{name}: page text {t:?} survives in its skeleton:\n{sk}"
                );
            }
        }
        assert_only_structure(page, &c, &sk);
        assert!(sk.lines().count() <= MAX_LINES + 1);
    }
    assert!(checked > 1000, "only {checked} texts checked");
}

#[test]
fn a_page_that_reads_as_nothing_still_shows_its_structure() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/e2e/not-a-table.html");
    let bytes = std::fs::read(page).expect("fixture reads");
    let sk = skeleton::of_bytes("not-a-table.html", &bytes);
    assert!(sk.contains("\nhtml\n") || sk.contains("\nhtml "), "{sk}");
    assert!(sk.contains("  body"), "{sk}");
    assert!(sk.contains("<text:"), "{sk}");
}

#[test]
fn a_five_thousand_row_page_gives_a_small_skeleton() {
    let rows: String = (0..5000)
        .map(|i| {
            format!(
                "<div role='row' class='r_{i:x} q'><div role='cell'><span>key-{i}</span>\
                 <span class='tag'>Service account</span></div><div role='cell'>sk-proj-...a{i:03}</div>\
                 <div role='cell'><time datetime='2025-11-03'>Nov 3</time></div>\
                 <div role='cell'>user{i}@acme.test</div></div>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><main><div role='grid' aria-rowcount='5000'>{rows}</div></main></body></html>"
    );
    let sk = skeleton::skeleton(&html);
    assert!(sk.lines().count() < 30, "{sk}");
    // Rows are counted, not listed: every row is either shown or counted once.
    let shown = sk.matches("div.2 role=row").count();
    let counted: usize = sk
        .lines()
        .filter_map(|l| l.trim().strip_prefix("… ")?.strip_suffix(" more like this"))
        .map(|n| n.parse::<usize>().expect("a count"))
        .sum();
    assert_eq!(shown + counted, 5000, "{sk}");
    assert!(sk.contains("div aria-rowcount=<number> role=grid"), "{sk}");
    assert!(sk.contains("time datetime=<date> <text:5>"), "{sk}");
    assert!(
        sk.contains("<redacted-key>") && sk.contains("<email>"),
        "{sk}"
    );
}

/// Every value of a CSV or JSON file: its fields split on any delimiter, its JSON strings and
/// numbers; and the file's JSON keys, which are markup (field names) rather than values.
fn data_values(text: &str) -> (HashSet<String>, HashSet<String>) {
    let mut values = HashSet::new();
    let mut keys = HashSet::new();
    let mut add = |s: &str| {
        let t = s.trim().trim_matches('"').trim();
        // Digits alone are skipped: the skeleton writes counts and lengths, never copied ones.
        if t.chars().count() >= 3 && !t.bytes().all(|b| b.is_ascii_digit()) {
            values.insert(t.to_lowercase());
            for w in t.split(|ch: char| !ch.is_alphanumeric()) {
                if w.chars().count() >= 5 && !w.bytes().all(|b| b.is_ascii_digit()) {
                    values.insert(w.to_lowercase());
                }
            }
        }
    };
    fn walk(v: &serde_json::Value, add: &mut impl FnMut(&str), keys: &mut HashSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, c) in m {
                    keys.insert(k.to_lowercase());
                    walk(c, add, keys);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| walk(c, add, keys)),
            serde_json::Value::String(s) => add(s),
            serde_json::Value::Number(n) => add(&n.to_string()),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => walk(&v, &mut add, &mut keys),
        Err(_) => text.split(['\n', ',', ';', '\t']).for_each(&mut add),
    }
    (values, keys)
}

#[test]
fn no_value_of_any_fixture_csv_or_json_survives_in_its_skeleton() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut files = 0;
    for dir in ["csv", "json", "org", "e2e"] {
        for e in std::fs::read_dir(root.join(dir))
            .expect("fixture dir")
            .flatten()
        {
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if !matches!(ext, "csv" | "tsv" | "txt" | "json") {
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&p).expect("fixture reads");
            let name = p.display().to_string();
            let sk = skeleton::of_bytes(&name, &bytes);
            let text = keyroster::ingest::text::decode(&name, &bytes).expect("fixture decodes");
            let (values, keys) = data_values(&text);
            let body = sk[LEGEND.len()..].to_lowercase();
            for v in &values {
                if body.contains(v.as_str()) {
                    assert!(
                        keys.iter().any(|k| k.contains(v.as_str()))
                            || NOTATION.iter().any(|n| n.contains(v.as_str()))
                            || "delimited between fields items these key bool null"
                                .contains(v.as_str()),
                        "{name}: value {v:?} survives in its skeleton:\n{sk}"
                    );
                }
            }
            assert!(sk.lines().count() <= MAX_LINES + 2, "{name}");
        }
    }
    assert!(files >= 20, "data fixtures found: {files}");
}

#[test]
fn a_csv_export_gives_its_field_types_row_by_row() {
    let csv = "Name,Secret key,Created,Owner\n\
               deploy-bot,sk-proj-...K2m9,2025-11-03,priya@acme.test\n\
               billing,sk-...q7Rt,2025-10-01,tom@acme.test\n";
    let sk = skeleton::of_bytes("keys.csv", csv.as_bytes());
    assert!(
        sk.contains("<text:4> | <text:10> | <text:7> | <text:5>\n"),
        "{sk}"
    );
    assert!(
        sk.contains("<text:10> | <redacted-key> | <date> | <email>\n… 1 more like this"),
        "{sk}"
    );
}
