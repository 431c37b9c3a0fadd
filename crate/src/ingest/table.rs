//! A table of text cells (from HTML or CSV) recognized by its header names. STUB: to be written.
