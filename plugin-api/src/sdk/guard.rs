//! The panic guard: no panic ever unwinds across the ABI (abi_stable would abort the host).
//!
//! The guard installs one panic hook per copy of the SDK, wrapping the hook that was there.
//! Plugins built by `cargo xtask build-plugins` share one copy (the SDK runtime, see
//! host/src/plugins/runtime.rs), so they share one hook; a plugin linked with the SDK built in
//! adds its own link to the chain of hooks in the shared `std`. A hook acts only when a guard of
//! its own copy is running on this thread (the guard depth is a thread-local of that copy) and
//! passes every other panic down the chain. Inside a guard the hook records where the panic
//! happened instead of printing, and the guard turns it into an [`ErrorCode::Panicked`] error;
//! outside any guard (for example a failing assertion in a plugin's own unit tests) the original
//! hook runs as usual.

use std::{
    cell::{Cell, RefCell},
    panic::{self, AssertUnwindSafe},
    sync::Once,
};

use crate::abi::{AbiError, ErrorCode};

thread_local! {
    static IN_GUARD: Cell<u32> = const { Cell::new(0) };
    static LAST_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_GUARD.with(Cell::get) > 0 {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                LAST_LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into an error that names the panic message and location.
pub fn guard<T>(f: impl FnOnce() -> Result<T, AbiError>) -> Result<T, AbiError> {
    install_hook();
    IN_GUARD.with(|depth| depth.set(depth.get() + 1));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|depth| depth.set(depth.get().saturating_sub(1)));
    match outcome {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-text panic payload)".to_owned());
            let location = LAST_LOCATION
                .with(|slot| slot.borrow_mut().take())
                .unwrap_or_else(|| "unknown location".to_owned());
            // Dropping the payload could itself panic (a custom type); forget it instead.
            std::mem::forget(payload);
            Err(AbiError::new(
                ErrorCode::Panicked,
                format!("panicked at {location}: {message}"),
            ))
        }
    }
}
