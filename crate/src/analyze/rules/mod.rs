//! The rules of SPEC.md ("Analysis") as one catalog: each [`Rule`] entry holds its id, default
//! severity, whether it is on by default, the inputs it needs, the sentence README's table
//! shows, and its `run`. Everything else is derived from the catalog: the policy's rule
//! settings and its printed default, the order findings are listed in, and "did not run,
//! because …" when an input a rule needs is missing (see [`Input`]).
//!
//! Rules never guess: an unknown last use is not "never used", and no member list is not
//! "everybody left". The rules themselves live one family per module.

mod activity;
mod expiry;
mod exposure;
mod input;
mod mutes;
mod naming;
mod order;
mod ownership;
mod spend;
mod unlisted;

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::coverage::{self, Coverage};
use super::policy::Policy;
use crate::model::Inventory;
use crate::report::{Finding, KeyReport, RuleRun, Severity, Target};

pub use input::Input;
pub use ownership::is_current;

/// A rule's id, as policy files, reports and exports spell it (kebab-case). Declared in the
/// order SPEC.md lists the rules, which is the order reports list findings of one severity in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    ExposedSecret,
    OwnerDeparted,
    LegacyUserKey,
    AdminKeyIdle,
    Unused,
    NeverUsed,
    RotationOverdue,
    UserKeyInProduction,
    NoSpendLimit,
    UsageSpike,
    UnlistedKeySpend,
    DefaultProject,
    UndescriptiveName,
    DuplicateName,
    ManyKeysPerOwner,
    ExpiringSoon,
    Expired,
    NoExpiry,
    BroadPermissions,
}

impl RuleId {
    /// The id as written in files; the same text serde writes.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::ExposedSecret => "exposed-secret",
            RuleId::OwnerDeparted => "owner-departed",
            RuleId::LegacyUserKey => "legacy-user-key",
            RuleId::AdminKeyIdle => "admin-key-idle",
            RuleId::Unused => "unused",
            RuleId::NeverUsed => "never-used",
            RuleId::RotationOverdue => "rotation-overdue",
            RuleId::UserKeyInProduction => "user-key-in-production",
            RuleId::NoSpendLimit => "no-spend-limit",
            RuleId::UsageSpike => "usage-spike",
            RuleId::UnlistedKeySpend => "unlisted-key-spend",
            RuleId::DefaultProject => "default-project",
            RuleId::UndescriptiveName => "undescriptive-name",
            RuleId::DuplicateName => "duplicate-name",
            RuleId::ManyKeysPerOwner => "many-keys-per-owner",
            RuleId::ExpiringSoon => "expiring-soon",
            RuleId::Expired => "expired",
            RuleId::NoExpiry => "no-expiry",
            RuleId::BroadPermissions => "broad-permissions",
        }
    }

    /// Every rule, in catalog order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        CATALOG.iter().map(|r| r.id)
    }

    /// This rule's catalog entry.
    pub fn rule(self) -> &'static Rule {
        // The catalog is in declaration order (tested), so the discriminant is the index.
        &CATALOG[self as usize]
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    /// " (did you mean X?)" when a known id is close, else empty: the caller names the field.
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::all()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| super::policy::suggest(s, RuleId::all().map(RuleId::as_str)))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// One rule of the catalog.
pub struct Rule {
    pub id: RuleId,
    /// Severity under the default policy.
    pub severity: Severity,
    /// Whether the default policy runs it.
    pub enabled: bool,
    /// What it cannot judge without.
    pub needs: &'static [Input],
    /// When it fires, in README's words (thresholds as the default policy sets them).
    pub fires_when: &'static str,
    run: fn(&Ctx, &mut Outcome),
}

/// Everything a rule reads.
struct Ctx<'a> {
    inv: &'a Inventory,
    keys: &'a [KeyReport],
    policy: &'a Policy,
    as_of: Date,
}

