#![doc = include_str!("../README.md")]

mod api_error;
mod clock;
mod faults;
mod gateway;
mod interaction;
mod openapi;
mod record;
mod rest;
mod script;
mod sim;
pub mod voice;
pub mod world;

pub use api_error::ApiError;
pub use faults::Faults;
pub use gateway::{ObservedEvent, ShardStats};
pub use interaction::{InteractionHandle, InteractionOutcome};
pub use record::{RecordedRequest, Violation};
pub use script::ScriptError;
pub use sim::{SimConfig, Simulator};
pub use world::{CommandStats, DemoIds, World};

pub(crate) use sim::Shared;

/// Locks a mutex, recovering from poisoning: a panicking test thread must not take the
/// simulator's servers down with it.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    /// Tests hand these across tasks and threads.
    #[test]
    fn public_handles_are_send_and_sync() {
        fn check<T: Send + Sync + std::fmt::Debug>() {}
        check::<crate::Simulator>();
        check::<crate::InteractionHandle>();
        check::<crate::World>();
        check::<crate::Violation>();
        check::<crate::RecordedRequest>();
        check::<crate::voice::VoiceHandle>();
        check::<crate::voice::Received>();
    }
}
