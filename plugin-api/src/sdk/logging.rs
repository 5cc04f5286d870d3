//! Forwards the plugin's `log` records to the host, which owns the only tracing subscriber.
//!
//! Each plugin library has its own copy of the `log` crate's global logger, so installing it here
//! never touches the host's or another plugin's. The logger follows the current instance: a
//! newer instance of the same library replaces the host handle it writes to.

use std::sync::{Arc, RwLock};

use abi_stable::std_types::RStr;

use crate::abi::HostBox;

static CURRENT_HOST: RwLock<Option<Arc<HostBox>>> = RwLock::new(None);

struct HostLogger;

impl log::Log for HostLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let Ok(current) = CURRENT_HOST.read() else {
            return;
        };
        if let Some(host) = current.as_ref() {
            let message = record.args().to_string();
            host.log(
                record.level() as u8,
                RStr::from_str(record.target()),
                RStr::from_str(&message),
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: HostLogger = HostLogger;

/// Points this library's `log` output at `host`.
pub(crate) fn attach(host: &Arc<HostBox>) {
    // Fails only if already set, which is the case for every instance after the first.
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(log::LevelFilter::Trace);
    if let Ok(mut current) = CURRENT_HOST.write() {
        *current = Some(Arc::clone(host));
    }
}

/// Stops forwarding to `host` if it is still the current one (its instance is being dropped).
pub(crate) fn detach(host: &Arc<HostBox>) {
    if let Ok(mut current) = CURRENT_HOST.write() {
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, host)) {
            *current = None;
        }
    }
}
