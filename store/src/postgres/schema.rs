//! The database schema, created and upgraded by versioned migrations when a store opens.
//!
//! `arsenal_schema` records every migration applied. Opening applies the missing ones in one
//! transaction under an advisory lock (two processes opening a fresh database at once do not
//! race), and refuses a database whose schema is newer than this build knows.
//!
//! Keys are `COLLATE "C"`: byte order, which is the order the JSON store lists keys in (Rust's
//! `str` order), and what lets a prefix be listed as a range of the primary key.

use tokio_postgres::Client;

use super::conn::db_error;
use crate::error::{StoreError, StoreErrorType};

/// `(version, SQL)`, in order. Never edit an entry once released: add a new one.
pub(crate) const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE arsenal_kv (
         namespace text COLLATE \"C\" NOT NULL,
         key text COLLATE \"C\" NOT NULL,
         value jsonb NOT NULL,
         version bigint NOT NULL,
         PRIMARY KEY (namespace, key)
     );
     CREATE TABLE arsenal_meta (
         id int PRIMARY KEY CHECK (id = 1),
         last_seq bigint NOT NULL
     );
     INSERT INTO arsenal_meta (id, last_seq) VALUES (1, 0);",
    ),
    // Several processes on one database: the fleet registry (the host's `fleet` module) and
    // the leases on keys (`claims`: a due timer is delivered by the one process holding it).
    (
        2,
        "CREATE TABLE arsenal_fleet (
         process_id text PRIMARY KEY,
         host text NOT NULL,
         pid int NOT NULL,
         shards text NOT NULL,
         started_at timestamptz NOT NULL DEFAULT now(),
         heartbeat_at timestamptz NOT NULL DEFAULT now(),
         modules jsonb NOT NULL DEFAULT '{}'
     );
     CREATE TABLE arsenal_claims (
         namespace text COLLATE \"C\" NOT NULL,
         key text COLLATE \"C\" NOT NULL,
         owner text NOT NULL,
         claimed_until timestamptz NOT NULL,
         PRIMARY KEY (namespace, key)
     );",
    ),
    // The fleet's module changes, kept as well as notified (NOTIFY is lost while a listener
    // reconnects): a process that reconnects catches up from the last id it saw.
    (
        3,
        "CREATE TABLE arsenal_fleet_changes (
         id bigserial PRIMARY KEY,
         at timestamptz NOT NULL DEFAULT now(),
         origin text NOT NULL,
         change jsonb NOT NULL
     );",
    ),
];

/// The newest schema version this build knows.
pub(crate) fn current_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Any number, the same in every Arsenal: the advisory lock migrations take.
const MIGRATION_LOCK: i64 = 0x4172_7365_6e61_6c00;

/// Creates or upgrades the schema; returns the version it is now at.
pub(crate) async fn migrate(client: &mut Client) -> Result<i32, StoreError> {
    let tx = client
        .transaction()
        .await
        .map_err(|e| db_error("begin the schema migration", e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(|e| db_error("lock the schema for migration", e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS arsenal_schema (
             version int PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(|e| db_error("create the schema table", e))?;
    let found: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM arsenal_schema", &[])
        .await
        .map_err(|e| db_error("read the schema version", e))?
        .get(0);
    let known = current_version();
    if found > known {
        return Err(StoreError::new(StoreErrorType::SchemaTooNew {
            found,
            known,
        }));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tracing::info!(version, "upgrading the PostgreSQL store's schema");
        tx.batch_execute(sql)
            .await
            .map_err(|e| db_error("apply a schema migration", e))?;
        tx.execute(
            "INSERT INTO arsenal_schema (version) VALUES ($1)",
            &[version],
        )
        .await
        .map_err(|e| db_error("record a schema migration", e))?;
    }
    tx.commit()
        .await
        .map_err(|e| db_error("commit the schema migration", e))?;
    Ok(known)
}
