//! Keys: when two readings are the same key (an id, else the redaction's visible suffix, name
//! and project, else a bare name), and which of their fields wins.

use jiff::civil::Date;
use rustc_hash::FxHashMap;

use super::{add_source, fold, or};
use crate::model::{
    Expiry, Inventory, Key, KeyKind, LastUsed, OwnerType, Permissions, ProjectRef, Provider, Usage,
    UsageRow,
};
use crate::secret;

/// Whether two project references can name the same project: equal ids; else equal names when
/// an id is missing on one side; else compatible when one side does not say.
pub(super) fn same_project(a: Option<&ProjectRef>, b: Option<&ProjectRef>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => x == y,
        _ => match (&a.name, &b.name) {
            (Some(x), Some(y)) => fold(x) == fold(y),
            _ => true,
        },
    }
}

/// The last 3 characters of a canonical redaction's visible suffix: every pair of values
/// [`secret::same_key_value`] accepts shares them, so they bucket candidates.
pub(super) fn suffix_bucket(redacted: &str) -> Option<&str> {
    let (_, tail) = secret::parts(redacted);
    let start = tail.char_indices().rev().nth(2)?.0;
    Some(&tail[start..])
}

/// True when `new` (without a shared id) is the same key as `old` by redaction, name and project.
/// A name missing on one side does not prevent the match (a page may show no name column), but
/// two different names do; two different ids always do.
fn same_key_by_value(old: &Key, new: &Key) -> bool {
    if old.provider != new.provider {
        return false;
    }
    if let (Some(a), Some(b)) = (&old.id, &new.id) {
        if a != b {
            return false;
        }
    }
    let (Some(a), Some(b)) = (&old.redacted, &new.redacted) else {
        return false;
    };
    let names_ok = old.name.trim().is_empty()
        || new.name.trim().is_empty()
        || old.name.trim() == new.name.trim();
    names_ok
        && secret::same_key_value(a, b)
        && same_project(old.project.as_ref(), new.project.as_ref())
}

/// Index of existing keys by id and by redaction suffix, kept up to date while a batch merges.
///
/// FxHash, sized for every key up front, and looked up by `&str` (ids by provider first): with
/// SipHash, the maps' growth rehashing every key again, and a `String` built per lookup, merging
/// grew faster than the keys (a cache miss per rehashed key once the maps outgrow the caches).
#[derive(Default)]
struct KeyIndex {
    by_id: FxHashMap<Provider, FxHashMap<String, usize>>,
    by_suffix: FxHashMap<[char; 3], Slots>,
    /// Keys with neither id nor redaction (a page that shows names only), by name.
    by_bare_name: FxHashMap<String, Vec<usize>>,
}

/// A key a source identified only by its name.
fn bare(k: &Key) -> Option<&str> {
    let n = k.name.trim();
    (k.id.is_none() && k.redacted.is_none() && !n.is_empty()).then_some(n)
}

impl KeyIndex {
    fn with_capacity(n: usize) -> Self {
        let mut by_id = FxHashMap::default();
        by_id.insert(
            Provider::default(),
            FxHashMap::with_capacity_and_hasher(n, Default::default()),
        );
        KeyIndex {
            by_id,
            by_suffix: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            by_bare_name: FxHashMap::default(),
        }
    }

    fn add(&mut self, i: usize, k: &Key) {
        if let Some(id) = &k.id {
            let ids = self.by_id.entry(k.provider).or_default();
            if !ids.contains_key(id.as_str()) {
                ids.insert(id.clone(), i);
            }
        }
        if let Some(b) = k.redacted.as_deref().and_then(suffix_bucket) {
            self.by_suffix
                .entry(bucket_key(b))
                .and_modify(|s| s.add(i))
                .or_insert(Slots::One(i));
        }
        if let Some(n) = bare(k) {
            self.by_bare_name.entry(n.to_string()).or_default().push(i);
        }
    }

