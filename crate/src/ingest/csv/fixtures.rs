//! A cost export with every kind of record the two-thread and two-worker reads must read as the
//! one-thread read does (tests only).

pub(crate) const HEADER: &str = "start_time,end_time,start_time_iso,end_time_iso,amount_value,\
    amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,\
    organization_id,project_name,organization_name,user_email,api_source\n";

pub(crate) fn row(day: u64, amount: &str, item: &str, key: &str, source: &str) -> String {
    format!(
        "{day},{},,,{amount},usd,10,tokens,{item},user-1,{key},proj_a1,org-1,Alpha,Acme,\
         a@acme.example,{source}\n",
        day + 86_400
    )
}

/// A cost export whose records cross lines (quoted line items with newlines), with a blank
/// amount row (line 5), a full secret in a cell (line 9), an unreadable date (line 10) and
/// amount (line 11), then `filler` one-line rows and `tail` (line 14 + `filler`).
pub(crate) fn export(secret: &str, filler: usize, tail: &str) -> String {
    let d = 1_786_924_800;
    [
        HEADER.to_string(),
        row(d, "0.25", "\"gpt-5,\ninput_tokens\"", "key_a", ""), // lines 2-3
        row(d, "0.5", "\"gpt-5, output\"", "key_b", ""),         // line 4
        format!("{d},,,,,,,,,,,,,,,,\n"),                        // line 5: blank amount
        row(d, "1.5", "\"a\n\nb\"", "key_a", ""),                // lines 6-8
        row(d + 86_400, "2", "x", "key_a", secret),              // line 9
        row(d, "0.125", "x", "key_b", "").replacen(&d.to_string(), "not-a-date", 2), // line 10
        row(d, "abc", "x", "key_b", ""),                         // line 11
        row(d, "3", "\"q\"\"uoted\n\"", "key_b", ""),            // lines 12-13
        row(d, "1", "x", "key_f", "").repeat(filler),
        tail.to_string(),
    ]
    .concat()
}

pub(crate) fn secret() -> String {
    format!("sk-proj-{}T3BlbkFJ{}", "Ab3".repeat(25), "Zx9Q".repeat(18))
}
