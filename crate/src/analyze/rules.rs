//! The eighteen rules of SPEC.md ("Analysis"). Each rule looks at the inventory and the derived
//! key facts (age, idle days, active) and either produces findings, each with its evidence and a
//! remediation, or says it did not run because its input is missing. Rules never guess: an
//! unknown last use is not "never used", and no member list is not "everybody left".

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

use super::policy::Policy;
use super::{days_between, describe_last_used};
use crate::model::{
    Expiry, Inventory, KeyKind, LastUsed, Member, OwnerAccess, OwnerType, Permissions,
};
use crate::report::{Finding, KeyReport, Muted, RuleRun, Severity, Target};

/// What one rule produced: findings, or why it did not run.
struct Outcome {
    findings: Vec<(Target, String, String)>,
    not_run: Option<String>,
}

impl Outcome {
    fn ran() -> Self {
        Outcome {
            findings: Vec::new(),
            not_run: None,
        }
    }
    fn skipped(reason: impl Into<String>) -> Self {
        Outcome {
            findings: Vec::new(),
            not_run: Some(format!("did not run, because {}", reason.into())),
        }
    }
    fn push(&mut self, target: Target, message: String, remediation: &str) {
        self.findings
            .push((target, message, remediation.to_string()));
    }
}

fn key_target(i: usize, k: &KeyReport) -> Target {
    Target {
        kind: "key".into(),
        key_index: Some(i),
        key_id: k.key.id.clone(),
        key_name: Some(k.key.name.clone()),
        redacted: k.key.redacted.clone(),
        project: k
            .key
            .project
            .as_ref()
            .map(|p| p.label().to_string())
            .filter(|s| !s.is_empty()),
        owner: Some(k.key.owner.label().to_string()).filter(|s| !s.is_empty()),
        source: None,
    }
}

/// Unicode-normalized, case-folded text for comparing names; runs of whitespace count as one
/// space, so "ada  LOVELACE" read off one page matches "Ada Lovelace" on another.
pub fn fold(s: &str) -> String {
    s.nfkc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A member who still belongs to the organization (or project).
pub fn is_current(m: &Member) -> bool {
    !matches!(
        m.status
            .as_deref()
            .map(|s| s.to_ascii_lowercase())
            .as_deref(),
        Some(
            "removed" | "deleted" | "deactivated" | "disabled" | "inactive" | "expired" | "banned"
        )
    )
}

/// The keys rules judge: not deleted.
fn live(keys: &[KeyReport]) -> impl Iterator<Item = (usize, &KeyReport)> {
    keys.iter().enumerate().filter(|(_, k)| !k.key.deleted)
}

/// Whether `pattern` occurs in `haystack` as whole words, case-insensitively. A pattern of
/// several words ("customer facing") matches them in sequence whatever separates them
/// ("customer-facing bot").
fn whole_word(haystack: &str, pattern: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (hay, pat) = (words(haystack), words(pattern));
    !pat.is_empty() && hay.windows(pat.len()).any(|w| w == pat.as_slice())
}

fn money(v: f64) -> String {
    format!("${v:.2}")
}

/// Runs every rule; returns the findings (mutes applied, highest severity first) and a
/// [`RuleRun`] for each rule.
pub fn run(
    inv: &Inventory,
    keys: &[KeyReport],
    policy: &Policy,
    as_of: Date,
) -> (Vec<Finding>, Vec<RuleRun>) {
    let mut findings = Vec::new();
    let mut runs = Vec::new();
    for id in super::policy::RULE_IDS {
        let setting = policy.setting(id);
        if !setting.enabled {
            runs.push(RuleRun {
                rule: id.into(),
                severity: setting.severity,
                enabled: false,
                ran: false,
                reason: Some("turned off by the policy".into()),
                findings: 0,
            });
            continue;
        }
        let outcome = rule(id, inv, keys, policy, as_of);
        runs.push(RuleRun {
            rule: id.into(),
            severity: setting.severity,
            enabled: true,
            ran: outcome.not_run.is_none(),
            reason: outcome.not_run,
            findings: outcome.findings.len(),
        });
        for (target, message, remediation) in outcome.findings {
            let mut f = Finding {
                rule: id.into(),
                severity: setting.severity,
                target,
                message,
                remediation,
                muted: None,
                change: None,
            };
            apply_mutes(&mut f, inv, keys, policy, as_of);
            findings.push(f);
        }
    }
    let order: HashMap<&str, usize> = super::policy::RULE_IDS
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, i))
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(order.get(a.rule.as_str()).cmp(&order.get(b.rule.as_str())))
            .then(a.target.key_name.cmp(&b.target.key_name))
            .then(a.target.project.cmp(&b.target.project))
    });
    (findings, runs)
}

