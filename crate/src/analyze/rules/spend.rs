//! Spend: `no-spend-limit` (a project with usage and no hard monthly limit) and `usage-spike`
//! (a key's latest daily cost far above its trailing median).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::{key_target, live, money, Ctx, Outcome};
use crate::analyze::days_between;
use crate::names::fold;
use crate::report::Target;

pub(super) fn no_spend_limit(cx: &Ctx, o: &mut Outcome) {
    // Spend per project: project-level and key-level usage rows alike.
    let mut spend: HashMap<String, (f64, u64)> = HashMap::new();
    for r in &cx.inv.usage {
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
    // Keys' own usage counts for the projects no usage row speaks of (a keys page with a usage
    // column beside a project-level export of other projects); where rows exist the keys' usage
    // was folded from them, so adding it again would count twice.
    let from_rows: HashSet<String> = spend.keys().cloned().collect();
    for (_, k) in live(cx.keys) {
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
    for pr in cx
        .inv
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

pub(super) fn usage_spike(cx: &Ctx, o: &mut Outcome) {
    let t = &cx.policy.thresholds;
    for (i, k) in live(cx.keys) {
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
                format!(
                    "cost {} on {last_day}, {factor} the median of {} over the {} days before",
                    money(last),
                    money(median),
                    window.len()
                ),
                "Check what is using the key; if the traffic is not yours, revoke the key now.",
            );
        }
    }
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
