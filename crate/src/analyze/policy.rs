//! The Policy: every threshold and severity the rules use, the presets (`default`, `cis`,
//! `strict`), and mutes. A user's policy file (TOML or JSON, same structure) starts from a preset
//! and changes what it names; anything it names wrongly is an error naming the field.
//!
//! Past 400 lines (its tests are in `policy/tests.rs`): the policy file's whole grammar, presets
//! and error messages live together so a setting is defined, defaulted and checked in one place.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Deserialize;

use super::rules::{RuleId, CATALOG};
use crate::error::{Error, Result};
use crate::report::Severity;

/// The numbers the rules compare against. Days unless named otherwise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A key is active when used within this many days.
    pub active_days: i64,
    pub unused_days: i64,
    pub never_used_days: i64,
    pub rotation_days: i64,
    pub admin_idle_days: i64,
    pub expiring_soon_days: i64,
    /// An owner may hold at most this many active keys.
    pub many_keys_per_owner: usize,
    /// An owner may hold at most this many active keys in one project (CIS: 1); unset = no limit.
    pub max_keys_per_owner_per_project: Option<usize>,
    /// Latest daily cost at least this many times the trailing median.
    pub spike_factor: f64,
    /// ...and at least this many dollars.
    pub spike_min_usd: f64,
    /// Days of history the median is taken over.
    pub spike_window_days: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            active_days: 30,
            unused_days: 90,
            never_used_days: 14,
            rotation_days: 90,
            admin_idle_days: 30,
            expiring_soon_days: 14,
            many_keys_per_owner: 5,
            max_keys_per_owner_per_project: None,
            spike_factor: 3.0,
            spike_min_usd: 10.0,
            spike_window_days: 14,
        }
    }
}

/// Whether a rule runs, and at which severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: bool,
    pub severity: Severity,
}

/// A mute: findings of `rule` (or every rule) on the key matched by `key` are kept but marked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mute {
    /// A key id, a redacted value, or a key name (compared case-insensitively).
    pub key: String,
    pub rule: Option<String>,
    pub reason: String,
    /// Last day the mute holds. TOML may write it as a bare date (`until = 2026-12-31`) or a
    /// string; JSON as a string.
    #[serde(default, deserialize_with = "date_or_string")]
    pub until: Option<Date>,
}

fn date_or_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Date>, D::Error> {
    use serde::de::Error as _;
    let text = match toml::Value::deserialize(d)? {
        toml::Value::String(s) => s,
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        other => {
            return Err(D::Error::custom(format!(
                "until: expected a date YYYY-MM-DD, found {}",
                other.type_str()
            )))
        }
    };
    text.trim()
        .parse::<Date>()
        .map(Some)
        .map_err(|_| D::Error::custom(format!("until: expected a date YYYY-MM-DD, found {text:?}")))
}

/// Thresholds, severities, name lists and mutes the analysis uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    preset: String,
    pub thresholds: Thresholds,
    pub rules: BTreeMap<RuleId, RuleSetting>,
    /// Words that mark a key or project as production.
    pub production_patterns: Vec<String>,
    /// Key names that say nothing about what the key is for.
    pub default_names: Vec<String>,
    pub mutes: Vec<Mute>,
}

impl Default for Policy {
    fn default() -> Self {
        let rules = CATALOG
            .iter()
            .map(|r| {
                let setting = RuleSetting {
                    enabled: r.enabled,
                    severity: r.severity,
                };
                (r.id, setting)
            })
            .collect();
        Policy {
            preset: "default".into(),
            thresholds: Thresholds::default(),
            rules,
            production_patterns: ["prod", "production", "live"].map(String::from).to_vec(),
            default_names: [
                "secret key",
                "my test key",
                "test",
                "test key",
                "key",
                "new key",
                "untitled",
                "my key",
                "api key",
                "default",
                "secret",
                "my secret key",
                "new secret key",
                "temp",
            ]
            .map(String::from)
            .to_vec(),
            mutes: Vec::new(),
        }
    }
}

/// The policy file as written; every part optional.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    preset: Option<String>,
    #[serde(default)]
    thresholds: Option<toml::Value>,
    #[serde(default)]
    rules: BTreeMap<String, RuleFile>,
    production_patterns: Option<Vec<String>>,
    default_names: Option<Vec<String>>,
    #[serde(default)]
    mute: Vec<Mute>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    enabled: Option<bool>,
    severity: Option<String>,
}

