//! RTP as Discord's `aead_aes256_gcm_rtpsize` mode carries it: the RTP header (12 bytes, the
//! CSRCs and, when the X bit is set, the 4-byte extension preamble) is authenticated but not
//! encrypted; the extension body and the Opus payload are encrypted with AES-256-GCM; the 16-byte
//! tag follows, then a 32-bit big-endian counter that is the first 4 bytes of the 12-byte nonce
//! (the rest zero). This mirrors songbird 0.6.1's `driver/crypto.rs`.

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};

/// RTP payload type Discord uses for Opus.
pub(crate) const OPUS_PAYLOAD_TYPE: u8 = 0x78;
const FIXED_HEADER: usize = 12;
const TAG_LEN: usize = 16;
const NONCE_LEN: usize = 4;

/// Why a datagram is not a usable audio packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RtpError {
    /// Shorter than its header, extension, tag and nonce.
    Truncated,
    /// Not RTP version 2.
    NotRtp,
    /// The AEAD tag did not verify (wrong key, damaged packet, wrong nonce).
    Decrypt,
    /// The padding count is larger than the payload.
    BadPadding,
}

/// The header fields the receiver records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub payload_type: u8,
    pub sequence: u16,
    pub timestamp: u32,
    pub ssrc: u32,
}

/// Reads the clear header (no decryption).
pub(crate) fn header(packet: &[u8]) -> Result<Header, RtpError> {
    if packet.len() < FIXED_HEADER {
        return Err(RtpError::Truncated);
    }
    if packet[0] >> 6 != 2 {
        return Err(RtpError::NotRtp);
    }
    Ok(Header {
        payload_type: packet[1] & 0x7f,
        sequence: u16::from_be_bytes([packet[2], packet[3]]),
        timestamp: u32::from_be_bytes([packet[4], packet[5], packet[6], packet[7]]),
        ssrc: u32::from_be_bytes([packet[8], packet[9], packet[10], packet[11]]),
    })
}

/// Whether the second byte marks RTCP (payload types 200–204 with the marker bit).
pub(crate) fn is_rtcp(packet: &[u8]) -> bool {
    packet.len() >= 2 && (200..=204).contains(&packet[1])
}

/// The authenticated-only prefix: fixed header, CSRCs, and the extension preamble if any.
/// Returns (its length, the extension body's length in bytes).
fn clear_prefix(packet: &[u8]) -> Result<(usize, usize), RtpError> {
    let csrcs = usize::from(packet[0] & 0x0f);
    let mut len = FIXED_HEADER + 4 * csrcs;
    let mut extension = 0;
    if packet[0] & 0x10 != 0 {
        if packet.len() < len + 4 {
            return Err(RtpError::Truncated);
        }
        extension = 4 * usize::from(u16::from_be_bytes([packet[len + 2], packet[len + 3]]));
        len += 4;
    }
    if packet.len() < len + extension + TAG_LEN + NONCE_LEN {
        return Err(RtpError::Truncated);
    }
    Ok((len, extension))
}

/// Decrypts an audio packet and returns its Opus payload (extension body and padding removed).
pub(crate) fn open(cipher: &Aes256Gcm, packet: &[u8]) -> Result<Vec<u8>, RtpError> {
    header(packet)?;
    let (aad_len, extension) = clear_prefix(packet)?;
    let (aad, rest) = packet.split_at(aad_len);
    let (sealed, nonce_bytes) = rest.split_at(rest.len() - NONCE_LEN);
    let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    let mut nonce = Nonce::default();
    nonce[..NONCE_LEN].copy_from_slice(nonce_bytes);
    let mut plain = ciphertext.to_vec();
    cipher
        .decrypt_in_place_detached(&nonce, aad, &mut plain, Tag::from_slice(tag))
        .map_err(|_| RtpError::Decrypt)?;
    let mut end = plain.len();
    if packet[0] & 0x20 != 0 {
        let pad = usize::from(*plain.last().ok_or(RtpError::BadPadding)?);
        end = end
            .checked_sub(pad)
            .filter(|e| *e >= extension)
            .ok_or(RtpError::BadPadding)?;
    }
    Ok(plain[extension..end].to_vec())
}

