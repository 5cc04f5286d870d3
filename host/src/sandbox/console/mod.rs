//! The sandbox console: type as a guild member, see the bot's replies rendered readably.
//!
//! It drives the in-process Discord simulator as a scripted user. Plain lines are messages (so
//! prefix commands work), `/name ...` lines become slash-command interactions typed from the
//! registered command definitions, `:meta` lines steer the console. Bot output is read from the
//! simulator's `observe()` stream (every dispatch, regardless of intents) and from interaction
//! outcomes (ephemeral replies are never dispatched). Messages are always rendered from the
//! world's *current* state and deduplicated by content, so a message seen both as an interaction
//! outcome and as a MESSAGE_CREATE is printed once, and a stale "thinking…" event never prints
//! after the real answer.

mod events;
mod interactions;
mod render;
mod slash;
#[cfg(test)]
mod tests;
mod visibility;
mod voice;

use slash::Names;
use visibility::text_channels;

use discord_sim::{ObservedEvent, Simulator, World};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, Lines};
use tokio::sync::broadcast::{error::RecvError, Receiver};
use twilight_model::id::marker::{ChannelMarker, GuildMarker, MessageMarker, UserMarker};
use twilight_model::id::Id;

/// Who the console user is and where they type, by name.
#[derive(Clone, Debug)]
pub struct ConsoleOptions {
    /// Starting user name (`alice` in the demo world).
    pub user: String,
    /// Starting channel name (`bot-commands`).
    pub channel: String,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        Self {
            user: "alice".into(),
            channel: "bot-commands".into(),
        }
    }
}

/// How long the console waits for the bot. Tests use shorter quiet periods.
#[derive(Clone, Copy, Debug)]
struct Timing {
    /// Interaction callback (Discord itself gives up after 3 s).
    interaction: Duration,
    /// Follow-up after a deferred ("thinking…") answer.
    deferred: Duration,
    /// Bot replies after a plain message.
    replies: Duration,
    /// Once a reply arrived, how long to wait for more before prompting again.
    quiet: Duration,
}

const TIMING: Timing = Timing {
    interaction: Duration::from_secs(3),
    deferred: Duration::from_secs(15),
    replies: Duration::from_millis(1500),
    quiet: Duration::from_millis(300),
};

const HELP: &str = "\
  <text>                 post a message as the current user (e.g. `!module list`)
  /command sub opt:value run a slash command (`/economy pay member:@bob amount:50`)
  :click N               click button N of the last message with components
  :select N a[,b]        pick option(s) in select menu N
  :user NAME  :users     act as another member / list members
  :channel NAME  :channels   move to another channel / list channels
  :history [N]           last N messages of this channel (default 10)
  :voice NAME  :voice    join voice channel NAME (then /play) / leave voice
  :heard                 what the simulated voice server heard the bot play here
  :help  :quit";

/// Reads lines from `input`, writes to `output`. Returns when input ends or on `:quit`.
///
/// # Errors
///
/// Only when `input` or `output` fails; bad user input is answered on `output`.
pub async fn run(
    sim: &Simulator,
    options: ConsoleOptions,
    input: impl AsyncBufRead + Unpin,
    output: impl Write + Send,
) -> std::io::Result<()> {
    run_with(sim, options, TIMING, input, output).await
}

async fn run_with<R: AsyncBufRead + Unpin, W: Write + Send>(
    sim: &Simulator,
    options: ConsoleOptions,
    timing: Timing,
    input: R,
    mut out: W,
) -> std::io::Result<()> {
    writeln!(out, "{}", banner())?;
    let world = sim.with_world(|w| {
        w.demo_ids()
            .map(|d| d.guild)
            .or_else(|| w.guild_ids().first().copied())
    });
    let Some(guild) = world else {
        writeln!(out, "The simulated world has no guild; nothing to do.")?;
        return Ok(());
    };
    let mut c = Console {
        sim,
        events: sim.observe(),
        events_open: true,
        lines: input.lines(),
        out,
        timing,
        guild,
        user: Id::new(1),
        user_name: String::new(),
        channel: Id::new(1),
        last: None,
        seen: HashMap::new(),
        at_prompt: false,
    };
    let first_member = sim.with_world(|w| {
        w.members(guild)
            .into_iter()
            .find(|m| !m.user.bot)
            .map(|m| m.user.name)
    });
    if !c.switch_user(&options.user)? {
        c.switch_user(&first_member.unwrap_or_default())?;
    }
    if !c.switch_channel(&options.channel)? {
        let any = sim.with_world(|w| text_channels(w, guild).into_iter().next().map(|(n, _)| n));
        c.switch_channel(&any.unwrap_or_default())?;
    }
    c.main_loop().await
}

