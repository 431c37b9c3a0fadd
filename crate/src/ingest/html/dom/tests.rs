//! The tree built from a serialized DOM is the tree the parser makes of the same page, node for
//! node, and the page reader gets the same batch from both, on every HTML fixture.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use markup5ever::QualName;
use scraper::{Html, Node};

use super::{build, write};
use crate::ingest::html::{read, read_parsed};
use crate::ingest::Context;

/// Every node, in order, with where each element closes, and every name with its namespace and
/// prefix: two trees with the same shape and contents have the same outline.
fn outline(n: NodeRef<'_, Node>) -> Vec<String> {
    n.traverse()
        .map(|edge| match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) => {
                    let attrs: Vec<(&QualName, &str)> =
                        e.attrs.iter().map(|(q, v)| (q, &**v)).collect();
                    format!("{:?} {attrs:?}", e.name)
                }
                Node::Text(t) => format!("text {:?}", &*t.text),
                Node::Comment(c) => format!("comment {:?}", &*c.comment),
                other => format!("{other:?}"),
            },
            Edge::Close(_) => "/".to_string(),
        })
        .collect()
}

/// The page as the popup reads it: the document element's `outerHTML`.
fn outer_html(text: &str) -> String {
    Html::parse_document(text).root_element().html()
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    for dir in ["html", "layouts", "anthropic", "org", "e2e"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("the fixture folder") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_fixture_pages_dom_builds_the_parsers_tree_and_reads_as_its_html() {
    let as_of = "2026-11-22".parse().expect("a date");
    let mut read_keys = 0;
    let fixtures = fixtures();
    assert!(fixtures.len() >= 40, "{} fixtures", fixtures.len());
    for path in &fixtures {
        let file = std::fs::read_to_string(path).expect("a UTF-8 fixture");
        let name = path.display().to_string();
        // The live page's URL: a saved page names it in a comment outside the document element.
        let url = read(&Context::new(&name, as_of), &file)
            .ok()
            .and_then(|b| b.url);
        let ctx = Context {
            url,
            ..Context::new(&name, as_of)
        };
        let html = outer_html(&file);
        let parsed = Html::parse_document(&html);
        let (built, shape) = build(&name, &write(&parsed)).expect("the DOM reads");
        assert_eq!(
            outline(built.tree.root()),
            outline(parsed.tree.root()),
            "{name}"
        );
        // Measured as built: the deepest element's nesting, and the tables.
        let elements = || {
            parsed
                .tree
                .root()
                .descendants()
                .filter(|n| n.value().is_element())
        };
        let deepest = elements()
            .map(|n| n.ancestors().filter(|a| a.value().is_element()).count() + 1)
            .max();
        let tables = elements()
            .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "table"))
            .count();
        assert_eq!(
            (Some(shape.depth), shape.tables),
            (deepest, tables),
            "{name}"
        );
        let from_html = read(&ctx, &html);
        let from_dom = read_parsed(&ctx, &html, &built);
        assert_eq!(format!("{from_dom:?}"), format!("{from_html:?}"), "{name}");
        read_keys += from_html.map_or(0, |b| b.keys.len());
    }
    assert!(read_keys > 100, "the fixtures hold keys: {read_keys}");
}

#[test]
fn foreign_attributes_and_templates_build_as_the_parser_has_them() {
    let page = r##"<html lang="en"><head><title>t</title></head><body>
        <svg viewBox="0 0 1 1" xmlns="http://www.w3.org/2000/svg"
             xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#i" xml:lang="en"/>
        <foreignObject><p data-x="1">in svg</p></foreignObject></svg>
        <math><mi>x</mi></math>
        <template id="row"><tr><td>cell</td></tr></template>
        <p>a &amp; b<!-- note --></p></body></html>"##;
    let parsed = Html::parse_document(&outer_html(page));
    let (built, _) = build("page", &write(&parsed)).expect("the DOM reads");
    assert_eq!(outline(built.tree.root()), outline(parsed.tree.root()));
}

#[test]
fn adjacent_texts_join_and_line_breaks_read_as_the_parser_reads_them() {
    // A script's "5" and " keys" are two text nodes; the parser of the serialized page sees one.
    let dom = r#"[1,"html",0,1,"head",0,0,1,"body",1,"class","a\r\nb",4,"5",4," keys",4,"",
        4,"x\r\ny\rz\u0000!",5,"c\u0000",0,0]"#;
    let (built, _) = build("page", dom).expect("the DOM reads");
    let body = built.root_element().last_child().expect("a body");
    let texts: Vec<String> = body
        .children()
        .map(|n| format!("{:?}", n.value()))
        .collect();
    assert_eq!(
        texts,
        [
            "Text(\"5 keysx\\ny\\nz!\")",
            "Comment(<!-- \"c\u{fffd}\" -->)"
        ]
    );
    let class = body.value().as_element().and_then(|e| e.attr("class"));
    assert_eq!(class, Some("a\nb"));
}

#[test]
fn a_malformed_dom_is_an_error_naming_the_page_not_a_panic() {
    for dom in [
        "",
        "{}",
        "[0]",
        "[\"text first\"]",
        "[1,\"html\"]",
        "[1,\"html\",2,\"class\"]",
        "[1,\"html\",0,9]",
        "[1,\"html\",0,4]",
        "[1,\"html\",0,0] trailing",
        "[1,\"html\",-1]",
        "[1.5]",
    ] {
        let e = build("https://example.test/p", dom).expect_err(dom);
        let text = e.to_string();
        assert!(text.contains("https://example.test/p"), "{dom}: {text}");
        assert!(text.contains("DOM could not be read"), "{dom}: {text}");
    }
}
