//! The Policy: the thresholds, severities and word lists the rules judge by, the presets
//! (`default`, `cis`, `strict`), a user's policy file (TOML or JSON, one structure), and mutes.
//!
//! A policy file starts from a preset (`preset = "cis"`, else `default`) and changes only what it
//! names. Anything it does not understand is an error naming the field, never silently ignored:
//! a misspelt threshold that falls back to the default would hide exactly the keys the user
//! meant to see.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::report::Severity;

use super::rules::{self, RULES};

/// The numbers the rules compare against. Days are whole days before the report's `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// `unused`: last used this many days ago or more.
    pub unused_days: i64,
    /// `never-used`: never used and created this many days ago or more.
    pub never_used_days: i64,
    /// `rotation-overdue`: created this many days ago or more and still active.
    pub rotation_days: i64,
    /// `admin-key-idle`: an admin key last used this many days ago or more.
    pub admin_idle_days: i64,
    /// A key is active when last used fewer than this many days ago.
    pub active_days: i64,
    /// `expiring-soon`: expires in this many days or fewer.
    pub expiring_soon_days: i64,
    /// `many-keys-per-owner`: an owner holds more than this many active keys.
    pub many_keys_per_owner: i64,
    /// `many-keys-per-owner`: an owner holds more than this many active keys in one project
    /// (0 = no per-project limit; the `cis` preset sets 1).
    pub many_keys_per_owner_project: i64,
    /// `usage-spike`: latest daily cost at least this many times the trailing median...
    pub spike_factor: f64,
    /// ...and at least this many US dollars.
    pub spike_min_usd: f64,
    /// `usage-spike`: how many days before the latest form the trailing median.
    pub spike_window_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            unused_days: 90,
            never_used_days: 14,
            rotation_days: 90,
            admin_idle_days: 30,
            active_days: 30,
            expiring_soon_days: 14,
            many_keys_per_owner: 5,
            many_keys_per_owner_project: 0,
            spike_factor: 3.0,
            spike_min_usd: 10.0,
            spike_window_days: 14,
        }
    }
}

/// Whether a rule runs, and the severity of its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: bool,
    pub severity: Severity,
}

/// A mute: findings on this key (of this rule, or of every rule) stay in the report, marked
/// muted, and count toward no risk, total or `--fail-on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    /// A key id, a redacted value, or a key name (for project findings: the project's name or id).
    pub key: String,
    /// A rule id; `None` mutes every rule on the key.
    pub rule: Option<String>,
    pub reason: String,
    /// The last day the mute holds; after it the finding counts again and says the mute expired.
    pub until: Option<Date>,
}

/// Everything the rules judge by. `Default` is the `default` preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `default`, `cis`, `strict`, or `custom` once a file changed anything a preset sets.
    pub name: String,
    pub thresholds: Thresholds,
    /// Every rule id of [`RULES`], with its setting.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Words that mark a key name or project as production (`user-key-in-production`).
    pub production_patterns: Vec<String>,
    /// Names that say nothing of a key's use (`undescriptive-name`), compared case-insensitively.
    pub default_names: Vec<String>,
    pub mutes: Vec<Mute>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            name: "default".into(),
            thresholds: Thresholds::default(),
            rules: RULES
                .iter()
                .map(|r| {
                    let setting = RuleSetting {
                        enabled: r.enabled,
                        severity: r.severity,
                    };
                    (r.id.to_string(), setting)
                })
                .collect(),
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
                "temp",
            ]
            .map(String::from)
            .to_vec(),
            mutes: Vec::new(),
        }
    }
}

/// The presets, by name.
pub const PRESETS: [&str; 3] = ["default", "cis", "strict"];

