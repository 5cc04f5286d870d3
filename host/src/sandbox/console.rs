//! The sandbox console: type as a guild member, see the bot's replies rendered readably.
