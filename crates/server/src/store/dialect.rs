//! What a database must do for the rules written once (`rules.rs`): run a statement in the
//! current transaction and say, in the rules' terms, why one failed. Each database implements
//! this in its own dialect (`sqlite.rs`, `postgres.rs`); the statements themselves are written
//! once, with `$1`-style placeholders and SQL both databases run.

use std::future::Future;

/// A value given to a statement.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    Int(i64),
    Text(&'a str),
    /// Text that may be absent (`NULL`).
    MaybeText(Option<&'a str>),
    /// A number that may be absent (`NULL`).
    MaybeInt(Option<i64>),
    Bool(bool),
}

/// A value read back. Text columns that may be empty of a value (a name erased) read as `Null`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// One row read, its cells in the order the statement selects them.
pub(crate) type Row = Vec<Cell>;

/// Which unique rule a write broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unique {
    /// One upcoming booking per phone and procedure.
    OnePerPerson,
    /// A booking code per station.
    Code,
    /// A place of a slot per active booking.
    Place,
    /// An idempotency key per station.
    Key,
    Other,
}

/// Why a statement failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    Unique(Unique),
    /// Two transactions got in each other's way (serialization, deadlock): try again.
    Transient,
    Other(String),
}

impl Failure {
    /// The store's error for a failure the rules do not expect.
    pub(crate) fn unexpected(self) -> super::StoreError {
        super::StoreError::Database(match self {
            Failure::Unique(rule) => format!("unexpected unique violation: {rule:?}"),
            Failure::Transient => "a conflicting transaction".into(),
            Failure::Other(message) => message,
        })
    }
}

/// One transaction in a database's dialect.
pub(crate) trait Tx {
    /// Appended to a read of rows the transaction will change: `FOR UPDATE` where other
    /// transactions write at the same time; nothing where one writer runs at a time.
    const LOCK: &'static str;

    /// Runs `sql` (placeholders `$1`, `$2`, …) and returns its rows.
    fn rows(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = Result<Vec<Row>, Failure>>;

    /// Runs `sql` and returns how many rows it changed.
    fn run(&mut self, sql: &str, args: &[Arg<'_>]) -> impl Future<Output = Result<u64, Failure>>;
}

/// `sql` with `$n` placeholders written as SQLite numbers them, `?n`. The statements here
/// never hold a `$` of their own (values are always arguments), so every `$` is a placeholder.
pub(crate) fn numbered_for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Cell {
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(value) => Some(*value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_as_sqlite_reads_them() {
        assert_eq!(
            numbered_for_sqlite("UPDATE t SET a = $3 WHERE b = $1 AND c < CAST($12 AS INTEGER)"),
            "UPDATE t SET a = ?3 WHERE b = ?1 AND c < CAST(?12 AS INTEGER)"
        );
    }
}
