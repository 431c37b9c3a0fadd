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

use super::marks::marks;

/// The record that is the first line of `input`, read into `out` and `ends` as csv_core would:
/// (bytes of `input` it takes, `\n` included; bytes of `out`; fields), or `None` to leave the line
/// to csv_core.
///
/// The line is scanned once, 64 bytes at a time, for the bytes that matter (the delimiter, `"`,
/// `\r` and the `\n` that ends it: [`marks`], by SIMD where the target has it), which are then
/// taken in order: a `memchr` call per field paid its set-up 17 times on a cost export's line,
/// and finding the line's end by a search of its own was a second pass over it.
pub(super) fn plain_record(
    input: &[u8],
    delimiter: u8,
    out: &mut [u8],
    ends: &mut [usize],
) -> Option<(usize, usize, usize)> {
    if matches!(delimiter, b'"' | b'\r' | b'\n') {
        return None;
    }
    let (mut nout, mut nend) = (0, 0);
    let mut state = State::Field(0);
    let mut base = 0;
    let mut last = [0u8; 64];
    loop {
        // 64 bytes of the input from `base` (past its end: zeros, whose marks are dropped).
        let (chunk, valid) = match input.get(base..base + 64) {
            Some(bytes) => (<&[u8; 64]>::try_from(bytes).ok()?, u64::MAX),
            None => {
                // No line end in the input: csv_core keeps the record in progress.
                let rest = input.get(base..).filter(|r| !r.is_empty())?;
                last.get_mut(..rest.len())?.copy_from_slice(rest);
                (&last, (1u64 << rest.len()) - 1)
            }
        };
        let m = marks(chunk, delimiter);
        // Only the line's bytes count: up to its first `\n`.
        let nl = m.nl & valid;
        let keep = if nl == 0 {
            valid
        } else {
            (nl & nl.wrapping_neg()) - 1
        };
        let (mut md, mq, mr) = (m.delimiter & keep, m.quote & keep, m.cr & keep);
        // `\r` may end a record: csv_core's to read, wherever it is.
        if mr != 0 {
            return None;
        }
        // Most words hold delimiters between unquoted fields, or text inside a quoted one.
        match state {
            State::Field(mut from) if mq == 0 => {
                while md != 0 {
                    let p = base + md.trailing_zeros() as usize;
                    md &= md - 1;
                    field(input, from, p, out, ends, &mut nout, &mut nend)?;
                    from = p + 1;
                }
                state = State::Field(from);
            }
            State::Quoted(_) if mq == 0 => {}
            _ => {
                let mut m = md | mq;
                while m != 0 {
                    let bit = m & m.wrapping_neg();
                    let p = base + bit.trailing_zeros() as usize;
                    m &= m - 1;
                    let delimiter = md & bit != 0;
                    state = match state {
                        State::Field(from) if delimiter => {
                            field(input, from, p, out, ends, &mut nout, &mut nend)?;
                            State::Field(p + 1)
                        }
                        State::Field(from) if p == from => State::Quoted(p + 1),
                        // A quote inside an unquoted field is text.
                        State::Field(from) => State::Field(from),
                        State::Quoted(from) if !delimiter => State::Closed(from, p),
                        State::Quoted(from) => State::Quoted(from),
                        // Only a delimiter right after the closing quote ends the field plainly
                        // (not `""`, not text after the quote).
                        State::Closed(from, close) if p == close + 1 && delimiter => {
                            field(input, from, close, out, ends, &mut nout, &mut nend)?;
                            State::Field(p + 1)
                        }
                        State::Closed(..) => return None,
                    };
                }
            }
        }
        if nl != 0 {
            let n = base + nl.trailing_zeros() as usize;
            // A blank line is skipped by csv_core, not a record; a line that might not fit the
            // output is csv_core's to read (it stops there to have it grown, and checked).
            if n == 0 || n >= out.len() {
                return None;
            }
            // The line's end ends the last field.
            match state {
                State::Field(from) => field(input, from, n, out, ends, &mut nout, &mut nend)?,
                // The closing quote right before the line's end; text after it is not plain.
                State::Closed(from, close) if close + 1 == n => {
                    field(input, from, close, out, ends, &mut nout, &mut nend)?
                }
                // A quote still open (its field goes on past the line) or text after a closing
                // quote.
                State::Quoted(_) | State::Closed(..) => return None,
            }
            return Some((n + 1, nout, nend));
        }
        base += 64;
    }
}

/// Where the cut of a line is, between two bytes that matter.
#[derive(Clone, Copy)]
enum State {
    /// In a field that starts at this byte (a quote there opens a quoted field).
    Field(usize),
    /// In a quoted field whose text starts at this byte.
    Quoted(usize),
    /// After a quoted field's closing quote: (where its text starts, the quote).
    Closed(usize, usize),
}

