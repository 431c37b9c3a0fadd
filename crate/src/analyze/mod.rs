//! Analysis: [`Inventory`] + [`Policy`] + as-of date → [`Report`].
//!
//! Every age is counted against `as_of`, never the clock, so a report is reproducible. The
//! steps: facts per key (age, idle days, active), every rule of [`rules::RULES`] run or said not
//! to have run, mutes applied, findings sorted, then the per-key verdicts, groups and summary
//! derived from those findings. Rules judge; this module only assembles.

pub mod compare;
pub mod groups;
pub mod policy;
pub mod rules;

use jiff::civil::Date;

use crate::model::{Inventory, Key};
use crate::report::{Finding, KeyReport, Muted, Report, RuleRun, Severity, Summary, Target};
use crate::secret::{canonical_redaction, same_key_value};
pub use policy::Policy;
use rules::{days_between, fold, Ctx, Facts, Outcome, RULES};

/// Judges `inv` by `policy` as of `as_of`.
pub fn analyze(inv: &Inventory, policy: &Policy, as_of: Date) -> Report {
    let active_days = policy.thresholds.active_days;
    let facts: Vec<Facts> = inv
        .keys
        .iter()
        .map(|k| {
            let idle_days = k.last_used.date().map(|d| days_between(d, as_of));
            Facts {
                age_days: k.created.map(|d| days_between(d, as_of)),
                idle_days,
                active: !k.deleted && idle_days.is_some_and(|d| d < active_days),
            }
        })
        .collect();
    let ctx = Ctx {
        inv,
        policy,
        as_of,
        facts: &facts,
    };

    let mut findings = Vec::new();
    let mut runs = Vec::new();
    for rule in &RULES {
        let setting = policy.rule(rule.id);
        let mut run = RuleRun {
            rule: rule.id.to_string(),
            severity: setting.severity,
            enabled: setting.enabled,
            ran: false,
            reason: None,
            findings: 0,
        };
        if !setting.enabled {
            run.reason = Some("disabled by the policy".into());
            runs.push(run);
            continue;
        }
        match rules::run(rule, &ctx) {
            Outcome::DidNotRun(why) => run.reason = Some(why),
            Outcome::Ran(hits) => {
                run.ran = true;
                run.findings = hits.len();
                for hit in hits {
                    let mut f = Finding {
                        rule: rule.id.to_string(),
                        severity: setting.severity,
                        target: hit.target,
                        message: hit.message,
                        remediation: rule.remediation.to_string(),
                        muted: None,
                        change: None,
                    };
                    apply_mutes(&mut f, inv, policy, as_of);
                    findings.push(f);
                }
            }
        }
        runs.push(run);
    }
    // Highest severity first, then by what the finding is about; the sort is stable, so rules
    // keep their table order within a key.
    findings.sort_by_cached_key(|f| (std::cmp::Reverse(f.severity), subject(&f.target)));

    // Each key's findings, in report (severity) order.
    let mut of_key: Vec<Vec<&Finding>> = vec![Vec::new(); inv.keys.len()];
    for f in &findings {
        if let Some(v) = f.target.key_index.and_then(|i| of_key.get_mut(i)) {
            v.push(f);
        }
    }
    let keys: Vec<KeyReport> = inv
        .keys
        .iter()
        .zip(&facts)
        .zip(&of_key)
        .map(|((k, f), mine)| {
            let mut ids: Vec<String> = Vec::new();
            for x in mine {
                if !ids.contains(&x.rule) {
                    ids.push(x.rule.clone());
                }
            }
            KeyReport {
                key: k.clone(),
                age_days: f.age_days,
                idle_days: f.idle_days,
                active: f.active,
                rules: ids,
                risk: mine
                    .iter()
                    .filter(|x| x.muted.is_none())
                    .map(|x| x.severity)
                    .max(),
                change: None,
            }
        })
        .collect();

    let groups = groups::build(&keys, &findings);
    let summary = summarize(inv, &keys, &findings);
    Report {
        as_of: Some(as_of),
        org: inv.org.clone(),
        policy: policy.name.clone(),
        sources: inv.sources.clone(),
        keys,
        members: inv.members.clone(),
        projects: inv.projects.clone(),
        groups,
        findings,
        rules: runs,
        summary,
        comparison: None,
    }
}

