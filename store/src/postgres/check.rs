//! `arsenal store check` for a PostgreSQL store: read-only, says what is wrong in words.
//!
//! There is no journal to tear and no file to damage: the server keeps its own data safe. What
//! can still be wrong is what a person did with SQL: a schema from a newer Arsenal, a namespace
//! name the API would refuse, a version the store never handed out (edited rows keep working
//! only if their version is new, see the README).

use std::fmt;

use super::conn::db_error;
use super::worker::Worker;
use super::{parse_config, schema};
use crate::error::StoreError;
use crate::location::redact;
use crate::namespace_file::validate_namespace;

/// What [`check_postgres`] found.
#[derive(Debug, Clone, Default)]
pub struct PgCheckReport {
    /// The database, without its password.
    pub url: String,
    /// Schema version found (0: no Arsenal tables yet).
    pub schema_version: i32,
    pub namespaces: usize,
    pub keys: u64,
    /// Highest version handed out.
    pub last_seq: i64,
    /// Problems, in words.
    pub findings: Vec<String>,
}

impl PgCheckReport {
    /// No problem found.
    pub fn is_healthy(&self) -> bool {
        self.findings.is_empty()
    }
}

impl fmt::Display for PgCheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PostgreSQL store {}: schema version {}, {} namespaces, {} keys, last version {}",
            self.url, self.schema_version, self.namespaces, self.keys, self.last_seq
        )?;
        if self.findings.is_empty() {
            write!(f, "healthy: nothing to repair")
        } else {
            for finding in &self.findings {
                writeln!(f, "- {finding}")?;
            }
            write!(f, "{} problems", self.findings.len())
        }
    }
}

/// Inspect a PostgreSQL store without changing anything.
///
/// # Errors
/// The server cannot be reached or refuses the queries.
pub fn check_postgres(url: &str) -> Result<PgCheckReport, StoreError> {
    let config = parse_config(url)?;
    let worker = Worker::start()?;
    let shown = redact(url);
    worker.run(async move {
        let (client, connection) = config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| db_error("connect to the server", e))?;
        tokio::spawn(connection);
        let mut report = PgCheckReport {
            url: shown,
            ..PgCheckReport::default()
        };
        let has_schema: bool = client
            .query_one("SELECT to_regclass('arsenal_schema') IS NOT NULL", &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| db_error("look for the schema", e))?;
        if !has_schema {
            report.findings.push(
                "no Arsenal tables in this database yet: they are created when the bot first starts on it (or by `arsenal store copy`)".to_owned(),
            );
            return Ok(report);
        }
        report.schema_version = client
            .query_one("SELECT coalesce(max(version), 0) FROM arsenal_schema", &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| db_error("read the schema version", e))?;
        let known = schema::current_version();
        if report.schema_version > known {
            report.findings.push(format!(
                "the schema is version {}, newer than this Arsenal knows ({known}): use the newer Arsenal",
                report.schema_version
            ));
            return Ok(report);
        }
        if report.schema_version < known {
            report.findings.push(format!(
                "the schema is version {}; starting the bot upgrades it to {known}",
                report.schema_version
            ));
            return Ok(report);
        }
        report.last_seq = client
            .query_one("SELECT last_seq FROM arsenal_meta WHERE id = 1", &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| db_error("read the last version", e))?;
        let rows = client
            .query(
                "SELECT namespace, count(*), count(*) FILTER (WHERE version <= 0 OR version > $1) \
                 FROM arsenal_kv GROUP BY namespace ORDER BY namespace",
                &[&report.last_seq],
            )
            .await
            .map_err(|e| db_error("read the namespaces", e))?;
        for row in rows {
            let name: String = row.try_get(0).map_err(|e| db_error("read a namespace", e))?;
            let keys: i64 = row.try_get(1).map_err(|e| db_error("read a namespace", e))?;
            let bad: i64 = row.try_get(2).map_err(|e| db_error("read a namespace", e))?;
            report.namespaces += 1;
            report.keys += u64::try_from(keys).unwrap_or(0);
            if let Err(e) = validate_namespace(&name) {
                report.findings.push(format!("namespace {name:?}: {e}; no module can reach it"));
            }
            if bad > 0 {
                report.findings.push(format!(
                    "namespace {name:?}: {bad} keys have a version outside 1..={}, which a hand edit made; \
                     give each a new one (`UPDATE arsenal_meta SET last_seq = last_seq + 1 RETURNING last_seq`) \
                     so optimistic checks keep working",
                    report.last_seq
                ));
            }
        }
        Ok(report)
    })
}
