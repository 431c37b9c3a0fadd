//! One roster, several platforms: the Summary's totals split by provider (keys, active keys,
//! owners, scopes, unmuted findings, cost), each with the word its platform uses for a scope.
//!
//! Filled only when the roster holds a key of a provider other than OpenAI, so a report of
//! OpenAI keys alone reads (and serializes) exactly as before a second provider existed.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ingest::providers;
use crate::model::{Inventory, Provider};
use crate::report::{Finding, KeyReport, SeverityCounts};

/// One provider's share of the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProviderTotals {
    pub provider: Provider,
    /// The platform's name, as a person reads it ("Anthropic").
    pub label: String,
    /// What its scopes are called ("project", "workspace").
    pub scope_noun: String,
    pub keys: usize,
    pub active_keys: usize,
    pub owners: usize,
    /// Distinct scopes (projects or workspaces) its keys and lists name.
    pub scopes: usize,
    /// Unmuted findings about its keys, scopes or secrets.
    pub findings: SeverityCounts,
    pub cost_usd: Option<f64>,
    /// For a platform that lists no last use: the days its usage reports covered, first and
    /// last (what "last seen" and "not seen" are measured against); `None` when none was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_seen: Option<[Date; 2]>,
}

/// Totals per provider, in [`Provider`] order; empty for an OpenAI-only roster.
pub fn totals(inv: &Inventory, keys: &[KeyReport], findings: &[Finding]) -> Vec<ProviderTotals> {
    if keys.iter().all(|k| k.key.provider == Provider::Openai) {
        return Vec::new();
    }
    let mut by: BTreeMap<Provider, ProviderTotals> = BTreeMap::new();
    let mut owners: BTreeMap<Provider, BTreeSet<String>> = BTreeMap::new();
    let mut scopes: BTreeMap<Provider, BTreeSet<String>> = BTreeMap::new();
    for k in keys {
        let p = k.key.provider;
        let t = slot(&mut by, p);
        t.keys += 1;
        t.active_keys += usize::from(k.active);
        if let Some(c) = k.key.usage.and_then(|u| u.cost_usd) {
            *t.cost_usd.get_or_insert(0.0) += c;
        }
        let o = k.key.owner.label().to_lowercase();
        if !o.is_empty() {
            owners.entry(p).or_default().insert(o);
        }
        if let Some(s) = k
            .key
            .project
            .as_ref()
            .map(|s| crate::names::fold(s.label()))
        {
            if !s.is_empty() {
                scopes.entry(p).or_default().insert(s);
            }
        }
    }
    // Listed scopes no key is in, by the ids only one platform issues.
    for s in &inv.projects {
        let Some(p) = s.id.as_deref().and_then(providers::by_id) else {
            continue;
        };
        let label = crate::names::fold(s.name.as_deref().or(s.id.as_deref()).unwrap_or(""));
        let known = scopes.get(&p).is_some_and(|set| {
            set.contains(&label)
                || s.id
                    .as_deref()
                    .is_some_and(|id| set.contains(&crate::names::fold(id)))
        });
        if !known && !label.is_empty() {
            slot(&mut by, p);
            scopes.entry(p).or_default().insert(label);
        }
    }
    for f in findings.iter().filter(|f| f.muted.is_none()) {
        if let Some(t) = provider_of(f, keys).and_then(|p| by.get_mut(&p)) {
            t.findings.add(f.severity);
        }
    }
    // Usage rows that say their platform carry cost no key was joined to (workspace costs).
    let row_cost: BTreeMap<Provider, f64> = inv.usage.iter().fold(BTreeMap::new(), |mut m, r| {
        if let (Some(p), Some(c)) = (r.provider, r.usage.cost_usd) {
            *m.entry(p).or_insert(0.0) += c;
        }
        m
    });
    for (p, t) in &mut by {
        t.owners = owners.get(p).map_or(0, BTreeSet::len);
        t.scopes = scopes.get(p).map_or(0, BTreeSet::len);
        if let Some(c) = row_cost.get(p) {
            t.cost_usd = Some(*c);
        }
        if !providers::info(*p).lists_last_use {
            t.usage_seen = super::seen::window(inv, *p).map(|w| [w.from, w.to]);
        }
    }
    by.into_values().collect()
}

fn slot(by: &mut BTreeMap<Provider, ProviderTotals>, p: Provider) -> &mut ProviderTotals {
    by.entry(p).or_insert_with(|| {
        let info = providers::info(p);
        ProviderTotals {
            provider: p,
            label: info.label.into(),
            scope_noun: info.scope_noun.into(),
            ..ProviderTotals::default()
        }
    })
}

/// Whose finding this is: its key's platform, else the platform its secret's prefix names.
fn provider_of(f: &Finding, keys: &[KeyReport]) -> Option<Provider> {
    if let Some(k) = f.target.key_index.and_then(|i| keys.get(i)) {
        return Some(k.key.provider);
    }
    f.target
        .redacted
        .as_deref()
        .and_then(providers::by_key_value)
        .or_else(|| {
            // A scope's finding: the platform of the keys in a scope of that name.
            let scope = f.target.project.as_deref()?;
            keys.iter()
                .find(|k| k.key.project.as_ref().is_some_and(|p| p.label() == scope))
                .map(|k| k.key.provider)
        })
}
