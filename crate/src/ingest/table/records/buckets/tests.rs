//! The usage index against a plain reference: sums in order, bit for bit, across spans of days
//! that move, and the who encoding's equality.

use super::*;
use crate::model::UsageRow;
use jiff::civil::date;

/// What the buckets were before this index: one bucket per distinct key, in order of first
/// appearance, summed with [`Usage::add`].
fn reference(rows: &[(UsageKey<'_>, Usage)]) -> Vec<UsageRow> {
    let mut out: Vec<UsageRow> = Vec::new();
    let mut seen: Vec<(Vec<u8>, Option<Date>)> = Vec::new();
    for (key, usage) in rows {
        let mut who = Vec::new();
        encode_who(key, &mut who);
        let id = (who, key.date);
        match seen.iter().position(|s| *s == id) {
            Some(i) => out[i].usage.add(usage),
            None => {
                seen.push(id);
                out.push(key.to_row(*usage, "t"));
            }
        }
    }
    out
}

/// `rows` through a [`UsageIndex`], in order: the batch it wrote and the index.
fn indexed(rows: &[(UsageKey<'static>, Usage)]) -> (Batch, UsageIndex) {
    let mut index = UsageIndex::default();
    let mut batch = Batch::default();
    for (k, u) in rows.iter().cloned() {
        index.add("t", k, u, &mut batch);
    }
    index.finish(&mut batch);
    (batch, index)
}

fn key(k: &str, project: Option<&str>, d: Option<Date>) -> UsageKey<'static> {
    let k: &'static str = Box::leak(k.to_string().into_boxed_str());
    let project = project.map(|p| &*Box::leak(p.to_string().into_boxed_str()));
    UsageKey {
        date: d,
        key_id: Some(k),
        key_redacted: None,
        key_name: None,
        project_id: project,
        project_name: None,
        user_id: None,
        user_email: None,
    }
}

#[test]
fn buckets_and_sums_equal_the_plain_sum_in_first_seen_order() {
    let mut rows = Vec::new();
    // A small deterministic generator: keys, projects, days spread over years, undated rows,
    // parts known or not, a negative zero first.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    rows.push((
        key("key_z", None, Some(date(2026, 1, 1))),
        Usage {
            cost_usd: Some(-0.0),
            ..Usage::default()
        },
    ));
    for _ in 0..20_000 {
        let k = format!("key_{}", next(40));
        let p = match next(3) {
            0 => None,
            n => Some(format!("proj_{n}")),
        };
        let d = match next(20) {
            0 => None,
            // Far apart: years before and after, past a who's span of days.
            1 => Some(date(
                2000 + next(60) as i16,
                1 + next(12) as i8,
                1 + next(28) as i8,
            )),
            _ => Some(date(2026, 1 + next(3) as i8, 1 + next(31).min(27) as i8)),
        };
        let part = |v: u64, known: bool| known.then_some(v);
        let usage = Usage {
            requests: part(next(100), next(2) == 0),
            input_tokens: part(next(1000), next(3) == 0),
            output_tokens: part(next(1000), next(5) != 0),
            cost_usd: (next(4) != 0).then(|| next(1_000_000) as f64 / 7.0),
        };
        rows.push((key(&k, p.as_deref(), d), usage));
    }
    rows.push((
        key("key_z", None, Some(date(2026, 1, 1))),
        Usage {
            cost_usd: Some(-0.0),
            ..Usage::default()
        },
    ));
    let (batch, index) = indexed(&rows);
    let expected = reference(&rows);
    assert!(!index.far.is_empty(), "some days kept apart");
    assert_eq!(batch.usage.len(), expected.len());
    // Bit for bit: the float sums too (PartialEq would take -0.0 for 0.0).
    for (got, want) in batch.usage.iter().zip(&expected) {
        assert_eq!(got, want);
        let bits = |u: &UsageRow| u.usage.cost_usd.map(f64::to_bits);
        assert_eq!(bits(got), bits(want), "{got:?}");
    }
    assert_eq!(
        batch.usage[0].usage.cost_usd.map(f64::to_bits),
        Some((-0.0f64).to_bits())
    );
}

#[test]
fn queued_sums_are_added_before_a_span_of_days_moves() {
    // Rows queued for a who's days, then a day before its first (the slots move) and after
    // its last (they may be reallocated), then the first days again: every sum in order.
    let days = [5, 6, 5, 1, 6, 20, 5, 1, 30, 2, 1];
    let mut rows = Vec::new();
    for (i, d) in days.into_iter().enumerate() {
        for k in ["key_a", "key_b"] {
            let usage = Usage {
                requests: (i % 3 == 0).then_some(i as u64),
                cost_usd: Some(0.1 * (i + 1) as f64),
                ..Usage::default()
            };
            rows.push((key(k, None, Some(date(2026, 1, d))), usage));
        }
    }
    let (batch, _) = indexed(&rows);
    let expected = reference(&rows);
    assert_eq!(batch.usage, expected);
    let bits = |u: &UsageRow| u.usage.cost_usd.map(f64::to_bits);
    let (got, want): (Vec<_>, Vec<_>) = (
        batch.usage.iter().map(bits).collect(),
        expected.iter().map(bits).collect(),
    );
    assert_eq!(got, want);
}

#[test]
fn whos_are_equal_exactly_when_their_parts_are() {
    let long = "k".repeat(300);
    let keys = [
        key("a", None, None),
        key("a", Some(""), None),
        key("", Some("a"), None),
        key("ab", None, None),
        key(&long, None, None),
        key(&long[..255], None, None),
        key(&long[..254], Some("x"), None),
    ];
    for (i, a) in keys.iter().enumerate() {
        for (j, b) in keys.iter().enumerate() {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            encode_who(a, &mut x);
            encode_who(b, &mut y);
            assert_eq!(same_bytes(&x, &y), i == j, "{i} {j}");
            assert_eq!(same_bytes(&x, &y), x == y);
        }
    }
}

#[test]
fn day_numbers_grow_with_dates() {
    let days = [
        date(1999, 12, 31),
        date(2000, 1, 1),
        date(2000, 1, 31),
        date(2000, 2, 1),
    ];
    for w in days.windows(2) {
        assert!(day_number(w[0]) < day_number(w[1]), "{w:?}");
    }
}
