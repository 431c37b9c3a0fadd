//! Analysis: Inventory + Policy + as-of date → Report. STUB: to be written.

pub mod policy;

use jiff::civil::Date;

use crate::model::Inventory;
use crate::report::Report;
pub use policy::Policy;

pub fn analyze(inv: &Inventory, policy: &Policy, as_of: Date) -> Report {
    let _ = policy;
    Report {
        as_of: Some(as_of),
        org: inv.org.clone(),
        sources: inv.sources.clone(),
        ..Report::default()
    }
}