impl Policy {
    /// A preset: `default` (SPEC.md's table), `cis` (unused at 45 days, at most one active key
    /// per owner per project), `strict` (everything `cis` asks, `no-expiry` on, and lower
    /// thresholds: unused 45, never-used 7, rotation 60, admin idle 14, expiring soon 30, more
    /// than 3 active keys per owner).
    pub fn preset(name: &str) -> Result<Policy> {
        let mut p = Policy::default();
        match name.trim().to_ascii_lowercase().as_str() {
            "default" => {}
            "cis" => {
                p.name = "cis".into();
                p.thresholds.unused_days = 45;
                p.thresholds.many_keys_per_owner_project = 1;
            }
            "strict" => {
                p.name = "strict".into();
                let t = &mut p.thresholds;
                t.unused_days = 45;
                t.never_used_days = 7;
                t.rotation_days = 60;
                t.admin_idle_days = 14;
                t.expiring_soon_days = 30;
                t.many_keys_per_owner = 3;
                t.many_keys_per_owner_project = 1;
                if let Some(s) = p.rules.get_mut("no-expiry") {
                    s.enabled = true;
                }
            }
            other => {
                return Err(Error::policy(
                    "preset",
                    None,
                    format!("unknown preset {other:?} (expected default, cis or strict)"),
                ))
            }
        }
        Ok(p)
    }

    /// The setting of rule `id` (the registry's default for an id the map lacks).
    pub fn rule(&self, id: &str) -> RuleSetting {
        self.rules.get(id).copied().unwrap_or_else(|| {
            let info = rules::info(id);
            RuleSetting {
                enabled: info.is_some_and(|r| r.enabled),
                severity: info.map_or(Severity::Info, |r| r.severity),
            }
        })
    }

    /// Reads a policy file: JSON when it starts with `{`, TOML otherwise.
    pub fn load(source: &str, text: &str) -> Result<Policy> {
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Self::from_json(source, text)
        } else {
            Self::from_toml(source, text)
        }
    }

    /// Reads a TOML policy file. Errors name the file and the field (or line).
    pub fn from_toml(source: &str, text: &str) -> Result<Policy> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text.get(..s.start).unwrap_or("").matches('\n').count() + 1);
            Error::policy(
                source,
                line.map(|l| format!("line {l}")),
                format!("not valid TOML: {}", e.message().trim()),
            )
        })?;
        let root = Node::Table(
            table
                .into_iter()
                .map(|(k, v)| (k, Node::from_toml(v)))
                .collect(),
        );
        build(source, &root)
    }

    /// Reads a JSON policy file (the same structure as the TOML one).
    pub fn from_json(source: &str, text: &str) -> Result<Policy> {
        let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| {
                Error::policy(
                    source,
                    Some(format!("line {}", e.line())),
                    format!("not valid JSON: {e}"),
                )
            })?;
        build(source, &Node::from_json(v))
    }

    /// The default policy as a commented TOML file to start from (`keyroster policy
    /// --print-default`). It parses back to [`Policy::default`].
    pub fn default_toml() -> &'static str {
        DEFAULT_TOML
    }
}

/// The commented default policy; a test checks that it parses back to `Policy::default()`.
const DEFAULT_TOML: &str = include_str!("default-policy.toml");

/// A parsed policy value, the same for TOML and JSON.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, as written.
    Date(String),
    List(Vec<Node>),
    Table(Vec<(String, Node)>),
    Null,
}

impl Node {
    fn from_toml(v: toml::Value) -> Node {
        match v {
            toml::Value::String(s) => Node::Str(s),
            toml::Value::Integer(i) => Node::Int(i),
            toml::Value::Float(f) => Node::Float(f),
            toml::Value::Boolean(b) => Node::Bool(b),
            toml::Value::Datetime(d) => Node::Date(d.to_string()),
            toml::Value::Array(a) => Node::List(a.into_iter().map(Node::from_toml).collect()),
            toml::Value::Table(t) => Node::Table(
                t.into_iter()
                    .map(|(k, v)| (k, Node::from_toml(v)))
                    .collect(),
            ),
        }
    }

    fn from_json(v: serde_json::Value) -> Node {
        use serde_json::Value as J;
        match v {
            J::Null => Node::Null,
            J::Bool(b) => Node::Bool(b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Node::Int(i),
                None => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Node::Str(s),
            J::Array(a) => Node::List(a.into_iter().map(Node::from_json).collect()),
            J::Object(o) => Node::Table(
                o.into_iter()
                    .map(|(k, v)| (k, Node::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Node::Str(_) => "a string",
            Node::Int(_) => "a whole number",
            Node::Float(_) => "a number",
            Node::Bool(_) => "true or false",
            Node::Date(_) => "a date",
            Node::List(_) => "a list",
            Node::Table(_) => "a table",
            Node::Null => "null",
        }
    }
}

/// Builds errors for one policy file.
struct Reader<'a> {
    source: &'a str,
}

impl Reader<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> Error {
        Error::policy(self.source, Some(field.to_string()), message)
    }

    fn table<'n>(&self, field: &str, n: &'n Node) -> Result<&'n [(String, Node)]> {
        match n {
            Node::Table(t) => Ok(t),
            other => Err(self.err(field, format!("expected a table, found {}", other.what()))),
        }
    }