/// The field `input[from..to]` appended to `out` (at `nout`, its end at `ends[nend]`); `None`
/// when the ends might fill up (where csv_core would stop to have them grown, and the limits
/// checked). Copied sixteen bytes at a time where the input and `out` have room past the field:
/// a fixed-size copy is a vector move, a copy of the field's own length a `memmove` call. The
/// bytes written past the field's end are the next field's to overwrite, or past `nout`.
#[inline(always)]
fn field(
    input: &[u8],
    from: usize,
    to: usize,
    out: &mut [u8],
    ends: &mut [usize],
    nout: &mut usize,
    nend: &mut usize,
) -> Option<()> {
    if *nend + 1 >= ends.len() {
        return None;
    }
    let len = to.checked_sub(from)?;
    let padded = len.next_multiple_of(16);
    if from + padded <= input.len() && *nout + padded <= out.len() {
        let mut k = 0;
        while k < len {
            let src: &[u8; 16] = input.get(from + k..from + k + 16)?.try_into().ok()?;
            let dst: &mut [u8; 16] = out.get_mut(*nout + k..*nout + k + 16)?.try_into().ok()?;
            *dst = *src;
            k += 16;
        }
    } else {
        out.get_mut(*nout..*nout + len)?
            .copy_from_slice(input.get(from..to)?);
    }
    *nout += len;
    *ends.get_mut(*nend)? = *nout;
    *nend += 1;
    Some(())
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
        let read = |input: &[u8]| {
            let (mut out, mut ends) = ([0; 4096], [0; 256]);
            let (nin, nout, nend) = plain_record(input, delimiter, &mut out, &mut ends)?;
            Some((nin, fields(&out[..nout], &ends[..nend])))
        };
        // Fields are copied sixteen bytes at a time when the input goes on past them: the same
        // record either way.
        let alone = read(input);
        let followed = read(&[input, &[b'z'; 64][..]].concat());
        assert_eq!(alone, followed);
        alone
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

    #[test]
    fn marks_on_either_side_of_a_word_edge_are_read_alike() {
        // Lines of every length from 1 to 140 bytes, with the delimiter, a quoted field and its
        // closing quote landing at every offset of the 64-byte words, and past the first two.
        for len in 1..140 {
            for at in 0..len {
                let mut line = vec![b'x'; len];
                line[at] = b',';
                let quoted = [&b"\"q,"[..], &line[..], b"\","].concat();
                for text in [line.clone(), quoted, [&line[..], b",\"\""].concat()] {
                    let text = [&text[..], b"\n"].concat();
                    let fast = plain(&text, b',');
                    assert!(fast.is_some(), "{:?}", String::from_utf8_lossy(&text));
                    assert_eq!(
                        fast,
                        core(&text, b','),
                        "{:?}",
                        String::from_utf8_lossy(&text)
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Any line of the bytes that matter, read here or left: what is read here is csv_core's.
        #[test]
        fn never_differs_from_csv_core(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b';', b'"', b'\n', b'\r', b' ', b'\t', 0]),
                0..90,
            )
        ) {
            for delimiter in [b',', b';', b'\t', 0] {
                if let Some(fast) = plain(&bytes, delimiter) {
                    proptest::prop_assert_eq!(Some(fast), core(&bytes, delimiter));
                }
            }
        }

        /// Lines of fields, some quoted (with delimiters, quotes or line ends inside), some not:
        /// mostly plain lines, read as csv_core reads them; the rest left to it.
        #[test]
        fn fields_are_cut_as_csv_core_cuts_them(
            fields in proptest::collection::vec(
                (
                    proptest::collection::vec(
                        proptest::sample::select(vec![b'a', b'b', b',', b'"', b' ', b'\r', b'\n']),
                        0..12,
                    ),
                    proptest::sample::select(vec![0u8, 1, 2, 3]),
                ),
                1..24,
            )
        ) {
            let mut line = Vec::new();
            for (i, (text, how)) in fields.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                // 0: as is; 1: quoted; 2: quoted, its quotes and line ends dropped; 3: as is
                // without delimiters, quotes or line ends (always plain).
                match how {
                    0 => line.extend_from_slice(text),
                    1 | 2 => {
                        line.push(b'"');
                        line.extend(text.iter().filter(|&&c| *how == 1 || !b"\"\r\n".contains(&c)));
                        line.push(b'"');
                    }
                    _ => line.extend(text.iter().filter(|&&c| !b",\"\r\n".contains(&c))),
                }
            }
            line.push(b'\n');
            let fast = plain(&line, b',');
            if fields.iter().all(|(_, how)| *how >= 2) && line.len() > 1 {
                proptest::prop_assert!(fast.is_some());
            }
            if let Some(fast) = fast {
                proptest::prop_assert_eq!(Some(fast), core(&line, b','));
            }
        }
    }
}
