//! The tokenizer's fast path ([`plain_record`]): one complete line read as csv_core would read
//! it, by whole fields instead of byte by byte through its state machine. A cost export's
//! records are all like that (unquoted fields and one quoted line item), and csv_core's loop was
//! a fifth of the wasm build's time on them.
//!
//! Only what is plainly the same is read here: a line that csv_core starts at a record boundary
//! (the tokenizer checks that), ends with `\n` and holds no `\r`, whose fields are unquoted or
//! quoted without a quote inside (`""`) or text after the closing quote. Anything else, and a
//! line that might not fit the output buffers (where csv_core would stop to have them grown, and
//! the limits are checked), is left to csv_core: `None`.

/// The record that is the first line of `input`, read into `out` and `ends` as csv_core would:
/// (bytes of `input` it takes, `\n` included; bytes of `out`; fields), or `None` to leave the line
/// to csv_core.
pub(super) fn plain_record(
    input: &[u8],
    delimiter: u8,
    out: &mut [u8],
    ends: &mut [usize],
) -> Option<(usize, usize, usize)> {
    if matches!(delimiter, b'"' | b'\r' | b'\n') {
        return None;
    }
    let nl = memchr::memchr(b'\n', input)?;
    let line = input.get(..nl)?;
    // A blank line is skipped by csv_core, not a record; `\r` may end one.
    if line.is_empty() || line.len() >= out.len() || memchr::memchr(b'\r', line).is_some() {
        return None;
    }
    let (mut at, mut nout, mut nend) = (0, 0, 0);
    loop {
        if nend + 1 >= ends.len() {
            return None;
        }
        // The field's text in `line` and where the next field starts (`None`: the line ends).
        let (text, next) = if line.get(at) == Some(&b'"') {
            let inner = line.get(at + 1..)?;
            let close = memchr::memchr(b'"', inner)?;
            let after = at + 1 + close + 1;
            match line.get(after) {
                None => (inner.get(..close)?, None),
                Some(&c) if c == delimiter => (inner.get(..close)?, Some(after + 1)),
                // `""` (a quote inside) or text after the closing quote.
                Some(_) => return None,
            }
        } else {
            let rest = line.get(at..)?;
            match memchr::memchr(delimiter, rest) {
                Some(d) => (rest.get(..d)?, Some(at + d + 1)),
                None => (rest, None),
            }
        };
        out.get_mut(nout..nout + text.len())?.copy_from_slice(text);
        nout += text.len();
        *ends.get_mut(nend)? = nout;
        nend += 1;
        match next {
            Some(n) => at = n,
            None => return Some((nl + 1, nout, nend)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csv_core::{ReadRecordResult, ReaderBuilder};

    /// csv_core's reading of the first record of `input` (after a first record `h\n`, as the
    /// tokenizer only takes the fast path after one): (bytes taken, fields).
    fn core(input: &[u8], delimiter: u8) -> Option<(usize, Vec<Vec<u8>>)> {
        let mut r = ReaderBuilder::new().delimiter(delimiter).build();
        let (mut out, mut ends) = ([0; 4096], [0; 256]);
        let (res, ..) = r.read_record(b"h\n", &mut out, &mut ends);
        assert_eq!(res, ReadRecordResult::Record);
        let (res, nin, nout, nend) = r.read_record(input, &mut out, &mut ends);
        (res == ReadRecordResult::Record).then(|| (nin, fields(&out[..nout], &ends[..nend])))
    }

    fn fields(out: &[u8], ends: &[usize]) -> Vec<Vec<u8>> {
        let mut from = 0;
        ends.iter()
            .map(|&e| {
                let f = out[from..e].to_vec();
                from = e;
                f
            })
            .collect()
    }

    fn plain(input: &[u8], delimiter: u8) -> Option<(usize, Vec<Vec<u8>>)> {
        let (mut out, mut ends) = ([0; 4096], [0; 256]);
        let (nin, nout, nend) = plain_record(input, delimiter, &mut out, &mut ends)?;
        Some((nin, fields(&out[..nout], &ends[..nend])))
    }

    #[test]
    fn what_it_reads_csv_core_reads_alike() {
        let lines: &[&[u8]] = &[
            b"a,b,c\nnext",
            b"a,b,\n",
            b",\n",
            b"x\n",
            b"   \n",
            b"1786924800,0.48,usd,\"gpt-4.1, input_tokens\",user-0036,\n",
            b"\"q\"\n",
            b"\"\",\"\"\n",
            b"a\"b,c\n",
            b"\"a,b\",\"c;d\"\n",
            b"a;b;\"c;d\"\n",
            b"a\tb\t\"c\td\"\n",
        ];
        assert!(plain(b"a;b;\"c;d\"\n", b';').is_some());
        assert!(plain(b"a\tb\t\"c\td\"\n", b'\t').is_some());
        for line in lines {
            for delimiter in [b',', b';', b'\t'] {
                let fast = plain(line, delimiter);
                let text = String::from_utf8_lossy(line);
                // Each line is plain to the comma at least (`"",""` is not to `;`).
                assert!(fast.is_some() || delimiter != b',', "{text:?}");
                if fast.is_some() {
                    assert_eq!(fast, core(line, delimiter), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn what_it_leaves_to_csv_core() {
        let lines: &[&[u8]] = &[
            b"\na,b\n",
            b"a,b\r\n",
            b"a,b",
            b"\"a\"\"b\",c\n",
            b"\"a\"b,c\n",
            b"\"a\nb\",c\n",
            b"\"unclosed,c\n",
            b"a,\"b\"x\n",
        ];
        for line in lines {
            assert_eq!(
                plain(line, b','),
                None,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(plain(b"a,b\n", b'"'), None);
        // Buffers that might fill: csv_core stops there to have them grown (and checked).
        let (mut out, mut ends) = ([0; 4], [0; 8]);
        assert_eq!(plain_record(b"abcd\n", b',', &mut out, &mut ends), None);
        let (mut out, mut ends) = ([0; 64], [0; 3]);
        assert_eq!(plain_record(b"a,b,c\n", b',', &mut out, &mut ends), None);
    }

    proptest::proptest! {
        /// Any line of the bytes that matter, read here or left: what is read here is csv_core's.
        #[test]
        fn never_differs_from_csv_core(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b';', b'"', b'\n', b'\r', b' ']),
                0..40,
            )
        ) {
            for delimiter in [b',', b';'] {
                if let Some(fast) = plain(&bytes, delimiter) {
                    proptest::prop_assert_eq!(Some(fast), core(&bytes, delimiter));
                }
            }
        }
    }
}
