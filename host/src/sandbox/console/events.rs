//! What the bot does, shown: events from the simulator and messages rendered once each.

use discord_sim::{ObservedEvent, World};
use std::io::Write;
use std::time::Duration;
use tokio::io::AsyncBufRead;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use twilight_model::id::marker::{ChannelMarker, MessageMarker};
use twilight_model::id::Id;

use super::{
    render::{render_message, str_id},
    visibility::can_view,
    Clickable, Console,
};

impl<R: AsyncBufRead + Unpin, W: Write + Send> Console<'_, R, W> {
    /// Whether the current user may see `channel` (guild permissions and overwrites).
    pub(super) fn visible(&self, channel: Id<ChannelMarker>) -> bool {
        self.sim
            .with_world(|w| can_view(w, self.guild, channel, self.user))
    }

    pub(super) fn channel_name(&self, id: Id<ChannelMarker>) -> String {
        self.sim
            .with_world(|w| w.find_channel(id))
            .map_or_else(|| id.to_string(), |c| c.name.unwrap_or_else(|| "DM".into()))
    }

    /// Prints a message from the world's current state unless that exact state was printed
    /// already (`force` prints anyway). Returns whether something was printed.
    pub(super) fn show(
        &mut self,
        id: Id<MessageMarker>,
        ephemeral: bool,
        force: bool,
    ) -> std::io::Result<bool> {
        let Some(msg) = self.sim.with_world(|w| w.find_message(id)) else {
            return Ok(false);
        };
        let Ok(msg) = serde_json::to_value(&msg) else {
            return Ok(false);
        };
        let signature = format!(
            "{}{}{}{}",
            msg["content"], msg["embeds"], msg["components"], msg["flags"]
        );
        if !force && self.seen.get(&id.get()) == Some(&signature) {
            return Ok(false);
        }
        if self.seen.len() > 10_000 {
            self.seen.clear();
        }
        let updated = self.seen.insert(id.get(), signature).is_some() && !force;
        let channel = Id::new_checked(str_id(&msg["channel_id"]))
            .map_or_else(|| "?".to_owned(), |c| self.channel_name(c));
        let ephemeral = ephemeral || msg["flags"].as_u64().unwrap_or(0) & 64 != 0;
        // "(edited)" only for a message printed above: in a terminal that is what tells the
        // reader this replaces an earlier block (a deferral's answer is not news to them).
        let notes = match (updated, ephemeral) {
            (true, true) => " (edited) (only you can see this)",
            (true, false) => " (edited)",
            (false, true) => " (only you can see this)",
            (false, false) => "",
        };
        let (text, widgets) = render_message(&msg, &channel, notes);
        self.new_line()?;
        writeln!(self.out, "{text}")?;
        if !widgets.is_empty() {
            self.last = Some(Clickable {
                message: id,
                widgets,
            });
        }
        Ok(true)
    }

    /// Prints a bot message from a dispatch, if the current user can see its channel.
    pub(super) fn on_event(
        &mut self,
        ev: Result<ObservedEvent, RecvError>,
    ) -> std::io::Result<bool> {
        let ev = match ev {
            Ok(ev) => ev,
            Err(RecvError::Closed) => {
                self.events_open = false;
                self.new_line()?;
                writeln!(self.out, "(the simulator stopped)")?;
                return Ok(true);
            }
            Err(RecvError::Lagged(n)) => {
                self.new_line()?;
                writeln!(self.out, "({n} events were too many to show)")?;
                return Ok(true);
            }
        };
        if !matches!(ev.name, "MESSAGE_CREATE" | "MESSAGE_UPDATE") {
            return Ok(false);
        }
        let bot = self.sim.with_world(World::bot_user_id).get();
        let (author, channel, id) = (
            str_id(&ev.data["author"]["id"]),
            str_id(&ev.data["channel_id"]),
            str_id(&ev.data["id"]),
        );
        if author != bot || channel == 0 || id == 0 || !self.visible(Id::new(channel)) {
            return Ok(false);
        }
        self.show(Id::new(id), false, false)
    }

    /// Prints bot messages for up to `window`, stopping early once they have gone quiet.
    pub(super) async fn collect_replies(&mut self, window: Duration) -> std::io::Result<()> {
        let deadline = Instant::now() + window;
        let mut end = deadline;
        while self.events_open {
            let Ok(ev) = tokio::time::timeout_at(end, self.events.recv()).await else {
                break;
            };
            if self.on_event(ev)? {
                end = deadline.min(Instant::now() + self.timing.quiet);
            }
        }
        Ok(())
    }
}
