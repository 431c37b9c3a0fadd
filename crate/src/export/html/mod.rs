//! The HTML report: one self-contained file to hand to someone who does not run Key Roster.
//!
//! Inline CSS only (`report.css`, beside this file), no script, no request of any kind (a Content
//! Security Policy in the file says so to the browser too), charts as inline SVG. It reads in
//! light and dark, and prints to PDF with one part per page and no table row cut in two.
//!
//! Like every renderer it computes nothing: what it shows comes from the [`Report`], so the CLI,
//! the extension and www write the same bytes for the same report. Nothing in it depends on the
//! clock or on hash order; the only date is the report's `as_of`. Every untrusted string goes
//! through [`escape`]. This file writes the document, its header and the summary with its
//! charts (`chart`); `sections` writes findings, keys by owner and sources.

mod chart;
mod coverage;
pub mod escape;
mod sections;

use std::fmt::Write;

use crate::report::{GroupRow, Report, RuleRun, Severity};

/// The style sheet, inlined.
const CSS: &str = include_str!("report.css");

/// How many characters of a name (key, owner, project, file) are shown before it is cut.
const NAME_MAX: usize = 80;

/// Bars per chart, as the report UI draws them.
const CHART_ROWS: usize = 12;

/// The report as one HTML document.
pub fn report(r: &Report) -> String {
    let mut o = String::with_capacity(16 * 1024 + r.keys.len() * 600);
    let title = match (&r.org, r.as_of) {
        (Some(org), Some(d)) => format!("Key Roster audit — {org} — as of {d}"),
        (Some(org), None) => format!("Key Roster audit — {org}"),
        (None, Some(d)) => format!("Key Roster audit — as of {d}"),
        (None, None) => "Key Roster audit".to_string(),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <meta name=\"generator\" content=\"Key Roster\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        escape::text(&title)
    );
    header(&mut o, r);
    summary(&mut o, r);
    sections::findings(&mut o, r);
    sections::keys_by_owner(&mut o, r);
    coverage::unlisted(&mut o, r);
    sections::sources(&mut o, r);
    o.push_str(
        "<footer class=\"muted small\">Made by Key Roster from the inputs listed under Sources. \
         Keys appear only redacted; this file runs no script and loads nothing.</footer>\n\
         </body>\n</html>\n",
    );
    o
}

fn header(o: &mut String, r: &Report) {
    let s = &r.summary;
    o.push_str("<header>\n");
    match &r.org {
        Some(org) => {
            let _ = writeln!(o, "<h1>Key roster — {}</h1>", escape::cut(org, NAME_MAX));
        }
        None => o.push_str("<h1>Key roster</h1>\n"),
    }
    let as_of = r.as_of.map_or("—".to_string(), |d| d.to_string());
    let _ = write!(
        o,
        "<p class=\"muted\">As of {as_of} · policy {} · {}",
        escape::text(&r.policy),
        plural(s.sources_read, "input", "inputs"),
    );
    o.push_str(" read");
    if s.sources_failed > 0 {
        let _ = write!(o, ", {} unreadable", s.sources_failed);
    }
    o.push_str("</p>\n<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#findings\">Findings</a><a href=\"#keys\">Keys by owner</a><a href=\"#sources\">Sources</a></nav>\n</header>\n");
}