    fn find(&self, keys: &[Key], k: &Key) -> Option<usize> {
        if let Some(id) = &k.id {
            if let Some(&i) = self
                .by_id
                .get(&k.provider)
                .and_then(|ids| ids.get(id.as_str()))
            {
                return Some(i);
            }
        }
        if let Some(n) = bare(k) {
            // Nothing but a name: the same name in a compatible project of a key that has
            // no more than a name either (the same names-only page read twice).
            return self.by_bare_name.get(n)?.iter().copied().find(|&i| {
                keys.get(i).is_some_and(|old| {
                    old.provider == k.provider
                        && bare(old).is_some()
                        && same_project(old.project.as_ref(), k.project.as_ref())
                })
            });
        }
        let b = k.redacted.as_deref().and_then(suffix_bucket)?;
        self.by_suffix
            .get(&bucket_key(b))?
            .as_slice()
            .iter()
            .copied()
            .find(|&i| keys.get(i).is_some_and(|old| same_key_by_value(old, k)))
    }
}

/// A suffix bucket (three characters, [`suffix_bucket`]) as an inline key: no `String` per key.
fn bucket_key(b: &str) -> [char; 3] {
    let mut c = b.chars();
    [(); 3].map(|()| c.next().unwrap_or_default())
}

/// The keys in one suffix bucket: almost always one, kept inline (no `Vec` per key).
enum Slots {
    One(usize),
    Many(Vec<usize>),
}

impl Slots {
    fn add(&mut self, i: usize) {
        match self {
            Slots::One(j) if *j != i => *self = Slots::Many(vec![*j, i]),
            Slots::Many(v) if !v.contains(&i) => v.push(i),
            _ => {}
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Slots::One(i) => std::slice::from_ref(i),
            Slots::Many(v) => v,
        }
    }
}

pub(super) fn merge_keys(
    inv: &mut Inventory,
    name: &str,
    keys: Vec<Key>,
    usage: &mut Vec<UsageRow>,
    own_export: bool,
) {
    if keys.is_empty() {
        return;
    }
    let mut index = KeyIndex::with_capacity(inv.keys.len() + keys.len());
    // Room for every key up front: growing a vector of 20,000 keys copies them all again.
    inv.keys.reserve(keys.len());
    for (i, k) in inv.keys.iter().enumerate() {
        index.add(i, k);
    }
    for mut k in keys {
        if !own_export || k.sources.is_empty() {
            add_source(&mut k.sources, name);
        }
        usage_to_rows(&mut k, name, usage);
        match index.find(&inv.keys, &k) {
            Some(i) => {
                if let Some(old) = inv.keys.get_mut(i) {
                    merge_key(old, k);
                    index.add(i, old);
                }
            }
            None => {
                index.add(inv.keys.len(), &k);
                inv.keys.push(k);
            }
        }
    }
}

/// Moves usage a reader put on a key into usage rows: daily rows, plus one undated row for any
/// part of the totals the days do not account for.
fn usage_to_rows(k: &mut Key, name: &str, rows: &mut Vec<UsageRow>) {
    let totals = k.usage.take();
    let daily = std::mem::take(&mut k.daily);
    if totals.is_none() && daily.is_empty() {
        return;
    }
    let row = |date: Option<Date>, usage: Usage| UsageRow {
        date,
        key_id: k.id.clone(),
        key_redacted: k.redacted.clone(),
        key_name: (!k.name.is_empty()).then(|| k.name.clone()),
        project: k.project.clone(),
        usage,
        source: name.to_string(),
        ..UsageRow::default()
    };
    let mut days = Usage::default();
    for d in &daily {
        days.add(&d.usage);
        rows.push(row(Some(d.date), d.usage));
    }
    if let Some(t) = totals {
        fn rest_u(t: Option<u64>, d: Option<u64>) -> Option<u64> {
            let r = t?.saturating_sub(d.unwrap_or(0));
            (r > 0).then_some(r)
        }
        let cost = t.cost_usd.and_then(|c| {
            let r = c - days.cost_usd.unwrap_or(0.0);
            (r.abs() > 1e-9).then_some(r)
        });
        let rest = Usage {
            requests: rest_u(t.requests, days.requests),
            input_tokens: rest_u(t.input_tokens, days.input_tokens),
            output_tokens: rest_u(t.output_tokens, days.output_tokens),
            cost_usd: cost,
        };
        // Totals known with nothing in them (zero usage) are still a fact: keep a zero row.
        if !rest.is_empty() || daily.is_empty() {
            let rest = if daily.is_empty() { t } else { rest };
            rows.push(row(None, rest));
        }
    }
}

