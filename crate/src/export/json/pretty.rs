//! A serde serializer that writes what `serde_json`'s pretty printer writes (two-space indent),
//! byte for byte, for native builds' report JSON.
//!
//! Why: writing the 5,000-key page's 11 MB report spent half its instructions in serde_json's
//! string escaping, which looks every byte up in a table and hands each run of text to its
//! formatter, field names included (half a million strings). Here a string is checked eight
//! bytes at a time and copied whole when nothing in it needs escaping (nearly always), straight
//! into the text [`Scrubbed`] holds. Numbers are written by serde_json's own formatter, so they
//! read the same. wasm keeps serde_json's serializer: the popup's module stays as it is.
//!
//! Over 400 lines because serde's `Serializer` has thirty methods, here twice (values, and map
//! keys as serde_json writes them), and the tests that hold every kind of value to serde_json's
//! bytes live beside them.

use std::fmt;
use std::io::Write;

use serde::ser::{self, Impossible, Serialize};
use serde_json::ser::Formatter as _;

use super::Scrubbed;

type Error = serde_json::Error;
type Result<T = ()> = std::result::Result<T, Error>;

/// Writes `value` as pretty JSON to `out`, as if nested `indent` levels deep (its inner lines
/// indented one level more, its own first line not indented).
pub(super) fn write<W: Write, T: Serialize + ?Sized>(
    out: &mut Scrubbed<W>,
    indent: usize,
    value: &T,
) -> Result {
    value.serialize(&mut Ser { out, indent })
}

/// The serializer: the text is written straight into what `out` holds (no `io::Write` call
/// per token), and passed on from there between items once a piece's worth is held.
pub(super) struct Ser<'o, W> {
    out: &'o mut Scrubbed<W>,
    indent: usize,
}

/// A line break and up to 32 levels of indentation.
const NEW_LINE: &[u8; 65] = b"\n                                                                ";

impl<'o, W: Write> Ser<'o, W> {
    #[inline]
    fn put(&mut self, b: &[u8]) {
        self.out.held.extend_from_slice(b);
    }

    /// A line break and the current indentation.
    #[inline]
    fn line(&mut self) {
        match NEW_LINE.get(..1 + 2 * self.indent) {
            Some(line) => self.put(line),
            None => {
                self.put(b"\n");
                (0..self.indent).for_each(|_| self.put(b"  "));
            }
        }
    }

    /// An item's separator (none before the first) and its line; what is held is passed on
    /// first once it is a piece's worth.
    #[inline]
    fn item(&mut self, first: bool) -> Result {
        if self.out.held.len() >= Scrubbed::<W>::PIECE {
            self.out.pass(false).map_err(Error::io)?;
        }
        if !first {
            self.put(b",");
        }
        self.line();
        Ok(())
    }

    fn open(&mut self, b: &'static [u8], len: Option<usize>) -> Compound<'_, 'o, W> {
        self.indent += 1;
        self.put(b);
        let state = if len == Some(0) {
            // serde_json closes a container it is told is empty at once.
            self.indent -= 1;
            self.put(if b == b"[" { b"]" } else { b"}" });
            State::Empty
        } else {
            State::First
        };
        Compound { ser: self, state }
    }

    fn close(&mut self, had: bool, b: &[u8]) {
        self.indent -= 1;
        if had {
            self.line();
        }
        self.put(b);
    }

    /// `s` as a JSON string, escaped as serde_json escapes (`"`, `\`, and control characters:
    /// the short forms `\b \f \n \r \t`, else `\u00XX` in lower-case hex).
    #[inline]
    fn str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let held = &mut self.out.held;
        held.reserve(bytes.len() + 2);
        held.push(b'"');
        match first_escape(bytes) {
            None => held.extend_from_slice(bytes),
            Some(at) => contents_from(held, bytes, at),
        }
        held.push(b'"');
    }

    /// Puts a number as serde_json's formatter writes it.
    #[inline]
    fn number(
        &mut self,
        write: impl FnOnce(&mut serde_json::ser::CompactFormatter, &mut Vec<u8>) -> std::io::Result<()>,
    ) -> Result {
        write(&mut serde_json::ser::CompactFormatter, &mut self.out.held).map_err(Error::io)
    }
}