    fn string<'n>(&self, field: &str, n: &'n Node) -> Result<&'n str> {
        match n {
            Node::Str(s) => Ok(s),
            other => Err(self.err(field, format!("expected a string, found {}", other.what()))),
        }
    }

    fn days(&self, field: &str, n: &Node) -> Result<i64> {
        match n {
            Node::Int(i) if *i >= 0 => Ok(*i),
            Node::Int(i) => Err(self.err(field, format!("must be 0 or more, not {i}"))),
            Node::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1e15 => Ok(*f as i64),
            other => Err(self.err(
                field,
                format!(
                    "expected a whole number of 0 or more, found {}",
                    other.what()
                ),
            )),
        }
    }

    fn amount(&self, field: &str, n: &Node, min_exclusive: bool) -> Result<f64> {
        let v = match n {
            Node::Int(i) => *i as f64,
            Node::Float(f) => *f,
            other => {
                return Err(self.err(field, format!("expected a number, found {}", other.what())))
            }
        };
        if !v.is_finite() || v < 0.0 || (min_exclusive && v == 0.0) {
            let bound = if min_exclusive {
                "more than 0"
            } else {
                "0 or more"
            };
            return Err(self.err(field, format!("must be {bound}, not {v}")));
        }
        Ok(v)
    }

    fn words(&self, field: &str, n: &Node) -> Result<Vec<String>> {
        let Node::List(items) = n else {
            return Err(self.err(
                field,
                format!("expected a list of strings, found {}", n.what()),
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let s = self.string(&format!("{field}[{}]", i + 1), item)?;
                Ok(s.trim().to_string())
            })
            .filter(|r: &Result<String>| r.as_ref().map_or(true, |s| !s.is_empty()))
            .collect()
    }

    fn unknown(&self, field: &str, name: &str, known: &[&str]) -> Error {
        let mut msg = format!("unknown field {name:?}");
        if let Some(s) = suggest(name, known) {
            msg.push_str(&format!(" (did you mean {s}?)"));
        } else {
            msg.push_str(&format!(" (expected {})", known.join(", ")));
        }
        self.err(field, msg)
    }
}

const TOP_FIELDS: [&str; 6] = [
    "preset",
    "thresholds",
    "rules",
    "production_patterns",
    "default_names",
    "mute",
];

const THRESHOLD_FIELDS: [&str; 11] = [
    "unused_days",
    "never_used_days",
    "rotation_days",
    "admin_idle_days",
    "active_days",
    "expiring_soon_days",
    "many_keys_per_owner",
    "many_keys_per_owner_project",
    "spike_factor",
    "spike_min_usd",
    "spike_window_days",
];

fn build(source: &str, root: &Node) -> Result<Policy> {
    let r = Reader { source };
    let top = match root {
        Node::Table(t) => t,
        other => {
            return Err(Error::policy(
                source,
                None,
                format!("expected a table of settings, found {}", other.what()),
            ))
        }
    };
    let preset_name = match top.iter().find(|(k, _)| k == "preset") {
        Some((_, n)) => r.string("preset", n)?,
        None => "default",
    };
    let mut p = Policy::preset(preset_name).map_err(|e| match e.kind() {
        crate::error::ErrorKind::Policy { message, .. } => r.err("preset", message.clone()),
        _ => e,
    })?;
    let base = p.clone();

    for (key, node) in top {
        match key.as_str() {
            "preset" => {}
            "thresholds" => read_thresholds(&r, node, &mut p.thresholds)?,
            "rules" => read_rules(&r, node, &mut p.rules)?,
            "production_patterns" => p.production_patterns = r.words(key, node)?,
            "default_names" => p.default_names = r.words(key, node)?,
            "mute" => p.mutes = read_mutes(&r, node)?,
            other => return Err(r.unknown(other, other, &TOP_FIELDS)),
        }
    }
    if p != base {
        p.name = "custom".into();
    }
    Ok(p)
}