/// Rules whose verdict depends on having read everything, with what says when it was not.
fn partial_note(id: RuleId, coverage: &Coverage) -> Option<String> {
    match id {
        RuleId::OwnerDeparted => coverage::members_partial(coverage),
        RuleId::ManyKeysPerOwner => coverage::keys_partial(coverage),
        _ => None,
    }
}

/// What one rule produced: findings, or why it did not run; and, when it ran on only part of
/// the keys, a note saying which it could not judge.
#[derive(Default)]
struct Outcome {
    findings: Vec<(Target, String, String)>,
    /// Indexes into `findings` judged one severity level above the rule's.
    raised: Vec<usize>,
    not_run: Option<String>,
    note: Option<String>,
}

impl Outcome {
    fn skip(&mut self, reason: impl Into<String>) {
        self.findings.clear();
        self.not_run = Some(format!("did not run, because {}", reason.into()));
    }
    fn push(&mut self, target: Target, message: String, remediation: &str) {
        self.findings
            .push((target, message, remediation.to_string()));
    }
    /// A finding worse than the rule's usual case: one severity level higher.
    fn push_raised(&mut self, target: Target, message: String, remediation: &str) {
        self.raised.push(self.findings.len());
        self.push(target, message, remediation);
    }
}

use RuleId as R;
use Severity as S;

/// Every rule, in [`RuleId`] order. Laid out as a table, one entry per rule.
#[rustfmt::skip]
pub static CATALOG: [Rule; 19] = [
    Rule { id: R::ExposedSecret, severity: S::Critical, enabled: true, needs: &[],
        fires_when: "an input holds a full secret key (it is redacted at once, never stored, shown or exported)",
        run: exposure::exposed_secret },
    Rule { id: R::OwnerDeparted, severity: S::High, enabled: true, needs: &[Input::Members],
        fires_when: "a person's key whose owner lost access or is not among the current members",
        run: ownership::owner_departed },
    Rule { id: R::LegacyUserKey, severity: S::High, enabled: true, needs: &[],
        fires_when: "a legacy `sk-` user key: reaches every project",
        run: exposure::legacy_user_key },
    Rule { id: R::AdminKeyIdle, severity: S::High, enabled: true, needs: &[Input::AdminLastUse],
        fires_when: "an admin key unused for 30+ days, or never used",
        run: activity::admin_key_idle },
    Rule { id: R::Unused, severity: S::Medium, enabled: true, needs: &[Input::LastUse],
        fires_when: "last used 90+ days ago",
        run: activity::unused },
    Rule { id: R::NeverUsed, severity: S::Low, enabled: true, needs: &[Input::Created],
        fires_when: "never used, created 14+ days ago",
        run: activity::never_used },
    Rule { id: R::RotationOverdue, severity: S::Medium, enabled: true, needs: &[Input::Created],
        fires_when: "created 90+ days ago and still in use",
        run: activity::rotation_overdue },
    Rule { id: R::UserKeyInProduction, severity: S::Medium, enabled: true, needs: &[],
        fires_when: "a person's key named or scoped for production",
        run: ownership::user_key_in_production },
    Rule { id: R::NoSpendLimit, severity: S::Medium, enabled: true, needs: &[Input::Limits],
        fires_when: "a project with usage and no hard limit",
        run: spend::no_spend_limit },
    Rule { id: R::UsageSpike, severity: S::Medium, enabled: true, needs: &[Input::DailyUsage],
        fires_when: "a key's latest daily cost is 3x its trailing 14-day median",
        run: spend::usage_spike },
    Rule { id: R::UnlistedKeySpend, severity: S::Medium, enabled: true, needs: &[Input::KeyUsage],
        fires_when: "usage or cost under a key id no page read lists (high when an audit log deleted it and it spent after)",
        run: unlisted::unlisted_key_spend },
    Rule { id: R::DefaultProject, severity: S::Low, enabled: true, needs: &[Input::Projects],
        fires_when: "a key in the Default project",
        run: naming::default_project },
    Rule { id: R::UndescriptiveName, severity: S::Low, enabled: true, needs: &[],
        fires_when: "empty or default key name",
        run: naming::undescriptive_name },
    Rule { id: R::DuplicateName, severity: S::Low, enabled: true, needs: &[],
        fires_when: "active keys sharing a name in one project",
        run: naming::duplicate_name },
    Rule { id: R::ManyKeysPerOwner, severity: S::Low, enabled: true, needs: &[],
        fires_when: "an owner with more than 5 active keys",
        run: ownership::many_keys_per_owner },
    Rule { id: R::ExpiringSoon, severity: S::Medium, enabled: true, needs: &[Input::Expiry],
        fires_when: "expires within 14 days",
        run: expiry::expiring_soon },
    Rule { id: R::Expired, severity: S::Low, enabled: true, needs: &[Input::Expiry],
        fires_when: "expired but still listed",
        run: expiry::expired },
    Rule { id: R::NoExpiry, severity: S::Info, enabled: false, needs: &[Input::Expiry],
        fires_when: "never expires (`strict` turns it on)",
        run: expiry::no_expiry },
    Rule { id: R::BroadPermissions, severity: S::Info, enabled: true, needs: &[Input::Permissions],
        fires_when: "permissions `All`",
        run: exposure::broad_permissions },
];

