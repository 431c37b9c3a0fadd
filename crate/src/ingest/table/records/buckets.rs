//! The usage buckets of one table ([`UsageIndex`]): which bucket a usage row is summed into,
//! found without leaving the cache on a million-row cost export.
//!
//! A cost export names a few hundred distinct "who"s (key, project, user) against tens of
//! thousands of (who, day) buckets, in random order. So a row's who (all of its key but the date,
//! [`encode_who`]) is matched by one FxHash and one `memcmp` against the whos seen so far (an
//! arena of their bytes, tens of KiB) for a small id; the who's days are an array from its first
//! day to its last, a slot per day holding the bucket's number and running cost (16 bytes,
//! [`Sums`]: one cache line a row; the counts, which a cost export lacks, are kept apart), until
//! [`UsageIndex::finish`] writes them into the batch's rows. Before, one hash table keyed by the
//! whole key's bytes (dates included) and sums kept in the 312-byte [`crate::model::UsageRow`]s
//! missed the cache three times a row: a third of the rows' thread. (Interning each of the
//! seven strings apart was slower still.)
//!
//! The sums are the same as [`Usage::add`]'s, in the same order: a part is known once a row
//! knows it, and the first known value is taken as is (not added to 0: `0.0 + -0.0` is `0.0`).
//! (Past 400 lines for its tests: they check the sums bit for bit against the plain sum.)

use std::ops::Range;

use hashbrown::HashTable;
use jiff::civil::Date;

use super::usage::UsageKey;
use crate::ingest::Batch;
use crate::model::Usage;

/// No bucket in a day's slot (bucket numbers count up from 0).
const NONE: u32 = u32::MAX;

/// Slots a who's days may span (a little under three years of days); a day further out is kept
/// in [`UsageIndex::far`].
const SPAN: usize = 1024;

/// The buckets of one table: see the module's header. Every row goes through [`UsageIndex::add`];
/// the batch's usage rows hold their sums once [`UsageIndex::finish`] has run.
#[derive(Debug, Default)]
pub(in crate::ingest::table) struct UsageIndex {
    /// (hash, who id, the who's bytes in `arena`); ids count up from 0.
    who: HashTable<(u64, u32, Range<usize>)>,
    arena: Vec<u8>,
    /// The row being looked up, encoded (reused from row to row).
    scratch: Vec<u8>,
    /// By who id: its buckets by day.
    days: Vec<Days>,
    /// (who id, day number, bucket) for the days outside a who's span.
    far: HashTable<(u32, i32, Sums)>,
    /// By bucket: its row in `batch.usage`.
    rows: Vec<usize>,
    /// By bucket: its requests, input and output tokens (see [`Sums`]).
    counts: Vec<[u64; 3]>,
    /// Rows to add to days' slots, in order: (who id, slot, the row's usage). See
    /// [`UsageIndex::add`].
    pending: Vec<(u32, u32, Usage)>,
}

/// Rows whose sums wait in [`UsageIndex::pending`] before they are added.
const PENDING: usize = 32;

/// One who's buckets: by day from `first` (slot `i` is day number `first + i`), and undated.
/// Which slots hold a bucket is kept apart too, a bit per slot: a row finds whether its bucket is
/// new in the who's own entry (`seen`, the first 64 days: a cost export's two months) or one
/// more line of bits, not in the slot's line, which has left the cache since the slot was last
/// visited (see [`UsageIndex::add`]).
#[derive(Debug)]
struct Days {
    first: i32,
    /// Bit `i`: slot `i` holds a bucket, for slots 0 to 63.
    seen: u64,
    /// The same for slots 64 on, 64 a word.
    seen_past: Vec<u64>,
    slots: Vec<Sums>,
    undated: Sums,
}

