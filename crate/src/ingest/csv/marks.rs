//! Where the bytes that matter to the tokenizer's fast path ([`super::plain`]) are in 64 bytes
//! of input: one bit per byte for the delimiter, `"`, `\r` and `\n`. Sixteen bytes a compare
//! with SSE2 (every x86_64 has it) or wasm's simd128 (the full module is built with it); eight
//! at a time with word arithmetic elsewhere (the popup's module, which reads no large files).
//! The same bits either way: the tests hold each against a byte-by-byte reference.

/// Bit `i` of each mask is byte `i` of the 64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marks {
    pub delimiter: u64,
    pub quote: u64,
    pub cr: u64,
    pub nl: u64,
}

/// The marks of `chunk` (by SIMD where the target has it).
#[inline(always)]
pub(super) fn marks(chunk: &[u8; 64], delimiter: u8) -> Marks {
    #[cfg(target_arch = "x86_64")]
    return sse2(chunk, delimiter);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return simd128(chunk, delimiter);
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    return words(chunk, delimiter);
}

/// Sixteen bytes of `chunk` from `at`, as two little-endian words (a vector load, once
/// compiled: no `unsafe` pointer load needed).
#[inline(always)]
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
fn halves(chunk: &[u8; 64], at: usize) -> (u64, u64) {
    let word = |i: usize| {
        let mut w = [0u8; 8];
        if let Some(b) = chunk.get(i..i + 8) {
            w.copy_from_slice(b);
        }
        u64::from_le_bytes(w)
    };
    (word(at), word(at + 8))
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn sse2(chunk: &[u8; 64], delimiter: u8) -> Marks {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let mut m = Marks {
        delimiter: 0,
        quote: 0,
        cr: 0,
        nl: 0,
    };
    // SAFETY: these intrinsics only need SSE2, which every x86_64 processor has (it is in the
    // target's baseline: `cfg(target_feature = "sse2")` holds); they take no pointers.
    unsafe {
        // `as i8`: the intrinsics take bytes as signed; the bits are the same.
        let (d, q, r, n) = (
            _mm_set1_epi8(delimiter as i8),
            _mm_set1_epi8(b'"' as i8),
            _mm_set1_epi8(b'\r' as i8),
            _mm_set1_epi8(b'\n' as i8),
        );
        for k in 0..4 {
            let (lo, hi) = halves(chunk, 16 * k);
            let v = _mm_set_epi64x(hi as i64, lo as i64);
            // `as u16`: the mask is the low 16 bits of the i32.
            let bits = |x| u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, x)) as u16) << (16 * k);
            m.delimiter |= bits(d);
            m.quote |= bits(q);
            m.cr |= bits(r);
            m.nl |= bits(n);
        }
    }
    m
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn simd128(chunk: &[u8; 64], delimiter: u8) -> Marks {
    use std::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_splat};
    let mut m = Marks {
        delimiter: 0,
        quote: 0,
        cr: 0,
        nl: 0,
    };
    // SAFETY: only compiled when the module is built with simd128 (`cfg` above), which these
    // intrinsics need; they take no pointers.
    #[allow(unused_unsafe)]
    unsafe {
        let (d, q, r, n) = (
            u8x16_splat(delimiter),
            u8x16_splat(b'"'),
            u8x16_splat(b'\r'),
            u8x16_splat(b'\n'),
        );
        for k in 0..4 {
            let (lo, hi) = halves(chunk, 16 * k);
            let v = u64x2(lo, hi);
            let bits = |x| u64::from(u8x16_bitmask(u8x16_eq(v, x))) << (16 * k);
            m.delimiter |= bits(d);
            m.quote |= bits(q);
            m.cr |= bits(r);
            m.nl |= bits(n);
        }
    }
    m
}

/// Word arithmetic, eight bytes at a time: the high bit of each matching byte, gathered into
/// eight bits by one multiplication.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
fn words(chunk: &[u8; 64], delimiter: u8) -> Marks {
    let (d, q, r, n) = (splat(delimiter), splat(b'"'), splat(b'\r'), splat(b'\n'));
    let mut m = Marks {
        delimiter: 0,
        quote: 0,
        cr: 0,
        nl: 0,
    };
    for (k, word) in chunk.chunks_exact(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        let bits = |x: u64| gather(zeros(w ^ x)) << (8 * k);
        m.delimiter |= bits(d);
        m.quote |= bits(q);
        m.cr |= bits(r);
        m.nl |= bits(n);
    }
    m
}

/// `b` in every byte of a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of every zero byte of `x`, and no other bit (exact: no carry from one byte
/// into the next).
const fn zeros(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// The high bits of a word's bytes (byte `k` of the little-endian word) as bits `0..8`: byte
/// `k`'s bit, moved to bit 0 of the byte, lands at bit `56 + k` of the product and nowhere
/// else among bits 56-63 (each partial product has a bit position of its own: no carries).
const fn gather(high_bits: u64) -> u64 {
    ((high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(chunk: &[u8; 64], delimiter: u8) -> Marks {
        let mut m = Marks {
            delimiter: 0,
            quote: 0,
            cr: 0,
            nl: 0,
        };
        for (i, &b) in chunk.iter().enumerate() {
            m.delimiter |= u64::from(b == delimiter) << i;
            m.quote |= u64::from(b == b'"') << i;
            m.cr |= u64::from(b == b'\r') << i;
            m.nl |= u64::from(b == b'\n') << i;
        }
        m
    }

    #[test]
    fn gathers_every_pattern_of_high_bits() {
        for pattern in 0u64..256 {
            let mut word = 0u64;
            for k in 0..8 {
                if pattern & (1 << k) != 0 {
                    word |= 0x80 << (8 * k);
                }
            }
            assert_eq!(gather(word), pattern);
        }
    }

    proptest::proptest! {
        #[test]
        fn each_way_marks_the_bytes_the_reference_marks(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b';', b'\t', b'"', b'\r', b'\n', 0, 0x80, 0xff]),
                64,
            ),
            delimiter in proptest::sample::select(vec![b',', b';', b'\t', 0, 0xff]),
        ) {
            let mut chunk = [0u8; 64];
            chunk.copy_from_slice(&bytes);
            let want = reference(&chunk, delimiter);
            proptest::prop_assert_eq!(marks(&chunk, delimiter), want);
            proptest::prop_assert_eq!(words(&chunk, delimiter), want);
        }
    }
}
