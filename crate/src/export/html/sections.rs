//! The HTML report's long parts: findings (with the checks that did not run), keys grouped by
//! owner, and the inputs read. Split from [`super`] only for length; the same rules hold: text
//! from the report, escaped, nothing computed.

use std::fmt::Write;

use super::{dash, escape, money, not_run, plural, NAME_MAX};
use crate::model::Source;
use crate::report::{Finding, Report, RuleRun, Severity};
use crate::view;

pub(super) fn findings(o: &mut String, r: &Report) {
    o.push_str("<section id=\"findings\" class=\"part\">\n<h2>Findings</h2>\n");
    if r.findings.is_empty() {
        o.push_str("<p>No findings.</p>\n");
    }
    for sev in Severity::ALL {
        let of_sev: Vec<&Finding> = r.findings.iter().filter(|f| f.severity == sev).collect();
        if of_sev.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "<h3><span class=\"sev sev-{sev}\">{sev}</span> {}</h3>\n<ol class=\"findings\">",
            plural(of_sev.len(), "finding", "findings")
        );
        for f in of_sev {
            finding(o, f);
        }
        o.push_str("</ol>\n");
    }
    let skipped: Vec<&RuleRun> = not_run(r).collect();
    if !skipped.is_empty() {
        o.push_str("<h3>Checks that did not run</h3>\n<ul class=\"not-run\">\n");
        for run in skipped {
            let _ = writeln!(
                o,
                "<li><code>{}</code>: {}</li>",
                escape::text(&run.rule),
                escape::text(run.reason.as_deref().unwrap_or("did not run"))
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn finding(o: &mut String, f: &Finding) {
    let class = if f.muted.is_some() {
        "finding is-muted"
    } else {
        "finding"
    };
    let _ = write!(
        o,
        "<li class=\"{class}\"><div class=\"finding-head\"><span class=\"sev sev-{}\">{}</span> <code>{}</code> <strong>{}</strong>",
        f.severity,
        f.severity,
        escape::text(&f.rule),
        escape::cut(&f.subject, NAME_MAX + 30)
    );
    if let Some(m) = &f.muted {
        match m.until {
            Some(d) => {
                let _ = write!(o, "<span class=\"badge\">muted until {d}</span>");
            }
            None => o.push_str("<span class=\"badge\">muted</span>"),
        }
    }
    match f.change.as_deref() {
        Some("open") => o.push_str("<span class=\"badge\">still open</span>"),
        Some(c) => {
            let _ = write!(o, "<span class=\"badge\">{}</span>", escape::text(c));
        }
        None => {}
    }
    let _ = write!(
        o,
        "</div>\n<p>{}</p>\n<p class=\"remedy\"><strong>Fix:</strong> {}</p>\n",
        escape::text(&f.message),
        escape::text(&f.remediation)
    );
    if let Some(m) = &f.muted {
        let until = m
            .until
            .map_or("no expiry".to_string(), |d| format!("until {d}"));
        let _ = writeln!(
            o,
            "<p class=\"muted-why\">Muted ({until}): {}</p>",
            escape::text(&m.reason)
        );
    }
    o.push_str("</li>\n");
}

pub(super) fn keys_by_owner(o: &mut String, r: &Report) {
    o.push_str("<section id=\"keys\" class=\"part\">\n<h2>Keys by owner</h2>\n");
    if r.groups.by_owner.is_empty() {
        o.push_str("<p>No keys were read.</p>\n");
    }
    for g in &r.groups.by_owner {
        let mut about = Vec::new();
        if let Some(d) = &g.detail {
            about.push(escape::cut(d, NAME_MAX));
        }
        if let Some(t) = &g.owner_type {
            about.push(escape::text(&t.replace('_', " ")));
        }
        about.push(plural(g.keys, "key", "keys"));
        if g.cost_usd.is_some() {
            about.push(money(g.cost_usd));
        }
        let _ = writeln!(
            o,
            "<h3 class=\"owner-head\">{} <span class=\"muted\">· {}</span></h3>",
            escape::cut(&g.label, NAME_MAX),
            about.join(" · ")
        );
        o.push_str("<table class=\"keys\">\n<thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Redacted key</th><th scope=\"col\">Project</th><th scope=\"col\">Kind</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th><th scope=\"col\">Risk</th><th scope=\"col\">Rules</th></tr></thead>\n<tbody>\n");
        for &i in &g.key_indexes {
            let Some(k) = r.keys.get(i) else { continue };
            let row = view::row(i, k);
            let name = if row.name.trim().is_empty() {
                "(unnamed)".to_string()
            } else {
                escape::cut(&row.name, NAME_MAX)
            };
            let mut marks = String::new();
            if row.deleted {
                marks.push_str("<span class=\"badge\">deleted</span>");
            }
            if row.change.as_deref() == Some("added") {
                marks.push_str("<span class=\"badge\">new</span>");
            }
            let _ = writeln!(
                o,
                "<tr{}><td>{name}{marks}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td><td><span class=\"sev sev-{risk}\">{risk}</span></td><td class=\"small\">{}</td></tr>",
                if row.deleted { " class=\"deleted\"" } else { "" },
                dash(&escape::cut(
                    if row.redacted.is_empty() { &row.id } else { &row.redacted },
                    NAME_MAX
                )),
                dash(&escape::cut(&row.project, NAME_MAX)),
                escape::text(&row.kind.replace('_', " ")),
                dash(&row.created),
                escape::text(&row.last_used),
                rules(&row.rules),
                risk = escape::text(&row.risk),
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
}

pub(super) fn sources(o: &mut String, r: &Report) {
    let _ = writeln!(
        o,
        "<section id=\"sources\" class=\"part\">\n<h2>Sources</h2>\n<p class=\"muted\">{} read, {} unreadable.</p>",
        plural(r.summary.sources_read, "input", "inputs"),
        r.summary.sources_failed
    );
    o.push_str("<table class=\"sources\">\n<thead><tr><th scope=\"col\">Input</th><th scope=\"col\">Read as</th><th scope=\"col\" class=\"num\">Records</th><th scope=\"col\">Warnings and errors</th></tr></thead>\n<tbody>\n");
    for s in &r.sources {
        source(o, s);
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn source(o: &mut String, s: &Source) {
    let _ = write!(o, "<tr><td>{}", escape::cut(&s.name, NAME_MAX));
    if let Some(url) = &s.url {
        // Shown as text, never as a link: the report makes no request, even on a click.
        let _ = write!(
            o,
            "<div class=\"mono muted small\">{}</div>",
            escape::cut(url, NAME_MAX + 40)
        );
    }
    let _ = write!(
        o,
        "</td><td class=\"mono\">{}</td><td class=\"num\">{}</td><td>",
        escape::text(&s.kind),
        s.records
    );
    if let Some(e) = &s.error {
        let _ = write!(o, "<p class=\"error\">✗ {}</p>", escape::text(e));
    }
    for w in &s.warnings {
        let _ = write!(o, "<p class=\"small\">! {}</p>", escape::text(w));
    }
    if s.error.is_none() && s.warnings.is_empty() {
        o.push_str("<span class=\"muted\">—</span>");
    }
    o.push_str("</td></tr>\n");
}

/// A key's rule ids, each kept on one line.
fn rules(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("<span class=\"rule\">{}</span>", escape::text(id)))
        .collect::<Vec<_>>()
        .join(", ")
}
