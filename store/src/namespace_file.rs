//! One pretty-printed JSON file per namespace, `<dir>/<namespace>.json`:
//!
//! ```json
//! {
//!   "format": "arsenal-store/1",
//!   "namespace": "economy",
//!   "last_seq": 1234,
//!   "entries": {
//!     "balance:1": { "version": 1200, "value": 90 }
//!   }
//! }
//! ```
//!
//! `last_seq` is the journal sequence number the file is complete up to: journal records for
//! this namespace with a higher number are replayed on top of it. A hand-added entry may omit
//! `version`. The store remembers each file's identity (size, mtime, CRC) so it notices edits.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::crc::crc32;
use crate::error::{StoreError, StoreErrorType};
use crate::Versioned;

pub(crate) const FORMAT: &str = "arsenal-store/1";
pub(crate) const EXTENSION: &str = ".json";

/// Check a namespace name: `[a-z0-9_.-]{1,64}`, not starting with a dot (no hidden files, no
/// `..`, no separators), so `<dir>/<name>.json` is always a plain file in the store folder.
pub fn validate_namespace(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::new(StoreErrorType::InvalidNamespace {
            name: name.to_owned(),
        }))
    }
}

/// The namespace a file name belongs to, if it is a namespace file.
pub(crate) fn namespace_of(file_name: &str) -> Option<&str> {
    let ns = file_name.strip_suffix(EXTENSION)?;
    validate_namespace(ns).ok().map(|()| ns)
}

/// What the store last wrote or read, to notice a file changed under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileIdentity {
    pub size: u64,
    pub mtime: Option<SystemTime>,
    pub crc: u32,
}

impl FileIdentity {
    pub fn of(bytes: &[u8], meta: &fs::Metadata) -> Self {
        Self {
            size: bytes.len() as u64,
            mtime: meta.modified().ok(),
            crc: crc32(bytes),
        }
    }
}

/// Has the file at `path` changed since `known` (None = the store never saw a file there)?
/// Compares size and mtime first and reads the file only when they differ, so a `touch` alone
/// is not a change.
pub(crate) fn changed_on_disk(
    path: &Path,
    known: Option<&FileIdentity>,
) -> Result<bool, StoreError> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(known.is_some()),
        Err(e) => return Err(StoreError::io(path, "read the metadata of", e)),
    };
    let Some(known) = known else { return Ok(true) };
    if meta.len() == known.size && meta.modified().ok() == known.mtime {
        return Ok(false);
    }
    let bytes = fs::read(path).map_err(|e| StoreError::io(path, "read", e))?;
    Ok(bytes.len() as u64 != known.size || crc32(&bytes) != known.crc)
}

#[derive(Deserialize)]
struct FileRepr {
    format: String,
    namespace: String,
    last_seq: u64,
    entries: BTreeMap<String, Versioned>,
}

#[derive(Serialize)]
struct FileReprRef<'a> {
    format: &'a str,
    namespace: &'a str,
    last_seq: u64,
    entries: &'a BTreeMap<String, Versioned>,
}

/// A namespace file as read from disk.
#[derive(Debug)]
pub(crate) struct NamespaceFile {
    pub entries: BTreeMap<String, Versioned>,
    pub last_seq: u64,
    pub identity: FileIdentity,
}

/// Byte offset of a serde_json error position (1-based line and column).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> u64 {
    let mut offset = 0usize;
    for _ in 1..line {
        match bytes[offset..].iter().position(|&b| b == b'\n') {
            Some(i) => offset += i + 1,
            None => return bytes.len() as u64,
        }
    }
    (offset + column.saturating_sub(1)).min(bytes.len()) as u64
}

/// Parse a namespace file's bytes. Entries without a version get `last_seq`.
pub(crate) fn parse(
    path: &Path,
    ns: &str,
    bytes: &[u8],
    meta: &fs::Metadata,
) -> Result<NamespaceFile, StoreError> {
    let repr: FileRepr = serde_json::from_slice(bytes).map_err(|e| {
        StoreError::corrupt(
            path,
            byte_offset(bytes, e.line(), e.column()),
            format!("invalid namespace JSON: {e}"),
        )
    })?;
    if repr.format != FORMAT {
        return Err(StoreError::corrupt(
            path,
            0,
            format!("unknown format {:?} (expected {FORMAT:?})", repr.format),
        ));
    }
    if repr.namespace != ns {
        return Err(StoreError::corrupt(
            path,
            0,
            format!(
                "the file says it holds namespace {:?}, but its name says {ns:?}",
                repr.namespace
            ),
        ));
    }
    let mut entries = repr.entries;
    for v in entries.values_mut() {
        if v.version == 0 {
            v.version = repr.last_seq;
        }
    }
    Ok(NamespaceFile {
        entries,
        last_seq: repr.last_seq,
        identity: FileIdentity::of(bytes, meta),
    })
}

/// Read and parse `<dir>/<ns>.json`; `Ok(None)` if there is no such file.
pub(crate) fn read(dir: &Path, ns: &str) -> Result<Option<NamespaceFile>, StoreError> {
    let path = dir.join(format!("{ns}{EXTENSION}"));
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&path, "read", e)),
    };
    let meta = fs::metadata(&path).map_err(|e| StoreError::io(&path, "read the metadata of", e))?;
    parse(&path, ns, &bytes, &meta).map(Some)
}

/// Serialise a namespace, pretty-printed, ready for a durable write.
pub(crate) fn encode(
    ns: &str,
    last_seq: u64,
    entries: &BTreeMap<String, Versioned>,
) -> Result<Vec<u8>, StoreError> {
    let mut out = serde_json::to_vec_pretty(&FileReprRef {
        format: FORMAT,
        namespace: ns,
        last_seq,
        entries,
    })
    .map_err(|e| StoreError::with_source(StoreErrorType::Encode, e))?;
    out.push(b'\n');
    Ok(out)
}
