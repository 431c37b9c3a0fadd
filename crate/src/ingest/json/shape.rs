//! How many values a JSON document holds and how long its longest string is, measured in one
//! linear pass over the bytes before anything is built.
//!
//! Why: a document is parsed into a tree of values, and each value costs tens of bytes however
//! small its text. `[0,0,0,…]` of 128 MiB is 64 million values, several gigabytes of tree, which
//! would take the browser tab down before a single record is read. The pre-scan lets
//! [`Limits::check_json`](crate::ingest::limits::Limits::check_json) refuse such a document with
//! its line, in about the time it takes to read it.

/// What the pre-scan saw, up to the point where it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Values counted: objects, arrays, strings (member names included), numbers, literals.
    pub values: usize,
    /// The longest string, in bytes between its quotes (escapes counted as written).
    pub longest_string: usize,
    /// The line where a limit was passed (the scan stops there), or the last line.
    pub line: u64,
}

/// Scans `text`, stopping at the first value past `max_values` or string past `max_string`.
/// Invalid JSON is scanned all the same (the parser reports it afterwards, with its position).
pub fn shape(text: &str, max_values: usize, max_string: usize) -> Shape {
    let b = text.as_bytes();
    let mut s = Shape {
        line: 1,
        ..Shape::default()
    };
    // The last byte outside strings that was not whitespace: a scalar starts a value only after
    // `[`, `,`, `:` or at the start (elsewhere its bytes continue the previous scalar).
    let mut prev = b'[';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => s.line += 1,
            b' ' | b'\t' | b'\r' => {}
            b'"' => {
                s.values += 1;
                let start = i + 1;
                i = start;
                while i < b.len() && b[i] != b'"' {
                    match b[i] {
                        b'\\' => i += 1,
                        b'\n' => s.line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                s.longest_string = s.longest_string.max(i.min(b.len()) - start);
                prev = b'"';
            }
            b'{' | b'[' => {
                s.values += 1;
                prev = c;
            }
            _ => {
                if matches!(prev, b'[' | b',' | b':') && !matches!(c, b']' | b'}' | b',' | b':') {
                    s.values += 1;
                }
                prev = c;
            }
        }
        if s.values > max_values || s.longest_string > max_string {
            return s;
        }
        i += 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(t: &str) -> usize {
        shape(t, usize::MAX, usize::MAX).values
    }

    #[test]
    fn counts_every_value_once() {
        assert_eq!(count("[0,0,0]"), 4);
        assert_eq!(count(r#"{"a": 1, "b": [true, null, -2.5e3]}"#), 8);
        assert_eq!(
            count(r#"{"data": [{"id": "key_1"}], "has_more": false}"#),
            8
        );
        assert_eq!(count("[]"), 1);
        assert_eq!(count("  12345  "), 1);
    }

    #[test]
    fn brackets_and_escaped_quotes_inside_strings_are_text() {
        assert_eq!(count(r#"["a,b[c]{d}", "say \"hi\", [x]"]"#), 3);
        let s = shape(r#"["0123456789", "ab"]"#, usize::MAX, usize::MAX);
        assert_eq!(s.longest_string, 10);
    }

    #[test]
    fn json_lines_count_every_line() {
        let s = shape("{\"a\":1}\n{\"a\":2}\n", usize::MAX, usize::MAX);
        assert_eq!((s.values, s.line), (6, 3));
    }

    #[test]
    fn stops_at_the_line_where_a_limit_is_passed() {
        let text = "[\n1,\n2,\n3,\n4\n]";
        let s = shape(text, 3, usize::MAX);
        assert_eq!((s.values, s.line), (4, 4));
        let s = shape("[\"ok\",\n\"longer\"]", usize::MAX, 5);
        assert_eq!((s.longest_string, s.line), (6, 2));
    }

    #[test]
    fn an_unterminated_string_ends_at_the_end() {
        let s = shape("[\"abc", usize::MAX, usize::MAX);
        assert_eq!((s.values, s.longest_string), (2, 3));
    }
}
