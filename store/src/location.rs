//! Where a store lives: a data folder (the JSON backend, the default) or a PostgreSQL URL. Parsed
//! from `store = "…"` in `arsenal.toml`, `ARSENAL_STORE_URL`, or `store copy --from/--to`.

use std::fmt;
use std::path::PathBuf;

/// A store's location. Anything starting with `postgres://` or `postgresql://` is a database;
/// anything else is a folder.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// The JSON store in this folder.
    Dir(PathBuf),
    /// The PostgreSQL store at this connection URL (libpq syntax).
    Postgres(String),
}

impl StoreLocation {
    /// Reads a folder path or a `postgres://` URL.
    pub fn parse(text: &str) -> Self {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            StoreLocation::Postgres(trimmed.to_owned())
        } else {
            StoreLocation::Dir(PathBuf::from(text))
        }
    }

    /// Whether this is the PostgreSQL backend.
    pub fn is_postgres(&self) -> bool {
        matches!(self, StoreLocation::Postgres(_))
    }
}

/// The URL without its password (for logs and messages).
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &rest[at..]
                ),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    }
}

/// Shows folders as paths and URLs without their password.
impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Dir(dir) => write!(f, "{}", dir.display()),
            StoreLocation::Postgres(url) => write!(f, "{}", redact(url)),
        }
    }
}

impl fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Dir(dir) => f.debug_tuple("Dir").field(dir).finish(),
            StoreLocation::Postgres(url) => f.debug_tuple("Postgres").field(&redact(url)).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_databases_and_passwords_never_shown() {
        let url = "postgres://bot:s3cret@db.example:5432/arsenal?sslmode=disable";
        let loc = StoreLocation::parse(url);
        assert!(loc.is_postgres());
        let shown = loc.to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(
            shown,
            "postgres://bot:***@db.example:5432/arsenal?sslmode=disable"
        );
        assert!(!format!("{loc:?}").contains("s3cret"));
        assert_eq!(
            StoreLocation::parse("data/store"),
            StoreLocation::Dir(PathBuf::from("data/store"))
        );
        assert!(StoreLocation::parse("PostgreSQL://h/db").is_postgres());
    }
}
