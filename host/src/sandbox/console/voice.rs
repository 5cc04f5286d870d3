//! `:voice` and `:heard`: the console user joins or leaves a voice channel (so `/play` has
//! somewhere to join them), and what the simulator's voice server heard the bot play there.

use std::io::Write;

use tokio::io::AsyncBufRead;
use twilight_model::{channel::ChannelType, id::Id};

use super::Console;

impl<R: AsyncBufRead + Unpin, W: Write + Send> Console<'_, R, W> {
    /// `:voice NAME` joins voice channel NAME; `:voice` alone leaves.
    pub(super) async fn voice(&mut self, name: &str) -> std::io::Result<()> {
        if name.is_empty() {
            return match self.sim.try_leave_voice(self.user, self.guild) {
                Ok(()) => writeln!(self.out, "{} left voice.", self.user_name),
                Err(e) => writeln!(self.out, "✗ {}", e.0),
            };
        }
        let wanted = name.trim_start_matches('#');
        let channels = self.sim.with_world(|w| {
            w.channels(self.guild)
                .into_iter()
                .filter(|c| c.kind == ChannelType::GuildVoice)
                .map(|c| (c.name.unwrap_or_default(), c.id))
                .collect::<Vec<_>>()
        });
        let Some((found, id)) = channels
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(wanted))
        else {
            let names: Vec<&str> = channels.iter().map(|(n, _)| n.as_str()).collect();
            return writeln!(
                self.out,
                "No voice channel {wanted:?} — the voice channels are: {}",
                names.join(", ")
            );
        };
        match self.sim.try_join_voice(self.user, *id).await {
            Ok(()) => writeln!(
                self.out,
                "{} is in 🔊 {found}. Try `/play query:file:tone.wav`, then :heard.",
                self.user_name
            ),
            Err(e) => writeln!(self.out, "✗ {}", e.0),
        }
    }

    /// `:heard`: what the simulator's voice server received from the bot in this guild.
    pub(super) fn heard(&mut self) -> std::io::Result<()> {
        let guild = Id::new(self.guild.get());
        let Some(received) = self.sim.voice().received(guild) else {
            return writeln!(
                self.out,
                "The bot has sent no audio in this server yet (join with :voice NAME, then /play)."
            );
        };
        let tone = received
            .dominant_hz
            .map_or_else(|| "no tone".to_owned(), |hz| format!("mostly {hz:.0} Hz"));
        writeln!(
            self.out,
            "🔊 heard {:.1} s of audio ({} packets decrypted and decoded, {tone}, {} lost, {} late)",
            received.audible.as_secs_f64(),
            received.packets,
            received.sequence_gaps,
            received.late_packets
        )
    }
}
