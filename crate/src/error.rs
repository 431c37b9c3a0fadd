//! The library's one error type. Every error that comes from input carries where it happened:
//! the input's name and, when known, the line, record and column.

use std::fmt;

/// Where in an input an error happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    pub line: Option<u64>,
    pub record: Option<u64>,
    /// A column name or a JSON path.
    pub field: Option<String>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(r) = self.record {
            parts.push(format!("record {r}"));
        }
        if let Some(c) = &self.field {
            parts.push(format!("field {c}"));
        }
        f.write_str(&parts.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input could not be read.
    Input {
        source: String,
        position: Position,
        message: String,
    },
    /// A policy file is invalid.
    Policy {
        source: String,
        field: Option<String>,
        message: String,
    },
    /// An export could not be written.
    Export { message: String },
    /// A caller asked for something that does not exist (an unknown export, sort or filter):
    /// a bug in the caller or a typo on the command line, not bad input.
    Usage { message: String },
}

/// An error from reading an input or policy, or from writing an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// An input error at a position (use `Position::default()` when there is none).
    pub fn input(
        source: impl Into<String>,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Error(Box::new(ErrorKind::Input {
            source: source.into(),
            position,
            message: message.into(),
        }))
    }

    /// An input error at a line.
    pub fn at_line(source: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        Self::input(
            source,
            Position {
                line: Some(line),
                ..Position::default()
            },
            message,
        )
    }

    pub fn policy(
        source: impl Into<String>,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Error(Box::new(ErrorKind::Policy {
            source: source.into(),
            field,
            message: message.into(),
        }))
    }

    pub fn export(message: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Export {
            message: message.into(),
        }))
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Usage {
            message: message.into(),
        }))
    }

    /// The variant's name, used as the JS `Error.name` at the wasm boundary.
    pub fn name(&self) -> &'static str {
        match *self.0 {
            ErrorKind::Input { .. } => "InputError",
            ErrorKind::Policy { .. } => "PolicyError",
            ErrorKind::Export { .. } => "ExportError",
            ErrorKind::Usage { .. } => "UsageError",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Input {
                source,
                position,
                message,
            } => {
                let pos = position.to_string();
                if pos.is_empty() {
                    write!(f, "{source}: {message}")
                } else {
                    write!(f, "{source}: {pos}: {message}")
                }
            }
            ErrorKind::Policy {
                source,
                field: Some(field),
                message,
            } => write!(f, "{source}: {field}: {message}"),
            ErrorKind::Policy {
                source, message, ..
            } => write!(f, "{source}: {message}"),
            ErrorKind::Export { message } => write!(f, "export failed: {message}"),
            ErrorKind::Usage { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
