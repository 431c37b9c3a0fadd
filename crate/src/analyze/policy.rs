//! The Policy: thresholds, severities, presets, mutes. STUB: to be written.

#[derive(Debug, Clone, Default)]
pub struct Policy {}
