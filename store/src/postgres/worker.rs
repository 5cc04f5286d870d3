//! The store's own async runtime for PostgreSQL: one worker thread that drives every connection.
//!
//! Callers are plugin worker threads and the host's tokio tasks. A synchronous client (the
//! `postgres` crate) would `block_on` its own runtime inside the caller, which panics on a tokio
//! thread; instead every database call is a future spawned here, and the caller waits for its
//! answer on a plain channel (blocking, like the JSON store's fsync, but legal anywhere).

use std::future::Future;
use std::sync::mpsc;

use crate::error::{StoreError, StoreErrorType};

/// Owns the runtime; shuts it down without blocking when dropped (dropping a runtime the normal
/// way panics inside an async context, where the last store handle may well be dropped).
#[derive(Debug)]
pub(crate) struct Worker {
    runtime: Option<tokio::runtime::Runtime>,
}

impl Worker {
    pub(crate) fn start() -> Result<Self, StoreError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("store-postgres")
            .enable_all()
            .build()
            .map_err(|e| {
                StoreError::with_source(
                    StoreErrorType::Database {
                        action: "start its connection thread",
                    },
                    e,
                )
            })?;
        Ok(Self {
            runtime: Some(runtime),
        })
    }

    pub(crate) fn handle(&self) -> Option<&tokio::runtime::Handle> {
        self.runtime.as_ref().map(tokio::runtime::Runtime::handle)
    }

    /// Runs `fut` on the store's runtime and waits for its result (from any thread).
    pub(crate) fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let Some(handle) = self.handle() else {
            return Err(StoreError::new(StoreErrorType::Closed));
        };
        let (tx, rx) = mpsc::sync_channel(1);
        handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().unwrap_or_else(|_| {
            Err(StoreError::with_source(
                StoreErrorType::Database {
                    action: "finish a request",
                },
                "the store's connection task stopped unexpectedly",
            ))
        })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
