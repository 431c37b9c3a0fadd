//! HTML pages (live, via the extension, or saved with "Save page as"): `<table>`s and ARIA grids,
//! recognized by their header names. STUB: to be written.

use crate::error::Result;
use crate::ingest::{Batch, Context};

pub fn read(ctx: &Context, text: &str) -> Result<Batch> {
    let _ = (ctx, text);
    Ok(Batch { kind: "html:unknown".into(), ..Batch::default() })
}