/// What a finding is sorted by after severity: its key's name (else redaction), project or
/// source, folded so case does not split the order.
fn subject(t: &Target) -> String {
    let s = t
        .key_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .or(t.redacted.as_deref())
        .or(t.project.as_deref())
        .or(t.source.as_deref())
        .unwrap_or("");
    fold(s)
}

/// Whether `pattern` (a mute's `key`) names `key`: its id, its redacted value, or its name.
pub fn names_key(pattern: &str, key: &Key) -> bool {
    let p = pattern.trim();
    if key.id.as_deref() == Some(p) {
        return true;
    }
    if let (Some(a), Some(b)) = (canonical_redaction(p), key.redacted.as_deref()) {
        if same_key_value(&a, b) {
            return true;
        }
    }
    !key.name.trim().is_empty() && fold(&key.name) == fold(p)
}

/// Whether a mute's `key` names what the finding is about.
fn mute_covers(pattern: &str, f: &Finding, inv: &Inventory) -> bool {
    let t = &f.target;
    if let Some(k) = t.key_index.and_then(|i| inv.keys.get(i)) {
        return names_key(pattern, k);
    }
    let p = pattern.trim();
    if let (Some(a), Some(b)) = (canonical_redaction(p), t.redacted.as_deref()) {
        if same_key_value(&a, b) {
            return true;
        }
    }
    t.project.as_deref().is_some_and(|l| fold(l) == fold(p))
        || inv.projects.iter().any(|pr| {
            pr.id.as_deref() == Some(p)
                && pr.name.as_deref().or(pr.id.as_deref()) == t.project.as_deref()
        })
}

/// Marks `f` muted by the first mute in force that covers it. A mute past its `until` date no
/// longer mutes; the finding then says so, so nobody wonders why it came back.
fn apply_mutes(f: &mut Finding, inv: &Inventory, policy: &Policy, as_of: Date) {
    let covering = policy
        .mutes
        .iter()
        .filter(|m| m.rule.as_deref().is_none_or(|r| r == f.rule) && mute_covers(&m.key, f, inv));
    let mut expired = None;
    for m in covering {
        match m.until {
            Some(until) if until < as_of => {
                expired.get_or_insert(m);
            }
            _ => {
                f.muted = Some(Muted {
                    reason: m.reason.clone(),
                    until: m.until,
                });
                return;
            }
        }
    }
    if let Some(m) = expired {
        if let Some(until) = m.until {
            f.message
                .push_str(&format!(" (a mute expired {until}: \"{}\")", m.reason));
        }
    }
}

fn summarize(inv: &Inventory, keys: &[KeyReport], findings: &[Finding]) -> Summary {
    let mut s = Summary {
        keys: keys.len(),
        active_keys: keys.iter().filter(|k| k.active).count(),
        members: inv.members.len(),
        exposed_secrets: inv.exposed.len(),
        sources_read: inv.sources.iter().filter(|x| x.error.is_none()).count(),
        sources_failed: inv.sources.iter().filter(|x| x.error.is_some()).count(),
        ..Summary::default()
    };
    let mut owners: Vec<String> = keys
        .iter()
        .map(|k| k.key.owner.label().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    owners.sort_unstable();
    owners.dedup();
    s.owners = owners.len();

    // A key's project reference may carry only an id or only a name: count it as the listed
    // project it names, if any, so one project is not counted twice.
    let mut projects: Vec<String> = inv
        .projects
        .iter()
        .map(|p| fold(p.name.as_deref().or(p.id.as_deref()).unwrap_or("")))
        .collect();
    for r in keys.iter().filter_map(|k| k.key.project.as_ref()) {
        if !inv.projects.iter().any(|p| rules::same_project(r, p)) {
            projects.push(fold(r.label()));
        }
    }
    projects.retain(|l| !l.is_empty());
    projects.sort_unstable();
    projects.dedup();
    s.projects = projects.len();

    let costs: Vec<f64> = keys
        .iter()
        .filter_map(|k| k.key.usage.as_ref().and_then(|u| u.cost_usd))
        .collect();
    s.cost_usd = (!costs.is_empty()).then(|| costs.iter().sum());

    for f in findings {
        if f.muted.is_some() {
            s.muted += 1;
        } else {
            s.findings.add(f.severity);
        }
    }
    s
}

/// The severity of the worst unmuted finding of `report`, for `--fail-on`.
pub fn worst(report: &Report) -> Option<Severity> {
    report
        .findings
        .iter()
        .filter(|f| f.muted.is_none())
        .map(|f| f.severity)
        .max()
}
