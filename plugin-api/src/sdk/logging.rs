//! Forwards the plugin's `log` records to the host, which owns the only tracing subscriber.
//!
//! The `log` crate has one global logger per copy of it, and plugins built by `cargo xtask
//! build-plugins` share one copy (in the SDK runtime), so the logger cannot belong to a plugin.
//! Instead each entry into a plugin (constructor, call, drop) runs inside a [`Scope`] that makes
//! that instance's host handle the current one on this thread; records go to the current handle
//! and are attributed to its plugin by the host. A record written outside any scope (a thread
//! the plugin should not have started) has no plugin to speak for and is dropped.

use std::{cell::RefCell, sync::Arc};

use abi_stable::std_types::RStr;

use crate::abi::HostBox;

thread_local! {
    static CURRENT_HOST: RefCell<Option<Arc<HostBox>>> = const { RefCell::new(None) };
}

struct HostLogger;

impl log::Log for HostLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let Some(host) = CURRENT_HOST.with(|current| current.borrow().clone()) else {
            return;
        };
        let message = record.args().to_string();
        host.log(
            record.level() as u8,
            RStr::from_str(record.target()),
            RStr::from_str(&message),
        );
    }

    fn flush(&self) {}
}

static LOGGER: HostLogger = HostLogger;

/// While alive, this thread's `log` records go to one instance's host handle.
pub(crate) struct Scope {
    previous: Option<Arc<HostBox>>,
}

/// Makes `host` the handle this thread's `log` records go to until the scope is dropped.
pub(crate) fn enter(host: &Arc<HostBox>) -> Scope {
    // Fails only if already set, which is the case for every entry after the first.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(log::LevelFilter::Trace);
    let previous = CURRENT_HOST.with(|current| current.replace(Some(Arc::clone(host))));
    Scope { previous }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT_HOST.with(|current| *current.borrow_mut() = previous);
    }
}