/// Builds an encrypted packet the way songbird does (no extension). For tests of the
/// receiver and of its fault paths.
#[cfg(test)]
pub(crate) fn seal(cipher: &Aes256Gcm, header: Header, counter: u32, opus: &[u8]) -> Vec<u8> {
    let mut packet = Vec::with_capacity(FIXED_HEADER + opus.len() + TAG_LEN + NONCE_LEN);
    packet.push(0x80);
    packet.push(header.payload_type);
    packet.extend_from_slice(&header.sequence.to_be_bytes());
    packet.extend_from_slice(&header.timestamp.to_be_bytes());
    packet.extend_from_slice(&header.ssrc.to_be_bytes());
    let mut body = opus.to_vec();
    let mut nonce = Nonce::default();
    nonce[..NONCE_LEN].copy_from_slice(&counter.to_be_bytes());
    // Encryption of an in-memory buffer with a valid key only fails past 64 GiB.
    if let Ok(tag) = cipher.encrypt_in_place_detached(&nonce, &packet, &mut body) {
        packet.extend_from_slice(&body);
        packet.extend_from_slice(&tag);
    }
    packet.extend_from_slice(&counter.to_be_bytes());
    packet
}

/// A cipher from a 32-byte key.
pub(crate) fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(sequence: u16) -> Header {
        Header {
            payload_type: OPUS_PAYLOAD_TYPE,
            sequence,
            timestamp: 960 * u32::from(sequence),
            ssrc: 7,
        }
    }

    #[test]
    fn a_sealed_packet_opens_to_its_payload() {
        let c = cipher(&[3; 32]);
        let packet = seal(&c, h(5), 41, b"opus bytes");
        assert_eq!(header(&packet).unwrap(), h(5));
        assert_eq!(open(&c, &packet).unwrap(), b"opus bytes");
    }

    #[test]
    fn the_wrong_key_or_a_flipped_bit_fails_to_decrypt() {
        let packet = seal(&cipher(&[3; 32]), h(5), 41, b"opus bytes");
        assert_eq!(open(&cipher(&[4; 32]), &packet), Err(RtpError::Decrypt));
        // The header is authenticated: changing the sequence number breaks the tag.
        let mut damaged = packet.clone();
        damaged[3] ^= 1;
        assert_eq!(open(&cipher(&[3; 32]), &damaged), Err(RtpError::Decrypt));
        // So is the nonce.
        let mut damaged = packet;
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(open(&cipher(&[3; 32]), &damaged), Err(RtpError::Decrypt));
    }

    #[test]
    fn the_extension_preamble_is_clear_and_its_body_is_stripped() {
        // X bit set, one 32-bit word of extension, as Discord's clients send.
        let c = cipher(&[9; 32]);
        let mut packet = vec![0x90, OPUS_PAYLOAD_TYPE, 0, 1, 0, 0, 3, 192, 0, 0, 0, 7];
        packet.extend_from_slice(&[0xbe, 0xde, 0, 1]);
        let mut body = vec![1, 2, 3, 4];
        body.extend_from_slice(b"payload");
        let mut nonce = Nonce::default();
        nonce[..4].copy_from_slice(&9u32.to_be_bytes());
        let tag = c
            .encrypt_in_place_detached(&nonce, &packet, &mut body)
            .unwrap();
        packet.extend_from_slice(&body);
        packet.extend_from_slice(&tag);
        packet.extend_from_slice(&9u32.to_be_bytes());
        assert_eq!(open(&c, &packet).unwrap(), b"payload");
    }

    #[test]
    fn short_or_foreign_datagrams_are_refused() {
        let c = cipher(&[3; 32]);
        assert_eq!(open(&c, &[0x80, 0x78, 0]), Err(RtpError::Truncated));
        assert_eq!(open(&c, &[0u8; 40]), Err(RtpError::NotRtp));
        let packet = seal(&c, h(1), 1, b"");
        assert_eq!(
            open(&c, &packet[..packet.len() - 1]),
            Err(RtpError::Truncated)
        );
    }
}
