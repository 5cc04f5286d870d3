//! What decoded audio sounds like, in numbers a test can assert: loudness (RMS), how much of it
//! is audible, and its dominant frequency (a Goertzel scan, coarse then fine).

/// 20 ms at 48 kHz: the frame a Discord voice packet carries.
pub(crate) const FRAME: usize = 960;
/// A 20 ms frame quieter than this RMS (full scale 1.0, about -50 dBFS) counts as silence.
pub(crate) const SILENCE_RMS: f32 = 0.003;

/// Root mean square of `samples` (full scale 1.0); 0 for no samples.
pub(crate) fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples.iter().map(|s| f64::from(*s) * f64::from(*s)).sum();
    (sum / samples.len() as f64).sqrt() as f32
}

/// Power of `frequency` in `samples` (Goertzel), normalised by length.
fn power_at(samples: &[f32], frequency: f32, rate: f32) -> f64 {
    let w = 2.0 * std::f64::consts::PI * f64::from(frequency) / f64::from(rate);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for x in samples {
        let s0 = f64::from(*x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    (s1 * s1 + s2 * s2 - coeff * s1 * s2) / samples.len().max(1) as f64
}

/// The strongest frequency between 40 Hz and 4 kHz (1 Hz resolution), or `None` for silence.
/// At most a quarter second of `samples` (mono, `rate` Hz) is scanned.
pub(crate) fn dominant_frequency(samples: &[f32], rate: u32) -> Option<f32> {
    let window = &samples[..samples.len().min(rate as usize / 4)];
    if window.len() < 256 || rms(window) < SILENCE_RMS {
        return None;
    }
    let rate = rate as f32;
    let best = |from: f32, to: f32, step: f32| {
        let mut best = (from, f64::MIN);
        let mut f = from;
        while f <= to {
            let p = power_at(window, f, rate);
            if p > best.1 {
                best = (f, p);
            }
            f += step;
        }
        best.0
    };
    let coarse = best(40.0, 4000.0, 10.0);
    Some(best((coarse - 10.0).max(20.0), coarse + 10.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f32, seconds: f32, amplitude: f32) -> Vec<f32> {
        (0..(48_000.0 * seconds) as usize)
            .map(|i| amplitude * (2.0 * std::f32::consts::PI * hz * i as f32 / 48_000.0).sin())
            .collect()
    }

    #[test]
    fn a_tone_is_found_at_its_frequency() {
        for hz in [110.0, 440.0, 1000.0, 2500.0] {
            let found = dominant_frequency(&tone(hz, 0.5, 0.3), 48_000).unwrap();
            assert!((found - hz).abs() <= 2.0, "{hz} Hz found at {found}");
        }
    }

    #[test]
    fn silence_has_no_frequency_and_no_loudness() {
        assert_eq!(dominant_frequency(&vec![0.0; 24_000], 48_000), None);
        assert_eq!(rms(&[0.0; 960]), 0.0);
        let r = rms(&tone(440.0, 0.1, 0.5));
        assert!((r - 0.5 / 2f32.sqrt()).abs() < 0.01, "{r}");
    }
}
