//! Tests of [`super`] (cell text as shown), in their own file so the module itself reads whole.

use super::*;
use scraper::Html;

/// Cleans the first `<td>` of a fragment.
fn td(inner: &str) -> CellText {
    let doc = Html::parse_document(&format!("<table><tr><td>{inner}</td></tr></table>"));
    let found = doc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "td")
        .expect("a td");
    cell(found, jiff::civil::date(2026, 11, 22))
}

#[test]
fn icons_actions_and_screen_reader_labels_are_not_read() {
    let c = td("<code>sk-proj-...a1B2</code><button><svg><path/></svg><span class=\"sr-only\">Copy</span></button>\
                <span aria-hidden=\"true\">•</span><button>Revoke</button><span hidden>draft</span>");
    assert_eq!(c.text, "sk-proj-...a1B2");
}

#[test]
fn a_button_that_is_the_value_is_kept() {
    assert_eq!(
        td("<button type=\"button\">checkout-prod</button>").text,
        "checkout-prod"
    );
}

#[test]
fn stacked_lines_stay_lines_and_inline_spans_join() {
    let c = td(
        "<div class=\"flex flex-col\"><span>Ada Lovelace</span><span>ada@example.com</span></div>",
    );
    assert_eq!(c.text, "Ada Lovelace\nada@example.com");
    assert_eq!(td("<span>$</span><span>12.50</span>").text, "$12.50");
    assert_eq!(td("  Read\n   only ").text, "Read only");
}

#[test]
fn adjacent_boxes_are_separated_but_fragments_glue() {
    assert_eq!(
        td("<span>deploy-bot</span><span class=\"x1\">ops</span>").text,
        "deploy-bot ops"
    );
    assert_eq!(td("<b>Ada</b><i>Lovelace</i>").text, "Ada Lovelace");
    assert_eq!(td("<span>$</span><span>12.50</span>").text, "$12.50");
    assert_eq!(td("<span>12</span><span>%</span>").text, "12%");
    assert_eq!(
        td("<span>sk-proj-</span><span>...</span><span>K2m9</span>").text,
        "sk-proj-...K2m9"
    );
    // A text node after an element renders glued, as written.
    assert_eq!(td("<b>v</b>2").text, "v2");
    // An icon between two words separates nothing by itself.
    assert_eq!(
        td("<span>a</span><span><svg></svg></span><span>b</span>").text,
        "a b"
    );
}

#[test]
fn badges_are_set_aside_from_names() {
    let c = td("<span>deploy-bot</span><span class=\"tag_x9\">Service account</span>");
    assert_eq!(c.text, "deploy-bot");
    assert_eq!(c.badges, ["Service account"]);
    let c = td("<div class=\"flex flex-col\"><span>Ada Lovelace <span class=\"chip\">You</span></span><span>ada@example.com</span></div>");
    assert_eq!(c.text, "Ada Lovelace\nada@example.com");
    assert_eq!(c.badges, ["You"]);
    // A cell that shows only a chip keeps it as its value.
    let c = td("<span class=\"pill\">Owner</span>");
    assert_eq!((c.text.as_str(), c.badges.len()), ("Owner", 0));
    // A word inside running text is not a chip.
    assert_eq!(td("Owner of billing").text, "Owner of billing");
}

#[test]
fn line_breaks_and_hidden_text() {
    assert_eq!(td("Ada<br>ada@example.com").text, "Ada\nada@example.com");
    assert_eq!(
        td("<span>visible</span><span style=\"display: none\">gone</span><span class=\"sr-only\">Copy</span>").text,
        "visible"
    );
}

#[test]
fn form_controls_show_their_value() {
    assert_eq!(
        td("<select><option>Reader</option><option selected>Owner</option></select>").text,
        "Owner"
    );
    assert_eq!(td("<input value=\"500\">").text, "500");
    assert_eq!(td("<input type=\"checkbox\" value=\"on\">").text, "");
}

#[test]
fn machine_dates_are_kept_as_hints() {
    let c = td("<time datetime=\"2026-11-20T18:03:11Z\">2 days ago</time>");
    assert_eq!(
        (c.text.as_str(), c.hint.as_deref()),
        ("2 days ago", Some("2026-11-20T18:03:11Z"))
    );
    let c = td("<span title=\"Feb 3, 2024, 10:12 AM\">Feb 3</span>");
    assert_eq!(c.hint.as_deref(), Some("Feb 3, 2024, 10:12 AM"));
    // A title that is not a date is no hint.
    assert_eq!(td("<span title=\"Copy to clipboard\">x</span>").hint, None);
    // A tooltip's date; a `datetime` counts only on `<time>`, and comes before its title.
    let hint = |html: &str| td(html).hint;
    assert_eq!(
        hint("<span data-tooltip=\"2024-02-03\">Feb 3</span>").as_deref(),
        Some("2024-02-03")
    );
    assert_eq!(
        hint("<span datetime=\"2024-02-03\" title=\"2025-01-01\">x</span>").as_deref(),
        Some("2025-01-01")
    );
    assert_eq!(
        hint("<time title=\"2025-01-01\" datetime=\"2024-02-03\">x</time>").as_deref(),
        Some("2024-02-03")
    );
}

