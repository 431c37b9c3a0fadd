//! Text renderings of a [`Report`] for the terminal and for Markdown (the CLI's `--format table`
//! and `--format markdown`). Pure functions of the report: they format, they never compute
//! findings or totals.
//!
//! The table fits an 80-column terminal: the summary first, then findings by severity, then keys
//! grouped by owner. Long names are cut with `…` rather than wrapping the layout.

mod coverage;

use std::fmt::Write;

use crate::model::LastUsed;
use crate::report::{Finding, KeyReport, Report, Severity};

mod providers;

/// Terminal width the table layout is made for.
pub const WIDTH: usize = 80;

/// Cuts `s` to at most `width` characters, marking a cut with `…`; control characters become
/// spaces so untrusted names cannot move the cursor or clear the screen.
pub fn fit(s: &str, width: usize) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= width {
        return clean;
    }
    let mut out: String = clean.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Word-wraps `s` into lines of at most `width` characters, each starting with `indent`.
pub fn wrap(s: &str, width: usize, indent: &str) -> String {
    let room = width.saturating_sub(indent.chars().count()).max(10);
    let mut out = String::new();
    let mut line = String::new();
    for word in fit(s, usize::MAX).split(' ').filter(|w| !w.is_empty()) {
        let word = fit(word, room);
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let n = f.chars().count();
    format!("{f}{}", " ".repeat(width.saturating_sub(n)))
}

fn money(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("${v:.2}"),
        None => "—".into(),
    }
}

fn last_used(l: LastUsed) -> String {
    match l {
        LastUsed::Date(d) => d.to_string(),
        LastUsed::Never => "never".into(),
        LastUsed::Unknown => "unknown".into(),
    }
}

fn key_label(k: &KeyReport) -> String {
    crate::report::key_label(&k.key.name, k.key.redacted.as_deref())
}

fn project_of(k: &KeyReport) -> String {
    k.key
        .project
        .as_ref()
        .map(|p| p.label().to_string())
        .unwrap_or_default()
}

fn severity_line(r: &Report) -> String {
    let f = &r.summary.findings;
    let mut s = format!(
        "Findings: {} critical, {} high, {} medium, {} low, {} info",
        f.critical, f.high, f.medium, f.low, f.info
    );
    if r.summary.muted > 0 {
        let _ = write!(s, " ({} muted)", r.summary.muted);
    }
    s
}

fn title(r: &Report) -> String {
    let mut t = String::from("Key Roster audit");
    if let Some(org) = &r.org {
        let _ = write!(t, " — {}", fit(org, 30));
    }
    if let Some(d) = r.as_of {
        let _ = write!(t, " — as of {d}");
    }
    if !r.policy.is_empty() {
        let _ = write!(t, " (policy {})", r.policy);
    }
    t
}

