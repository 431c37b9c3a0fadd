//! Usage rows: the aggregation key a usage row is filed under, the index of the buckets made so
//! far ([`UsageIndex`]), and the reader of one row.

use std::borrow::Cow;

use hashbrown::HashTable;

use jiff::civil::Date;

use super::{redaction_in, Row};
use crate::ingest::dates::Parsed;
use crate::ingest::table::columns::Col;
use crate::ingest::Batch;
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

impl<'a> UsageKey<'a> {
    /// The key as bytes, appended to `out`: each part tagged and length-prefixed, so two keys
    /// are equal exactly when their bytes are. A bucket's key is kept this way, back to back
    /// with the others ([`UsageIndex`]): a row is matched with one hash and one `memcmp` over
    /// one stretch of memory, not by chasing a bucket's seven strings.
    fn encode(&self, out: &mut Vec<u8>) {
        match self.date {
            Some(d) => {
                out.push(1);
                out.extend_from_slice(&d.year().to_le_bytes());
                out.extend_from_slice(&[d.month() as u8, d.day() as u8]);
            }
            None => out.push(0),
        }
        let parts = [
            self.key_id,
            self.key_redacted.as_deref(),
            self.key_name,
            self.project_id,
            self.project_name,
            self.user_id,
            self.user_email,
        ];
        for part in parts {
            match part {
                Some(t) => {
                    out.push(1);
                    out.extend_from_slice(&(t.len() as u64).to_le_bytes());
                    out.extend_from_slice(t.as_bytes());
                }
                None => out.push(0),
            }
        }
    }

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

/// The usage buckets of one table: for each, its row in the batch's usage and its key's bytes
/// ([`UsageKey::encode`]) in one arena, found by the bytes' hash. A row of a known bucket
/// allocates nothing. (Interning each string to an id and keeping the ids and the running sums
/// inline was tried: slower, measured, in this layout.)
#[derive(Debug, Default)]
pub(in crate::ingest::table) struct UsageIndex {
    /// (hash, index into `batch.usage`, the key's bytes in `arena`).
    table: HashTable<(u64, usize, std::ops::Range<usize>)>,
    arena: Vec<u8>,
    /// The row being looked up, encoded (reused from row to row).
    scratch: Vec<u8>,
}

impl UsageIndex {
    /// Adds a usage row to its bucket in `batch.usage`, making the bucket if it is new.
    pub(in crate::ingest::table) fn add(
        &mut self,
        source: &str,
        key: UsageKey<'_>,
        usage: Usage,
        batch: &mut Batch,
    ) {
        self.scratch.clear();
        key.encode(&mut self.scratch);
        let hash = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            h.write(&self.scratch);
            h.finish()
        };
        let (arena, scratch) = (&self.arena, &self.scratch);
        let same = |(h, _, at): &(u64, usize, std::ops::Range<usize>)| {
            *h == hash && arena.get(at.clone()) == Some(scratch.as_slice())
        };
        if let Some((_, i, _)) = self.table.find(hash, same) {
            if let Some(r) = batch.usage.get_mut(*i) {
                r.usage.add(&usage);
            }
            return;
        }
        batch.usage.push(key.to_row(usage, source));
        let at = self.arena.len()..self.arena.len() + self.scratch.len();
        self.arena.extend_from_slice(&self.scratch);
        self.table
            .insert_unique(hash, (hash, batch.usage.len() - 1, at), |(h, _, _)| *h);
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
