//! Merging batches into the Inventory and linking usage and members to keys. STUB: to be written.

use crate::ingest::Batch;
use crate::model::{Inventory, Source};

/// Merges one input's batch into the inventory and records its source.
pub fn merge(inv: &mut Inventory, name: &str, batch: Batch) {
    let records = batch.records();
    inv.keys.extend(batch.keys);
    inv.sources.push(Source {
        name: name.to_string(),
        kind: batch.kind,
        records,
        warnings: batch.warnings,
        error: None,
        url: batch.url,
    });
}

/// Recomputes the joins: usage onto keys, members onto owners.
pub fn link(inv: &mut Inventory) {
    let _ = inv;
}