fn apply_mutes(f: &mut Finding, inv: &Inventory, keys: &[KeyReport], policy: &Policy, as_of: Date) {
    let key = f.target.key_index.and_then(|i| keys.get(i));
    for m in &policy.mutes {
        if m.rule.as_deref().is_some_and(|r| r != f.rule) {
            continue;
        }
        let wanted = m.key.trim();
        let hit = match key {
            Some(k) => {
                k.key.id.as_deref() == Some(wanted)
                    || k.key.redacted.as_deref().is_some_and(|r| {
                        crate::secret::canonical_redaction(wanted)
                            .is_some_and(|w| crate::secret::same_key_value(r, &w))
                    })
                    || fold(&k.key.name) == fold(wanted)
            }
            None => {
                f.target.redacted.as_deref().is_some_and(|r| {
                    crate::secret::canonical_redaction(wanted)
                        .is_some_and(|w| crate::secret::same_key_value(r, &w))
                }) || f.target.project.as_deref().is_some_and(|p| {
                    // A project finding names the project by its label; a mute may give its id.
                    fold(p) == fold(wanted)
                        || inv.projects.iter().any(|pr| {
                            pr.id.as_deref() == Some(wanted)
                                && pr.name.as_deref().or(pr.id.as_deref()) == Some(p)
                        })
                })
            }
        };
        if !hit {
            continue;
        }
        match m.until {
            Some(until) if until < as_of => {
                f.message
                    .push_str(&format!(" (its mute expired {until}: {})", m.reason));
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
}

fn rule(id: &str, inv: &Inventory, keys: &[KeyReport], p: &Policy, as_of: Date) -> Outcome {
    let t = &p.thresholds;
    let mut o = Outcome::ran();
    match id {
        "exposed-secret" => {
            for e in &inv.exposed {
                // A leaked value that matches a listed key makes that key the one at risk (its
                // risk becomes critical); otherwise the finding is about the input.
                let leaked = keys.iter().enumerate().find(|(_, k)| {
                    k.key
                        .redacted
                        .as_deref()
                        .is_some_and(|r| crate::secret::same_key_value(r, &e.redacted))
                });
                let target = match leaked {
                    Some((i, k)) => Target {
                        source: Some(e.source.clone()),
                        ..key_target(i, k)
                    },
                    None => Target {
                        kind: "source".into(),
                        redacted: Some(e.redacted.clone()),
                        source: Some(e.source.clone()),
                        ..Target::default()
                    },
                };
                o.push(
                    target,
                    format!(
                        "{} holds a full secret key at {} ({}); Key Roster redacted it and kept no copy",
                        e.source, e.location, e.redacted
                    ),
                    "Treat the key as leaked: revoke it on the platform now, create a new one, and delete or clean every copy of this file.",
                );
            }
        }
        "owner-departed" => {
            let current: Vec<&Member> = inv
                .members
                .iter()
                .filter(|m| {
                    m.kind != OwnerType::ServiceAccount && m.project.is_none() && is_current(m)
                })
                .collect();
            let by_id: HashMap<&str, ()> = current
                .iter()
                .filter_map(|m| m.id.as_deref())
                .map(|i| (i, ()))
                .collect();
            let by_email: HashMap<String, ()> = current
                .iter()
                .filter_map(|m| m.email.as_deref())
                .map(|e| (e.to_lowercase(), ()))
                .collect();
            let by_name: HashMap<String, ()> = current
                .iter()
                .filter_map(|m| m.name.as_deref())
                .map(|n| (fold(n), ()))
                .collect();
            let mut judged = false;
            for (i, k) in live(keys) {
                let owner = &k.key.owner;
                if owner.kind != OwnerType::User {
                    continue;
                }
                let who = owner
                    .email
                    .clone()
                    .or(owner.name.clone())
                    .or(owner.id.clone());
                if k.key.owner_access == Some(OwnerAccess::Inactive) {
                    judged = true;
                    let project = k
                        .key
                        .project
                        .as_ref()
                        .map(|p| p.label().to_string())
                        .unwrap_or_else(|| "its project".into());
                    o.push(
                        key_target(i, k),
                        format!("owner {} no longer has access to {project}, but the key still works ({})", who.unwrap_or_else(|| "?".into()), describe_last_used(k.key.last_used, as_of)),
                        "Find who still depends on it, move them to a service-account key, and revoke this one.",
                    );
                    continue;
                }
                if k.key.owner_access == Some(OwnerAccess::Active) {
                    judged = true;
                    continue;
                }
                if !inv.members_known || who.is_none() {
                    continue;
                }
                judged = true;
                let known = owner.id.as_deref().is_some_and(|i| by_id.contains_key(i))
                    || owner
                        .email
                        .as_deref()
                        .is_some_and(|e| by_email.contains_key(&e.to_lowercase()))
                    || (owner.id.is_none()
                        && owner.email.is_none()
                        && owner
                            .name
                            .as_deref()
                            .is_some_and(|n| by_name.contains_key(&fold(n))));
                if !known {
                    o.push(
                        key_target(i, k),
                        format!(
                            "owner {} is not among the {} current members ({})",
                            who.unwrap_or_default(),
                            current.len(),
                            describe_last_used(k.key.last_used, as_of)
                        ),
                        "Confirm the person left; if the key is still needed, replace it with a service-account key, then revoke it.",
                    );
                }
            }
            if !judged && keys.iter().any(|k| k.key.owner.kind == OwnerType::User) {
                o = Outcome::skipped("no member list was read and the keys do not say whether their owners still have access; add the members page or users.json");
            }
        }
        "legacy-user-key" => {
            for (i, k) in live(keys).filter(|(_, k)| k.key.kind == KeyKind::User) {
                o.push(
                    key_target(i, k),
                    format!(
                        "legacy user key {}: not scoped to a project, it reaches every project of the organization ({})",
                        k.key.redacted.as_deref().unwrap_or("sk-..."),
                        describe_last_used(k.key.last_used, as_of)
                    ),
                    "Replace it with a project key or a service-account key scoped to what it needs, then revoke it.",
                );
            }
        }
        "admin-key-idle" => {
            let admins: Vec<_> = live(keys)
                .filter(|(_, k)| k.key.kind == KeyKind::Admin)
                .collect();
            if !admins.is_empty()
                && admins
                    .iter()
                    .all(|(_, k)| k.key.last_used == LastUsed::Unknown)
            {
                return Outcome::skipped("no admin key's last use is known");
            }
            for (i, k) in live(keys).filter(|(_, k)| k.key.kind == KeyKind::Admin) {
                let fire = match k.key.last_used {
                    LastUsed::Date(_) => k.idle_days.is_some_and(|d| d >= t.admin_idle_days),
                    LastUsed::Never => true,
                    LastUsed::Unknown => false,
                };
                if fire {
                    o.push(
                        key_target(i, k),
                        format!("admin key {} (threshold {} days)", describe_last_used(k.key.last_used, as_of), t.admin_idle_days),
                        "Admin keys can manage the whole organization: revoke this one if nothing uses it.",
                    );
                }
            }
        }
        "unused" => {
            if keys.iter().all(|k| k.key.last_used.date().is_none()) && !keys.is_empty() {
                return Outcome::skipped("no input says when any key was last used");
            }
            for (i, k) in live(keys) {
                if let (LastUsed::Date(d), Some(idle)) = (k.key.last_used, k.idle_days) {
                    if idle >= t.unused_days {
                        o.push(
                            key_target(i, k),
                            format!(
                                "last used {d}, {idle} days ago (threshold {} days)",
                                t.unused_days
                            ),
                            "Revoke the key if nothing needs it; unused keys are pure risk.",
                        );
                    }
                }
            }
        }
        "never-used" => {
            if live(keys).next().is_some() && live(keys).all(|(_, k)| k.key.created.is_none()) {
                return Outcome::skipped("no input says when the keys were created");
            }
            for (i, k) in live(keys) {
                if k.key.last_used == LastUsed::Never {
                    if let (Some(c), Some(age)) = (k.key.created, k.age_days) {
                        if age >= t.never_used_days {
                            o.push(
                                key_target(i, k),
                                format!("never used, created {c} ({age} days ago)"),
                                "Revoke it: a key nobody used in two weeks is rarely needed.",
                            );
                        }
                    }
                }
            }
        }
        "rotation-overdue" => {
            if keys.iter().all(|k| k.key.created.is_none()) && !keys.is_empty() {
                return Outcome::skipped("no input says when the keys were created");
            }
            for (i, k) in live(keys) {
                if let (Some(c), Some(age)) = (k.key.created, k.age_days) {
                    if age >= t.rotation_days && k.active {
                        o.push(
                            key_target(i, k),
                            format!("created {c}, {age} days ago, and still in use ({}) (rotate every {} days)", describe_last_used(k.key.last_used, as_of), t.rotation_days),
                            "Create a new key, move its users to it, then revoke this one.",
                        );
                    }
                }
            }
        }
        "user-key-in-production" => {
            for (i, k) in live(keys).filter(|(_, k)| k.key.owner.kind == OwnerType::User) {
                let project = k.key.project.as_ref().map(|p| p.label()).unwrap_or("");
                let hit = p.production_patterns.iter().find_map(|pat| {
                    if whole_word(&k.key.name, pat) {
                        Some(format!("its name {:?} says {pat}", k.key.name))
                    } else if whole_word(project, pat) {
                        Some(format!("its project {project:?} says {pat}"))
                    } else {
                        None
                    }
                });
                if let Some(why) = hit {
                    o.push(
                        key_target(i, k),
                        format!("owned by {} and {why}: it stops working when that person's account goes", k.key.owner.label()),
                        "Move production traffic to a service-account key, then revoke this one.",
                    );
                }
            }
        }
        "no-spend-limit" => {
            if !inv.projects.iter().any(|p| p.limits_known) {
                return Outcome::skipped(
                    "no limits page or file was read, so hard limits are unknown",
                );
            }
            // Spend per project: project-level and key-level usage rows alike.
            let mut spend: HashMap<String, (f64, u64)> = HashMap::new();
            for r in &inv.usage {
                for key in r
                    .project
                    .iter()
                    .flat_map(|p| [p.id.clone(), p.name.as_deref().map(fold)])
                    .flatten()
                {
                    let e = spend.entry(key).or_default();
                    e.0 += r.usage.cost_usd.unwrap_or(0.0);
                    e.1 += r.usage.requests.unwrap_or(0);
                }
            }
            // Keys' own usage counts for the projects no usage row speaks of (a keys page with a
            // usage column beside a project-level export of other projects); where rows exist
            // the keys' usage was folded from them, so adding it again would count twice.
            let from_rows: std::collections::HashSet<String> = spend.keys().cloned().collect();
            for (_, k) in live(keys) {
                if let (Some(pr), Some(u)) = (&k.key.project, k.key.usage) {
                    let ids: Vec<String> = [pr.id.clone(), pr.name.as_deref().map(fold)]
                        .into_iter()
                        .flatten()
                        .collect();
                    if ids.iter().any(|i| from_rows.contains(i)) {
                        continue;
                    }
                    for key in ids {
                        let e = spend.entry(key).or_default();
                        e.0 += u.cost_usd.unwrap_or(0.0);
                        e.1 += u.requests.unwrap_or(0);
                    }
                }
            }
            for pr in inv
                .projects
                .iter()
                .filter(|p| p.limits_known && p.hard_limit_usd.is_none())
            {
                let (cost, requests) = pr
                    .id
                    .as_ref()
                    .and_then(|i| spend.get(i))
                    .or_else(|| pr.name.as_deref().and_then(|n| spend.get(&fold(n))))
                    .copied()
                    .unwrap_or_default();
                if cost > 0.0 || requests > 0 {
                    let label = pr.name.clone().or(pr.id.clone()).unwrap_or_default();
                    let target = Target {
                        kind: "project".into(),
                        project: Some(label.clone()),
                        ..Target::default()
                    };
                    let what = if cost > 0.0 {
                        format!("{} of usage", money(cost))
                    } else {
                        format!("{requests} requests")
                    };
                    o.push(
                        target,
                        format!("project {label} has {what} and no hard monthly limit"),
                        "Set a monthly budget on the project's Limits page so a leaked or runaway key cannot spend without bound.",
                    );
                }
            }
        }
        "usage-spike" => {
            if !keys.iter().any(|k| !k.key.daily.is_empty()) {
                return Outcome::skipped(
                    "no daily usage or cost series was read (add a usage or cost export by day)",
                );
            }
            for (i, k) in live(keys) {
                let days: Vec<(Date, f64)> = k
                    .key
                    .daily
                    .iter()
                    .filter_map(|d| d.usage.cost_usd.map(|c| (d.date, c)))
                    .collect();
                let Some(&(last_day, last)) = days.last() else {
                    continue;
                };
                let window: Vec<f64> = days[..days.len() - 1]
                    .iter()
                    .filter(|(d, _)| days_between(*d, last_day) <= t.spike_window_days as i64)
                    .map(|(_, c)| *c)
                    .collect();
                if window.len() < 3 {
                    continue;
                }
                let median = median(window.clone());
                if last >= t.spike_min_usd && last >= t.spike_factor * median {
                    let factor = if median > 0.0 {
                        format!("{:.1}x", last / median)
                    } else {
                        "far above".into()
                    };
                    o.push(
                        key_target(i, k),
                        format!("cost {} on {last_day}, {factor} the median of {} over the {} days before", money(last), money(median), window.len()),
                        "Check what is using the key; if the traffic is not yours, revoke the key now.",
                    );
                }
            }
        }
        "default-project" => {
            if live(keys).next().is_some() && live(keys).all(|(_, k)| k.key.project.is_none()) {
                return Outcome::skipped("no key's project is known");
            }
            for (i, k) in live(keys) {
                let Some(project) = k.key.project.as_ref() else {
                    continue;
                };
                let by_name = matches!(
                    project.name.as_deref().map(fold).as_deref(),
                    Some("default project" | "default")
                );
                // Only the id read (a usage export, say): an id that says default.
                let by_id = project.name.is_none()
                    && project
                        .id
                        .as_deref()
                        .is_some_and(|i| i.to_ascii_lowercase().contains("default"));
                if by_name || by_id {
                    o.push(
                        key_target(i, k),
                        "in the Default project, which mixes development and production".to_string(),
                        "Create a project per application and environment and move the key's users to a key there.",
                    );
                }
            }
        }
        "undescriptive-name" => {
            for (i, k) in live(keys) {
                let n = fold(&k.key.name);
                if n.is_empty() || p.default_names.contains(&n) {
                    let shown = if n.is_empty() {
                        "has no name".to_string()
                    } else {
                        format!("is named {:?}", k.key.name.trim())
                    };
                    o.push(
                        key_target(i, k),
                        format!("{shown}, which says nothing about what uses it"),
                        "Rename it after the application and environment that use it.",
                    );
                }
            }
        }
        "duplicate-name" => {
            let mut by: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
            for (i, k) in live(keys).filter(|(_, k)| k.active && !k.key.name.trim().is_empty()) {
                let project = k
                    .key
                    .project
                    .as_ref()
                    .map(|p| fold(p.label()))
                    .unwrap_or_default();
                by.entry((project, fold(&k.key.name))).or_default().push(i);
            }
            for idx in by.values().filter(|v| v.len() > 1) {
                for &i in idx {
                    let Some(k) = keys.get(i) else { continue };
                    o.push(
                        key_target(i, k),
                        format!(
                            "{} active keys in this project are named {:?}",
                            idx.len(),
                            k.key.name.trim()
                        ),
                        "Give each key a distinct name so you can tell which one to revoke.",
                    );
                }
            }
        }
        "many-keys-per-owner" => {
            let mut by_owner: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            let mut by_owner_project: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
            for (i, k) in live(keys).filter(|(_, k)| k.active) {
                let owner = fold(k.key.owner.label());
                if owner.is_empty() {
                    continue;
                }
                by_owner.entry(owner.clone()).or_default().push(i);
                let project = k
                    .key
                    .project
                    .as_ref()
                    .map(|p| p.label().to_string())
                    .unwrap_or_default();
                by_owner_project
                    .entry((owner, project))
                    .or_default()
                    .push(i);
            }
            for idx in by_owner
                .values()
                .filter(|v| v.len() > t.many_keys_per_owner)
            {
                for &i in idx {
                    let Some(k) = keys.get(i) else { continue };
                    o.push(
                        key_target(i, k),
                        format!("{} holds {} active keys (more than {})", k.key.owner.label(), idx.len(), t.many_keys_per_owner),
                        "Revoke the keys this owner no longer needs; fewer keys are easier to rotate and to account for.",
                    );
                }
            }
            if let Some(max) = t.max_keys_per_owner_per_project {
                for ((_, project), idx) in by_owner_project.iter().filter(|(_, v)| v.len() > max) {
                    for &i in idx {
                        let Some(k) = keys.get(i) else { continue };
                        if o.findings.iter().any(|(t, _, _)| t.key_index == Some(i)) {
                            continue;
                        }
                        o.push(
                            key_target(i, k),
                            format!(
                                "{} holds {} active keys in project {project} (at most {max})",
                                k.key.owner.label(),
                                idx.len()
                            ),
                            "Keep one active key per owner and project; revoke the others.",
                        );
                    }
                }
            }
        }
        "expiring-soon" | "expired" => {
            if live(keys).next().is_some()
                && live(keys).all(|(_, k)| k.key.expires == Expiry::Unknown)
            {
                return Outcome::skipped("no input says when the keys expire");
            }
            for (i, k) in live(keys) {
                let Some(d) = k.key.expires.date() else {
                    continue;
                };
                let left = days_between(as_of, d);
                if id == "expired" && left < 0 {
                    o.push(
                        key_target(i, k),
                        format!("expired {d}, {} days ago, but is still listed", -left),
                        "Delete the expired key so the list shows only keys that work.",
                    );
                } else if id == "expiring-soon" && (0..=t.expiring_soon_days).contains(&left) {
                    let when = if left == 0 {
                        "today".to_string()
                    } else {
                        format!("in {left} days")
                    };
                    o.push(
                        key_target(i, k),
                        format!("expires {d}, {when}: anything that uses it will break"),
                        "Create its replacement now and move its users before the date.",
                    );
                }
            }
        }
        "no-expiry" => {
            if keys.iter().all(|k| k.key.expires == Expiry::Unknown) && !keys.is_empty() {
                return Outcome::skipped("no input says when the keys expire");
            }
            for (i, k) in live(keys).filter(|(_, k)| k.key.expires == Expiry::Never) {
                o.push(
                    key_target(i, k),
                    "never expires".to_string(),
                    "Prefer keys with an expiry date, and rotate this one on a schedule.",
                );
            }
        }
        "broad-permissions" => {
            if live(keys).next().is_some()
                && live(keys).all(|(_, k)| k.key.permissions == Permissions::Unknown)
            {
                return Outcome::skipped("no input says what the keys are permitted");
            }
            for (i, k) in live(keys).filter(|(_, k)| {
                k.key.permissions == Permissions::All && k.key.kind != KeyKind::Admin
            }) {
                o.push(
                    key_target(i, k),
                    "has permissions All".to_string(),
                    "If it only calls some endpoints, restrict it (Restricted or Read only) in the key's settings.",
                );
            }
        }
        _ => {}
    }
    o
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Severity of a rule under a policy (for callers that need it without running the rule).
pub fn severity_of(policy: &Policy, rule: &str) -> Severity {
    policy.setting(rule).severity
}