fn read_thresholds(r: &Reader, node: &Node, t: &mut Thresholds) -> Result<()> {
    for (k, n) in r.table("thresholds", node)? {
        let field = format!("thresholds.{k}");
        match k.as_str() {
            "unused_days" => t.unused_days = r.days(&field, n)?,
            "never_used_days" => t.never_used_days = r.days(&field, n)?,
            "rotation_days" => t.rotation_days = r.days(&field, n)?,
            "admin_idle_days" => t.admin_idle_days = r.days(&field, n)?,
            "active_days" => t.active_days = r.days(&field, n)?,
            "expiring_soon_days" => t.expiring_soon_days = r.days(&field, n)?,
            "many_keys_per_owner" => t.many_keys_per_owner = r.days(&field, n)?,
            "many_keys_per_owner_project" => t.many_keys_per_owner_project = r.days(&field, n)?,
            "spike_factor" => t.spike_factor = r.amount(&field, n, true)?,
            "spike_min_usd" => t.spike_min_usd = r.amount(&field, n, false)?,
            "spike_window_days" => {
                t.spike_window_days = r.days(&field, n)?;
                if t.spike_window_days == 0 {
                    return Err(r.err(&field, "must be 1 or more, not 0"));
                }
            }
            _ if TOP_FIELDS.contains(&k.as_str()) => {
                return Err(r.err(
                    &field,
                    format!(
                        "{k} is not a threshold; in TOML, put top-level settings such as {k} \
                         before the first [table]"
                    ),
                ))
            }
            _ => return Err(r.unknown(&field, k, &THRESHOLD_FIELDS)),
        }
    }
    Ok(())
}

fn read_rules(r: &Reader, node: &Node, rules: &mut BTreeMap<String, RuleSetting>) -> Result<()> {
    let ids: Vec<&str> = rules::ids().collect();
    for (id, n) in r.table("rules", node)? {
        let field = format!("rules.{id}");
        let Some(setting) = rules.get_mut(id.as_str()) else {
            let mut msg = format!("unknown rule id {id:?}");
            match suggest(id, &ids) {
                Some(s) => msg.push_str(&format!(" (did you mean {s}?)")),
                None => msg.push_str(" (see `keyroster policy --print-default` for the rule ids)"),
            }
            return Err(r.err(&field, msg));
        };
        for (k, v) in r.table(&field, n)? {
            let sub = format!("{field}.{k}");
            match (k.as_str(), v) {
                ("enabled", Node::Bool(b)) => setting.enabled = *b,
                ("enabled", other) => {
                    return Err(r.err(
                        &sub,
                        format!("expected true or false, found {}", other.what()),
                    ))
                }
                ("severity", v) => {
                    setting.severity = r
                        .string(&sub, v)?
                        .parse()
                        .map_err(|e: String| r.err(&sub, e))?
                }
                _ => return Err(r.unknown(&sub, k, &["enabled", "severity"])),
            }
        }
    }
    Ok(())
}

fn read_mutes(r: &Reader, node: &Node) -> Result<Vec<Mute>> {
    let items: Vec<&Node> = match node {
        Node::List(items) => items.iter().collect(),
        // `mute = { ... }` in TOML, or one object in JSON: a single mute.
        Node::Table(_) => vec![node],
        other => {
            return Err(r.err(
                "mute",
                format!("expected a list of mutes, found {}", other.what()),
            ))
        }
    };
    let ids: Vec<&str> = rules::ids().collect();
    let mut mutes = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let at = format!("mute[{}]", i + 1);
        let (mut key, mut rule, mut reason, mut until) = (None, None, None, None);
        for (k, v) in r.table(&at, item)? {
            let field = format!("{at}.{k}");
            match k.as_str() {
                "key" => key = Some(r.string(&field, v)?.trim().to_string()),
                "rule" => {
                    let id = r.string(&field, v)?.trim();
                    if !ids.contains(&id) {
                        let mut msg = format!("unknown rule id {id:?}");
                        if let Some(s) = suggest(id, &ids) {
                            msg.push_str(&format!(" (did you mean {s}?)"));
                        }
                        return Err(r.err(&field, msg));
                    }
                    rule = Some(id.to_string());
                }
                "reason" => reason = Some(r.string(&field, v)?.trim().to_string()),
                "until" => {
                    let text = match v {
                        Node::Str(s) | Node::Date(s) => s.trim(),
                        other => {
                            return Err(r.err(
                                &field,
                                format!("expected a date YYYY-MM-DD, found {}", other.what()),
                            ))
                        }
                    };
                    let d = text.parse::<Date>().map_err(|_| {
                        r.err(
                            &field,
                            format!("expected a date YYYY-MM-DD, found {text:?}"),
                        )
                    })?;
                    until = Some(d);
                }
                _ => return Err(r.unknown(&field, k, &["key", "rule", "reason", "until"])),
            }
        }
        let key = key.filter(|k| !k.is_empty()).ok_or_else(|| {
            r.err(
                &format!("{at}.key"),
                "a mute needs the key it mutes (its id, redacted value or name)",
            )
        })?;
        let reason = reason
            .filter(|k| !k.is_empty())
            .ok_or_else(|| r.err(&format!("{at}.reason"), "a mute needs a reason"))?;
        mutes.push(Mute {
            key,
            rule,
            reason,
            until,
        });
    }
    Ok(mutes)
}