/// Runs every rule the policy turns on; returns the findings (mutes applied, highest severity
/// first, then in catalog order) and a [`RuleRun`] for each rule.
pub fn run(
    inv: &Inventory,
    keys: &[KeyReport],
    policy: &Policy,
    as_of: Date,
    coverage: &Coverage,
) -> (Vec<Finding>, Vec<RuleRun>) {
    let cx = Ctx {
        inv,
        keys,
        policy,
        as_of,
    };
    let judged = judge_all(&cx, policy, coverage, keys.len() >= TWO_THREADS_FROM);
    let total = judged.iter().map(|(_, _, found)| found.len()).sum();
    let (mut findings, mut ids) = (Vec::with_capacity(total), Vec::with_capacity(total));
    let mut runs = Vec::with_capacity(judged.len());
    for (run, id, found) in judged {
        runs.push(run);
        ids.extend(std::iter::repeat_n(id, found.len()));
        findings.extend(found);
    }
    order::sort(&mut findings, &ids);
    (findings, runs)
}

/// Keys from which the rules are judged on two threads: below this a thread's start costs
/// more than it saves.
const TWO_THREADS_FROM: usize = 1_000;

/// Every rule judged, in catalog order. Each rule judges on its own (nothing a rule writes is
/// read by another): with `two`, native builds judge them on both cores, each thread taking the
/// next rule not yet taken (what a rule costs depends on the roster: owners, names, usage), and
/// put them back in catalog order.
fn judge_all(cx: &Ctx<'_>, policy: &Policy, coverage: &Coverage, two: bool) -> Vec<Judged> {
    #[cfg(not(target_arch = "wasm32"))]
    if two {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let take = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(rule) = CATALOG.get(i) else {
                    return done;
                };
                done.push((i, judge(rule, cx, policy, coverage)));
            }
        };
        let (here, there) = crate::beside::both(take, take);
        // Put back by index into slots, not sorted (a sort of twenty items is a whole sorting
        // routine more in the binary).
        let mut slots: Vec<Option<Judged>> = CATALOG.iter().map(|_| None).collect();
        for (i, j) in here.into_iter().chain(there) {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(j);
            }
        }
        return slots.into_iter().flatten().collect();
    }
    // One thread (always in wasm, whose module stays as small as a plain loop makes it).
    let _ = two;
    CATALOG
        .iter()
        .map(|rule| judge(rule, cx, policy, coverage))
        .collect()
}

/// A rule's run and its findings.
type Judged = (RuleRun, RuleId, Vec<Finding>);