fn banner() -> String {
    "┌ Arsenal console — LOCAL SANDBOX: a simulated Discord guild \"Arsenal Sandbox\" in this \
     process; no real Discord is involved.\n\
     │ To connect to real Discord: set DISCORD_TOKEN (or `token` in the config file), then run \
     `cargo xtask run` again.\n\
     └ Type a message (try `!module list`), a /slash command, or :help."
        .to_owned()
}

/// A clickable component of a rendered message, in display order.
#[derive(Clone, Debug, PartialEq)]
struct Widget {
    custom_id: String,
    /// Component type: 2 button, 3 string select, 5 user, 6 role, 7 mentionable, 8 channel.
    kind: u64,
    disabled: bool,
    /// (label, value) of a string select.
    options: Vec<(String, String)>,
    max_values: u64,
}

/// The last message that showed components: what `:click` / `:select` refer to.
struct Clickable {
    message: Id<MessageMarker>,
    widgets: Vec<Widget>,
}

enum Next {
    Line(std::io::Result<Option<String>>),
    Event(Result<ObservedEvent, RecvError>),
}

struct Console<'a, R, W> {
    sim: &'a Simulator,
    events: Receiver<ObservedEvent>,
    events_open: bool,
    lines: Lines<R>,
    out: W,
    timing: Timing,
    guild: Id<GuildMarker>,
    user: Id<UserMarker>,
    user_name: String,
    channel: Id<ChannelMarker>,
    last: Option<Clickable>,
    /// Message id → what was last printed for it.
    seen: HashMap<u64, String>,
    /// The prompt is printed and nothing followed it yet.
    at_prompt: bool,
}

