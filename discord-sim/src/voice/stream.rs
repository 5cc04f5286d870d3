//! What the voice server received from one guild's sender: packets, sequence gaps, decrypt and
//! decode failures, when each packet arrived against its 20 ms slot, and the decoded audio.

use super::analysis::{self, FRAME, SILENCE_RMS};
use opus2::{Channels, Decoder};
use std::time::{Duration, Instant};

/// Decoded audio kept per guild: enough for any test file, bounded for long benchmarks.
const MAX_KEPT_SECONDS: usize = 120;

/// Everything received from one guild (kept after its session ends, until reset).
pub(crate) struct Stream {
    pub packets: u64,
    pub rtcp_packets: u64,
    pub keepalives: u64,
    pub gaps: u64,
    pub decrypt_failures: u64,
    pub decode_failures: u64,
    last_sequence: Option<u16>,
    /// The last RTP timestamp and its extended (unwrapped) value.
    last_timestamp: Option<(u32, i64)>,
    /// Per packet: arrival time minus the packet's RTP time, in µs. The smallest is the on-time
    /// reference; a packet later than that by more than the threshold is late.
    offsets_us: Vec<i64>,
    decoder: Option<Decoder>,
    /// Decoded audio, mono (the mean of both channels), 48 kHz, at most `MAX_KEPT_SECONDS`.
    mono: Vec<f32>,
    pub decoded_samples: u64,
    pub audible_frames: u64,
    pcm: Vec<i16>,
}

impl Stream {
    pub(crate) fn new(decode: bool) -> Self {
        // A decoder is only missing if libopus refuses 48 kHz stereo, which it never does; the
        // stream then counts every packet as a decode failure rather than failing the server.
        let decoder = decode
            .then(|| Decoder::new(48_000, Channels::Stereo).ok())
            .flatten();
        Stream {
            packets: 0,
            rtcp_packets: 0,
            keepalives: 0,
            gaps: 0,
            decrypt_failures: 0,
            decode_failures: 0,
            last_sequence: None,
            last_timestamp: None,
            offsets_us: Vec::new(),
            decoder,
            mono: Vec::new(),
            decoded_samples: 0,
            audible_frames: 0,
            pcm: vec![0; FRAME * 2 * 6],
        }
    }

    /// Records one packet's header and arrival (before decryption: a packet that fails to
    /// decrypt still arrived).
    pub(crate) fn arrived(&mut self, sequence: u16, timestamp: u32, at: Instant, epoch: Instant) {
        self.packets += 1;
        if let Some(last) = self.last_sequence {
            let step = sequence.wrapping_sub(last);
            // A step backwards (reordering or a duplicate) is not a gap.
            if step > 1 && step < 0x8000 {
                self.gaps += u64::from(step - 1);
            }
        }
        self.last_sequence = Some(sequence);
        let extended = match self.last_timestamp {
            Some((last, ext)) => ext + i64::from(timestamp.wrapping_sub(last) as i32),
            None => 0,
        };
        self.last_timestamp = Some((timestamp, extended));
        let arrival_us = i64::try_from(at.duration_since(epoch).as_micros()).unwrap_or(i64::MAX);
        self.offsets_us
            .push(arrival_us - extended * 1_000_000 / 48_000);
    }

    /// Decodes one decrypted Opus frame.
    pub(crate) fn decode(&mut self, opus: &[u8]) {
        let Some(decoder) = self.decoder.as_mut() else {
            return;
        };
        match decoder.decode(opus, &mut self.pcm, false) {
            Ok(per_channel) => {
                self.decoded_samples += per_channel as u64;
                let frame: Vec<f32> = self.pcm[..per_channel * 2]
                    .chunks_exact(2)
                    .map(|lr| (f32::from(lr[0]) + f32::from(lr[1])) / (2.0 * 32768.0))
                    .collect();
                if analysis::rms(&frame) >= SILENCE_RMS {
                    self.audible_frames += 1;
                }
                if self.mono.len() < MAX_KEPT_SECONDS * 48_000 {
                    self.mono.extend_from_slice(&frame);
                }
            }
            Err(_) => self.decode_failures += 1,
        }
    }

    /// How many packets arrived more than `threshold` after their slot.
    fn late(&self, threshold: Duration) -> (u64, Duration) {
        let Some(on_time) = self.offsets_us.iter().min() else {
            return (0, Duration::ZERO);
        };
        let limit = i64::try_from(threshold.as_micros()).unwrap_or(i64::MAX);
        let mut late = 0;
        let mut worst = 0;
        for offset in &self.offsets_us {
            let behind = offset - on_time;
            worst = worst.max(behind);
            if behind > limit {
                late += 1;
            }
        }
        (late, Duration::from_micros(worst.unsigned_abs()))
    }

    /// A snapshot for tests.
    pub(crate) fn summary(&self, late_after: Duration) -> Received {
        let (late_packets, max_lateness) = self.late(late_after);
        let audible: Vec<f32> = self
            .mono
            .chunks(FRAME)
            .filter(|f| analysis::rms(f) >= SILENCE_RMS)
            .flatten()
            .copied()
            .collect();
        Received {
            packets: self.packets,
            rtcp_packets: self.rtcp_packets,
            keepalives: self.keepalives,
            sequence_gaps: self.gaps,
            decrypt_failures: self.decrypt_failures,
            decode_failures: self.decode_failures,
            late_packets,
            late_after,
            max_lateness,
            decoded: Duration::from_micros(self.decoded_samples * 1_000_000 / 48_000),
            audible: Duration::from_millis(self.audible_frames * 20),
            rms: analysis::rms(&audible),
            dominant_hz: analysis::dominant_frequency(&audible, 48_000),
        }
    }

