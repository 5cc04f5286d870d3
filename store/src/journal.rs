//! The journal's on-disk format: segment files of checksummed frames, each frame holding the
//! records of one group commit, each record one JSON line.
//!
//! ```text
//! journal-00000000000000000042.log      (42 = first sequence number the segment may hold)
//! @ 0000004f 9a3c11d2\n                 frame header: payload length, CRC-32 of the payload (hex)
//! {"seq":42,"ns":"economy","ops":[{"set":"bal:1","value":90},{"set":"bal:2","value":110}]}\n
//! ```
//!
//! A frame is the unit of durability: it is written by one `pwrite` and made durable by one
//! `fdatasync`, and nothing in it is acknowledged before that. So a crash can only damage the
//! last frame, and recovery drops a damaged frame only when no valid frame follows it.
//!
//! A segment may end in zero bytes: space the writer preallocated so that frames overwrite
//! allocated blocks (an `fdatasync` then has no file size or block map to commit). Zeros from
//! a frame boundary to the end of the file are that, not damage; the next frame overwrites them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crc::crc32;

pub(crate) const HEADER_LEN: usize = 20;
const SEGMENT_PREFIX: &str = "journal-";
const SEGMENT_SUFFIX: &str = ".log";

/// One atomic change to one namespace.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Record {
    pub seq: u64,
    pub ns: String,
    pub ops: Vec<Op>,
}

/// `{"set":"key","value":...}` or `{"del":"key"}`. Plain optional fields (not an untagged
/// enum) so serde decodes them without buffering.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Op {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub del: Option<String>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
}

impl Op {
    pub fn set(key: String, value: Value) -> Self {
        Self {
            set: Some(key),
            del: None,
            value,
        }
    }
    pub fn delete(key: String) -> Self {
        Self {
            set: None,
            del: Some(key),
            value: Value::Null,
        }
    }
    /// The key, and the new value (`None` = delete). `None` overall for a malformed op.
    pub fn parts(self) -> Option<(String, Option<Value>)> {
        match (self.set, self.del) {
            (Some(k), None) => Some((k, Some(self.value))),
            (None, Some(k)) => Some((k, None)),
            _ => None,
        }
    }
}

/// Encode a record line (with trailing newline) into `out`. `ops_json` is the pre-encoded ops
/// array, built outside the store lock.
pub(crate) fn encode_record(out: &mut Vec<u8>, seq: u64, ns: &str, ops_json: &[u8]) {
    out.extend_from_slice(b"{\"seq\":");
    out.extend_from_slice(seq.to_string().as_bytes());
    out.extend_from_slice(b",\"ns\":\"");
    // Namespace names are validated to [a-z0-9_.-]: no escaping needed.
    out.extend_from_slice(ns.as_bytes());
    out.extend_from_slice(b"\",\"ops\":");
    out.extend_from_slice(ops_json);
    out.extend_from_slice(b"}\n");
}

/// Fill the 20 header bytes reserved at the start of `frame` for the payload after them.
pub(crate) fn seal_frame(frame: &mut [u8]) {
    let (header, payload) = frame.split_at_mut(HEADER_LEN);
    let text = format!("@ {:08x} {:08x}\n", payload.len(), crc32(payload));
    header.copy_from_slice(text.as_bytes());
}

pub(crate) fn segment_name(start_seq: u64) -> String {
    format!("{SEGMENT_PREFIX}{start_seq:020}{SEGMENT_SUFFIX}")
}

/// The start sequence number of a segment file name, if it is one.
pub(crate) fn parse_segment_name(name: &str) -> Option<u64> {
    let digits = name
        .strip_prefix(SEGMENT_PREFIX)?
        .strip_suffix(SEGMENT_SUFFIX)?;
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// How a segment ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SegmentEnd {
    /// Every byte belongs to a valid frame.
    Clean,
    /// The bytes from `offset` on are an incomplete or damaged last frame (a crash mid-write)
    /// with no valid frame after it.
    Torn { offset: u64, reason: String },
    /// Damage at `offset` with valid frames after it, or a checksummed frame that does not
    /// decode: not something a crash produces.
    Corrupt { offset: u64, reason: String },
}

/// Result of scanning one segment.
#[derive(Debug)]
pub(crate) struct SegmentScan {
    /// Length of the valid prefix (all complete, valid frames).
    pub valid_len: u64,
    pub records: u64,
    pub end: SegmentEnd,
}

/// Parse the frame at `offset`: `Ok(end offset)` or why it is not a valid frame.
fn check_frame(bytes: &[u8], offset: usize) -> Result<usize, String> {
    let rest = &bytes[offset..];
    if rest.len() < HEADER_LEN {
        return Err(format!(
            "incomplete frame header ({} of {HEADER_LEN} bytes)",
            rest.len()
        ));
    }
    let header = &rest[..HEADER_LEN];
    let parse_hex = |b: &[u8]| {
        std::str::from_utf8(b)
            .ok()
            .and_then(|s| u32::from_str_radix(s, 16).ok())
    };
    let (len, crc) = match (
        &header[..2] == b"@ " && header[10] == b' ' && header[19] == b'\n',
        parse_hex(&header[2..10]),
        parse_hex(&header[11..19]),
    ) {
        (true, Some(len), Some(crc)) => (len as usize, crc),
        _ => return Err("not a frame header".to_owned()),
    };
    let Some(payload) = rest.get(HEADER_LEN..HEADER_LEN + len) else {
        return Err(format!(
            "frame of {len} bytes runs past the end of the file"
        ));
    };
    if crc32(payload) != crc {
        return Err("checksum mismatch".to_owned());
    }
    Ok(offset + HEADER_LEN + len)
}

