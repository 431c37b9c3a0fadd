//! The `keyroster` command-line tool. STUB: to be written.
fn main() {}