    /// The decoded audio (mono, 48 kHz, full scale 1.0).
    pub(crate) fn decoded_audio(&self) -> Vec<f32> {
        self.mono.clone()
    }
}

/// What the voice server received from one guild, decoded and measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    /// RTP audio packets (whether or not they decrypted).
    pub packets: u64,
    pub rtcp_packets: u64,
    /// UDP keepalives (4 bytes: the SSRC; songbird sends one every 5 s).
    pub keepalives: u64,
    /// Packets missing from the RTP sequence.
    pub sequence_gaps: u64,
    /// Packets whose AES-GCM tag did not verify with the session's key.
    pub decrypt_failures: u64,
    /// Decrypted payloads libopus refused.
    pub decode_failures: u64,
    /// Packets that arrived more than `late_after` after their 20 ms slot (the slot clock is the
    /// RTP timestamp, anchored on the earliest packet).
    pub late_packets: u64,
    pub late_after: Duration,
    /// The latest any packet arrived behind its slot.
    pub max_lateness: Duration,
    /// Decoded audio, silence included (songbird ends a track with five silent frames).
    pub decoded: Duration,
    /// Decoded 20 ms frames louder than about -50 dBFS.
    pub audible: Duration,
    /// RMS of the audible part (full scale 1.0).
    pub rms: f32,
    /// The audible part's strongest frequency (first quarter second), if any.
    pub dominant_hz: Option<f32>,
}

impl Received {
    /// Checks that this is a tone of `hz` (±`hz_tolerance`) lasting `duration` (±`tolerance`),
    /// decrypted without failure. The error lists every mismatch.
    ///
    /// # Errors
    ///
    /// A description of what differs from the expected audio.
    pub fn check_tone(
        &self,
        hz: f32,
        hz_tolerance: f32,
        duration: Duration,
        tolerance: Duration,
    ) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.packets == 0 {
            problems.push("no audio packet arrived".to_owned());
        }
        if self.decrypt_failures > 0 {
            problems.push(format!(
                "{} of {} packets failed to decrypt",
                self.decrypt_failures, self.packets
            ));
        }
        if self.decode_failures > 0 {
            problems.push(format!("{} frames failed to decode", self.decode_failures));
        }
        let off = self.audible.abs_diff(duration);
        if off > tolerance {
            problems.push(format!(
                "audible for {:?}, expected {duration:?} ± {tolerance:?}",
                self.audible
            ));
        }
        match self.dominant_hz {
            None => problems.push("the audio is silent".to_owned()),
            Some(found) if (found - hz).abs() > hz_tolerance => problems.push(format!(
                "dominant frequency {found} Hz, expected {hz} ± {hz_tolerance} Hz"
            )),
            Some(_) => {}
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_late_packets_are_counted() {
        let epoch = Instant::now();
        let mut s = Stream::new(false);
        // Sequence 1, 2, 5 (two missing), on time except the third, 50 ms behind its slot.
        s.arrived(1, 960, epoch + Duration::from_millis(20), epoch);
        s.arrived(2, 1920, epoch + Duration::from_millis(40), epoch);
        s.arrived(5, 4800, epoch + Duration::from_millis(150), epoch);
        let r = s.summary(Duration::from_millis(20));
        assert_eq!(r.packets, 3);
        assert_eq!(r.sequence_gaps, 2);
        assert_eq!(r.late_packets, 1);
        assert_eq!(r.max_lateness, Duration::from_millis(50));
        assert_eq!(s.summary(Duration::from_millis(60)).late_packets, 0);
    }

    #[test]
    fn sequence_and_timestamp_wrap_around_is_not_a_gap() {
        let epoch = Instant::now();
        let mut s = Stream::new(false);
        s.arrived(u16::MAX, u32::MAX - 959, epoch, epoch);
        s.arrived(0, 1, epoch + Duration::from_millis(20), epoch);
        let r = s.summary(Duration::from_millis(5));
        assert_eq!((r.sequence_gaps, r.late_packets), (0, 0));
    }

    #[test]
    fn opus_frames_decode_to_the_encoded_tone() {
        let mut encoder =
            opus2::Encoder::new(48_000, opus2::Channels::Stereo, opus2::Application::Audio)
                .unwrap();
        let mut s = Stream::new(true);
        let mut out = [0u8; 1500];
        for frame in 0..50 {
            let pcm: Vec<f32> = (0..FRAME)
                .flat_map(|i| {
                    let t = (frame * FRAME + i) as f32 / 48_000.0;
                    let v = 0.4 * (2.0 * std::f32::consts::PI * 440.0 * t).sin();
                    [v, v]
                })
                .collect();
            let n = encoder.encode_float(&pcm, &mut out).unwrap();
            let at = Instant::now();
            s.arrived(frame as u16, (frame * FRAME) as u32, at, at);
            s.decode(&out[..n]);
        }
        let r = s.summary(Duration::from_millis(20));
        assert_eq!(r.decoded, Duration::from_secs(1));
        r.check_tone(
            440.0,
            5.0,
            Duration::from_secs(1),
            Duration::from_millis(60),
        )
        .unwrap();
        // The same check refuses another frequency.
        assert!(r
            .check_tone(
                880.0,
                5.0,
                Duration::from_secs(1),
                Duration::from_millis(60)
            )
            .is_err());
    }
}