/// The human table for an 80-column terminal.
pub fn table(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}", fit(&title(r), WIDTH));
    let _ = writeln!(o, "{}", "=".repeat(title(r).chars().count().min(WIDTH)));
    let s = &r.summary;
    let _ = writeln!(
        o,
        "Keys {} ({} active) · Owners {} · Projects {} · Members {} · Cost {}",
        s.keys,
        s.active_keys,
        s.owners,
        s.projects,
        s.members,
        money(s.cost_usd)
    );
    let _ = writeln!(o, "{}", severity_line(r));
    providers::totals(r, &mut o);
    if let Some(c) = &r.comparison {
        let since = c
            .previous_as_of
            .map(|d| format!(" since {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "Compared{since}: {} new findings, {} fixed, {} still open; {} keys added, {} removed",
            c.findings_new,
            c.findings_fixed.len(),
            c.findings_open,
            c.keys_added,
            c.keys_removed.len()
        );
    }
    coverage::coverage(&mut o, r);
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Sources ({} read, {} failed)",
        s.sources_read, s.sources_failed
    );
    for src in &r.sources {
        match &src.error {
            Some(e) => {
                let _ = writeln!(o, "  ✗ {}", fit(e, WIDTH - 4));
            }
            None => {
                let _ = writeln!(
                    o,
                    "  ✓ {} {} {:>6} records",
                    pad(&src.name, 34),
                    pad(&src.kind, 24),
                    src.records
                );
                for w in &src.warnings {
                    let _ = writeln!(o, "      ! {}", fit(w, WIDTH - 8));
                }
            }
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "FINDINGS");
    if r.findings.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for sev in Severity::ALL {
        let of_sev: Vec<&Finding> = r.findings.iter().filter(|f| f.severity == sev).collect();
        if of_sev.is_empty() {
            continue;
        }
        let _ = writeln!(o, "{} ({})", sev.as_str().to_uppercase(), of_sev.len());
        for f in of_sev {
            let mark = if f.muted.is_some() { " [muted]" } else { "" };
            let change = f
                .change
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let head = format!("  {}{mark}{change}: {}", f.rule, f.subject);
            let _ = writeln!(o, "{}", fit(&head, WIDTH));
            o.push_str(&wrap(&f.message, WIDTH, "    "));
            if let Some(m) = &f.muted {
                let until = m.until.map(|d| format!(" until {d}")).unwrap_or_default();
                o.push_str(&wrap(&format!("muted{until}: {}", m.reason), WIDTH, "    "));
            } else {
                o.push_str(&wrap(&format!("→ {}", f.remediation), WIDTH, "    "));
            }
        }
    }
    let skipped: Vec<_> = r.rules.iter().filter(|x| x.enabled && !x.ran).collect();
    if !skipped.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Checks that did not run");
        for x in skipped {
            let why = x.reason.as_deref().unwrap_or("its input is missing");
            o.push_str(&wrap(&format!("{}: {why}", x.rule), WIDTH, "  "));
        }
    }
    let partial: Vec<_> = r
        .rules
        .iter()
        .filter(|x| x.ran && x.note.is_some())
        .collect();
    if !partial.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Checks that could not judge every key");
        for x in partial {
            let note = x.note.as_deref().unwrap_or_default();
            o.push_str(&wrap(&format!("{}: {note}", x.rule), WIDTH, "  "));
        }
    }
    if let Some(c) = &r.comparison {
        if !c.findings_fixed.is_empty() || !c.keys_removed.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "Since the previous audit");
            for g in &c.findings_fixed {
                let what = format!(
                    "  fixed {}: {}",
                    g.rule.as_deref().unwrap_or("?"),
                    g.key_name
                        .as_deref()
                        .or(g.redacted.as_deref())
                        .unwrap_or("?")
                );
                let _ = writeln!(o, "{}", fit(&what, WIDTH));
            }
            for g in &c.keys_removed {
                let what = format!(
                    "  removed key {}",
                    g.key_name
                        .as_deref()
                        .or(g.redacted.as_deref())
                        .unwrap_or("?")
                );
                let _ = writeln!(o, "{}", fit(&what, WIDTH));
            }
        }
    }

    if !r.summary.providers.is_empty() {
        providers::keys_by_owner(r, &mut o);
        return o;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "KEYS BY OWNER");
    for g in &r.groups.by_owner {
        let mut head = g.label.clone();
        if let Some(d) = g.detail.as_deref().filter(|d| *d != g.label) {
            let _ = write!(head, " <{d}>");
        }
        if let Some(t) = &g.owner_type {
            let _ = write!(head, " ({t})");
        }
        let _ = write!(head, " — {} keys, {} active", g.keys, g.active_keys);
        let _ = writeln!(o, "{}", fit(&head, WIDTH));
        if let Some(roles) = &g.roles {
            o.push_str(&wrap(&roles.line(), WIDTH, "  "));
        }
        let _ = writeln!(
            o,
            "  {} {} {} {}",
            pad("KEY", 34),
            pad("PROJECT", 18),
            pad("LAST USED", 10),
            pad("RISK", 8)
        );
        for &i in &g.key_indexes {
            let Some(k) = r.keys.get(i) else { continue };
            let project = project_of(k);
            let _ = writeln!(
                o,
                "  {} {} {} {}",
                pad(&key_label(k), 34),
                pad(&project, 18),
                pad(&last_used(k.key.last_used), 10),
                pad(k.risk.map_or("none", Severity::as_str), 8)
            );
        }
    }
    coverage::unlisted(&mut o, r);
    o
}

