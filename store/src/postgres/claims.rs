//! Leases on keys, for work that exactly one process of a fleet must do (a due timer).
//!
//! A claim is a row of `arsenal_claims`: `(namespace, key)`, the `owner` (a process id) and
//! `claimed_until`. Taking one is a single statement, atomic on the server: it inserts the claim,
//! or takes over one that expired or is already the owner's (`ON CONFLICT … DO UPDATE … WHERE`,
//! which locks the conflicting row, so two processes racing for one key cannot both win), and
//! only while the claimed key still holds the `version` the claimer saw: a timer handled and
//! deleted (or rescheduled) by another process cannot be claimed again from a stale copy.
//!
//! A process that dies holding a claim keeps it until `claimed_until`; then any other process
//! takes it over. After the work is done, the claim is kept until its lease ends (not deleted):
//! a deleted claim row would let a claimer whose statement started before the key's delete was
//! committed insert a fresh claim on a stale view.

use std::time::Duration;

use super::conn::db_error;
use super::PgStore;
use crate::error::StoreError;
use crate::namespace_file::validate_namespace;
use crate::types::ClaimOutcome;

impl PgStore {
    pub(crate) fn claim(
        &self,
        ns: &str,
        key: &str,
        version: u64,
        owner: &str,
        lease: Duration,
    ) -> Result<ClaimOutcome, StoreError> {
        validate_namespace(ns)?;
        let (ns, key, owner) = (ns.to_owned(), key.to_owned(), owner.to_owned());
        let version = i64::try_from(version).unwrap_or(i64::MAX);
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        self.read(move |c| async move {
            let won = c
                .client
                .query_opt(
                    "INSERT INTO arsenal_claims (namespace, key, owner, claimed_until) \
                     SELECT $1, $2, $3, now() + $5::bigint * interval '1 millisecond' \
                     WHERE EXISTS (SELECT 1 FROM arsenal_kv \
                                   WHERE namespace = $1 AND key = $2 AND version = $4) \
                     ON CONFLICT (namespace, key) DO UPDATE \
                       SET owner = excluded.owner, claimed_until = excluded.claimed_until \
                       WHERE arsenal_claims.claimed_until < now() \
                          OR arsenal_claims.owner = excluded.owner \
                     RETURNING owner",
                    &[&ns, &key, &owner, &version, &lease_ms],
                )
                .await
                .map_err(|e| db_error("claim a key", e))?;
            if won.is_some() {
                return Ok(ClaimOutcome::Claimed);
            }
            let row = c
                .client
                .query_opt(
                    "SELECT c.owner, \
                            greatest(0, (extract(epoch FROM c.claimed_until - now()) * 1000))::bigint, \
                            EXISTS (SELECT 1 FROM arsenal_kv k WHERE k.namespace = $1 AND k.key = $2 AND k.version = $3) \
                     FROM arsenal_claims c WHERE c.namespace = $1 AND c.key = $2",
                    &[&ns, &key, &version],
                )
                .await
                .map_err(|e| db_error("read a claim", e))?;
            Ok(match row {
                Some(row) if row.try_get::<_, bool>(2).unwrap_or(false) => {
                    let owner: String = row.try_get(0).map_err(|e| db_error("read a claim", e))?;
                    let left: i64 = row.try_get(1).map_err(|e| db_error("read a claim", e))?;
                    ClaimOutcome::Held {
                        owner,
                        for_ms: u64::try_from(left).unwrap_or(0),
                    }
                }
                _ => ClaimOutcome::Gone,
            })
        })
    }

    /// Ends `owner`'s claim now, so another process may take the key at once (the work was not
    /// done: a failed delivery). Claims of other owners are untouched.
    pub(crate) fn release(&self, ns: &str, key: &str, owner: &str) -> Result<(), StoreError> {
        validate_namespace(ns)?;
        let (ns, key, owner) = (ns.to_owned(), key.to_owned(), owner.to_owned());
        self.read(move |c| async move {
            c.client
                .execute(
                    "UPDATE arsenal_claims SET claimed_until = now() - interval '1 millisecond' \
                     WHERE namespace = $1 AND key = $2 AND owner = $3",
                    &[&ns, &key, &owner],
                )
                .await
                .map_err(|e| db_error("release a claim", e))?;
            // Claims of keys long gone are only clutter.
            c.client
                .execute(
                    "DELETE FROM arsenal_claims c WHERE c.claimed_until < now() - interval '1 hour' \
                     AND NOT EXISTS (SELECT 1 FROM arsenal_kv k WHERE k.namespace = c.namespace AND k.key = c.key)",
                    &[],
                )
                .await
                .map_err(|e| db_error("clear old claims", e))?;
            Ok(())
        })
    }
}
