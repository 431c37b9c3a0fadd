//! The eighteen rules of SPEC.md ("Analysis"), their registry, and what they share.
//!
//! A rule reads the [`Inventory`] through a [`Ctx`] and returns an [`Outcome`]: the hits it found,
//! or "did not run, because …" when its input is missing. It never guesses: a key whose last use
//! is unknown is not "never used", a project whose limits were not read has no "missing limit".
//! Severities, muting, sorting and counting are done by the caller ([`super::analyze`]); a rule
//! only says what it saw.

mod access;
mod activity;
mod expiry;
mod exposed;
mod naming;
mod spend;

use jiff::civil::Date;

use crate::model::{Inventory, Key, LastUsed};
use crate::report::{Severity, Target};

use super::policy::Policy;
pub use spend::{same_project, usd};

/// One rule as the registry knows it: id, default severity, whether it is on by default, and
/// the remediation every finding of it carries.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub enabled: bool,
    /// What the rule looks for, in a few words (for `--print-default` and the UI).
    pub about: &'static str,
    pub remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
}

/// Every rule, in the order of SPEC.md's table (also the order of [`crate::Report::rules`]).
pub const RULES: [RuleInfo; 18] = [
    RuleInfo {
        id: "exposed-secret",
        severity: Severity::Critical,
        enabled: true,
        about: "an input holds what looks like a full secret key",
        remediation:
            "Revoke the key now and create a replacement: treat it as leaked. Then delete \
                      or clean the file or page that held it.",
        run: exposed::exposed_secret,
    },
    RuleInfo {
        id: "owner-departed",
        severity: Severity::High,
        enabled: true,
        about: "a user-owned key whose owner no longer has access or is not a current member",
        remediation: "Revoke the key, or replace it with a service-account key owned by the \
                      project if something still depends on it.",
        run: access::owner_departed,
    },
    RuleInfo {
        id: "legacy-user-key",
        severity: Severity::High,
        enabled: true,
        about: "a legacy user key that reaches every project of the organization",
        remediation: "Replace it with a project key (or a service-account key) scoped to the one \
                      project that needs it, then revoke the legacy key.",
        run: access::legacy_user_key,
    },
    RuleInfo {
        id: "admin-key-idle",
        severity: Severity::High,
        enabled: true,
        about: "an admin key unused for a while, or never used",
        remediation: "Revoke the admin key; create one again when an administration task needs \
                      it.",
        run: access::admin_key_idle,
    },
    RuleInfo {
        id: "unused",
        severity: Severity::Medium,
        enabled: true,
        about: "a key not used for a long time",
        remediation: "Revoke the key if nothing needs it any more.",
        run: activity::unused,
    },
    RuleInfo {
        id: "never-used",
        severity: Severity::Low,
        enabled: true,
        about: "a key never used since it was created a while ago",
        remediation: "Revoke the key if it was created by mistake or is no longer planned.",
        run: activity::never_used,
    },
    RuleInfo {
        id: "rotation-overdue",
        severity: Severity::Medium,
        enabled: true,
        about: "an old key that is still in use",
        remediation: "Rotate it: create a new key, move its users to it, then revoke the old one.",
        run: activity::rotation_overdue,
    },
    RuleInfo {
        id: "user-key-in-production",
        severity: Severity::Medium,
        enabled: true,
        about: "a user-owned key whose name or project says production",
        remediation: "Replace it with a service-account key: a user's key stops working when \
                      that user leaves.",
        run: access::user_key_in_production,
    },
    RuleInfo {
        id: "no-spend-limit",
        severity: Severity::Medium,
        enabled: true,
        about: "a project with usage and no hard monthly limit",
        remediation: "Set a hard monthly budget on the project's Limits page.",
        run: spend::no_spend_limit,
    },
    RuleInfo {
        id: "usage-spike",
        severity: Severity::Medium,
        enabled: true,
        about: "a key's latest daily cost far above its recent median",
        remediation: "Check what used the key that day; revoke it if the use is not yours.",
        run: spend::usage_spike,
    },
    RuleInfo {
        id: "default-project",
        severity: Severity::Low,
        enabled: true,
        about: "a key in the Default project",
        remediation: "Move the work to a named project (separate ones for development and \
                      production) and revoke this key.",
        run: naming::default_project,
    },
    RuleInfo {
        id: "undescriptive-name",
        severity: Severity::Low,
        enabled: true,
        about: "a key with an empty or default name",
        remediation: "Rename the key after what uses it, so the next audit can tell whether it \
                      is still needed.",
        run: naming::undescriptive_name,
    },
    RuleInfo {
        id: "duplicate-name",
        severity: Severity::Low,
        enabled: true,
        about: "two or more active keys share a name in one project",
        remediation: "Give each key a distinct name; revoke the ones that are not needed.",
        run: naming::duplicate_name,
    },
    RuleInfo {
        id: "many-keys-per-owner",
        severity: Severity::Low,
        enabled: true,
        about: "an owner holds many active keys",
        remediation: "Revoke the keys the owner no longer needs; share one service-account key \
                      per application instead.",
        run: activity::many_keys_per_owner,
    },
    RuleInfo {
        id: "expiring-soon",
        severity: Severity::Medium,
        enabled: true,
        about: "a key that expires soon",
        remediation: "Create its replacement now and move its users to it before it expires.",
        run: expiry::expiring_soon,
    },
    RuleInfo {
        id: "expired",
        severity: Severity::Low,
        enabled: true,
        about: "a key whose expiry date has passed but is still listed",
        remediation: "Delete the expired key so the list shows only keys that work.",
        run: expiry::expired,
    },
    RuleInfo {
        id: "no-expiry",
        severity: Severity::Info,
        enabled: false,
        about: "a key that never expires",
        remediation: "Give keys an expiry date where the platform allows it.",
        run: expiry::no_expiry,
    },
    RuleInfo {
        id: "broad-permissions",
        severity: Severity::Info,
        enabled: true,
        about: "a key with all permissions where it could be restricted",
        remediation: "Restrict the key to the endpoints its application calls (Restricted or \
                      Read only).",
        run: access::broad_permissions,
    },
];