/// Escapes text for a Markdown table cell: pipes, backticks, angle brackets and newlines, so an
/// untrusted name cannot break the table or inject HTML into a rendered page.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown report (for an issue, a wiki page or a CI job summary).
pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&title(r)));
    let s = &r.summary;
    let _ = writeln!(o, "| Keys | Active | Owners | Projects | Members | Cost |");
    let _ = writeln!(o, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} |\n",
        s.keys,
        s.active_keys,
        s.owners,
        s.projects,
        s.members,
        md(&money(s.cost_usd))
    );
    let _ = writeln!(o, "{}\n", severity_line(r));

    let _ = writeln!(o, "## Findings\n");
    if r.findings.is_empty() {
        let _ = writeln!(o, "None.\n");
    } else {
        let _ = writeln!(o, "| Severity | Rule | Subject | Evidence | Remediation |");
        let _ = writeln!(o, "|---|---|---|---|---|");
        for f in &r.findings {
            let sev = if f.muted.is_some() {
                format!("{} (muted)", f.severity)
            } else {
                f.severity.to_string()
            };
            let _ = writeln!(
                o,
                "| {} | `{}` | {} | {} | {} |",
                sev,
                md(&f.rule).replace("\\`", ""),
                md(&f.subject),
                md(&f.message),
                md(&f.remediation)
            );
        }
        let _ = writeln!(o);
    }
    let skipped: Vec<_> = r.rules.iter().filter(|x| x.enabled && !x.ran).collect();
    if !skipped.is_empty() {
        let _ = writeln!(o, "### Checks that did not run\n");
        for x in skipped {
            let _ = writeln!(
                o,
                "- `{}`: {}",
                x.rule,
                md(x.reason.as_deref().unwrap_or("its input is missing"))
            );
        }
        let _ = writeln!(o);
    }
    let partial: Vec<_> = r
        .rules
        .iter()
        .filter(|x| x.ran && x.note.is_some())
        .collect();
    if !partial.is_empty() {
        let _ = writeln!(o, "### Checks that could not judge every key\n");
        for x in partial {
            let note = x.note.as_deref().unwrap_or_default();
            let _ = writeln!(o, "- `{}`: {}", x.rule, md(note));
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Keys by owner\n");
    let _ = writeln!(o, "| Owner | Key | Project | Last used | Risk | Rules |");
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for g in &r.groups.by_owner {
        for &i in &g.key_indexes {
            let Some(k) = r.keys.get(i) else { continue };
            let project = project_of(k);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                md(&g.label),
                md(&key_label(k)),
                md(&project),
                last_used(k.key.last_used),
                k.risk.map_or("none", Severity::as_str),
                md(&k.rules.join(", "))
            );
        }
    }
    let _ = writeln!(o, "\n## Sources\n");
    for src in &r.sources {
        match &src.error {
            Some(e) => {
                let _ = writeln!(o, "- ✗ {}", md(e));
            }
            None => {
                let _ = writeln!(
                    o,
                    "- {} — {}, {} records",
                    md(&src.name),
                    md(&src.kind),
                    src.records
                );
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Key, Owner, OwnerType, ProjectRef};
    use crate::report::{GroupRow, Target};

    fn report() -> Report {
        let key = Key {
            name: "deploy \u{1b}[2J bot with a very long name that will not fit".into(),
            redacted: Some("sk-proj-...a1B2".into()),
            project: Some(ProjectRef {
                id: Some("proj_1".into()),
                name: Some("Payments".into()),
            }),
            owner: Owner {
                kind: OwnerType::User,
                name: Some("Ada".into()),
                email: Some("ada@acme.test".into()),
                id: None,
            },
            last_used: LastUsed::Never,
            ..Key::default()
        };
        Report {
            as_of: Some(jiff::civil::date(2026, 11, 22)),
            org: Some("Acme".into()),
            policy: "default".into(),
            keys: vec![KeyReport {
                key,
                age_days: Some(10),
                idle_days: None,
                active: false,
                rules: vec!["never-used".into()],
                risk: Some(Severity::Low),
                change: None,
                last_seen: None,
            }],
            groups: crate::report::Groups {
                by_owner: vec![GroupRow {
                    label: "Ada".into(),
                    detail: Some("ada@acme.test".into()),
                    owner_type: Some("user".into()),
                    keys: 1,
                    key_indexes: vec![0],
                    ..GroupRow::default()
                }],
                ..Default::default()
            },
            findings: vec![Finding {
                rule: "never-used".into(),
                severity: Severity::Low,
                subject: "a|b".into(),
                target: Target {
                    kind: "key".into(),
                    key_name: Some("a|b".into()),
                    ..Target::default()
                },
                message: "never used, created 2026-10-01 (52 days ago)".into(),
                remediation: "Revoke it.".into(),
                muted: None,
                change: None,
            }],
            ..Report::default()
        }
    }

    #[test]
    fn table_fits_80_columns_and_strips_control_characters() {
        let t = table(&report());
        for line in t.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
        }
        assert!(!t.contains('\u{1b}'));
        assert!(t.contains("KEYS BY OWNER"));
        assert!(t.contains("Ada <ada@acme.test> (user) — 1 keys, 0 active"));
        assert!(t.contains("LOW (1)"));
        assert!(t.contains("never"));
    }

    #[test]
    fn markdown_escapes_table_breaking_text() {
        let m = markdown(&report());
        assert!(m.contains("a\\|b"));
        assert!(m.contains("| Ada |"));
    }

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let w = wrap("one two three four five six seven", 16, "  ");
        assert_eq!(w, "  one two three\n  four five six\n  seven\n");
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