impl Days {
    /// Marks slot `i` as holding a bucket: true if it did not (the bucket is new).
    fn mark(&mut self, i: usize) -> Option<bool> {
        let word = match i.checked_sub(64) {
            None => &mut self.seen,
            Some(j) => self.seen_past.get_mut(j / 64)?,
        };
        let bit = 1u64 << (i % 64);
        let new = *word & bit == 0;
        *word |= bit;
        Some(new)
    }

    /// Room in `seen_past` for every slot (after the span grew at its end).
    fn grow_seen(&mut self) {
        let words = self.slots.len().saturating_sub(64).div_ceil(64);
        self.seen_past.resize(words, 0);
    }

    /// The bits made again from the slots' buckets (after the span grew at its start).
    fn mark_seen(&mut self) {
        self.seen = 0;
        self.seen_past.clear();
        self.grow_seen();
        for i in 0..self.slots.len() {
            if self.slots.get(i).is_some_and(|s| s.bucket != NONE) {
                self.mark(i);
            }
        }
    }
}

/// A bucket (its number, [`NONE`] in an empty slot), its running cost and which parts of its
/// [`Usage`] are known (bit `i` for part `i`: requests, input and output tokens, cost). 16
/// bytes, kept in the slot that finds it; the three counts, which a cost export never has, are
/// kept apart by bucket number ([`UsageIndex::counts`]), so the slots a row may land in take 16
/// bytes, not 40: a cost export's thousands of buckets stay in the cache that much better.
#[derive(Debug, Clone, Copy)]
struct Sums {
    cost: f64,
    bucket: u32,
    known: u8,
}

const EMPTY: Sums = Sums {
    cost: 0.0,
    bucket: NONE,
    known: 0,
};

impl Sums {
    /// Adds `u`'s parts to the bucket's: the cost here, the counts to `counts` (the bucket's).
    fn add(&mut self, u: &Usage, counts: &mut [u64; 3]) {
        let parts = [u.requests, u.input_tokens, u.output_tokens];
        for (i, part) in parts.into_iter().enumerate() {
            if let (Some(v), Some(c)) = (part, counts.get_mut(i)) {
                let bit = 1 << i;
                if self.known & bit != 0 {
                    *c += v;
                } else {
                    *c = v;
                    self.known |= bit;
                }
            }
        }
        if let Some(v) = u.cost_usd {
            if self.known & 8 != 0 {
                self.cost += v;
            } else {
                self.cost = v;
                self.known |= 8;
            }
        }
    }

    fn usage(&self, counts: &[u64; 3]) -> Usage {
        let part = |i: usize| (self.known & (1 << i) != 0).then_some(counts[i]);
        Usage {
            requests: part(0),
            input_tokens: part(1),
            output_tokens: part(2),
            cost_usd: (self.known & 8 != 0).then_some(self.cost),
        }
    }
}

/// Adds `u` to `sums`, its counts to its bucket's in `counts` (none when `u` has none).
fn add_to(sums: &mut Sums, u: &Usage, counts: &mut [[u64; 3]]) {
    let mut none = [0; 3];
    let c = match (u.requests, u.input_tokens, u.output_tokens) {
        (None, None, None) => &mut none,
        _ => match counts.get_mut(sums.bucket as usize) {
            Some(c) => c,
            None => return,
        },
    };
    sums.add(u, c);
}

/// A row's who (every part of its key but the date) as bytes, appended to `out`: each part
/// tagged and length-prefixed, so two rows name the same key, project and user exactly when
/// their bytes are equal. A length under 255 takes one byte (255 and then 8 bytes past that):
/// the whos are hashed and compared once a row, and in wasm `memcmp` goes a byte at a time.
fn encode_who(key: &UsageKey<'_>, out: &mut Vec<u8>) {
    let parts = [
        key.key_id,
        key.key_redacted.as_deref(),
        key.key_name,
        key.project_id,
        key.project_name,
        key.user_id,
        key.user_email,
    ];
    for part in parts {
        match part {
            Some(t) => {
                out.push(1);
                match u8::try_from(t.len()) {
                    Ok(n) if n < u8::MAX => out.push(n),
                    _ => {
                        out.push(u8::MAX);
                        out.extend_from_slice(&(t.len() as u64).to_le_bytes());
                    }
                }
                out.extend_from_slice(t.as_bytes());
            }
            None => out.push(0),
        }
    }
}