impl Policy {
    /// The preset this policy started from, or `custom` when a file changed it.
    pub fn preset_name(&self) -> &str {
        &self.preset
    }

    /// Whether `rule` runs under this policy, and at which severity.
    pub fn setting(&self, rule: RuleId) -> RuleSetting {
        // Every policy holds every rule (they start from the catalog); the fallback is the
        // catalog's own default.
        self.rules.get(&rule).copied().unwrap_or(RuleSetting {
            enabled: rule.rule().enabled,
            severity: rule.rule().severity,
        })
    }

    /// A built-in preset by name: `default`, `cis` or `strict`.
    pub fn preset(name: &str) -> Result<Policy> {
        let mut p = Policy::default();
        match name.trim().to_ascii_lowercase().as_str() {
            "default" => {}
            "cis" => {
                p.preset = "cis".into();
                p.thresholds.unused_days = 45;
                p.thresholds.max_keys_per_owner_per_project = Some(1);
            }
            "strict" => {
                p.preset = "strict".into();
                // At least as strict as cis everywhere (its 45 days and one key per project).
                p.thresholds.unused_days = 45;
                p.thresholds.max_keys_per_owner_per_project = Some(1);
                p.thresholds.never_used_days = 7;
                p.thresholds.rotation_days = 60;
                p.thresholds.admin_idle_days = 14;
                p.thresholds.many_keys_per_owner = 3;
                p.thresholds.expiring_soon_days = 30;
                if let Some(r) = p.rules.get_mut(&RuleId::NoExpiry) {
                    r.enabled = true;
                }
            }
            other => {
                return Err(Error::policy(
                    "--preset",
                    Some("preset".into()),
                    format!("unknown preset {other:?} (expected default, cis or strict)"),
                ))
            }
        }
        Ok(p)
    }