/// The closest of `known` to `word` when it is close enough to be a typo.
fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&w, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Policy::load("policy.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn default_toml_parses_back_to_the_default_policy() {
        let p = Policy::from_toml("default.toml", Policy::default_toml()).unwrap();
        assert_eq!(p, Policy::default());
        assert_eq!(p.name, "default");
    }

    #[test]
    fn default_toml_names_every_rule() {
        for id in rules::ids() {
            assert!(DEFAULT_TOML.contains(&format!("[rules.{id}]")), "{id}");
        }
    }

    #[test]
    fn presets_differ_where_documented() {
        let d = Policy::preset("default").unwrap();
        let cis = Policy::preset("cis").unwrap();
        let strict = Policy::preset("strict").unwrap();
        assert_eq!(d, Policy::default());
        assert_eq!(cis.thresholds.unused_days, 45);
        assert_eq!(cis.thresholds.many_keys_per_owner_project, 1);
        assert_eq!(cis.rules, d.rules);
        assert!(!d.rule("no-expiry").enabled);
        assert!(strict.rule("no-expiry").enabled);
        assert_eq!(strict.thresholds.never_used_days, 7);
        assert_eq!(strict.thresholds.rotation_days, 60);
        assert_eq!(strict.thresholds.admin_idle_days, 14);
        assert_eq!(strict.thresholds.many_keys_per_owner, 3);
        assert_eq!(
            Policy::preset("lax").unwrap_err().to_string(),
            "preset: unknown preset \"lax\" (expected default, cis or strict)"
        );
    }

    #[test]
    fn a_file_that_only_names_a_preset_keeps_its_name() {
        let p = Policy::load("p.toml", "preset = \"cis\"\n").unwrap();
        assert_eq!(p, Policy::preset("cis").unwrap());
        let p = Policy::load("p.json", r#"{"preset": "strict"}"#).unwrap();
        assert_eq!(p.name, "strict");
    }

    #[test]
    fn toml_and_json_change_the_same_settings() {
        let toml = r#"
preset = "cis"
production_patterns = ["prod", "prd"]
default_names = ["Secret key", " scratch "]
[thresholds]
unused_days = 60
spike_factor = 2
[rules.broad-permissions]
enabled = false
[rules.never-used]
severity = "MEDIUM"
[[mute]]
key = "key_abc"
rule = "unused"
reason = "Batch job, runs yearly"
until = 2027-01-31
[[mute]]
key = "sk-proj-...a1B2"
reason = "Owned by the vendor"
"#;
        let json = r#"{"preset": "cis", "production_patterns": ["prod", "prd"],
            "default_names": ["Secret key", " scratch "],
            "thresholds": {"unused_days": 60, "spike_factor": 2.0},
            "rules": {"broad-permissions": {"enabled": false}, "never-used": {"severity": "medium"}},
            "mute": [{"key": "key_abc", "rule": "unused", "reason": "Batch job, runs yearly",
                      "until": "2027-01-31"},
                     {"key": "sk-proj-...a1B2", "reason": "Owned by the vendor"}]}"#;
        let t = Policy::load("p.toml", toml).unwrap();
        let j = Policy::load("p.json", json).unwrap();
        assert_eq!(t, j);
        assert_eq!(t.name, "custom");
        assert_eq!(t.thresholds.unused_days, 60);
        assert_eq!(t.thresholds.many_keys_per_owner_project, 1);
        assert_eq!(t.thresholds.spike_factor, 2.0);
        assert!(!t.rule("broad-permissions").enabled);
        assert_eq!(t.rule("never-used").severity, Severity::Medium);
        assert_eq!(t.production_patterns, ["prod", "prd"]);
        assert_eq!(t.default_names, ["Secret key", "scratch"]);
        assert_eq!(
            t.mutes,
            [
                Mute {
                    key: "key_abc".into(),
                    rule: Some("unused".into()),
                    reason: "Batch job, runs yearly".into(),
                    until: Some(jiff::civil::date(2027, 1, 31)),
                },
                Mute {
                    key: "sk-proj-...a1B2".into(),
                    rule: None,
                    reason: "Owned by the vendor".into(),
                    until: None,
                }
            ]
        );
    }

    #[test]
    fn unknown_rule_id_suggests_the_nearest() {
        assert_eq!(
            err("[rules.unusd]\nenabled = false\n"),
            "policy.toml: rules.unusd: unknown rule id \"unusd\" (did you mean unused?)"
        );
    }

    #[test]
    fn unknown_threshold_suggests_the_nearest() {
        assert_eq!(
            err("[thresholds]\nunused_day = 30\n"),
            "policy.toml: thresholds.unused_day: unknown field \"unused_day\" (did you mean unused_days?)"
        );
    }

    #[test]
    fn unknown_top_level_field_is_named() {
        assert_eq!(
            err("mutes = []\n"),
            "policy.toml: mutes: unknown field \"mutes\" (did you mean mute?)"
        );
    }

    #[test]
    fn negative_threshold_is_refused() {
        assert_eq!(
            err("[thresholds]\nunused_days = -5\n"),
            "policy.toml: thresholds.unused_days: must be 0 or more, not -5"
        );
        assert_eq!(
            err("[thresholds]\nspike_factor = 0\n"),
            "policy.toml: thresholds.spike_factor: must be more than 0, not 0"
        );
        assert_eq!(
            err("[thresholds]\nrotation_days = \"90\"\n"),
            "policy.toml: thresholds.rotation_days: expected a whole number of 0 or more, found a string"
        );
    }

    #[test]
    fn bad_severity_is_refused() {
        assert_eq!(
            err("[rules.unused]\nseverity = \"urgent\"\n"),
            "policy.toml: rules.unused.severity: unknown severity \"urgent\" (expected critical, high, medium, low or info)"
        );
    }

    #[test]
    fn mute_without_reason_is_refused() {
        assert_eq!(
            err("[[mute]]\nkey = \"key_1\"\n"),
            "policy.toml: mute[1].reason: a mute needs a reason"
        );
        assert_eq!(
            err("[[mute]]\nreason = \"x\"\n"),
            "policy.toml: mute[1].key: a mute needs the key it mutes (its id, redacted value or name)"
        );
    }

    #[test]
    fn mute_with_bad_date_or_rule_is_refused() {
        assert_eq!(
            err("[[mute]]\nkey = \"k\"\nreason = \"r\"\nuntil = \"next week\"\n"),
            "policy.toml: mute[1].until: expected a date YYYY-MM-DD, found \"next week\""
        );
        assert_eq!(
            err("[[mute]]\nkey = \"k\"\nreason = \"r\"\nrule = \"nevr-used\"\n"),
            "policy.toml: mute[1].rule: unknown rule id \"nevr-used\" (did you mean never-used?)"
        );
    }

    #[test]
    fn unknown_preset_in_a_file_names_the_field() {
        assert_eq!(
            err("preset = \"paranoid\"\n"),
            "policy.toml: preset: unknown preset \"paranoid\" (expected default, cis or strict)"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let e = err("preset = \"cis\"\n[thresholds\nunused_days = 3\n");
        assert!(e.starts_with("policy.toml: line 2: not valid TOML"), "{e}");
        let e = Policy::load("policy.json", "{\n\"preset\": \"cis\",\n}")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("policy.json: line 3: not valid JSON"), "{e}");
    }
}
