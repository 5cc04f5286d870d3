//! What can go wrong talking to the fleet's tables and channel.

use std::fmt;

/// Kinds of [`FleetError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FleetErrorType {
    /// The store URL could not be read as a PostgreSQL URL.
    Url,
    /// The server could not be reached or refused a statement (`action` says which).
    Database { action: &'static str },
}

/// A fleet registry or reload-channel failure. Never fatal: the process keeps serving alone.
#[derive(Debug)]
pub struct FleetError {
    kind: FleetErrorType,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl FleetError {
    pub(crate) fn db(action: &'static str, e: tokio_postgres::Error) -> Self {
        Self {
            kind: FleetErrorType::Database { action },
            source: Some(Box::new(e)),
        }
    }

    pub(crate) fn url(e: tokio_postgres::Error) -> Self {
        Self {
            kind: FleetErrorType::Url,
            source: Some(Box::new(e)),
        }
    }

    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> FleetErrorType {
        self.kind
    }
}

impl fmt::Display for FleetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            FleetErrorType::Url => f.write_str("the store URL is not a PostgreSQL URL")?,
            FleetErrorType::Database { action } => {
                write!(f, "the fleet could not {action} in PostgreSQL")?;
            }
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FleetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
