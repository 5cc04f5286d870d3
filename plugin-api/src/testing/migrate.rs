//! Testing a module's [`Plugin::migrate`] on its own: hand it data as an older version stored
//! it and check what it makes of it, without a host.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{
    abi::{AbiError, ErrorCode},
    sdk::{guard::guard, migrate::Data, Error, Plugin},
    testing::TestHarness,
};

impl<P: Plugin> TestHarness<P> {
    /// Runs `P::migrate(from, …)` on `data` (a JSON object: every key of the namespace and its
    /// value, as version `from` stored it) behind the panic guard, as the host does during a
    /// swap; returns the migrated object.
    ///
    /// # Errors
    ///
    /// `data` is not an object, or the migration's error or caught panic
    /// ([`ErrorCode::Panicked`]).
    pub fn migrate(from: u32, data: Value) -> Result<Value, AbiError> {
        let Value::Object(entries) = data else {
            return Err(AbiError::new(
                ErrorCode::Invalid,
                "migration test data must be a JSON object of key → value",
            ));
        };
        let mut data = Data::new(entries.into_iter().collect::<BTreeMap<_, _>>());
        guard(|| P::migrate(from, &mut data).map_err(Error::into_abi))?;
        Ok(Value::Object(data.into_entries().into_iter().collect()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::{
        abi::ErrorCode, sdk::migrate::Data, testing::TestHarness, Context, Error, Manifest, Plugin,
        Result,
    };

    /// Data version 2: `{coins}` members become `{wallet, bank}`; `boom` makes it panic.
    struct Wallet;

    impl Plugin for Wallet {
        const DATA_VERSION: u32 = 2;

        fn manifest() -> Manifest {
            Manifest::new("wallet", "2.0.0")
        }

        fn new(_ctx: &Context) -> Result<Self> {
            Ok(Self)
        }

        fn migrate(from: u32, data: &mut Data) -> Result<()> {
            assert!(data.get_json("boom").is_none(), "boom");
            if from < 2 {
                for key in data.keys("m:") {
                    let coins = data
                        .get::<Value>(&key)?
                        .and_then(|m| m["coins"].as_u64())
                        .ok_or_else(|| Error::invalid(format!("{key} has no coins")))?;
                    data.set(&key, &json!({"wallet": coins, "bank": 0}))?;
                }
            }
            Ok(())
        }
    }

    /// Declares data version 1 and no migration.
    struct Plain;

    impl Plugin for Plain {
        const DATA_VERSION: u32 = 1;

        fn manifest() -> Manifest {
            Manifest::new("plain", "1.0.0")
        }

        fn new(_ctx: &Context) -> Result<Self> {
            Ok(Self)
        }
    }

    #[test]
    fn migrate_rewrites_every_member_and_keeps_other_keys() {
        let migrated = TestHarness::<Wallet>::migrate(
            1,
            json!({"m:1": {"coins": 5}, "m:2": {"coins": 0}, "handled": 5}),
        )
        .expect("migrates");
        assert_eq!(
            migrated,
            json!({"m:1": {"wallet": 5, "bank": 0}, "m:2": {"wallet": 0, "bank": 0}, "handled": 5})
        );
        assert_eq!(crate::sdk::manifest::<Wallet>().data_version, 2);
    }

    #[test]
    fn a_migration_error_or_panic_is_an_error_not_an_unwind() {
        let error =
            TestHarness::<Wallet>::migrate(1, json!({"m:1": {"wallet": 5}})).expect_err("no coins");
        assert!(
            error.message.contains("m:1 has no coins"),
            "{}",
            error.message
        );
        let error = TestHarness::<Wallet>::migrate(1, json!({"boom": 1})).expect_err("panics");
        assert_eq!(error.kind(), ErrorCode::Panicked);
        let error = TestHarness::<Plain>::migrate(0, json!({})).expect_err("no migrate");
        assert!(
            error.message.contains("has no `Plugin::migrate`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_module_without_a_pending_migration_starts_as_before() {
        // The harness host knows no migration operations: the SDK reads that as nothing to do.
        let mut harness = TestHarness::<Wallet>::start().expect("starts");
        harness.set_stored("m:1", json!({"coins": 1}));
        harness.reload().expect("reloads");
        assert_eq!(harness.stored("m:1"), Some(json!({"coins": 1})));
    }
}
