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
