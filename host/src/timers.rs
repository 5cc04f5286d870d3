//! Durable timers for plugins.