/// A day as a number: distinct for distinct dates, and increasing with them (a month takes 32
/// numbers, so a month's last days leave a slot or three unused).
fn day_number(d: Date) -> i32 {
    i32::from(d.year()) * 13 * 32 + i32::from(d.month()) * 32 + i32::from(d.day())
}

/// `a == b`, eight bytes at a time (wasm's `memcmp`, which `==` on slices calls, compares bytes
/// one by one).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (wa, wb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (wa.remainder(), wb.remainder());
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
    wa.zip(wb).all(|(x, y)| word(x) == word(y)) && ra == rb
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(bytes);
    h.finish()
}

fn hash_far(who: u32, day: i32) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((who, day))
}

impl UsageIndex {
    /// Adds a usage row to its bucket, making the bucket (its row in `batch.usage`, with its key's
    /// strings) if it is new.
    ///
    /// A dated row's sums are not added at once but queued ([`UsageIndex::pending`]) and added
    /// [`PENDING`] rows at a time, in order: tens of thousands of slots, each visited every few
    /// thousand rows, are out of the cache by then (the rows' text streams through it), and one
    /// row's wait for its slot stalled the rows' thread (40% of this function). Added in a
    /// loop of their own, the slots' loads do not wait on each other. Whether the bucket is new
    /// is known at once from the who's `buckets` (a new bucket's row is made from the row's
    /// strings, which do not outlive it).
    pub(in crate::ingest::table) fn add(
        &mut self,
        source: &str,
        key: UsageKey<'_>,
        usage: Usage,
        batch: &mut Batch,
    ) {
        let who = self.who_id(&key);
        let slot = self.slot(who, key.date);
        if let Some(Slot::Day(w, i)) = slot {
            let Some(days) = self.days.get_mut(w as usize) else {
                return;
            };
            let Some(new) = days.mark(i) else {
                return;
            };
            if new {
                if let Some(s) = days.slots.get_mut(i) {
                    s.bucket = self.rows.len() as u32;
                }
                self.rows.push(batch.usage.len());
                self.counts.push([0; 3]);
                batch.usage.push(key.to_row(usage, source));
            }
            // Slots hold at most SPAN days: `i` fits in 32 bits.
            self.pending.push((w, i as u32, usage));
            if self.pending.len() >= PENDING {
                self.add_pending();
            }
            return;
        }
        let day = key.date.map_or(0, day_number);
        let sums = match slot {
            Some(Slot::Undated(w)) => self.days.get_mut(w as usize).map(|d| &mut d.undated),
            Some(Slot::Day(..)) => None,
            None => Some(
                &mut self
                    .far
                    .entry(
                        hash_far(who, day),
                        |&(w, d, _)| (w, d) == (who, day),
                        |&(w, d, _)| hash_far(w, d),
                    )
                    .or_insert((who, day, EMPTY))
                    .into_mut()
                    .2,
            ),
        };
        let Some(sums) = sums else {
            return;
        };
        let new = sums.bucket == NONE;
        if new {
            // Bucket numbers fit in 32 bits: each bucket also owns a row of hundreds of bytes in
            // `batch.usage`, so 2^32 of them would need a TiB of memory first.
            sums.bucket = self.rows.len() as u32;
            self.rows.push(batch.usage.len());
            self.counts.push([0; 3]);
        }
        add_to(sums, &usage, &mut self.counts);
        if new {
            batch.usage.push(key.to_row(usage, source));
        }
    }

