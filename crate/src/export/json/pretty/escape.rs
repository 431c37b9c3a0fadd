//! A JSON string's escaping, as serde_json writes it: which bytes need it, found a word of
//! eight bytes at a time, and the escaped text of a string that has one.

/// Whether a byte needs escaping in a JSON string.
#[inline]
fn needs(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Where the first byte that needs escaping is, if any. Checked a word of eight bytes at a
/// time (the last word overlapping the one before it; text under eight bytes as two words of
/// four, or byte by byte under four), and only text that has one is searched byte by byte.
#[inline]
pub(super) fn first_escape(bytes: &[u8]) -> Option<usize> {
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let half = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|w| w.try_into().ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    let n = bytes.len();
    let any = if n >= 8 {
        let mut at = 0;
        let mut any = false;
        while at + 8 < n && !any {
            any = needs_any(word(at));
            at += 8;
        }
        any || needs_any(word(n - 8))
    } else if n >= 4 {
        needs_any(half(0) | half(n - 4) << 32)
    } else {
        bytes.iter().any(|&b| needs(b))
    };
    if any {
        bytes.iter().position(|&b| needs(b))
    } else {
        None
    }
}

/// Whether some byte of the word `x` needs escaping: is below 0x20, a quote or a backslash.
#[inline]
fn needs_any(x: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte below `n` (n <= 0x80) sets its high bit in `x - n` and not in `x`; a borrow
    // carried into the next byte comes only from such a byte, so the test is exact for "some".
    // Quotes and backslashes are bytes below 1 once `x` is XORed with them.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let (quote, slash) = (x ^ (ONES * u64::from(b'"')), x ^ (ONES * u64::from(b'\\')));
    (below(x, 0x20) | below(quote, 1) | below(slash, 1)) & HIGH != 0
}

/// The escaped text of `bytes` (no quotes), when the byte at `at` is the first that needs it.
#[cold]
pub(super) fn contents_from(out: &mut Vec<u8>, bytes: &[u8], at: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if !needs(b) {
            continue;
        }
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => &[],
        };
        if short.is_empty() {
            let hex = |n: u8| HEX.get(usize::from(n & 15)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
        } else {
            out.extend_from_slice(short);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}
