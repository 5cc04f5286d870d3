//! The timer service's error type.

use std::error::Error;
use std::fmt;

use arsenal_store::StoreError;

use super::MAX_KEY_CHARS;

/// An error from the timer service. Match on [`TimerError::kind`]; print it for humans.
#[derive(Debug)]
pub struct TimerError {
    kind: TimerErrorType,
    source: Option<Box<dyn Error + Send + Sync>>,
}

/// What went wrong. New variants may be added.
#[derive(Debug)]
#[non_exhaustive]
pub enum TimerErrorType {
    /// The key is empty, longer than [`MAX_KEY_CHARS`] characters, or contains `/`.
    InvalidKey { key: String, reason: &'static str },
    /// The plugin name is empty or contains `/` (a host bug: plugin names are validated at load).
    InvalidPlugin { plugin: String },
    /// The payload is larger than [`MAX_PAYLOAD_BYTES`] as JSON.
    PayloadTooLarge { bytes: usize, limit: usize },
    /// The plugin already has the most pending timers it may have.
    TooManyTimers { plugin: String, limit: usize },
    /// The store could not write the change; nothing changed. The source is a `StoreError`.
    Store,
}

impl TimerError {
    pub(super) fn new(kind: TimerErrorType) -> Self {
        Self { kind, source: None }
    }

    pub(super) fn store(e: StoreError) -> Self {
        Self {
            kind: TimerErrorType::Store,
            source: Some(Box::new(e)),
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> &TimerErrorType {
        &self.kind
    }

    /// The underlying cause, if any.
    pub fn into_source(self) -> Option<Box<dyn Error + Send + Sync>> {
        self.source
    }

    /// Kind and cause, by value.
    pub fn into_parts(self) -> (TimerErrorType, Option<Box<dyn Error + Send + Sync>>) {
        (self.kind, self.source)
    }
}

impl fmt::Display for TimerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TimerErrorType::InvalidKey { key, reason } => write!(
                f,
                "invalid timer key {key:?}: {reason}; use 1 to {MAX_KEY_CHARS} characters without '/'"
            ),
            TimerErrorType::InvalidPlugin { plugin } => {
                write!(f, "invalid module name {plugin:?} for a timer: it must be non-empty and contain no '/'")
            }
            TimerErrorType::PayloadTooLarge { bytes, limit } => write!(
                f,
                "timer payload is {bytes} bytes of JSON, over the {limit}-byte limit; put ids in the payload and keep the data in the plugin's store"
            ),
            TimerErrorType::TooManyTimers { plugin, limit } => write!(
                f,
                "module {plugin} already has {limit} pending timers, the most allowed; cancel timers it no longer needs or reuse keys (scheduling an existing key replaces it)"
            ),
            TimerErrorType::Store => {
                write!(f, "the timer change was not saved, nothing changed")?;
                if let Some(source) = &self.source {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
        }
    }
}

impl Error for TimerError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_ref().map(|s| &**s as &(dyn Error + 'static))
    }
}