    /// Adds the queued rows' sums to their days' slots, in the order the rows came.
    fn add_pending(&mut self) {
        let (days, counts) = (&mut self.days, &mut self.counts);
        for (w, i, usage) in self.pending.drain(..) {
            let slot = days
                .get_mut(w as usize)
                .and_then(|d| d.slots.get_mut(i as usize));
            if let Some(sums) = slot {
                add_to(sums, &usage, counts);
            }
        }
    }

    /// Writes each bucket's sums into its row of `batch.usage` (the batch the rows were added to).
    pub(in crate::ingest::table) fn finish(&mut self, batch: &mut Batch) {
        self.add_pending();
        let slots = self
            .days
            .iter()
            .flat_map(|d| d.slots.iter().chain(std::iter::once(&d.undated)));
        for sums in slots.chain(self.far.iter().map(|(_, _, s)| s)) {
            let b = sums.bucket as usize;
            let row = self.rows.get(b).zip(self.counts.get(b));
            if let Some((r, counts)) =
                row.and_then(|(&row, c)| Some((batch.usage.get_mut(row)?, c)))
            {
                r.usage = sums.usage(counts);
            }
        }
    }

    /// The id of the row's who, interned if it is new.
    fn who_id(&mut self, key: &UsageKey<'_>) -> u32 {
        self.scratch.clear();
        encode_who(key, &mut self.scratch);
        let hash = hash_bytes(&self.scratch);
        let (arena, scratch) = (&self.arena, &self.scratch);
        let same = |(h, _, at): &(u64, u32, Range<usize>)| {
            *h == hash
                && arena
                    .get(at.clone())
                    .is_some_and(|a| same_bytes(a, scratch))
        };
        if let Some((_, id, _)) = self.who.find(hash, same) {
            return *id;
        }
        // No more whos than buckets (see `add`).
        let id = self.days.len() as u32;
        self.days.push(Days {
            first: 0,
            slots: Vec::new(),
            seen: 0,
            seen_past: Vec::new(),
            undated: EMPTY,
        });
        let at = self.arena.len()..self.arena.len() + self.scratch.len();
        self.arena.extend_from_slice(&self.scratch);
        self.who.insert_unique(hash, (hash, id, at), |(h, _, _)| *h);
        id
    }

    /// Where a who's bucket for `date` is kept: its undated slot or a day's slot, the who's span
    /// of days grown to hold it (after the queued rows are added: their slots may move). `None`:
    /// a day too far from the who's others, kept in `far`.
    fn slot(&mut self, who: u32, date: Option<Date>) -> Option<Slot> {
        let (first, len) = self
            .days
            .get(who as usize)
            .map(|d| (d.first, d.slots.len() as i32))?;
        let Some(date) = date else {
            return Some(Slot::Undated(who));
        };
        let day = day_number(date);
        if len > 0 && (day < first || day >= first + len) {
            let grow = if day < first {
                first - day
            } else {
                day - (first + len - 1)
            };
            if (len + grow) as usize > SPAN {
                return None;
            }
            self.add_pending();
        }
        let days = self.days.get_mut(who as usize)?;
        if days.slots.is_empty() {
            days.first = day;
            days.slots.push(EMPTY);
            return Some(Slot::Day(who, 0));
        }
        let last = days.first + days.slots.len() as i32 - 1;
        if day < days.first {
            let grow = (days.first - day) as usize;
            days.slots.splice(0..0, std::iter::repeat_n(EMPTY, grow));
            days.mark_seen();
            days.first = day;
        } else if day > last {
            let grow = (day - last) as usize;
            days.slots.resize(days.slots.len() + grow, EMPTY);
            days.grow_seen();
        }
        Some(Slot::Day(who, (day - days.first) as usize))
    }
}

/// A who's undated bucket, or its day's slot (by position in its span).
#[derive(Debug, Clone, Copy)]
enum Slot {
    Undated(u32),
    Day(u32, usize),
}

#[cfg(test)]
mod tests;
