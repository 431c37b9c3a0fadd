use std::path::Path;

use super::*;

use agrees_with_html5ever as agrees;

fn must_agree(text: &str) {
    assert_eq!(agrees(text), Some(true), "{text}");
}

fn must_decline(text: &str) {
    assert_eq!(agrees(text), None, "{text}");
}

const HEAD: &str = "<!DOCTYPE html><html><head><title>t</title></head><body>";

#[test]
fn builds_html5evers_tree_for_well_formed_pages() {
    for body in [
        "",
        "<div class=\"a b\" id=x>text</div>",
        "<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td><span>k</span></td></tr></tbody></table>",
        "<table>\n <tbody>\n  <tr>\n   <td>x</td>\n  </tr>\n </tbody>\n</table>",
        "<p>one</p><p>two &amp; three &lt;4&gt; &#65;&#x42; &amp;b & c</p>",
        "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>",
        "<dl><dt>k</dt><dd>v</dd></dl>",
        "<a href='/x?a=1&amp;b=2' title=\"&quot;q&quot;\">l</a> <b><i>x</i></b>",
        "<p title=\"\" lang='' class=\"a long verbatim value\" dir=\"x&amp;\" id=\"&lt;y\">v</p>",
        "<img src=a.png alt=a><br/><input type=checkbox checked><hr>",
        "<div/>after</div><span DATA-X=1 data-x=2>dup</span>",
        "<!-- c --><div><!----><!-- a - b -- c ---></div>",
        "<script>if (a < b) { x = '</div>'; }</script><style>p > a { }</style>",
        "x < y <3 <= 4",
        "<custom-element some-attr=v>c</custom-element>",
        "<form><button>b</button></form><form></form>",
        "<h1>a</h1><h2>b</h2><table><tbody><tr><td><p>in</p><table><tbody><tr><td>n</td></tr></tbody></table></td></tr></tbody></table>",
        "<button aria-label=\"Revoke\"></button><span title=x>caf\u{e9} \u{2014} \u{1f511}</span>",
        "<div\ttabindex = \"0\"\n>sp</div>",
        "<p>a<b>b</b>c</p>",
        "<button><svg width=16 viewbox=\"0 0 16 16\" aria-hidden=true><path d=\"M4 6l4 4\"/><circle cx=8></circle></svg></button>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><linearGradient id=g gradientUnits=x><stop/></lineargradient></defs><use xlink:href=#g /><title>t</title><text>a &amp; b</text><style>a{}</style></svg>",
        "<table><tbody><tr><td><svg><g><path d=\"x\"/></g></svg></td></tr></tbody></table>",
        "<label>Role <select name=role aria-label=Role><option value=r>Reader</option><option selected>Owner &amp; admin</option></select></label>",
        "<select>\n <optgroup label=a>\n  <option>x</option>\n </optgroup>\n <!-- c -->\n <option>y</option>\n</select><p>after</p>",
        "<table><tbody><tr><td><select><option>in a cell</option></select></td></tr></tbody></table>",
        "<p>a <select><option></option></select> b</p>",
    ] {
        must_agree(&format!("{HEAD}{body}</body></html>"));
        must_agree(&format!("{HEAD}{body}</body></html>\n"));
        must_agree(&format!("{HEAD}{body}"));
    }
    must_agree("\u{feff}<!-- lead -->\n<!doctype HTML >\n<html lang=en>\n<head>\n<meta charset=utf-8>\n</head>\n<body>x</body>\n<!-- tail -->\n</html>\n<!-- end -->\n");
    must_agree("<!DOCTYPE html><html><head></head><body>a\r\nb\rc</body></html>");
}

