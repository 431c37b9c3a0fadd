//! Key Roster's core: read the API keys, members and usage an LLM platform admin sees, merge them
//! into one [`Inventory`], judge it against a [`Policy`] into a [`Report`], and export it.
//!
//! ```
//! use keyroster::{analyze, ingest::Context, Inventory, Policy};
//!
//! let as_of = jiff::civil::date(2026, 11, 22);
//! let mut inv = Inventory::default();
//! let page = "<table><tr><th>Name</th><th>Secret key</th><th>Created by</th></tr>\
//!             <tr><td>deploy</td><td>sk-proj-...a1B2</td><td>Ada Lovelace</td></tr></table>";
//! inv.ingest(&Context::new("api-keys.html", as_of), page.as_bytes());
//! let report = analyze(&inv, &Policy::default(), as_of);
//! assert_eq!(report.sources.len(), 1);
//! ```
//!
//! Data flows one way: input → [`ingest`] → [`Inventory`] → [`analyze()`] → [`Report`] →
//! [`export`]. The crate knows nothing of browsers; the `keyroster-wasm` crate (crate/wasm/) wraps
//! it for them and `main.rs` (feature `cli`) for the command line.

#![deny(clippy::unwrap_used)]
// Tests may unwrap: a panic there is a failed test, not a crash on input.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod analyze;
mod beside;
pub mod details;
pub mod error;
pub mod export;
pub mod ingest;
pub mod model;
pub mod names;
// The one module that makes requests (`keyroster pull`); never in the browser build.
#[cfg(feature = "pull")]
pub mod pull;
pub mod render;
pub mod report;
pub mod secret;
pub mod view;
pub mod warm;

pub use analyze::{analyze, Policy};
pub use error::{Error, Result};
pub use model::Inventory;
pub use report::Report;
