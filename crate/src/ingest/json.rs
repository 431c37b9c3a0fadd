//! JSON: Administration API lists and objects, and Key Roster's own report. STUB: to be written.

use crate::error::Result;
use crate::ingest::{Batch, Context};

pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    let _ = (ctx, text);
    Ok(Batch { kind: "json:unknown".into(), ..Batch::default() })
}
