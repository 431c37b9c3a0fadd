//! Usage rows: the aggregation key a usage row is filed under and the reader of one row. The
//! buckets made so far are found by [`super::buckets::UsageIndex`].

use std::borrow::Cow;

use jiff::civil::Date;

use super::{redaction_in, Row};
use crate::ingest::dates::Parsed;
use crate::ingest::table::columns::Col;
use crate::model::{ProjectRef, Usage, UsageRow};

/// Key of the usage aggregation: one [`UsageRow`] per distinct value of these. Built per usage
/// row from the row's cells without copying them (a million-row export has a few thousand
/// buckets): only a new bucket's [`UsageRow`] owns its strings ([`UsageKey::to_row`]).
///
/// [`UsageRow`]: crate::model::UsageRow
#[derive(Debug, Clone)]
pub(in crate::ingest::table) struct UsageKey<'a> {
    pub(in crate::ingest::table) date: Option<Date>,
    pub(in crate::ingest::table) key_id: Option<&'a str>,
    /// Owned only when a cell held a redaction (it is rewritten to its canonical form).
    pub(in crate::ingest::table) key_redacted: Option<Cow<'a, str>>,
    pub(in crate::ingest::table) key_name: Option<&'a str>,
    pub(in crate::ingest::table) project_id: Option<&'a str>,
    pub(in crate::ingest::table) project_name: Option<&'a str>,
    pub(in crate::ingest::table) user_id: Option<&'a str>,
    pub(in crate::ingest::table) user_email: Option<&'a str>,
}

impl UsageKey<'_> {
    /// A new bucket: the key's strings copied once.
    pub(in crate::ingest::table) fn to_row(&self, usage: Usage, source: &str) -> UsageRow {
        let owned = |s: Option<&str>| s.map(str::to_string);
        let project =
            (self.project_id.is_some() || self.project_name.is_some()).then(|| ProjectRef {
                id: owned(self.project_id),
                name: owned(self.project_name),
            });
        UsageRow {
            date: self.date,
            key_id: owned(self.key_id),
            key_redacted: owned(self.key_redacted.as_deref()),
            key_name: owned(self.key_name),
            project,
            user_id: owned(self.user_id),
            user_email: owned(self.user_email),
            model: None,
            line_item: None,
            usage,
            source: source.to_string(),
            provider: None,
        }
    }
}

pub(in crate::ingest::table) fn read_usage<'a>(
    row: &mut Row<'a, '_>,
    currency_ok: bool,
) -> Option<(UsageKey<'a>, Usage)> {
    let usage = Usage {
        requests: row.count(Col::Requests),
        input_tokens: row.count(Col::InputTokens),
        output_tokens: row.count(Col::OutputTokens),
        cost_usd: row.money(Col::Cost).filter(|_| currency_ok),
    };
    if usage.is_empty() {
        // The cost export writes a row for every day, charged or not.
        return None;
    }
    let date = match row.date(Col::Date) {
        Parsed::Date(d) => Some(d),
        _ if row.get(Col::Date).is_some() => {
            let at = if row.scope.lines { "line" } else { "row" };
            row.warnings.push(format!(
                "{at} {}: usage row without a readable date skipped",
                row.n
            ));
            return None;
        }
        _ => None,
    };
    // An `API key` column holds a redaction or, in some exports, the key's name.
    let key_cell = row.get_ref(Col::Secret);
    let key_redacted = key_cell.and_then(redaction_in);
    let key_name = row
        .text_ref(Col::KeyName)
        .or_else(|| row.text_ref(Col::Name))
        .or_else(|| key_cell.filter(|_| key_redacted.is_none()));
    let (project_id, project_name) = row.project_ref();
    let key = UsageKey {
        date,
        key_id: row.text_ref(Col::KeyId).or_else(|| row.text_ref(Col::Id)),
        key_redacted: key_redacted.map(Cow::Owned),
        key_name,
        project_id,
        project_name,
        user_id: row.text_ref(Col::UserId),
        user_email: row.text_ref(Col::Email),
    };
    Some((key, usage))
}