/// The registry entry for `id`.
pub fn info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule id, in table order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// What analysis knows of one key before any rule runs (ages against `as_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub age_days: Option<i64>,
    pub idle_days: Option<i64>,
    pub active: bool,
}

/// What a rule reads.
pub struct Ctx<'a> {
    pub inv: &'a Inventory,
    pub policy: &'a Policy,
    pub as_of: Date,
    /// One per `inv.keys`, same order.
    pub facts: &'a [Facts],
}

impl Ctx<'_> {
    /// Keys the rules judge, with their index and facts: deleted keys are reported but judged
    /// by no rule except `exposed-secret`.
    pub fn live_keys(&self) -> impl Iterator<Item = (usize, &Key, Facts)> {
        self.inv
            .keys
            .iter()
            .zip(self.facts.iter().copied())
            .enumerate()
            .filter(|(_, (k, _))| !k.deleted)
            .map(|(i, (k, f))| (i, k, f))
    }

    pub fn days_since(&self, d: Date) -> i64 {
        days_between(d, self.as_of)
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub target: Target,
    pub message: String,
}

impl Hit {
    /// A hit on the key at `index`.
    pub fn key(index: usize, key: &Key, message: String) -> Self {
        Hit {
            target: key_target(index, key),
            message,
        }
    }
}

/// A rule's verdict: its hits, or why it could not judge.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran(Vec<Hit>),
    DidNotRun(String),
}

impl Outcome {
    /// "did not run, because {why}".
    pub fn skipped(why: &str) -> Self {
        Outcome::DidNotRun(format!("did not run, because {why}"))
    }
}

/// Runs one rule.
pub fn run(rule: &RuleInfo, ctx: &Ctx) -> Outcome {
    (rule.run)(ctx)
}

/// A target naming the key at `index`.
pub fn key_target(index: usize, key: &Key) -> Target {
    Target {
        kind: "key".into(),
        key_index: Some(index),
        key_id: key.id.clone(),
        key_name: Some(key.name.clone()),
        redacted: key.redacted.clone(),
        project: key
            .project
            .as_ref()
            .map(|p| p.label().to_string())
            .filter(|l| !l.is_empty()),
        owner: Some(key.owner.label().to_string()).filter(|l| !l.is_empty()),
        source: None,
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    // Civil dates span far less than i64 days; a failure cannot happen for valid dates.
    from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// "2025-05-30, 541 days ago" (or "today", "in 3 days").
pub fn when(d: Date, as_of: Date) -> String {
    let n = days_between(d, as_of);
    match n {
        0 => format!("{d}, today"),
        1 => format!("{d}, 1 day ago"),
        -1 => format!("{d}, in 1 day"),
        n if n < 0 => format!("{d}, in {} days", -n),
        n => format!("{d}, {n} days ago"),
    }
}

/// A key as messages name it: `"deploy" (sk-proj-...a1B2)`.
pub fn key_label(key: &Key) -> String {
    let name = key.name.trim();
    match (&key.redacted, name.is_empty()) {
        (Some(r), false) => format!("\"{name}\" ({r})"),
        (Some(r), true) => r.clone(),
        (None, false) => format!("\"{name}\""),
        (None, true) => key.id.clone().unwrap_or_else(|| "an unnamed key".into()),
    }
}

/// "last used 2025-05-30, 541 days ago", "never used", "last use unknown".
pub fn last_use(l: LastUsed, as_of: Date) -> String {
    match l {
        LastUsed::Date(d) => format!("last used {}", when(d, as_of)),
        LastUsed::Never => "never used".into(),
        LastUsed::Unknown => "last use unknown".into(),
    }
}

/// "1 key", "3 keys".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Text folded for comparing names: NFKC, lower case, single spaces.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = s.nfkc().flat_map(char::to_lowercase).collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How an owner is told apart from others: id, else email, else folded name. `None` when the
/// key says nothing of its owner.
pub fn owner_identity(o: &crate::model::Owner) -> Option<String> {
    if let Some(id) = o.id.as_deref().filter(|s| !s.trim().is_empty()) {
        return Some(format!("id:{}", id.trim()));
    }
    if let Some(e) = o.email.as_deref().filter(|s| !s.trim().is_empty()) {
        return Some(format!("email:{}", e.trim().to_lowercase()));
    }
    o.name
        .as_deref()
        .map(fold)
        .filter(|s| !s.is_empty())
        .map(|n| format!("name:{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_eighteen() {
        let mut ids: Vec<_> = ids().collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 18);
    }

    #[test]
    fn days_between_counts_whole_days_across_years() {
        let a = jiff::civil::date(2025, 5, 30);
        let b = jiff::civil::date(2026, 11, 22);
        assert_eq!(days_between(a, b), 541);
        assert_eq!(days_between(b, a), -541);
        assert_eq!(when(a, b), "2025-05-30, 541 days ago");
    }
}
