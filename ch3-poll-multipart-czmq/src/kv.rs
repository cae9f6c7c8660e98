//! The key-value lesson (the book's chapter 3, "zhash" and "zlist"): the
//! server's table — CZMQ's `zhash` is a `HashMap` — and how it answers a
//! request.

use std::collections::HashMap;

/// What the server replies for a key it does not have (the book's text).
pub const NOT_FOUND: &str = "Not Found";

/// The book's two entries, before any `--entry`.
pub const BOOK_ENTRIES: [(&str, &str); 2] =
    [("user_id", "1234"), ("user_email", "name@example.org")];

// ANCHOR: table
/// The server's table: key → value (CZMQ's `zhash`).
///
/// ```
/// use ch3_poll_multipart_czmq::kv::{Table, NOT_FOUND};
///
/// let table = Table::book().with([("user_name".to_string(), "Ann".to_string())]);
/// assert_eq!(table.lookup(b"user_email"), "name@example.org");
/// assert_eq!(table.lookup(b"user_name"), "Ann");
/// assert_eq!(table.lookup(b"nobody"), NOT_FOUND);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    entries: HashMap<String, String>,
}

impl Table {
    /// The book's table: `user_id` → `1234`, `user_email` → `name@example.org`.
    pub fn book() -> Table {
        Table {
            entries: BOOK_ENTRIES
                .iter()
                .map(|&(key, value)| (key.to_string(), value.to_string()))
                .collect(),
        }
    }

    /// The table with `entries` added; a key given again takes the later value.
    pub fn with(mut self, entries: impl IntoIterator<Item = (String, String)>) -> Table {
        self.entries.extend(entries);
        self
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value for `key`, or [`NOT_FOUND`] — also for a key that is not
    /// UTF-8 (no key of the table can match it).
    pub fn lookup(&self, key: &[u8]) -> &str {
        std::str::from_utf8(key)
            .ok()
            .and_then(|key| self.entries.get(key))
            .map_or(NOT_FOUND, String::as_str)
    }
}

// ANCHOR_END: table

/// Parses `--entry key=value`: the key is what comes before the first `=`
/// (not empty), the value everything after it (may be empty, may hold `=`).
///
/// ```
/// use ch3_poll_multipart_czmq::kv::parse_entry;
///
/// assert_eq!(parse_entry("user_name=Ann"), Ok(("user_name".into(), "Ann".into())));
/// assert_eq!(parse_entry("formula=a=b"), Ok(("formula".into(), "a=b".into())));
/// assert!(parse_entry("no-equals-sign").is_err());
/// ```
pub fn parse_entry(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some(("", _)) => Err(format!("{text:?} has an empty key; expected KEY=VALUE")),
        Some((key, value)) => Ok((key.to_string(), value.to_string())),
        None => Err(format!("{text:?} has no `=`; expected KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_table_has_the_two_users_entries() {
        let table = Table::book();
        assert_eq!(table.len(), 2);
        assert_eq!(table.lookup(b"user_id"), "1234");
        assert_eq!(table.lookup(b"user_email"), "name@example.org");
    }

    #[test]
    fn unknown_empty_and_non_utf8_keys_are_not_found() {
        let table = Table::book();
        for key in [&b"user email"[..], b"", b"\xffuser_id", b"USER_ID"] {
            assert_eq!(table.lookup(key), NOT_FOUND, "{key:?}");
        }
    }

    #[test]
    fn a_later_entry_replaces_an_earlier_value() {
        let table = Table::book().with([
            ("user_id".to_string(), "42".to_string()),
            ("empty".to_string(), String::new()),
        ]);
        assert_eq!(table.lookup(b"user_id"), "42");
        assert_eq!(table.lookup(b"empty"), "");
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn entries_need_an_equals_sign_and_a_key() {
        assert_eq!(parse_entry("k="), Ok(("k".into(), String::new())));
        assert!(parse_entry("=v").unwrap_err().contains("empty key"));
        assert!(parse_entry("kv").unwrap_err().contains("no `=`"));
    }
}