    /// Reads a policy file, TOML or JSON (told apart by [`crate::ingest::detect`]).
    pub fn load(source: &str, text: &str) -> Result<Policy> {
        // A file saved by a Windows editor may open with a byte order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match crate::ingest::detect(text) {
            crate::ingest::Format::Json => Policy::from_json(source, text),
            _ => Policy::from_toml(source, text),
        }
    }

    pub fn from_toml(source: &str, text: &str) -> Result<Policy> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| {
            let msg = e.message().to_string();
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let field = line.map(|l| format!("line {l}"));
            Error::policy(source, field, msg)
        })?;
        Policy::from_file(source, file)
    }

    pub fn from_json(source: &str, text: &str) -> Result<Policy> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::policy(source, Some(format!("line {}", e.line())), e.to_string())
        })?;
        // One structure for both formats: go through TOML's value model so thresholds are
        // checked by the same code.
        let as_toml: toml::Value = serde_json::from_value(value.clone())
            .map_err(|e| Error::policy(source, None, e.to_string()))?;
        let file: PolicyFile = as_toml
            .try_into()
            .map_err(|e: toml::de::Error| Error::policy(source, None, e.message().to_string()))?;
        Policy::from_file(source, file)
    }

    fn from_file(source: &str, file: PolicyFile) -> Result<Policy> {
        let field_err = |field: String, msg: String| Error::policy(source, Some(field), msg);
        let mut p = match &file.preset {
            Some(name) => Policy::preset(name).map_err(|_| {
                field_err(
                    "preset".into(),
                    format!("unknown preset {name:?} (expected default, cis or strict)"),
                )
            })?,
            None => Policy::default(),
        };
        let base = p.clone();
        if let Some(t) = file.thresholds {
            // Overlay the file's thresholds on the preset's.
            let mut merged = toml::Value::try_from(ThresholdsOut::from(&p.thresholds))
                .map_err(|e| field_err("thresholds".into(), e.to_string()))?;
            let toml::Value::Table(given) = t else {
                return Err(field_err("thresholds".into(), "expected a table".into()));
            };
            if let toml::Value::Table(m) = &mut merged {
                for (k, v) in given {
                    if !m.contains_key(&k) {
                        let hint = suggest(&k, THRESHOLD_NAMES.iter().copied());
                        return Err(field_err(
                            format!("thresholds.{k}"),
                            format!("unknown threshold{hint}"),
                        ));
                    }
                    m.insert(k, v);
                }
            }
            p.thresholds = merged.try_into().map_err(|e: toml::de::Error| {
                field_err("thresholds".into(), e.message().to_string())
            })?;
            check_thresholds(&p.thresholds)
                .map_err(|(f, m)| field_err(format!("thresholds.{f}"), m))?;
        }
        for (id, r) in file.rules {
            let rule: RuleId = id.parse().map_err(|hint| {
                field_err(format!("rules.{id}"), format!("unknown rule id{hint}"))
            })?;
            let setting = p.rules.entry(rule).or_insert(RuleSetting {
                enabled: rule.rule().enabled,
                severity: rule.rule().severity,
            });
            if let Some(e) = r.enabled {
                setting.enabled = e;
            }
            if let Some(s) = r.severity {
                setting.severity = s
                    .parse()
                    .map_err(|m: String| field_err(format!("rules.{id}.severity"), m))?;
            }
        }
        if let Some(v) = file.production_patterns {
            p.production_patterns = v.into_iter().map(|s| s.to_lowercase()).collect();
        }
        if let Some(v) = file.default_names {
            p.default_names = v.into_iter().map(|s| s.trim().to_lowercase()).collect();
        }
        for (i, m) in file.mute.iter().enumerate() {
            if m.key.trim().is_empty() {
                return Err(field_err(
                    format!("mute[{i}].key"),
                    "must name a key id, redacted value or name".into(),
                ));
            }
            if m.reason.trim().is_empty() {
                return Err(field_err(
                    format!("mute[{i}].reason"),
                    "a mute needs a reason".into(),
                ));
            }
            if let Some(rule) = &m.rule {
                if let Err(hint) = rule.parse::<RuleId>() {
                    return Err(field_err(
                        format!("mute[{i}].rule"),
                        format!("unknown rule id {rule:?}{hint}"),
                    ));
                }
            }
        }
        p.mutes = file.mute;
        if p != base {
            p.preset = if base.preset == "default" {
                "custom".into()
            } else {
                format!("{}+custom", base.preset)
            };
        }
        Ok(p)
    }

    /// A commented policy file holding every default, each rule's severity included (from the
    /// rule catalog); it parses back to [`Policy::default`].
    pub fn default_toml() -> String {
        let mut out = String::from(DEFAULT_TOML);
        out.push_str(RULES_HEAD);
        for r in &CATALOG {
            let needs: Vec<&str> = r.needs.iter().map(|i| i.describe()).collect();
            let needs = if needs.is_empty() {
                String::new()
            } else {
                format!(" (needs {})", needs.join(", "))
            };
            out.push_str(&format!(
                "\n# {}: {}{needs}\n[rules.{}]\nseverity = \"{}\"\n",
                r.id, r.fires_when, r.id, r.severity
            ));
            if !r.enabled {
                out.push_str("enabled = false\n");
            }
        }
        out.push_str(MUTES);
        out
    }

    /// The built-in presets, by name.
    pub const PRESETS: [&'static str; 3] = ["default", "cis", "strict"];
}

const THRESHOLD_NAMES: [&str; 11] = [
    "active_days",
    "unused_days",
    "never_used_days",
    "rotation_days",
    "admin_idle_days",
    "expiring_soon_days",
    "many_keys_per_owner",
    "max_keys_per_owner_per_project",
    "spike_factor",
    "spike_min_usd",
    "spike_window_days",
];

/// Thresholds as a TOML table (for overlaying a file's values on a preset's).
#[derive(serde::Serialize)]
struct ThresholdsOut {
    active_days: i64,
    unused_days: i64,
    never_used_days: i64,
    rotation_days: i64,
    admin_idle_days: i64,
    expiring_soon_days: i64,
    many_keys_per_owner: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_keys_per_owner_per_project: Option<i64>,
    spike_factor: f64,
    spike_min_usd: f64,
    spike_window_days: i64,
}

