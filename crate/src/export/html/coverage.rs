//! The HTML report's coverage note (what the roster covers, the pages still to visit, a member's
//! own-keys warning) and its Unlisted keys table: the same words as the report UI's, from the
//! report's `coverage` and `unlisted_keys`. Every string is escaped; untrusted ones are cut.

use std::fmt::Write;

use super::{escape, money, NAME_MAX};
use crate::report::Report;

/// Under the Summary's severity row.
pub(super) fn coverage(o: &mut String, r: &Report) {
    let c = &r.coverage;
    if c.line.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<p class=\"note coverage\"><strong>Coverage:</strong> {}</p>",
        escape::text(&c.line)
    );
    if let Some(w) = &c.warning {
        let _ = writeln!(o, "<p class=\"alert\">{}</p>", escape::text(w));
    }
    let projects = (!c.projects_not_visited.is_empty()).then(|| {
        let names: Vec<String> = c
            .projects_not_visited
            .iter()
            .map(|p| escape::cut(p, NAME_MAX))
            .collect();
        format!("Projects whose keys were not read: {}.", names.join(", "))
    });
    if c.to_visit.is_empty() && projects.is_none() {
        return;
    }
    o.push_str("<ul class=\"to-visit\">\n");
    for v in &c.to_visit {
        let _ = writeln!(o, "<li>Visit {}.</li>", escape::cut(v, 4 * NAME_MAX));
    }
    if let Some(p) = projects {
        let _ = writeln!(o, "<li>{p}</li>");
    }
    o.push_str("</ul>\n");
}

/// A section of its own, only when usage named keys no page listed.
pub(super) fn unlisted(o: &mut String, r: &Report) {
    if r.unlisted_keys.is_empty() {
        return;
    }
    o.push_str(
        "<section id=\"unlisted\" class=\"part\">\n<h2>Unlisted keys</h2>\n<p class=\"muted\">Usage \
         or cost under key ids that no page or file read lists. Called deleted only when an audit \
         log says so.</p>\n<table>\n<thead><tr><th>Key id</th><th>Project</th><th>First day</th>\
         <th>Last day</th><th>Cost</th><th>Status</th></tr></thead>\n<tbody>\n",
    );
    for u in &r.unlisted_keys {
        let project = u.project.as_ref().map(|p| p.label()).unwrap_or("");
        let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let status = match (u.deleted_on, &u.deleted_by) {
            (None, None) => "not listed on any page read".to_string(),
            (on, by) => {
                let by = by
                    .as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
                let after = u
                    .after_deletion
                    .map(|a| format!("; used {} after", money(a.cost_usd)))
                    .unwrap_or_default();
                format!("deleted {}{by} (audit log){after}", day(on))
            }
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape::cut(&u.id, NAME_MAX),
            escape::cut(project, NAME_MAX),
            day(u.first_day),
            day(u.last_day),
            escape::text(&money(u.usage.cost_usd)),
            escape::cut(&status, 2 * NAME_MAX),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}
