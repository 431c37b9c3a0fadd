//! Horizontal bar charts as inline SVG, the HTML report's version of the report UI's charts
//! (www/ui/report.js `barChart`): same geometry, labels cut at 22 characters. No script, no
//! external reference; coordinates are printed with one decimal so the bytes are the same on
//! every platform.

use std::fmt::Write;

use super::escape;

const ROW_H: f64 = 22.0;
const LABEL_W: f64 = 150.0;
const BAR_W: f64 = 220.0;
const LABEL_MAX: usize = 22;

/// One chart: `rows` are (label, value), drawn in the order given; `note` (escaped text) goes
/// under the chart, e.g. "12 of 40 owners".
pub fn bars(
    title: &str,
    rows: &[(&str, f64)],
    value: impl Fn(f64) -> String,
    note: &str,
) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<figure class=\"chart\"><figcaption>{}</figcaption>",
        escape::text(title)
    );
    if rows.is_empty() {
        o.push_str("<p class=\"muted\">No data.</p></figure>");
        return o;
    }
    let max = rows.iter().map(|r| r.1).fold(1.0_f64, f64::max);
    let _ = write!(
        o,
        "<svg viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"{}\">",
        escape::attr(title),
        w = LABEL_W + BAR_W + 70.0,
        h = rows.len() as f64 * ROW_H,
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = i as f64 * ROW_H;
        let w = (v / max * BAR_W).max(1.0);
        // Redacted before cutting, as in `escape::cut`.
        let label = escape::redacted(label);
        let shown = if label.chars().count() > LABEL_MAX {
            let mut s: String = label.chars().take(LABEL_MAX - 1).collect();
            s.push('…');
            s
        } else {
            label.to_string()
        };
        let _ = write!(
            o,
            "<g><title>{full}: {val}</title>\
             <text x=\"{lx:.1}\" y=\"{ty:.1}\" text-anchor=\"end\" class=\"chart-label\">{shown}</text>\
             <rect x=\"{LABEL_W:.1}\" y=\"{ry:.1}\" width=\"{w:.1}\" height=\"{rh:.1}\" class=\"chart-bar\"/>\
             <text x=\"{vx:.1}\" y=\"{ty:.1}\" class=\"chart-value\">{val}</text></g>",
            full = escape::text(&label),
            val = escape::text(&value(*v)),
            lx = LABEL_W - 6.0,
            ty = y + 15.0,
            shown = escape::text(&shown),
            ry = y + 4.0,
            rh = ROW_H - 8.0,
            vx = LABEL_W + w + 6.0,
        );
    }
    o.push_str("</svg>");
    if !note.is_empty() {
        let _ = write!(o, "<p class=\"muted small\">{}</p>", escape::text(note));
    }
    o.push_str("</figure>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_labels_are_escaped() {
        let svg = bars(
            "Keys",
            &[("<b>Ada</b>", 4.0), ("Ben", 2.0)],
            |v| format!("{v}"),
            "",
        );
        assert!(svg.contains("width=\"220.0\""), "{svg}");
        assert!(svg.contains("width=\"110.0\""), "{svg}");
        assert!(svg.contains("&lt;b&gt;Ada&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
    }

    #[test]
    fn an_empty_chart_says_so() {
        assert!(bars("Cost", &[], |v| format!("{v}"), "").contains("No data."));
    }
}
