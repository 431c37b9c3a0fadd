//! keys.csv reads back exactly: every field `export::csv::keys` writes comes back into the same
//! `Key` field when ingest reads the file (column order, `never` vs empty `last_used`, `;`-joined
//! sources, formula neutralization with a leading `'`). The file is written by the exporter
//! itself, so a change to either side that loses a field fails here.

use jiff::civil::{date, Date};
use keyroster::export::csv::{keys as keys_csv, CsvOptions};
use keyroster::ingest::{csv, Context};
use keyroster::model::{
    Key, KeyKind, LastUsed, Owner, OwnerType, Permissions, ProjectRef, Provider, Usage,
};
use keyroster::report::{KeyReport, Report, Severity};
use proptest::prelude::*;

/// keys.csv of `keys`, judged: the judgment columns (age, risk, rules) are written too but are
/// not key fields, so ingest must skip them.
fn write(keys: &[Key]) -> String {
    let report = Report {
        keys: keys
            .iter()
            .map(|key| KeyReport {
                key: key.clone(),
                age_days: Some(12),
                idle_days: None,
                active: false,
                rules: vec!["unused".into(), "default-project".into()],
                risk: Some(Severity::Medium),
                change: None,
                last_seen: None,
            })
            .collect(),
        ..Report::default()
    };
    String::from_utf8(keys_csv(&report, &CsvOptions::default())).expect("utf-8")
}

fn day() -> impl Strategy<Value = Date> {
    (2019i16..2027, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn person() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?"
}

fn key() -> impl Strategy<Value = Key> {
    let ids = (
        prop::sample::select(vec![Provider::Openai, Provider::Anthropic]),
        prop::option::of("proj_[A-Za-z0-9]{4,12}"),
        prop::option::of("[A-Z][a-zA-Z0-9 ,;\"'=@+-]{0,12}[a-z0-9]"),
        prop::option::of("key_[A-Za-z0-9]{6,14}"),
        // Names with commas, quotes, lines, and formula-like starts.
        "[=@+-]?[a-zA-Z0-9 ,;\"\n]{0,14}[a-z]",
        prop::option::of(
            (
                prop::sample::select(vec!["sk-proj-", "sk-svcacct-", "sk-admin", "sk-"]),
                "[A-Za-z0-9]{4}",
            )
                .prop_map(|(p, t)| format!("{p}...{t}")),
        ),
    );
    let who = (
        prop::sample::select(vec![
            KeyKind::Project,
            KeyKind::User,
            KeyKind::ServiceAccount,
            KeyKind::Admin,
            KeyKind::Unknown,
        ]),
        prop::sample::select(vec![
            OwnerType::User,
            OwnerType::ServiceAccount,
            OwnerType::Organization,
            OwnerType::Unknown,
        ]),
        prop::option::of(person()),
        prop::option::of("[a-z]{1,8}@example\\.com"),
        prop::option::of("user-[a-z0-9]{4,10}"),
        prop::option::of(person()),
        prop::sample::select(vec![
            Permissions::All,
            Permissions::Restricted,
            Permissions::ReadOnly,
            Permissions::Unknown,
        ]),
    );
    let when = (
        prop::option::of(day()),
        prop_oneof![
            day().prop_map(LastUsed::Date),
            Just(LastUsed::Never),
            Just(LastUsed::Unknown)
        ],
        prop::option::of((
            prop::option::of(any::<u32>()),
            prop::option::of(any::<u32>()),
            prop::option::of(any::<u32>()),
            prop::option::of(0.0f64..1.0e6),
        )),
        prop::collection::vec("[a-z][a-z0-9._:-]{0,12}", 1..4),
    );
    (ids, who, when).prop_map(
        |(
            (provider, pid, pname, id, name, redacted),
            (kind, okind, oname, oemail, oid, created_by, permissions),
            (created, last_used, usage, sources),
        )| {
            let project = (pid.is_some() || pname.is_some()).then_some(ProjectRef {
                id: pid,
                name: pname,
            });
            let usage = usage
                .map(|(r, i, o, c)| Usage {
                    requests: r.map(u64::from),
                    input_tokens: i.map(u64::from),
                    output_tokens: o.map(u64::from),
                    cost_usd: c,
                })
                .filter(|u| !u.is_empty());
            Key {
                provider,
                id,
                name,
                redacted,
                kind,
                project,
                owner: Owner {
                    kind: okind,
                    name: oname,
                    email: oemail,
                    id: oid,
                },
                created_by,
                permissions,
                created,
                last_used,
                usage,
                sources,
                ..Key::default()
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_keys_csv_field_reads_back(keys in prop::collection::vec(key(), 1..8)) {
        let text = write(&keys);
        let batch = csv::read(&Context::new("keys.csv", date(2026, 11, 22)), &text)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&batch.kind, "csv:keyroster-keys");
        prop_assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
        prop_assert_eq!(batch.keys, keys);
    }
}
