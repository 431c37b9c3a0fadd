//! Rules about money: `no-spend-limit` (per project) and `usage-spike` (per key's daily series).

use crate::model::{Project, ProjectRef};
use crate::report::Target;

use super::{fold, key_label, plural, Ctx, Hit, Outcome};

/// Whether a key's or usage row's project reference names `p`: by id when both have one, else
/// by name (any case).
pub fn same_project(r: &ProjectRef, p: &Project) -> bool {
    match (&r.id, &p.id) {
        (Some(a), Some(b)) => a == b,
        _ => match (&r.name, &p.name) {
            (Some(a), Some(b)) => fold(a) == fold(b),
            _ => false,
        },
    }
}

fn project_label(p: &Project) -> &str {
    p.name.as_deref().or(p.id.as_deref()).unwrap_or("")
}

/// "$1,234.56".
pub fn usd(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}${grouped}.{frac:02}")
}

pub fn no_spend_limit(ctx: &Ctx) -> Outcome {
    let inv = ctx.inv;
    if !inv.projects.iter().any(|p| p.limits_known) {
        return Outcome::skipped(
            "no project's limits were read, so it is not known which projects have a hard \
             limit; add the projects' Limits pages",
        );
    }
    let mut hits = Vec::new();
    for p in inv
        .projects
        .iter()
        .filter(|p| p.limits_known && p.hard_limit_usd.is_none())
    {
        // Usage seen two ways: joined to the project's keys, and as project-level rows (a cost
        // export grouped by project). Both are lower bounds of what the project spent, so the
        // larger one is reported.
        let mut keys = 0usize;
        let (mut key_cost, mut key_requests) = (0.0, 0u64);
        for k in inv
            .keys
            .iter()
            .filter(|k| k.project.as_ref().is_some_and(|r| same_project(r, p)))
        {
            keys += 1;
            if let Some(u) = &k.usage {
                key_cost += u.cost_usd.unwrap_or(0.0);
                key_requests += u.requests.unwrap_or(0);
            }
        }
        let (mut row_cost, mut row_requests) = (0.0, 0u64);
        for r in inv
            .usage
            .iter()
            .filter(|r| r.project.as_ref().is_some_and(|r| same_project(r, p)))
        {
            row_cost += r.usage.cost_usd.unwrap_or(0.0);
            row_requests += r.usage.requests.unwrap_or(0);
        }
        let cost = f64::max(key_cost, row_cost);
        let requests = key_requests.max(row_requests);
        if cost <= 0.0 && requests == 0 {
            continue;
        }
        let used = if cost > 0.0 {
            usd(cost)
        } else {
            plural(requests as usize, "request", "requests")
        };
        let soft = p
            .soft_limit_usd
            .map(|s| format!(" (soft limit {})", usd(s)))
            .unwrap_or_default();
        let label = project_label(p);
        hits.push(Hit {
            target: Target {
                kind: "project".into(),
                project: Some(label.to_string()),
                ..Target::default()
            },
            message: format!(
                "project {label} has usage ({used}, {}) and no hard monthly limit{soft}",
                plural(keys, "key", "keys")
            ),
        });
    }
    Outcome::Ran(hits)
}

/// Median of a non-empty list.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => 0.0,
        n if n % 2 == 1 => v.get(n / 2).copied().unwrap_or(0.0),
        n => {
            (v.get(n / 2 - 1).copied().unwrap_or(0.0) + v.get(n / 2).copied().unwrap_or(0.0)) / 2.0
        }
    }
}

/// Fewer days than this before the latest make no trustworthy median.
pub const SPIKE_MIN_HISTORY: usize = 3;

pub fn usage_spike(ctx: &Ctx) -> Outcome {
    let has_series = |k: &crate::model::Key| k.daily.iter().any(|d| d.usage.cost_usd.is_some());
    if !ctx.live_keys().any(|(_, k, _)| has_series(k)) {
        return Outcome::skipped(
            "no daily cost series was read (add a daily usage or costs export)",
        );
    }
    let t = &ctx.policy.thresholds;
    let mut hits = Vec::new();
    for (i, k, _) in ctx.live_keys() {
        let days: Vec<_> = k
            .daily
            .iter()
            .filter_map(|d| Some((d.date, d.usage.cost_usd?)))
            .collect();
        let Some(&(latest_day, latest)) = days.iter().max_by_key(|(d, _)| *d) else {
            continue;
        };
        let Ok(window_start) = latest_day.checked_sub(jiff::Span::new().days(t.spike_window_days))
        else {
            continue;
        };
        let before: Vec<f64> = days
            .iter()
            .filter(|(d, _)| *d >= window_start && *d < latest_day)
            .map(|(_, c)| *c)
            .collect();
        if before.len() < SPIKE_MIN_HISTORY {
            continue;
        }
        let n = before.len();
        let m = median(before);
        if latest >= t.spike_factor * m && latest >= t.spike_min_usd && latest > m {
            let ratio = if m > 0.0 {
                format!("{:.1}x the median {}", latest / m, usd(m))
            } else {
                format!("while the median was {}", usd(m))
            };
            hits.push(Hit::key(
                i,
                k,
                format!(
                    "{} cost {} on {latest_day}, {ratio} of the {n} days before",
                    key_label(k),
                    usd(latest)
                ),
            ));
        }
    }
    Outcome::Ran(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usd_groups_thousands() {
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(999.999), "$1,000.00");
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