/// One rule judged under the policy: its run, and its findings (mutes applied) in the order it
/// found them.
fn judge(rule: &Rule, cx: &Ctx<'_>, policy: &Policy, coverage: &Coverage) -> Judged {
    let setting = policy.setting(rule.id);
    let mut outcome = Outcome::default();
    if !setting.enabled {
        outcome.not_run = Some("turned off by the policy".into());
    } else if let Some(reason) = rule.needs.iter().find_map(|i| i.missing(cx)) {
        outcome.skip(reason);
    } else {
        (rule.run)(cx, &mut outcome);
        if let Some(p) = partial_note(rule.id, coverage) {
            outcome.note = Some(match outcome.note.take() {
                Some(n) => format!("{n}; {p}"),
                None => p,
            });
        }
    }
    let run = RuleRun {
        rule: rule.id.as_str().into(),
        severity: setting.severity,
        enabled: setting.enabled,
        ran: setting.enabled && outcome.not_run.is_none(),
        reason: outcome.not_run,
        note: outcome.note,
        findings: outcome.findings.len(),
    };
    let mut findings = Vec::with_capacity(outcome.findings.len());
    for (n, (target, message, remediation)) in outcome.findings.into_iter().enumerate() {
        let severity = if outcome.raised.contains(&n) {
            raise(setting.severity)
        } else {
            setting.severity
        };
        let mut f = Finding {
            rule: rule.id.as_str().into(),
            severity,
            subject: crate::report::subject(&target),
            target,
            message,
            remediation,
            muted: None,
            change: None,
        };
        mutes::apply(&mut f, rule.id, cx);
        findings.push(f);
    }
    (run, rule.id, findings)
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

/// The keys rules judge: not deleted, and not switched off (listed `inactive` or `archived`).
fn live(keys: &[KeyReport]) -> impl Iterator<Item = (usize, &KeyReport)> {
    keys.iter()
        .enumerate()
        .filter(|(_, k)| !k.key.deleted && !k.key.is_disabled())
}

/// One severity level higher (critical stays critical).
fn raise(s: Severity) -> Severity {
    match s {
        S::Info => S::Low,
        S::Low => S::Medium,
        S::Medium => S::High,
        S::High | S::Critical => S::Critical,
    }
}

fn money(v: f64) -> String {
    format!("${v:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two threads judge what one judges, rule for rule, on the warm-up's 1,000 keys under the
    /// preset that runs every rule.
    #[test]
    fn two_threads_judge_what_one_judges() {
        let as_of = jiff::civil::date(2026, 11, 22);
        let mut inv = Inventory::default();
        for input in crate::warm::inputs() {
            inv.add(
                &crate::ingest::Context::new(input.name, as_of),
                &input.bytes,
            );
        }
        let policy = Policy::preset("strict").unwrap();
        let report = crate::analyze::audit(&inv, &policy, as_of, None);
        assert!(report.keys.len() >= TWO_THREADS_FROM && report.findings.len() > 1000);
        let cx = Ctx {
            inv: &inv,
            keys: &report.keys,
            policy: &policy,
            as_of,
        };
        let one = judge_all(&cx, &policy, &report.coverage, false);
        assert_eq!(one.len(), CATALOG.len());
        assert_eq!(judge_all(&cx, &policy, &report.coverage, true), one);
    }

    #[test]
    fn catalog_is_in_rule_id_order_and_ids_read_back() {
        for (i, rule) in CATALOG.iter().enumerate() {
            assert_eq!(rule.id as usize, i, "{} out of order", rule.id);
            assert_eq!(rule.id.as_str().parse::<RuleId>(), Ok(rule.id));
            let json = serde_json::to_string(&rule.id).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", rule.id.as_str()),
                "serde and as_str agree"
            );
        }
        assert_eq!(
            "unusd".parse::<RuleId>(),
            Err(" (did you mean unused?)".to_string())
        );
        assert_eq!("colour".parse::<RuleId>(), Err(String::new()));
    }
}