fn summary(o: &mut String, r: &Report) {
    let s = &r.summary;
    o.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    let muted = if s.muted > 0 {
        format!("{} muted", s.muted)
    } else {
        String::new()
    };
    for (label, value, note) in [
        (
            "Keys",
            s.keys.to_string(),
            format!("{} active in the last 30 days", s.active_keys),
        ),
        ("Owners", s.owners.to_string(), String::new()),
        ("Projects", s.projects.to_string(), String::new()),
        ("Members", s.members.to_string(), String::new()),
        ("Cost", money(s.cost_usd), String::new()),
        ("Findings", s.findings.total().to_string(), muted),
    ] {
        let _ = write!(
            o,
            "<div class=\"card\"><div class=\"card-value\">{}</div><div class=\"card-label\">{label}</div>",
            escape::text(&value)
        );
        if !note.is_empty() {
            let _ = write!(
                o,
                "<div class=\"muted small\">{}</div>",
                escape::text(&note)
            );
        }
        o.push_str("</div>\n");
    }
    o.push_str("</div>\n<p class=\"sev-row\">");
    for sev in Severity::ALL {
        let n = s.findings.get(sev);
        let zero = if n == 0 { " zero" } else { "" };
        // Spaced, so copied text reads "1 critical 3 high", not "1 critical3 high".
        let _ = write!(o, "<span class=\"sev sev-{sev}{zero}\">{n} {sev}</span> ");
    }
    o.push_str("</p>\n");
    providers(o, r);
    coverage::coverage(o, r);
    if let Some(c) = &r.comparison {
        let since = c
            .previous_as_of
            .map_or("the previous audit".to_string(), |d| d.to_string());
        let _ = writeln!(
            o,
            "<p class=\"note\">Since {since}: {} new findings, {} fixed, {} still open; {} keys added, {} removed.</p>",
            c.findings_new,
            c.findings_fixed.len(),
            c.findings_open,
            c.keys_added,
            c.keys_removed.len()
        );
    }
    if s.exposed_secrets > 0 {
        let (what, it) = if s.exposed_secrets == 1 {
            ("A full secret key was".to_string(), "it")
        } else {
            (
                format!("{} full secret keys were", s.exposed_secrets),
                "them",
            )
        };
        let _ = writeln!(
            o,
            "<p class=\"alert\">{what} found in the inputs. Key Roster redacted {it} on reading and keeps no copy; see Findings, and rotate {it}.</p>"
        );
    }
    let skipped = not_run(r).count();
    if skipped > 0 {
        let _ = writeln!(
            o,
            "<p class=\"note\">{} did not run for want of an input (see <a href=\"#findings\">Findings</a>): nothing found there is not an all clear.</p>",
            plural(skipped, "check", "checks")
        );
    }
    o.push_str("<div class=\"charts\">\n");
    let owners: Vec<(&str, f64)> = r
        .groups
        .by_owner
        .iter()
        .take(CHART_ROWS)
        .map(|g| (g.label.as_str(), g.keys as f64))
        .collect();
    let owners_note = shown_of(owners.len(), r.groups.by_owner.len(), "owners");
    o.push_str(&chart::bars("Keys per owner", &owners, count, &owners_note));
    let ages: Vec<(&str, f64)> = r
        .groups
        .by_age
        .iter()
        .map(|g| (g.label.as_str(), g.keys as f64))
        .collect();
    o.push_str(&chart::bars("Keys by age", &ages, count, ""));
    let costly: Vec<&GroupRow> = r
        .groups
        .by_project
        .iter()
        .filter(|p| p.cost_usd.is_some_and(|c| c != 0.0))
        .collect();
    let costs: Vec<(&str, f64)> = costly
        .iter()
        .take(CHART_ROWS)
        .map(|g| (g.label.as_str(), g.cost_usd.unwrap_or(0.0)))
        .collect();
    let costs_note = shown_of(costs.len(), costly.len(), "projects");
    o.push_str(&chart::bars(
        "Cost per project (USD)",
        &costs,
        |v| money(Some(v)),
        &costs_note,
    ));
    o.push_str("</div>\n</section>\n");
}

/// One row per provider when the roster holds more than OpenAI's keys: the same totals the
/// report UI's Summary and the terminal table show, with each platform's word for a scope.
fn providers(o: &mut String, r: &Report) {
    let totals = &r.summary.providers;
    if totals.is_empty() {
        return;
    }
    o.push_str("<table class=\"providers\">\n<thead><tr><th scope=\"col\">Provider</th><th scope=\"col\" class=\"num\">Keys</th><th scope=\"col\" class=\"num\">Active</th><th scope=\"col\" class=\"num\">Owners</th><th scope=\"col\">Scopes</th><th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\" class=\"num\">Cost</th></tr></thead>\n<tbody>\n");
    for t in totals {
        let scopes = plural(t.scopes, &t.scope_noun, &format!("{}s", t.scope_noun));
        let seen = t.usage_seen.map_or(String::new(), |[from, to]| {
            format!("<div class=\"muted small\">last seen from usage covering {from} to {to}</div>")
        });
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}{seen}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape::text(&t.label),
            t.keys,
            t.active_keys,
            t.owners,
            escape::text(&scopes),
            t.findings.total(),
            escape::text(&money(t.cost_usd)),
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

/// The enabled checks that did not run, each with its reason.
fn not_run(r: &Report) -> impl Iterator<Item = &RuleRun> {
    r.rules.iter().filter(|run| run.enabled && !run.ran)
}

/// "1 key", "3 keys".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "12 of 40 owners shown" when a chart leaves rows out, else nothing.
fn shown_of(shown: usize, total: usize, what: &str) -> String {
    if shown < total {
        format!("The first {shown} of {total} {what}.")
    } else {
        String::new()
    }
}

fn count(v: f64) -> String {
    format!("{v:.0}")
}

/// `$1,234.56` as the report UI writes it; `—` when unknown.
fn money(v: Option<f64>) -> String {
    let Some(v) = v else {
        return "—".into();
    };
    let cents = (v.abs() * 100.0).round() as u64;
    let digits = (cents / 100).to_string();
    let mut whole = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            whole.push(',');
        }
        whole.push(c);
    }
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${whole}.{:02}", cents % 100)
}

/// Escaped HTML, or a dash when there is nothing to show.
fn dash(html: &str) -> String {
    if html.is_empty() {
        "—".into()
    } else {
        html.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_the_report_ui() {
        assert_eq!(money(Some(1234567.891)), "$1,234,567.89");
        assert_eq!(money(Some(0.5)), "$0.50");
        assert_eq!(money(Some(-12.0)), "-$12.00");
        assert_eq!(money(None), "—");
    }

    #[test]
    fn an_empty_report_still_renders_every_part() {
        let html = report(&Report::default());
        for part in [
            "<h2>Summary</h2>",
            "<h2>Findings</h2>",
            "No findings.",
            "No keys were read.",
            "<h2>Sources</h2>",
        ] {
            assert!(html.contains(part), "{part}");
        }
    }
}
