//! Reading a workbook's parts in tests: the XML of each part, tags and attributes, and each
//! cell's format, so tests can check what calamine does not show (quote prefixes, number formats).

/// The parts of an `.xlsx` file (a zip of XML files), by name.
pub fn xlsx_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
            (f.name().unwrap().to_string(), text)
        })
        .collect()
}

/// The value of attribute `name` in the XML start tag `tag` (the text from `<` to `>`).
pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The start tags `<name ...>` of an XML text, in order.
pub fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let end = rest[i..].find('>').unwrap() + i + 1;
        out.push(&rest[i..end]);
        rest = &rest[end..];
    }
    out
}

/// One cell format of the workbook's styles part.
#[derive(Debug, Clone)]
pub struct Xf {
    pub quote_prefix: bool,
    /// The number format code (`$#,##0.00`, `yyyy-mm-dd`, `General`...).
    pub num_fmt: String,
}

/// The cell formats (`cellXfs`) of a workbook, by style index.
pub fn cell_formats(parts: &[(String, String)]) -> Vec<Xf> {
    let styles = &parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
    let custom: Vec<(String, String)> = tags(styles, "numFmt")
        .iter()
        .map(|t| {
            let code = attr(t, "formatCode").unwrap().replace("&quot;", "\"");
            (attr(t, "numFmtId").unwrap().to_string(), code)
        })
        .collect();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    tags(xfs, "xf")
        .iter()
        .map(|t| {
            let id = attr(t, "numFmtId").unwrap_or("0");
            let num_fmt = custom
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, c)| c.clone())
                .unwrap_or_else(|| format!("builtin {id}"));
            Xf {
                quote_prefix: attr(t, "quotePrefix") == Some("1"),
                num_fmt,
            }
        })
        .collect()
}

/// Every cell of a sheet: its reference (`E2`), type (`s` for text, `n` or none for numbers) and
/// format.
pub fn sheet_cells(parts: &[(String, String)], sheet: usize) -> Vec<(String, String, Xf)> {
    let name = format!("xl/worksheets/sheet{sheet}.xml");
    let xml = &parts.iter().find(|(n, _)| *n == name).unwrap().1;
    let formats = cell_formats(parts);
    tags(xml, "c")
        .iter()
        .map(|t| {
            let style: usize = attr(t, "s").unwrap_or("0").parse().unwrap();
            (
                attr(t, "r").unwrap().to_string(),
                attr(t, "t").unwrap_or("n").to_string(),
                formats[style].clone(),
            )
        })
        .collect()
}
