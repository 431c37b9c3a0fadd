//! "Last seen in usage", for keys whose platform lists no last-used date (Anthropic): what a
//! usage report read beside the keys says of each one, measured against the days the report
//! covered. A key with no usage in a 31-day report was not used in those 31 days; that is not
//! "never used", and the messages say which days were seen.
//!
//! Reports that overlap or touch are one span; when they leave a gap, the latest span is used
//! (a key's quiet time cannot be counted across days nobody read).

use jiff::civil::Date;

use crate::analyze::days_between;
use crate::ingest::providers;
use crate::model::{Inventory, Key, LastUsed, Provider, Usage};

/// The days a provider's usage reports covered, first and last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: Date,
    pub to: Date,
}

impl Window {
    /// How many days it covers.
    pub fn days(self) -> i64 {
        days_between(self.from, self.to) + 1
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "usage read covers {} to {}", self.from, self.to)
    }
}

/// True when a key judged by usage was seen within `active_days` of `as_of`, in the latest
/// usage report of its platform: it counts as active, as a recent last use would.
pub(crate) fn recently(inv: &Inventory, k: &Key, as_of: Date, active_days: i64) -> bool {
    by_usage(k)
        && window(inv, k.provider).is_some_and(|w| match verdict(k, w) {
            Verdict::Seen { last, .. } => days_between(last, as_of) < active_days,
            _ => false,
        })
}

/// The last day a key judged by usage was seen used in its platform's latest usage span.
pub(crate) fn last_seen(inv: &Inventory, k: &Key) -> Option<Date> {
    if !by_usage(k) {
        return None;
    }
    match verdict(k, window(inv, k.provider)?) {
        Verdict::Seen { last, .. } => Some(last),
        _ => None,
    }
}

/// What the window says of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Used on `last`, then not in the `quiet` days after it up to the window's end.
    Seen { last: Date, quiet: i64 },
    /// No usage on any day covered; created before the window (or when is unknown).
    NoneInWindow,
    /// Created on `created`, inside the window, and no usage in the `quiet` days since.
    NoneSinceCreated { created: Date, quiet: i64 },
}

/// True when this key's last use can only come from usage: its platform lists none and no
/// source gave one.
pub(crate) fn by_usage(k: &Key) -> bool {
    k.last_used == LastUsed::Unknown && !providers::info(k.provider).lists_last_use
}

/// The span of `p`'s usage reports (see the module header).
pub(crate) fn window(inv: &Inventory, p: Provider) -> Option<Window> {
    let mut spans: Vec<(Date, Date)> = inv
        .usage_windows
        .iter()
        .filter(|w| w.provider == p && w.from <= w.to)
        .map(|w| (w.from, w.to))
        .collect();
    spans.sort();
    let mut merged: Vec<(Date, Date)> = Vec::new();
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if days_between(last.1, from) <= 1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged.last().map(|&(from, to)| Window { from, to })
}

fn used(u: &Usage) -> bool {
    u.requests.unwrap_or(0) > 0
        || u.input_tokens.unwrap_or(0) > 0
        || u.output_tokens.unwrap_or(0) > 0
        || u.cost_usd.unwrap_or(0.0) > 0.0
}

/// What `w` says of `k`, from the key's daily series.
pub(crate) fn verdict(k: &Key, w: Window) -> Verdict {
    let last = k
        .daily
        .iter()
        .filter(|d| d.date >= w.from && d.date <= w.to && used(&d.usage))
        .map(|d| d.date)
        .max();
    match (last, k.created) {
        (Some(last), _) => Verdict::Seen {
            last,
            quiet: days_between(last, w.to),
        },
        (None, Some(c)) if c >= w.from => Verdict::NoneSinceCreated {
            created: c,
            quiet: days_between(c, w.to),
        },
        (None, _) => Verdict::NoneInWindow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DailyUsage, UsageWindow};
    use jiff::civil::date;

    fn inv(spans: &[(Date, Date)]) -> Inventory {
        Inventory {
            usage_windows: spans
                .iter()
                .map(|&(from, to)| UsageWindow {
                    provider: Provider::Anthropic,
                    from,
                    to,
                    source: String::new(),
                })
                .collect(),
            ..Inventory::default()
        }
    }

    #[test]
    fn touching_reports_are_one_span_and_a_gap_keeps_the_latest() {
        let touching = inv(&[
            (date(2026, 10, 1), date(2026, 10, 31)),
            (date(2026, 11, 1), date(2026, 11, 22)),
        ]);
        assert_eq!(
            window(&touching, Provider::Anthropic),
            Some(Window {
                from: date(2026, 10, 1),
                to: date(2026, 11, 22)
            })
        );
        let gap = inv(&[
            (date(2026, 9, 1), date(2026, 9, 30)),
            (date(2026, 11, 1), date(2026, 11, 22)),
        ]);
        assert_eq!(
            window(&gap, Provider::Anthropic).map(Window::days),
            Some(22)
        );
        assert_eq!(window(&gap, Provider::Openai), None);
    }

    #[test]
    fn a_key_created_on_the_first_day_covered_was_never_used_since() {
        let w = Window {
            from: date(2026, 10, 23),
            to: date(2026, 11, 22),
        };
        let mut k = Key {
            created: Some(date(2026, 10, 23)),
            ..Key::default()
        };
        assert_eq!(
            verdict(&k, w),
            Verdict::NoneSinceCreated {
                created: date(2026, 10, 23),
                quiet: 30
            }
        );
        k.created = Some(date(2026, 10, 22));
        assert_eq!(verdict(&k, w), Verdict::NoneInWindow);
        // Usage outside the window, or a day of zeros, is not "seen".
        k.daily = vec![
            DailyUsage {
                date: date(2026, 10, 1),
                usage: Usage {
                    output_tokens: Some(5),
                    ..Usage::default()
                },
            },
            DailyUsage {
                date: date(2026, 11, 2),
                usage: Usage {
                    output_tokens: Some(0),
                    ..Usage::default()
                },
            },
        ];
        assert_eq!(verdict(&k, w), Verdict::NoneInWindow);
        k.daily[1].usage.output_tokens = Some(1);
        assert_eq!(
            verdict(&k, w),
            Verdict::Seen {
                last: date(2026, 11, 2),
                quiet: 20
            }
        );
    }
}
