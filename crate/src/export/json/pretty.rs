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
//! Over 400 lines because serde's `Serializer` has thirty methods, with its compound types; map
//! keys ([`key`]), the strings' escaping ([`escape`]) and the tests that hold every kind of value
//! to serde_json's bytes ([`tests`]) are files of their own.

use std::fmt;
use std::io::Write;

use serde::ser::{self, Serialize};
use serde_json::ser::Formatter as _;

use super::Scrubbed;
use escape::{contents_from, first_escape};
use key::Key;

mod escape;
mod key;
#[cfg(test)]
mod tests;

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
