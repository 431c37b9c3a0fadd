//! The order reports list findings in: highest severity first, then by rule (catalog order),
//! key name and project; findings that tie keep the order their rule found them in.
//!
//! A finding is a few hundred bytes, and ten thousand of them moved through a merge sort cost
//! more than comparing them: what the order reads of them is sorted, then the findings are moved
//! into place once, in the vector they are in (no second vector of findings to allocate and
//! write).

use super::RuleId;
use crate::report::{Finding, Severity};

/// Sorts `findings` in report order; `ids[i]` is the rule that found `findings[i]`.
///
/// What the order reads of each finding is copied into one compact list first, with the
/// finding's index (ties then keep the order found, as a stable sort would), and that list is
/// sorted: comparing findings where they lie read a few hundred scattered bytes each time (3 ms
/// of the 5,000-key page's audit went to sorting its 10,976 findings).
pub(super) fn sort(findings: &mut [Finding], ids: &[RuleId]) {
    debug_assert_eq!(findings.len(), ids.len());
    let mut places: Vec<Place<'_>> = findings
        .iter()
        .zip(ids)
        .enumerate()
        .map(|(i, (f, &id))| {
            let t = &f.target;
            let (name, project) = (t.key_name.as_deref(), t.project.as_deref());
            (std::cmp::Reverse(f.severity), id, name, project, i)
        })
        .collect();
    places.sort_unstable();
    let mut order: Vec<usize> = places.iter().map(|p| p.4).collect();
    drop(places);
    permute(findings, &mut order);
}

/// A finding's place in report order: severity highest first, rule, key name, project, and
/// where it was found.
type Place<'a> = (
    std::cmp::Reverse<Severity>,
    RuleId,
    Option<&'a str>,
    Option<&'a str>,
    usize,
);

/// Moves `v[order[k]]` to position `k`, for every `k`, by swaps in place. `order` must be a
/// permutation of `0..v.len()`; it is left changed.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    // Before step `i`, positions below `i` hold their final items, and an item asked for from a
    // position below `i` was swapped away from there: follow where it went (as std's
    // `sort_by_cached_key` does).
    for i in 0..order.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        order[i] = from;
        v.swap(i, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Severity, Target};

    fn finding(severity: Severity, key: &str, message: &str) -> Finding {
        Finding {
            rule: String::new(),
            severity,
            subject: String::new(),
            target: Target {
                key_name: Some(key.into()),
                ..Target::default()
            },
            message: message.into(),
            remediation: String::new(),
            muted: None,
            change: None,
        }
    }

    #[test]
    fn findings_sort_by_severity_then_rule_then_key_keeping_ties_in_order() {
        use RuleId::*;
        use Severity::*;
        let mut f = vec![
            finding(Low, "b", "1"),
            finding(High, "z", "2"),
            finding(Low, "a", "3"),
            finding(Low, "a", "4"),
            finding(High, "a", "5"),
            finding(Low, "a", "6"),
        ];
        let ids = [Unused, NeverUsed, Unused, Unused, NeverUsed, ExposedSecret];
        sort(&mut f, &ids);
        let got: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(got, ["5", "2", "6", "3", "4", "1"]);
    }

    #[test]
    fn permute_moves_each_item_where_the_order_says() {
        let orders: [&[usize]; 6] = [
            &[],
            &[0],
            &[1, 0],
            &[2, 0, 1],
            &[1, 2, 0],
            &[3, 0, 4, 1, 2, 5],
        ];
        for order in orders {
            let mut v: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let want: Vec<usize> = order.iter().map(|&i| i * 10).collect();
            permute(&mut v, &mut order.to_vec());
            assert_eq!(v, want, "{order:?}");
        }
        // Every permutation of five items.
        let mut order: Vec<usize> = (0..5).collect();
        let mut seen = 0;
        loop {
            let mut v: Vec<char> = "abcde".chars().collect();
            permute(&mut v, &mut order.clone());
            let want: Vec<char> = order.iter().map(|&i| (b'a' + i as u8) as char).collect();
            assert_eq!(v, want);
            seen += 1;
            // Next permutation in lexicographic order.
            let Some(i) = (0..4).rev().find(|&i| order[i] < order[i + 1]) else {
                break;
            };
            let j = (i + 1..5).rev().find(|&j| order[j] > order[i]).unwrap();
            order.swap(i, j);
            order[i + 1..].reverse();
        }
        assert_eq!(seen, 120);
    }
}
