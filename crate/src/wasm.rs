//! The browser facade. STUB: to be written.
