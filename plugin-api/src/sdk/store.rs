//! The typed store handle: serde values in the plugin's own namespace, durable when a call returns.

use serde::{de::DeserializeOwned, Serialize};

use crate::{
    protocol::{
        op, CommitOutcome, CommitRequest, KeyRequest, ListEntry, ListRequest, SetRequest,
        VersionCheck, VersionedValue, Write,
    },
    sdk::{Context, Error, ErrorType, Result},
};

/// How many times [`Store::transaction`] retries after losing a race before giving up.
const MAX_ATTEMPTS: u32 = 16;

/// This plugin's namespace in the host's store. Every write is durable when the call returns.
#[derive(Debug, Clone)]
pub struct Store {
    ctx: Context,
}

impl Store {
    pub(crate) fn new(ctx: Context) -> Self {
        Self { ctx }
    }

    /// Reads `key`.
    ///
    /// # Errors
    ///
    /// When the stored value does not deserialize into `T`, or the host failed.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        Ok(self.get_versioned(key)?.map(|(value, _)| value))
    }

    /// Reads `key` with its version.
    ///
    /// # Errors
    ///
    /// As [`Store::get`].
    pub fn get_versioned<T: DeserializeOwned>(&self, key: &str) -> Result<Option<(T, u64)>> {
        self.get_raw(key)?
            .map(|v| Ok((decode(key, v.value)?, v.version)))
            .transpose()
    }

    // The non-generic halves of the typed calls: the serde code of the store protocol is
    // compiled once, into the SDK runtime the plugins share, not into each plugin.

    #[inline(never)]
    fn get_raw(&self, key: &str) -> Result<Option<VersionedValue>> {
        self.ctx.request(
            op::STORE_GET,
            &KeyRequest {
                key: key.to_owned(),
            },
        )
    }

    #[inline(never)]
    fn set_value(&self, key: &str, value: serde_json::Value) -> Result<()> {
        let request = SetRequest {
            key: key.to_owned(),
            value,
        };
        let _version: u64 = self.ctx.request(op::STORE_SET, &request)?;
        Ok(())
    }

    #[inline(never)]
    fn list_raw(&self, prefix: &str) -> Result<Vec<ListEntry>> {
        self.ctx.request(
            op::STORE_LIST,
            &ListRequest {
                prefix: prefix.to_owned(),
            },
        )
    }

    #[inline(never)]
    fn commit(&self, request: &CommitRequest) -> Result<CommitOutcome> {
        self.ctx.request(op::STORE_COMMIT, request)
    }

    /// Writes `key`.
    ///
    /// # Errors
    ///
    /// When the write could not be made durable; nothing was written then.
    pub fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<()> {
        self.set_value(key, serde_json::to_value(value)?)
    }

    /// Deletes `key`; returns whether it existed.
    ///
    /// # Errors
    ///
    /// When the delete could not be made durable.
    #[inline(never)]
    pub fn delete(&self, key: &str) -> Result<bool> {
        self.ctx.request(
            op::STORE_DELETE,
            &KeyRequest {
                key: key.to_owned(),
            },
        )
    }

    /// Every key starting with `prefix`, sorted, with its value.
    ///
    /// # Errors
    ///
    /// When a value does not deserialize into `T`.
    pub fn list<T: DeserializeOwned>(&self, prefix: &str) -> Result<Vec<(String, T)>> {
        self.list_raw(prefix)?
            .into_iter()
            .map(|entry| Ok((entry.key.clone(), decode(&entry.key, entry.value)?)))
            .collect()
    }

    /// Atomically replaces `key` with `f(current)` (`None` deletes), retrying on races.
    ///
    /// # Errors
    ///
    /// What `f` returns, or a conflict after repeated races.
    pub fn update<T, F>(&self, key: &str, mut f: F) -> Result<Option<T>>
    where
        T: Serialize + DeserializeOwned,
        F: FnMut(Option<T>) -> Result<Option<T>>,
    {
        self.transaction(|txn| {
            let current = txn.get(key)?;
            let next = f(current)?;
            match &next {
                Some(value) => txn.set(key, value)?,
                None => txn.delete(key),
            }
            Ok(next)
        })
    }

    /// Runs `f` as an all-or-nothing transaction over several keys.
    ///
    /// Reads inside `f` are recorded with their versions; writes are buffered and committed in
    /// one durable record only if none of the keys read changed meanwhile. Otherwise `f` runs
    /// again with fresh values, so it must not have side effects outside the transaction.
    ///
    /// # Errors
    ///
    /// What `f` returns (nothing is written then), or a conflict after repeated races.
    pub fn transaction<R>(
        &self,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        for _ in 0..MAX_ATTEMPTS {
            let mut txn = Transaction {
                store: self,
                request: CommitRequest::default(),
            };
            let result = f(&mut txn)?;
            if txn.request.writes.is_empty() {
                return Ok(result);
            }
            if self.commit(&txn.request)? == CommitOutcome::Committed {
                return Ok(result);
            }
        }
        Err(Error::new(
            ErrorType::Conflict,
            format!("the store transaction kept conflicting after {MAX_ATTEMPTS} attempts"),
        ))
    }
}

/// An open transaction; see [`Store::transaction`].
#[derive(Debug)]
pub struct Transaction<'a> {
    store: &'a Store,
    request: CommitRequest,
}

impl Transaction<'_> {
    /// Reads `key` (a pending write in this transaction wins) and records its version.
    ///
    /// # Errors
    ///
    /// As [`Store::get`].
    pub fn get<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>> {
        if let Some(write) = self.request.writes.iter().rev().find(|w| w.key == key) {
            return write.value.clone().map(|v| decode(key, v)).transpose();
        }
        self.read_raw(key)?
            .map(|value| decode(key, value))
            .transpose()
    }

    /// The stored value of `key`, its version recorded for the commit's check.
    #[inline(never)]
    fn read_raw(&mut self, key: &str) -> Result<Option<serde_json::Value>> {
        let found = self.store.get_raw(key)?;
        if !self.request.checks.iter().any(|c| c.key == key) {
            self.request.checks.push(VersionCheck {
                key: key.to_owned(),
                version: found.as_ref().map(|v| v.version),
            });
        }
        Ok(found.map(|v| v.value))
    }

    /// Buffers a write of `key`.
    ///
    /// # Errors
    ///
    /// When `value` does not serialize.
    pub fn set<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        let value = serde_json::to_value(value)?;
        self.request.writes.push(Write {
            key: key.to_owned(),
            value: Some(value),
        });
        Ok(())
    }

    /// Buffers a delete of `key`.
    pub fn delete(&mut self, key: &str) {
        self.request.writes.push(Write {
            key: key.to_owned(),
            value: None,
        });
    }
}

fn decode<T: DeserializeOwned>(key: &str, value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::invalid(format!(
            "stored value of {key:?} does not have the expected shape (was it written by another version?)"
        ))
        .with_source(e)
    })
}
