//! A throwaway PostgreSQL schema for test suites (this crate's and the host's): each test gets
//! its own tables, so tests running in parallel, and several CI runs on one server, never see
//! each other's data. Dropped (with everything in it) when the value is dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::conn::db_error;
use super::parse_config;
use super::worker::Worker;
use crate::error::StoreError;

/// The server the test suites use unless `ARSENAL_TEST_POSTGRES` names another.
pub const DEFAULT_TEST_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A fresh, empty schema; [`TestSchema::url`] opens a store in it.
#[derive(Debug)]
pub struct TestSchema {
    base: String,
    name: String,
    url: String,
    worker: Worker,
}

impl TestSchema {
    /// `ARSENAL_TEST_POSTGRES`, or [`DEFAULT_TEST_URL`].
    pub fn server_url() -> String {
        std::env::var("ARSENAL_TEST_POSTGRES")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_TEST_URL.to_owned())
    }

    /// Creates `test_<pid>_<time>_<n>` on the server at `base_url`.
    ///
    /// # Errors
    /// The server cannot be reached (the message says how to start one).
    pub fn create(base_url: &str) -> Result<Self, StoreError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "test_{}_{nanos}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let worker = Worker::start()?;
        let sql = format!("CREATE SCHEMA {name}");
        execute(&worker, base_url, sql)?;
        let separator = if base_url.contains('?') { '&' } else { '?' };
        // The application name lets a test find (and terminate) this schema's connections.
        let url =
            format!("{base_url}{separator}options=-csearch_path%3D{name}&application_name={name}");
        Ok(Self {
            base: base_url.to_owned(),
            name,
            url,
            worker,
        })
    }

    /// [`TestSchema::create`] on [`TestSchema::server_url`], panicking with what to do when the
    /// server is unreachable: the tests fail, they are never skipped.
    #[allow(clippy::panic)]
    pub fn create_or_explain() -> Self {
        let url = Self::server_url();
        Self::create(&url).unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {url}: {e}\n\
                 The store tests run against a real server. Start it (`pg_ctlcluster 15 main start` \
                 or `service postgresql start`), install one (README.md, \"The store\"), or point \
                 ARSENAL_TEST_POSTGRES at one (postgres://user@host:port/database)."
            )
        })
    }

    /// The URL of a store in this schema (`search_path` set to it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs SQL in this schema (tests that play the administrator editing the tables).
    ///
    /// # Errors
    /// The server refused it.
    pub fn execute(&self, sql: &str) -> Result<(), StoreError> {
        execute(&self.worker, &self.url, sql.to_owned())
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn execute(worker: &Worker, url: &str, sql: String) -> Result<(), StoreError> {
    let config = parse_config(url)?;
    worker.run(async move {
        let (client, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| db_error("connect to the server", e))?;
        tokio::spawn(connection);
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| db_error("create or drop a test schema", e))
    })
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
        if let Err(e) = execute(&self.worker, &self.base, sql) {
            tracing::warn!(schema = %self.name, error = %e, "could not drop a test schema");
        }
    }
}