/// Whether a byte needs escaping in a JSON string.
#[inline]
fn needs(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Where the first byte that needs escaping is, if any. Checked a word of eight bytes at a
/// time (the last word overlapping the one before it; text under eight bytes as two words of
/// four, or byte by byte under four), and only text that has one is searched byte by byte.
#[inline]
fn first_escape(bytes: &[u8]) -> Option<usize> {
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
fn contents_from(out: &mut Vec<u8>, bytes: &[u8], at: usize) {
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

/// A container being written: nothing in it yet ([`State::First`]), something
/// ([`State::Rest`]), or closed already because it was said to be empty ([`State::Empty`]).
#[derive(PartialEq)]
enum State {
    Empty,
    First,
    Rest,
}

pub(super) struct Compound<'a, 'o, W> {
    ser: &'a mut Ser<'o, W>,
    state: State,
}

impl<W: Write> Compound<'_, '_, W> {
    #[inline]
    fn next(&mut self) -> Result {
        let first = self.state == State::First;
        self.state = State::Rest;
        self.ser.item(first)
    }

    fn end(self, close: &[u8]) -> Result {
        match self.state {
            State::Empty => {}
            State::First => self.ser.close(false, close),
            State::Rest => self.ser.close(true, close),
        }
        Ok(())
    }

    /// Ends a variant's inner container and the object around it (`{"Variant": …}`).
    fn end_variant(self, close: &[u8]) -> Result {
        let ser = &mut *self.ser;
        match self.state {
            State::Empty => {}
            State::First => ser.close(false, close),
            State::Rest => ser.close(true, close),
        }
        ser.close(true, b"}");
        Ok(())
    }
}

impl<W: Write> Ser<'_, W> {
    /// `{"variant": `, the start of an enum's variant with content.
    fn variant(&mut self, variant: &'static str) {
        self.indent += 1;
        self.put(b"{");
        self.line();
        self.str(variant);
        self.put(b": ");
    }
}

impl<'a, 'o, W: Write> ser::Serializer for &'a mut Ser<'o, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'o, W>;
    type SerializeTuple = Compound<'a, 'o, W>;
    type SerializeTupleStruct = Compound<'a, 'o, W>;
    type SerializeTupleVariant = Compound<'a, 'o, W>;
    type SerializeMap = Compound<'a, 'o, W>;
    type SerializeStruct = Compound<'a, 'o, W>;
    type SerializeStructVariant = Compound<'a, 'o, W>;

    fn serialize_bool(self, v: bool) -> Result {
        self.put(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.number(|f, w| f.write_i64(w, v))
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.number(|f, w| f.write_i128(w, v))
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.number(|f, w| f.write_u64(w, v))
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.number(|f, w| f.write_u128(w, v))
    }
    fn serialize_f32(self, v: f32) -> Result {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.number(|f, w| f.write_f32(w, v))
    }
    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return self.serialize_unit();
        }
        self.number(|f, w| f.write_f64(w, v))
    }
    fn serialize_char(self, v: char) -> Result {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        let mut seq = self.open(b"[", None);
        for &b in v {
            seq.next()?;
            ser::Serializer::serialize_u64(&mut *seq.ser, b.into())?;
        }
        seq.end(b"]")
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.put(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.close(true, b"}");
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(self.open(b"[", len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        Ok(self.open(b"[", Some(len)))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Ok(self.open(b"[", Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.variant(variant);
        Ok(self.open(b"[", Some(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(self.open(b"{", len))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        Ok(self.open(b"{", Some(len)))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.variant(variant);
        Ok(self.open(b"{", Some(len)))
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result {
        // Each piece the value formats to escaped as it comes: the same as escaping the whole.
        struct Pieces<'h>(&'h mut Vec<u8>);
        impl fmt::Write for Pieces<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                let bytes = s.as_bytes();
                match first_escape(bytes) {
                    None => self.0.extend_from_slice(bytes),
                    Some(at) => contents_from(self.0, bytes, at),
                }
                Ok(())
            }
        }
        self.put(b"\"");
        fmt::Write::write_fmt(&mut Pieces(&mut self.out.held), format_args!("{value}"))
            .map_err(|_| ser::Error::custom("a value's Display failed"))?;
        self.put(b"\"");
        Ok(())
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.next()?;
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        Compound::end(self, b"]")
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self, b"]")
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self, b"]")
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        self.end_variant(b"]")
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.next()?;
        key.serialize(Key(&mut *self.ser))
    }
    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.ser.put(b": ");
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        Compound::end(self, b"}")
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.next()?;
        self.ser.str(key);
        self.ser.put(b": ");
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        Compound::end(self, b"}")
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result {
        self.end_variant(b"}")
    }
}

/// A map's key, as serde_json writes one: a string as it is; a number or a bool in quotes; a
/// non-finite float or anything else refused.
struct Key<'a, 'o, W>(&'a mut Ser<'o, W>);

impl<W: Write> Key<'_, '_, W> {
    fn quoted(self, write: impl FnOnce(&mut Ser<'_, W>) -> Result) -> Result {
        self.0.put(b"\"");
        write(&mut *self.0)?;
        self.0.put(b"\"");
        Ok(())
    }
}

fn not_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

fn not_finite() -> Error {
    ser::Error::custom("float key must be finite (got NaN or +/-inf)")
}

impl<W: Write> ser::Serializer for Key<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result {
        ser::Serializer::serialize_str(self.0, v)
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result {
        ser::Serializer::serialize_str(self.0, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result {
        self.quoted(|s| ser::Serializer::serialize_bool(s, v))
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.quoted(|s| ser::Serializer::serialize_i64(s, v))
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.quoted(|s| ser::Serializer::serialize_i128(s, v))
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.quoted(|s| ser::Serializer::serialize_u64(s, v))
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.quoted(|s| ser::Serializer::serialize_u128(s, v))
    }
    fn serialize_f32(self, v: f32) -> Result {
        if !v.is_finite() {
            return Err(not_finite());
        }
        self.quoted(|s| ser::Serializer::serialize_f32(s, v))
    }
    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return Err(not_finite());
        }
        self.quoted(|s| ser::Serializer::serialize_f64(s, v))
    }
    fn serialize_char(self, v: char) -> Result {
        ser::Serializer::serialize_char(self.0, v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(not_a_string())
    }
    fn serialize_none(self) -> Result {
        Err(not_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        Err(not_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(not_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(not_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(not_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(not_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(not_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(not_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_a_string())
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result {
        ser::Serializer::collect_str(self.0, value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    /// What [`super::write`] writes for `value` at the top level, scrubbed as the report is.
    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        let mut w = super::Scrubbed {
            out: &mut out,
            held: Vec::new(),
        };
        super::write(&mut w, 0, value).unwrap();
        w.pass(true).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    enum Variants {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        EmptyTuple(),
        Struct { a: Option<f64>, b: Vec<u8> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    struct Inner {
        x: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[derive(Serialize)]
    struct Outer {
        name: String,
        #[serde(flatten)]
        inner: Inner,
        unit: (),
        newtype: Newtype,
        tuple: (u8, char, bool),
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        shown: Shown,
        variants: Vec<Variants>,
        empty: Vec<u8>,
        nothing: Option<String>,
    }

    #[derive(Serialize)]
    struct Newtype(u128);

    /// A value written through `collect_str`, in several pieces.
    struct Shown;
    impl std::fmt::Display for Shown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let (n, c) = (12, '\u{1}');
            write!(f, "a \"quoted\" {n} line\nand\ttab {c}")
        }
    }
    impl Serialize for Shown {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    /// Every kind of value serde can hand a serializer, written as serde_json's pretty printer
    /// writes it: strings with every escape (and text around it, of every length up to and past
    /// a word), numbers at their limits, floats that are not finite, maps with keys that are
    /// not strings, every enum variant, flattened and empty containers, deep nesting.
    #[test]
    fn writes_what_serde_jsons_pretty_printer_writes() {
        let mut strings: Vec<String> = (0u8..0x80).map(|b| (b as char).to_string()).collect();
        for n in 0..20 {
            let plain = "é-x".repeat(n);
            strings.push(plain.clone());
            for special in [
                "\"", "\\", "\n", "\u{7f}", "\u{1f}", "\u{0}", "ü", "\u{2028}",
            ] {
                strings.push(format!("{plain}{special}"));
                strings.push(format!("{special}{plain}"));
                strings.push(format!(
                    "{}{special}{}",
                    &plain[..plain.len() / 2 / 4 * 4],
                    n
                ));
            }
        }
        assert_eq!(
            ours(&strings),
            serde_json::to_string_pretty(&strings).unwrap()
        );

        let numbers = (
            [i64::MIN, -1, 0, i64::MAX],
            [u64::MAX, 0],
            (i128::MIN, u128::MAX, i8::MIN, u16::MAX, i32::MIN, u32::MAX),
            [
                0.1,
                -0.0,
                1e300,
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                123.456e-7,
            ],
            [1.5f32, f32::NAN, 3.4e38],
        );
        assert_eq!(
            ours(&numbers),
            serde_json::to_string_pretty(&numbers).unwrap()
        );

        let int_keys: BTreeMap<i32, &str> = [(-3, "a"), (7, "b\"")].into();
        let bool_keys: BTreeMap<bool, ()> = [(false, ()), (true, ())].into();
        let char_keys: BTreeMap<char, u8> = [('\n', 1), ('x', 2)].into();
        let empty: BTreeMap<String, u8> = BTreeMap::new();
        let maps = (int_keys, bool_keys, char_keys, empty);
        assert_eq!(ours(&maps), serde_json::to_string_pretty(&maps).unwrap());

        let outer = Outer {
            name: "n\u{8}\u{c}\r".into(),
            inner: Inner {
                x: -5,
                skipped: None,
            },
            unit: (),
            newtype: Newtype(7),
            tuple: (1, '"', true),
            bytes: vec![0, 255],
            shown: Shown,
            variants: vec![
                Variants::Unit,
                Variants::Newtype(3),
                Variants::Tuple(-1, "t".into()),
                Variants::EmptyTuple(),
                Variants::Struct {
                    a: Some(2.5),
                    b: vec![],
                },
                Variants::Struct {
                    a: None,
                    b: vec![1],
                },
                Variants::EmptyStruct {},
            ],
            empty: Vec::new(),
            nothing: None,
        };
        assert_eq!(ours(&outer), serde_json::to_string_pretty(&outer).unwrap());

        let mut deep = serde_json::json!({"leaf": [1, {}, [], ""]});
        for i in 0..40 {
            deep = serde_json::json!({ "level": i, "inner": [deep, "x", null, {"e": []}] });
        }
        assert_eq!(ours(&deep), serde_json::to_string_pretty(&deep).unwrap());
    }

    /// Keys serde_json refuses are refused here too.
    #[test]
    fn refuses_the_keys_serde_json_refuses() {
        let mut out = Vec::new();
        let mut w = super::Scrubbed {
            out: &mut out,
            held: Vec::new(),
        };
        let seq_keys: BTreeMap<String, BTreeMap<Vec<u8>, u8>> =
            [("a".into(), [(vec![1], 1)].into())].into();
        assert!(super::write(&mut w, 0, &seq_keys).is_err());
        assert!(serde_json::to_string_pretty(&seq_keys).is_err());
    }
}