impl<R: AsyncBufRead + Unpin, W: Write + Send> Console<'_, R, W> {
    async fn main_loop(&mut self) -> std::io::Result<()> {
        loop {
            self.prompt()?;
            // Wait for a line while still printing what the bot posts meanwhile (timers...).
            let line = loop {
                let next = tokio::select! {
                    ev = self.events.recv(), if self.events_open => Next::Event(ev),
                    line = self.lines.next_line() => Next::Line(line),
                };
                match next {
                    Next::Line(line) => {
                        // The terminal echoed the user's newline.
                        self.at_prompt = false;
                        break line?;
                    }
                    Next::Event(ev) => {
                        if self.on_event(ev)? {
                            self.prompt()?;
                        }
                    }
                }
            };
            let Some(line) = line else {
                writeln!(self.out)?;
                return Ok(());
            };
            if !self.handle(line.trim()).await? {
                return Ok(());
            }
        }
    }

    fn prompt(&mut self) -> std::io::Result<()> {
        let channel = self.channel_name(self.channel);
        write!(self.out, "{} #{channel}> ", self.user_name)?;
        self.at_prompt = true;
        self.out.flush()
    }

    /// Ends a pending prompt line before printing something that arrived while it waited.
    fn new_line(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.at_prompt) {
            writeln!(self.out)?;
        }
        Ok(())
    }

    /// One input line; `false` ends the console.
    async fn handle(&mut self, line: &str) -> std::io::Result<bool> {
        if line.is_empty() {
            return Ok(true);
        }
        if let Some(meta) = line.strip_prefix(':') {
            return self.meta(meta).await;
        }
        if line.starts_with('/') {
            self.slash(line).await?;
            return Ok(true);
        }
        match self.sim.try_send_message(self.user, self.channel, line) {
            Ok(_) => self.collect_replies(self.timing.replies).await?,
            Err(e) => writeln!(self.out, "✗ {} — try :channels or :user", e.0)?,
        }
        Ok(true)
    }

    async fn meta(&mut self, meta: &str) -> std::io::Result<bool> {
        let (cmd, arg) = meta
            .split_once(' ')
            .map_or((meta, ""), |(c, a)| (c, a.trim()));
        match (cmd, arg) {
            ("quit" | "q" | "exit", _) => return Ok(false),
            ("help" | "h", _) => writeln!(self.out, "{HELP}")?,
            ("user", "") => writeln!(self.out, "Usage: :user NAME (see :users)")?,
            ("user", name) => {
                // The new user may not see where the old one was: move somewhere they can.
                if self.switch_user(name)? && !self.visible(self.channel) {
                    let list = self.sim.with_world(|w| text_channels(w, self.guild));
                    let here = list.into_iter().find(|(_, id)| self.visible(*id));
                    if let Some((name, _)) = here {
                        self.switch_channel(&name)?;
                    }
                }
            }
            ("channel", "") => writeln!(self.out, "Usage: :channel NAME (see :channels)")?,
            ("channel", name) => {
                self.switch_channel(name)?;
            }
            ("users", _) => self.list_users()?,
            ("channels", _) => {
                let list = self.sim.with_world(|w| text_channels(w, self.guild));
                for (name, id) in list {
                    let mark = if id == self.channel {
                        " ← you are here"
                    } else {
                        ""
                    };
                    let seen = if self.visible(id) {
                        ""
                    } else {
                        " (hidden from you)"
                    };
                    writeln!(self.out, "  #{name}{seen}{mark}")?;
                }
            }
            ("history", n) => match if n.is_empty() {
                Ok(10)
            } else {
                n.parse::<usize>()
            } {
                Ok(n) => self.history(n)?,
                Err(_) => writeln!(self.out, "Usage: :history [N], N a number of messages")?,
            },
            ("voice", name) => self.voice(name).await?,
            ("heard", _) => self.heard()?,
            ("click", n) => self.click(n).await?,
            ("select", args) => self.select(args).await?,
            _ => writeln!(self.out, "Unknown console command :{cmd} — type :help")?,
        }
        Ok(true)
    }

    fn switch_user(&mut self, name: &str) -> std::io::Result<bool> {
        let names = self.sim.with_world(|w| Names::from_world(w, self.guild));
        match names.user(name) {
            Some(id) if id != self.sim.with_world(World::bot_user_id).get() => {
                self.user = Id::new(id);
                self.user_name = self
                    .sim
                    .with_world(|w| w.find_user(self.user).map(|u| u.name))
                    .unwrap_or_default();
                writeln!(self.out, "You are now {}.", self.user_name)?;
                Ok(true)
            }
            Some(_) => writeln!(
                self.out,
                "You cannot act as the bot — pick a member from :users"
            )
            .map(|()| false),
            None => writeln!(self.out, "No member {name:?} — pick one from :users").map(|()| false),
        }
    }

    fn switch_channel(&mut self, name: &str) -> std::io::Result<bool> {
        let names = self.sim.with_world(|w| Names::from_world(w, self.guild));
        let Some(id) = names.channel(name).map(Id::new) else {
            writeln!(self.out, "No channel {name:?} — pick one from :channels")?;
            return Ok(false);
        };
        if !self.visible(id) {
            writeln!(
                self.out,
                "{} cannot see #{} — try :user with a moderator",
                self.user_name,
                self.channel_name(id)
            )?;
            return Ok(false);
        }
        self.channel = id;
        writeln!(self.out, "You are now in #{}.", self.channel_name(id))?;
        Ok(true)
    }

    fn list_users(&mut self) -> std::io::Result<()> {
        let rows = self.sim.with_world(|w| {
            let roles = w.roles(self.guild);
            w.members(self.guild)
                .into_iter()
                .map(|m| {
                    let r: Vec<&str> = roles
                        .iter()
                        .filter(|r| m.roles.contains(&r.id))
                        .map(|r| r.name.as_str())
                        .collect();
                    (m.user.id, m.user.name, m.user.bot, r.join(", "))
                })
                .collect::<Vec<_>>()
        });
        for (id, name, bot, roles) in rows {
            let you = if id == self.user { " ← you" } else { "" };
            let bot = if bot { " [bot]" } else { "" };
            writeln!(self.out, "  {name}{bot} ({roles}){you}")?;
        }
        Ok(())
    }

    fn history(&mut self, n: usize) -> std::io::Result<()> {
        let messages = self.sim.with_world(|w| w.messages(self.channel));
        if messages.is_empty() {
            writeln!(
                self.out,
                "(no messages in #{} yet)",
                self.channel_name(self.channel)
            )?;
        }
        for m in messages.iter().skip(messages.len().saturating_sub(n)) {
            self.show(m.id, false, true)?;
        }
        Ok(())
    }
}