/// The one-pass forms agree with what they replaced: `tidy` with its split-join-filter
/// definition, `is_badge_words` with `is_badge` of the tidied text on one line.
#[test]
fn tidy_and_badge_words_match_their_definitions() {
    let samples = [
        "",
        "  ",
        "\n\n",
        "Service  account",
        " service\naccount ",
        "Service account you",
        "  OWNER ",
        "read\t only",
        "readonly",
        "a  b \n\n c\u{a0}d \n",
        "Owner 26",
        "All",
        "Ünïcode  wörds\n x",
        "you\n",
        "Owner\u{a0}",
        "\u{a0}you",
        "service account\u{2003}",
        "SERVICE\x0bACCOUNT",
        "serviceaccountowner",
        "read only read only read",
        // ASCII whitespace of every kind, and control characters that are not whitespace.
        "\r\n a \r\n\r\nb\x0c c\t",
        "\x1fx \x1f",
        "  lead\n\ntrail  \n",
        " \n x\ny  z ",
        "\t\x0b\x0c\r",
    ];
    for raw in samples {
        let by_definition = raw
            .split('\n')
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(tidy(raw), by_definition, "{raw:?}");
        assert_eq!(
            is_badge_words(raw),
            is_badge(&tidy(raw).replace('\n', " ")),
            "{raw:?}"
        );
    }
}

#[test]
fn hidden_reads_each_attribute_as_before() {
    let el = |html: &str| {
        let doc = Html::parse_fragment(html);
        let e = doc
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() != "html")
            .expect("an element");
        hidden(e.value())
    };
    for shown in [
        "<span>x</span>",
        "<span aria-hidden=\"false\">x</span>",
        "<span class=\"hiddenish flex\">x</span>",
        "<span style=\"display: block\">x</span>",
        "<span title=\"hidden\" data-x=\"sr-only\">x</span>",
    ] {
        assert!(!el(shown), "{shown}");
    }
    for gone in [
        "<script>x</script>",
        "<svg></svg>",
        "<span aria-hidden=\" TRUE \">x</span>",
        "<span hidden>x</span>",
        "<span style=\"Display : None\">x</span>",
        "<span style=\"visibility:\nhidden\">x</span>",
        "<span class=\"flex  Visually-Hidden\">x</span>",
        "<span class=\"a tw-sr-only\">x</span>",
    ] {
        assert!(el(gone), "{gone}");
    }
}

#[test]
fn line_breaks_in_text_read_as_spaces() {
    let mut buf = String::from("a");
    push_on_one_line(&mut buf, "b\nc\r\nd\re");
    assert_eq!(buf, "ab c  d e");
    push_on_one_line(&mut buf, "\u{e9}\n");
    assert_eq!(buf, "ab c  d e\u{e9} ");
    assert_eq!(td("<span>one\ntwo</span>").text, "one two");
}

/// A button's text is an action whatever its case; the non-ASCII ones as they are.
#[test]
fn actions_are_matched_whatever_their_case() {
    for (text, action) in [
        ("Copy", true),
        ("REVOKE", true),
        ("Open menu", true),
        ("…", true),
        ("⋮", true),
        ("", true),
        ("checkout-prod", false),
        ("Copyright", false),
        ("Revo\u{212a}e", true),
        ("Édit", false),
    ] {
        assert_eq!(is_action(text), action, "{text:?}");
        assert_eq!(
            is_action(text),
            ACTIONS.contains(&text.to_lowercase().as_str()),
            "{text:?}"
        );
    }
}

#[test]
fn cells_read_one_after_another_keep_only_their_own_text() {
    // The gathering buffer is shared from cell to cell: nothing of a longer cell before stays.
    let doc = Html::parse_document(
        "<table><tr><td>a much longer first cell</td><td>b</td><td></td><td>c d</td></tr></table>",
    );
    let texts: Vec<String> = doc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "td")
        .map(|e| cell(e, jiff::civil::date(2026, 11, 22)).text)
        .collect();
    assert_eq!(texts, ["a much longer first cell", "b", "", "c d"]);
}
