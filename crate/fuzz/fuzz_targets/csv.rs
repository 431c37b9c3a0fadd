//! The delimited-text reader on every encoding path: the first byte picks UTF-8, UTF-8 with a
//! BOM, UTF-16 LE/BE with a BOM, UTF-16 LE without one, or an Excel `sep=` line; the rest is the
//! text. Bytes go through `ingest::read`, as a dropped file does.
#![no_main]
use keyroster::ingest::{self, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&path, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let bytes: Vec<u8> = match path % 7 {
        0 => rest.to_vec(),
        1 => [&[0xEF, 0xBB, 0xBF][..], rest].concat(),
        2 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        3 => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        4 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        5 => format!("sep=;\n{text}").into_bytes(),
        _ => format!("sep=\t\r\n{text}").into_bytes(),
    };
    let ctx = Context::new("fuzz.csv", jiff::civil::date(2026, 11, 22));
    let _ = ingest::read(&ctx, &bytes);
    let _ = ingest::csv::read(&ctx, &text);
});
