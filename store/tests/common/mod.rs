//! The store suites' backends: each API test runs once on a JSON folder and once on PostgreSQL
//! (a fresh schema per test, dropped after it). PostgreSQL is found through
//! `ARSENAL_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`); when it cannot be
//! reached the PostgreSQL tests fail and say how to start it: they are never skipped.

// Test helpers unwrap freely: a failure there is a test failure.
#![allow(clippy::unwrap_used, dead_code)]

use arsenal_store::{Store, StoreLocation, StoreOptions, TestSchema};

/// Where a test's store lives; `open` may be called again to reopen it (a restart).
pub struct Backend {
    pub location: StoreLocation,
    _dir: Option<tempfile::TempDir>,
    pub schema: Option<TestSchema>,
}

impl Backend {
    pub fn json() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            location: StoreLocation::Dir(dir.path().to_path_buf()),
            _dir: Some(dir),
            schema: None,
        }
    }

    pub fn postgres() -> Self {
        let schema = TestSchema::create_or_explain();
        Self {
            location: StoreLocation::Postgres(schema.url().to_owned()),
            _dir: None,
            schema: Some(schema),
        }
    }

    pub fn open(&self) -> Store {
        self.open_with(StoreOptions::default())
    }

    pub fn open_with(&self, options: StoreOptions) -> Store {
        Store::open_location(&self.location, options).unwrap()
    }
}

/// `both_backends!(body, ...)`: for each `fn body(&Backend)`, a module `body` with the tests
/// `json` and `postgres`.
#[allow(unused_macros)] // tests/postgres.rs has no test that runs on both
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn json() {
                    super::$name(&$crate::common::Backend::json());
                }
                #[test]
                fn postgres() {
                    super::$name(&$crate::common::Backend::postgres());
                }
            }
        )*
    };
}