/// Keeps the most complete of two readings of one key.
fn merge_key(old: &mut Key, new: Key) {
    or(&mut old.id, new.id);
    if old.name.trim().is_empty() {
        old.name = new.name;
    }
    old.redacted = match (old.redacted.take(), new.redacted) {
        (Some(a), Some(b)) => {
            let (pa, sa) = secret::parts(&a);
            let (pb, sb) = secret::parts(&b);
            if (pb.len(), sb.len()) > (pa.len(), sa.len()) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    };
    if old.kind == KeyKind::Unknown {
        old.kind = new.kind;
    }
    old.project = match (old.project.take(), new.project) {
        (Some(mut a), Some(b)) => {
            or(&mut a.id, b.id);
            or(&mut a.name, b.name);
            Some(a)
        }
        (a, b) => a.or(b),
    };
    if old.owner.kind == OwnerType::Unknown {
        old.owner.kind = new.owner.kind;
    }
    or(&mut old.owner.name, new.owner.name);
    or(&mut old.owner.email, new.owner.email);
    or(&mut old.owner.id, new.owner.id);
    or(&mut old.created_by, new.created_by);
    if old.permissions == Permissions::Unknown {
        old.permissions = new.permissions;
    }
    or(&mut old.created, new.created);
    old.last_used = match (old.last_used, new.last_used) {
        (LastUsed::Date(a), LastUsed::Date(b)) => LastUsed::Date(a.max(b)),
        (a, b) if b.rank() > a.rank() => b,
        (a, _) => a,
    };
    old.expires = match (old.expires, new.expires) {
        (Expiry::Date(a), Expiry::Date(b)) => Expiry::Date(a.max(b)),
        (a, b) if b.rank() > a.rank() => b,
        (a, _) => a,
    };
    or(&mut old.owner_access, new.owner_access);
    old.deleted |= new.deleted;
    or(&mut old.status, new.status);
    for s in &new.sources {
        add_source(&mut old.sources, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_buckets_key_inline_and_hold_each_key_once() {
        assert_eq!(bucket_key("x9Z"), ['x', '9', 'Z']);
        assert_eq!(bucket_key("é€Z"), ['é', '€', 'Z']);
        let mut s = Slots::One(4);
        s.add(4);
        assert_eq!(s.as_slice(), [4]);
        s.add(7);
        s.add(4);
        s.add(7);
        s.add(9);
        assert_eq!(s.as_slice(), [4, 7, 9]);
    }

    #[test]
    fn redaction_buckets_use_the_last_three_visible_characters() {
        assert_eq!(suffix_bucket("sk-proj-...excA"), Some("xcA"));
        assert_eq!(suffix_bucket("sk-...excA"), Some("xcA"));
        assert_eq!(suffix_bucket("sk-...ab"), None);
    }

    #[test]
    fn project_compatibility_needs_ids_or_names_to_agree() {
        let p = |id: Option<&str>, name: Option<&str>| ProjectRef {
            id: id.map(Into::into),
            name: name.map(Into::into),
        };
        assert!(same_project(None, Some(&p(Some("proj_a"), None))));
        assert!(same_project(
            Some(&p(Some("proj_a"), Some("A"))),
            Some(&p(None, Some("a")))
        ));
        assert!(!same_project(
            Some(&p(Some("proj_a"), None)),
            Some(&p(Some("proj_b"), None))
        ));
        assert!(!same_project(
            Some(&p(None, Some("A"))),
            Some(&p(None, Some("B")))
        ));
        assert!(same_project(
            Some(&p(Some("proj_a"), None)),
            Some(&p(None, Some("B")))
        ));
    }
}