#[test]
fn declines_what_the_tree_builder_would_reshape() {
    for body in [
        "<p><div>x</div></p>",
        "<table><tr><td>x</td></tr></table>",
        "<table>text</table>",
        "<b><i>x</b></i>",
        "<div>unclosed</span>",
        "<a><a>x</a></a>",
        "<ul><li>a<li>b</ul>",
        "<svg><div>x</div></svg>",
        "<svg><foreignObject><div>x</div></foreignObject></svg>",
        "<table><svg></svg></table>",
        "<math><mi>x</mi></math>",
        "<template><td>x</td></template>",
        "<form><form></form></form>",
        "<pre>\nx</pre>",
        "<select><option>a</select>",
        "<select><div>x</div></select>",
        "<select><option><b>x</b></option></select>",
        "<select><option>a<option>b</option></select>",
        "<select><optgroup><optgroup></optgroup></optgroup></select>",
        "<select><select></select></select>",
        "<select><hr></select>",
        "<select><input></select>",
        "<option>a</option>",
        "<table><select><option>x</option></select></table>",
        "&notin; &amp",
        "<textarea>x</textarea>",
        "<?php ?>",
        "</>",
        "<!-->",
        "<script><!-- x --></script>",
        "<h1><h2>x</h2></h1>",
        "<x a=>",
        "<p>\0</p>",
    ] {
        must_decline(&format!("{HEAD}{body}</body></html>"));
    }
    must_decline("<html><head></head><body>no doctype</body></html>");
    must_decline("<!DOCTYPE html><body>no html</body>");
    must_decline("<!DOCTYPE html><html><head></head>x<body></body></html>");
    must_decline("<!DOCTYPE html><html><head><title>cut");
}

/// Every HTML fixture: html5ever's tree, or declined.
#[test]
fn every_html_fixture_gets_html5evers_tree_or_is_declined() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut stack = vec![root];
    let (mut fast, mut declined) = (0, 0);
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html" || e == "htm") {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                match agrees(&text) {
                    Some(true) => fast += 1,
                    Some(false) => panic!("{} differs", path.display()),
                    None => {
                        declined += 1;
                        let at = scan::AT.get();
                        let near: String = text[at..].chars().take(60).collect();
                        eprintln!("declined {}: {near:?}", path.display());
                    }
                }
            }
        }
    }
    eprintln!("fixtures: {fast} fast, {declined} declined");
    assert!(fast + declined > 40, "{fast} + {declined}");
}

/// The made-up keys page (the bench's and the warm-up's) takes the fast path.
#[test]
fn the_generated_keys_page_takes_the_fast_path() {
    let page = crate::warm::keys_page(300);
    must_agree(&page);
}

/// The parse measures a page as the limits' pre-scan does ([`crate::ingest::depth::shape`]), so
/// a page it reads needs no pre-scan: the same tables, and nesting as deep give or take the
/// elements the parser implies (a `<tbody>`), which the pre-scan does not count.
#[test]
fn the_parse_measures_tables_and_depth_as_the_pre_scan_does() {
    let mut pages = vec![crate::warm::keys_page(50)];
    for dir in ["html", "layouts", "e2e"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                pages.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
            }
        }
    }
    let mut measured = 0;
    for page in &pages {
        let Some((_, parsed)) = parse_within(page, usize::MAX) else {
            continue;
        };
        let scanned = crate::ingest::depth::shape(page, usize::MAX, usize::MAX);
        assert_eq!(parsed.tables, scanned.tables);
        assert!(
            parsed.depth.abs_diff(scanned.depth) <= 2,
            "{parsed:?} {scanned:?}"
        );
        measured += 1;
    }
    assert!(measured > 40, "{measured}");
    // `<html>`, `<body>` and 20 `<div>`s; past the depth given, the parse declines (the
    // pre-scan then measures the page).
    let deep = format!(
        "{HEAD}{}x{}</body></html>",
        "<div>".repeat(20),
        "</div>".repeat(20)
    );
    assert_eq!(parse_within(&deep, 22).map(|(_, s)| s.depth), Some(22));
    assert!(parse_within(&deep, 21).is_none());
}