impl From<&Thresholds> for ThresholdsOut {
    fn from(t: &Thresholds) -> Self {
        ThresholdsOut {
            active_days: t.active_days,
            unused_days: t.unused_days,
            never_used_days: t.never_used_days,
            rotation_days: t.rotation_days,
            admin_idle_days: t.admin_idle_days,
            expiring_soon_days: t.expiring_soon_days,
            many_keys_per_owner: t.many_keys_per_owner as i64,
            max_keys_per_owner_per_project: t.max_keys_per_owner_per_project.map(|v| v as i64),
            spike_factor: t.spike_factor,
            spike_min_usd: t.spike_min_usd,
            spike_window_days: t.spike_window_days as i64,
        }
    }
}

fn check_thresholds(t: &Thresholds) -> std::result::Result<(), (&'static str, String)> {
    let days = [
        ("active_days", t.active_days),
        ("unused_days", t.unused_days),
        ("never_used_days", t.never_used_days),
        ("rotation_days", t.rotation_days),
        ("admin_idle_days", t.admin_idle_days),
        ("expiring_soon_days", t.expiring_soon_days),
    ];
    for (name, v) in days {
        if v < 0 {
            return Err((name, format!("must be 0 or more days, not {v}")));
        }
    }
    if !(t.spike_factor.is_finite() && t.spike_factor >= 1.0) {
        return Err((
            "spike_factor",
            format!("must be a number of at least 1, not {}", t.spike_factor),
        ));
    }
    if !(t.spike_min_usd.is_finite() && t.spike_min_usd >= 0.0) {
        return Err((
            "spike_min_usd",
            format!("must be 0 or more dollars, not {}", t.spike_min_usd),
        ));
    }
    if t.spike_window_days == 0 {
        return Err(("spike_window_days", "must be at least 1".into()));
    }
    Ok(())
}

/// " (did you mean X?)" for the closest known name, when one is close.
pub(crate) fn suggest<'a>(given: &str, known: impl Iterator<Item = &'a str>) -> String {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let sub = prev[j] + usize::from(ca != *cb);
                cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }
    known
        .map(|k| (distance(given, k), k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| format!(" (did you mean {k}?)"))
        .unwrap_or_default()
}

const DEFAULT_TOML: &str = r#"# Key Roster policy. Every setting below is the built-in default; delete what you do not change.
# Use it with:  keyroster audit --policy keyroster.toml FILE...

# Start from a preset: "default", "cis" (unused at 45 days, one active key per owner per
# project) or "strict" (no-expiry on, unused at 45 days,
# never-used 7, rotation 60, admin idle 14, expiring-soon 30, 3 keys per owner, 1 per project). Settings below override the preset.
preset = "default"

# Words that mark a key name or project as production (matched as whole words, any case).
production_patterns = ["prod", "production", "live"]

# Key names that say nothing about what a key is for (compared trimmed, any case).
default_names = ["secret key", "my test key", "test", "test key", "key", "new key", "untitled", "my key", "api key", "default", "secret", "my secret key", "new secret key", "temp"]

[thresholds]
active_days = 30          # a key is active when used within this many days
unused_days = 90          # unused: last used this many days ago or more
never_used_days = 14      # never-used: never used and created this many days ago or more
rotation_days = 90        # rotation-overdue: created this many days ago and still active
admin_idle_days = 30      # admin-key-idle: an admin key unused this long, or never used
expiring_soon_days = 14   # expiring-soon: expires within this many days
many_keys_per_owner = 5   # many-keys-per-owner: more active keys than this for one owner
# max_keys_per_owner_per_project = 1   # also flag more active keys than this per owner per project
spike_factor = 3.0        # usage-spike: latest daily cost at least this times the median...
spike_min_usd = 10.0      # ...and at least this many dollars
spike_window_days = 14    # ...of this many days before it

"#;

const RULES_HEAD: &str =
    "# Each rule's severity (critical, high, medium, low, info); `enabled = false` turns it off.
";

const MUTES: &str = r#"
# Mute a key's findings: they stay in the report, marked muted, and do not count for --fail-on.
# [[mute]]
# key = "key_abc123"      # a key id, redacted value (sk-proj-...a1B2) or name
# rule = "unused"         # optional: leave out to mute every rule on this key
# reason = "Quarterly batch job"
# until = "2027-03-31"    # optional: the mute stops muting after this date
"#;

#[cfg(test)]
mod tests;