/// Is there a valid frame starting anywhere after `offset`? Distinguishes a torn tail (no)
/// from damage in the middle (yes).
fn valid_frame_after(bytes: &[u8], offset: usize) -> bool {
    let mut pos = offset + 1;
    while pos < bytes.len() {
        match bytes[pos..].iter().position(|&b| b == b'@') {
            Some(i) => {
                if check_frame(bytes, pos + i).is_ok() {
                    return true;
                }
                pos += i + 1;
            }
            None => return false,
        }
    }
    false
}

/// Scan a whole segment, handing each record of each valid frame to `on_record` in order.
/// `on_record` returning `Err(reason)` marks the segment corrupt at that frame.
pub(crate) fn scan_segment(
    bytes: &[u8],
    mut on_record: impl FnMut(Record) -> Result<(), String>,
) -> SegmentScan {
    let mut offset = 0usize;
    let mut records = 0u64;
    while offset < bytes.len() {
        if bytes[offset..].iter().all(|&b| b == 0) {
            // Preallocated space: the segment ends here.
            break;
        }
        let end = match check_frame(bytes, offset) {
            Ok(end) => end,
            Err(reason) => {
                let end = if valid_frame_after(bytes, offset) {
                    SegmentEnd::Corrupt {
                        offset: offset as u64,
                        reason,
                    }
                } else {
                    SegmentEnd::Torn {
                        offset: offset as u64,
                        reason,
                    }
                };
                return SegmentScan {
                    valid_len: offset as u64,
                    records,
                    end,
                };
            }
        };
        let payload = &bytes[offset + HEADER_LEN..end];
        for line in payload.split_inclusive(|&b| b == b'\n') {
            let decoded = match line.strip_suffix(b"\n") {
                Some(json) => serde_json::from_slice::<Record>(json)
                    .map_err(|e| format!("record does not decode: {e}")),
                None => Err("record line without newline".to_owned()),
            };
            if let Err(reason) = decoded.and_then(&mut on_record) {
                return SegmentScan {
                    valid_len: offset as u64,
                    records,
                    end: SegmentEnd::Corrupt {
                        offset: offset as u64,
                        reason,
                    },
                };
            }
            records += 1;
        }
        offset = end;
    }
    SegmentScan {
        valid_len: offset as u64,
        records,
        end: SegmentEnd::Clean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(lines: &[&str]) -> Vec<u8> {
        let mut f = vec![0u8; HEADER_LEN];
        for l in lines {
            f.extend_from_slice(l.as_bytes());
            f.push(b'\n');
        }
        seal_frame(&mut f);
        f
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(parse_segment_name(&segment_name(42)), Some(42));
        assert_eq!(parse_segment_name("journal-1.log"), None);
    }

    #[test]
    fn torn_versus_corrupt() {
        let a = frame(&[r#"{"seq":1,"ns":"a","ops":[{"set":"k","value":1}]}"#]);
        let b = frame(&[r#"{"seq":2,"ns":"a","ops":[{"del":"k"}]}"#]);
        let mut all = [a.clone(), b.clone()].concat();
        let scan = scan_segment(&all, |_| Ok(()));
        assert_eq!(scan.end, SegmentEnd::Clean);
        assert_eq!(scan.records, 2);
        // A zero tail is preallocated space (or a crash after the size grew but before the
        // data landed, which is the same thing): the segment ends cleanly before it.
        all.extend_from_slice(&[0u8; 100]);
        let scan = scan_segment(&all, |_| Ok(()));
        assert_eq!(scan.end, SegmentEnd::Clean);
        assert_eq!(scan.valid_len as usize, a.len() + b.len());
        assert_eq!(scan.records, 2);
        // A frame cut short by a crash while overwriting that space: torn, from its start.
        let mut torn = [a.clone(), b.clone()].concat();
        torn.extend_from_slice(&b[..b.len() / 2]);
        torn.extend_from_slice(&[0u8; 100]);
        assert!(
            matches!(scan_segment(&torn, |_| Ok(())).end, SegmentEnd::Torn { offset, .. } if offset as usize == a.len() + b.len())
        );
        // Damage in the first frame with a valid one after it.
        let mut bad = [a.clone(), b].concat();
        bad[HEADER_LEN + 3] ^= 0x20;
        assert!(matches!(
            scan_segment(&bad, |_| Ok(())).end,
            SegmentEnd::Corrupt { offset: 0, .. }
        ));
    }
}
