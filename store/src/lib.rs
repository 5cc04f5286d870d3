#![doc = include_str!("../README.md")]

mod admin;
mod check;
mod compaction;
mod copy;
mod crc;
mod durable;
mod error;
mod failed;
mod fault;
mod group_commit;
mod handle;
mod journal;
mod location;
mod lock;
mod namespace_file;
mod observer;
mod postgres;
mod recovery;
mod store;
mod types;

pub use check::{check, repair, CheckReport, Finding, RepairReport};
pub use copy::{copy, copy_between, CopyReport};
pub use durable::write_file_durably;
pub use error::{StoreError, StoreErrorType};
pub use fault::{FaultInjector, FaultOp};
pub use handle::{BackendKind, Store};
pub use location::StoreLocation;
pub use namespace_file::validate_namespace;
pub use observer::{CommitBatch, CommitObserver};
pub use postgres::{check_postgres, IdentifyTurns, PgCheckReport, TestSchema};
pub use store::StoreOptions;
pub use types::{
    ClaimOutcome, CommitOutcome, CompactReport, Health, NamespaceReload, NamespaceStatus,
    ReloadReport, Transaction, Versioned,
};

static_assertions_like::assert_send_sync!();

mod static_assertions_like {
    //! Compile-time proof that the handle types cross threads (without a dependency).
    macro_rules! assert_send_sync {
        () => {
            const _: fn() = || {
                fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
                check::<crate::Store>();
                fn check_err<T: Send + Sync + std::error::Error + 'static>() {}
                check_err::<crate::StoreError>();
            };
        };
    }
    pub(crate) use assert_send_sync;
}
