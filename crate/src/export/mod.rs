//! Exports: report → CSV set, XLSX workbook, JSON bytes. STUB: to be written.
