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

use discord_sim::{InteractionHandle, ObservedEvent, Simulator, World};
use futures_util::FutureExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, Lines};
use tokio::sync::broadcast::{error::RecvError, Receiver};
use tokio::time::Instant;
use twilight_model::channel::permission_overwrite::PermissionOverwriteType;
use twilight_model::guild::Permissions;
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

    /// Whether the current user may see `channel` (guild permissions and overwrites).
    fn visible(&self, channel: Id<ChannelMarker>) -> bool {
        self.sim
            .with_world(|w| can_view(w, self.guild, channel, self.user))
    }

    fn channel_name(&self, id: Id<ChannelMarker>) -> String {
        self.sim
            .with_world(|w| w.find_channel(id))
            .map_or_else(|| id.to_string(), |c| c.name.unwrap_or_else(|| "DM".into()))
    }

    /// Prints a message from the world's current state unless that exact state was printed
    /// already (`force` prints anyway). Returns whether something was printed.
    fn show(
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
    fn on_event(&mut self, ev: Result<ObservedEvent, RecvError>) -> std::io::Result<bool> {
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
    async fn collect_replies(&mut self, window: Duration) -> std::io::Result<()> {
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

    async fn slash(&mut self, line: &str) -> std::io::Result<()> {
        let (commands, names) = self.sim.with_world(|w| {
            let mut list: Vec<Value> = w
                .guild_commands(self.guild)
                .iter()
                .chain(&w.global_commands())
                .filter_map(|c| serde_json::to_value(c).ok())
                .collect();
            list.retain(|c| c["type"].as_u64().unwrap_or(1) == 1);
            (list, Names::from_world(w, self.guild))
        });
        let (name, options) = match parse_slash(line, &commands, &names) {
            Ok(parsed) => parsed,
            Err(e) => return writeln!(self.out, "✗ {e}"),
        };
        match self
            .sim
            .try_run_slash_command(self.user, self.channel, &name, options)
        {
            Ok(handle) => self.follow_interaction(handle).await,
            Err(e) => writeln!(self.out, "✗ {}", e.0),
        }
    }

    /// Renders what the bot did with an interaction: message, deferral, update or modal.
    async fn follow_interaction(&mut self, mut handle: InteractionHandle) -> std::io::Result<()> {
        loop {
            let Some(mut o) = handle.response(self.timing.interaction).await else {
                let secs = self.timing.interaction.as_secs_f32();
                return writeln!(self.out, "✗ The bot did not answer within {secs:.0} s (Discord shows \"The application did not respond\"). Is the module loaded? Try !module list");
            };
            match o.callback_type {
                9 => match self.modal(&handle, o.data.unwrap_or_default()).await? {
                    Some(next) => {
                        handle = next;
                        continue;
                    }
                    None => return Ok(()),
                },
                5 => {
                    let loading = |m: &twilight_model::channel::Message| {
                        m.flags.is_some_and(|f| f.bits() & 128 != 0)
                    };
                    match handle
                        .wait_until(self.timing.deferred, |o| {
                            !o.followups.is_empty()
                                || o.message.as_ref().is_some_and(|m| !loading(m))
                        })
                        .await
                    {
                        Some(done) => o = done,
                        None => writeln!(
                            self.out,
                            "… the bot is still thinking; its answer will show up here"
                        )?,
                    }
                }
                6 => writeln!(self.out, "(the bot acknowledged; the message may change)")?,
                _ => {}
            }
            let ephemeral = o.is_ephemeral();
            for id in o.message.iter().chain(&o.followups).map(|m| m.id) {
                self.show(id, ephemeral, false)?;
            }
            return self.collect_replies(self.timing.quiet).await;
        }
    }

    /// Shows a modal, asks for each text input on the next lines, and submits it.
    async fn modal(
        &mut self,
        handle: &InteractionHandle,
        modal: Value,
    ) -> std::io::Result<Option<InteractionHandle>> {
        let mut inputs = Vec::new();
        text_inputs(&modal["components"], "", &mut inputs);
        writeln!(
            self.out,
            "  ┌─ Form: {}  (type each value; :cancel to abort)",
            modal["title"].as_str().unwrap_or("")
        )?;
        let mut fields = Vec::new();
        let wanted = inputs.len();
        for (custom_id, label, required) in inputs {
            let star = if required { " *" } else { "" };
            write!(self.out, "  │ {label}{star}: ")?;
            self.out.flush()?;
            match self.lines.next_line().await? {
                Some(v) if v.trim() != ":cancel" => fields.push((custom_id, v.trim().to_owned())),
                _ => break,
            }
        }
        if fields.len() < wanted {
            writeln!(self.out, "  └─ form cancelled")?;
            return Ok(None);
        }
        writeln!(self.out, "  └─ submitted")?;
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match AssertUnwindSafe(handle.submit_modal(&pairs))
            .catch_unwind()
            .await
        {
            Ok(next) => Ok(Some(next)),
            Err(_) => writeln!(self.out, "✗ the form could not be submitted").map(|()| None),
        }
    }

    fn widget(&mut self, n: &str) -> std::io::Result<Option<(Id<MessageMarker>, Widget)>> {
        let Some(last) = &self.last else {
            writeln!(
                self.out,
                "Nothing to click yet: no message with buttons or menus has been shown"
            )?;
            return Ok(None);
        };
        let found = n
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| last.widgets.get(i));
        match found {
            Some(w) if w.disabled => writeln!(self.out, "[{n}] is disabled").map(|()| None),
            Some(w) => Ok(Some((last.message, w.clone()))),
            None => writeln!(
                self.out,
                "No component [{n}] — the last message has [1] to [{}]",
                last.widgets.len()
            )
            .map(|()| None),
        }
    }

    async fn click(&mut self, n: &str) -> std::io::Result<()> {
        let Some((message, w)) = self.widget(n)? else {
            return Ok(());
        };
        if w.kind != 2 {
            return writeln!(self.out, "[{n}] is a menu: use :select {n} VALUE");
        }
        match self.sim.try_click_button(self.user, message, &w.custom_id) {
            Ok(handle) => self.follow_interaction(handle).await,
            Err(e) => writeln!(self.out, "✗ {}", e.0),
        }
    }

    async fn select(&mut self, args: &str) -> std::io::Result<()> {
        let Some((n, picked)) = args.split_once(' ') else {
            return writeln!(self.out, "Usage: :select N value[,value]");
        };
        let Some((message, w)) = self.widget(n)? else {
            return Ok(());
        };
        if w.kind == 2 {
            return writeln!(self.out, "[{n}] is a button: use :click {n}");
        }
        let names = self
            .sim
            .with_world(|world| Names::from_world(world, self.guild));
        let mut values = Vec::new();
        for raw in picked.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let value = match w.kind {
                3 => w
                    .options
                    .iter()
                    .find(|(l, v)| l.eq_ignore_ascii_case(raw) || v == raw)
                    .map(|(_, v)| v.clone()),
                5 => names.user(raw).map(|id| id.to_string()),
                6 => names.role(raw).map(|id| id.to_string()),
                7 => names
                    .user(raw)
                    .or_else(|| names.role(raw))
                    .map(|id| id.to_string()),
                _ => names.channel(raw).map(|id| id.to_string()),
            };
            let Some(value) = value else {
                return writeln!(self.out, "✗ [{n}] has no choice {raw:?}");
            };
            values.push(value);
        }
        if values.is_empty() || values.len() as u64 > w.max_values {
            return writeln!(
                self.out,
                "✗ pick 1 to {} value(s), separated by commas",
                w.max_values
            );
        }
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        match AssertUnwindSafe(
            self.sim
                .select_menu(self.user, message, &w.custom_id, &refs),
        )
        .catch_unwind()
        .await
        {
            Ok(handle) => self.follow_interaction(handle).await,
            Err(_) => writeln!(self.out, "✗ that menu is no longer available"),
        }
    }
}

/// A snowflake from Discord JSON (a string, or a number); 0 when absent.
fn str_id(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
        .unwrap_or(0)
}

/// `[#channel] Author: content`, embeds as indented boxes, components numbered from 1.
/// `notes` ends the first line (" (edited)", " (only you can see this)").
fn render_message(msg: &Value, channel: &str, notes: &str) -> (String, Vec<Widget>) {
    let author = &msg["author"];
    let name = author["global_name"]
        .as_str()
        .or_else(|| author["username"].as_str())
        .unwrap_or("?");
    let flags = msg["flags"].as_u64().unwrap_or(0);
    let mut content = msg["content"].as_str().unwrap_or("").to_owned();
    if flags & 128 != 0 {
        content = "is thinking…".into();
    }
    let mut head = format!("[#{channel}] {name}: {}", content.replace('\n', "\n    "));
    head.push_str(notes);
    let mut lines = vec![head];
    for e in msg["embeds"].as_array().into_iter().flatten() {
        let title = [&e["author"]["name"], &e["title"]]
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(" — ");
        lines.push(format!("    ┌─ {title}"));
        if let Some(d) = e["description"].as_str() {
            lines.extend(d.lines().map(|l| format!("    │ {l}")));
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            let value = f["value"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n    │   ");
            lines.push(format!(
                "    │ {}: {value}",
                f["name"].as_str().unwrap_or("")
            ));
        }
        lines.push(
            format!("    └─ {}", e["footer"]["text"].as_str().unwrap_or(""))
                .trim_end()
                .to_owned(),
        );
    }
    for a in msg["attachments"].as_array().into_iter().flatten() {
        lines.push(format!(
            "    📎 {}",
            a["filename"].as_str().unwrap_or("file")
        ));
    }
    let mut widgets = Vec::new();
    render_components(
        msg["components"].as_array().map_or(&[][..], Vec::as_slice),
        &mut widgets,
        &mut lines,
    );
    (lines.join("\n"), widgets)
}

/// Action rows on one line each; text displays, sections and containers (components v2)
/// flattened, since a terminal has no layout to speak of.
fn render_components(list: &[Value], widgets: &mut Vec<Widget>, lines: &mut Vec<String>) {
    for c in list {
        match c["type"].as_u64().unwrap_or(0) {
            1 => {
                let row: Vec<String> = c["components"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| widget_text(c, widgets))
                    .collect();
                if !row.is_empty() {
                    lines.push(format!("    {}", row.join("  ")));
                }
            }
            10 => lines.push(format!("    {}", c["content"].as_str().unwrap_or(""))),
            2..=8 => lines.extend(widget_text(c, widgets).map(|t| format!("    {t}"))),
            _ => {
                let nested: Vec<Value> = c["components"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .chain(c.get("accessory").cloned())
                    .collect();
                render_components(&nested, widgets, lines);
            }
        }
    }
}

fn widget_text(c: &Value, widgets: &mut Vec<Widget>) -> Option<String> {
    let kind = c["type"].as_u64()?;
    let disabled = c["disabled"].as_bool().unwrap_or(false);
    let off = if disabled { " (disabled)" } else { "" };
    if kind == 2 {
        let label = c["label"]
            .as_str()
            .or_else(|| c["emoji"]["name"].as_str())
            .unwrap_or("button");
        if let Some(url) = c["url"].as_str() {
            return Some(format!("({label} ↗ {url})"));
        }
        let custom_id = c["custom_id"].as_str()?.to_owned();
        widgets.push(Widget {
            custom_id,
            kind,
            disabled,
            options: Vec::new(),
            max_values: 1,
        });
        return Some(format!("[{}] ({label}){off}", widgets.len()));
    }
    if !matches!(kind, 3 | 5..=8) {
        return None;
    }
    let options: Vec<(String, String)> = c["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["label"].as_str().unwrap_or("").to_owned(),
                o["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let choices = match kind {
        3 => options
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        5 => "(any member: @name)".into(),
        6 => "(any role: @&Name)".into(),
        7 => "(a member or a role)".into(),
        _ => "(any channel: #name)".into(),
    };
    let placeholder = c["placeholder"].as_str().unwrap_or("Choose");
    let custom_id = c["custom_id"].as_str()?.to_owned();
    let max_values = c["max_values"].as_u64().unwrap_or(1);
    widgets.push(Widget {
        custom_id,
        kind,
        disabled,
        options,
        max_values,
    });
    Some(format!(
        "[{}] ▾ {placeholder}: {choices}{off}",
        widgets.len()
    ))
}

/// A modal's text inputs as (custom_id, label, required), in order; labels come from the
/// input itself (legacy rows) or from its enclosing Label component (type 18).
fn text_inputs(v: &Value, label: &str, out: &mut Vec<(String, String, bool)>) {
    for c in v.as_array().into_iter().flatten() {
        match c["type"].as_u64() {
            Some(4) => {
                let id = c["custom_id"].as_str().unwrap_or("").to_owned();
                let l = c["label"].as_str().unwrap_or(label);
                out.push((
                    id.clone(),
                    if l.is_empty() { id } else { l.to_owned() },
                    c["required"].as_bool().unwrap_or(true),
                ));
            }
            Some(18) => text_inputs(
                &json!([c["component"]]),
                c["label"].as_str().unwrap_or(""),
                out,
            ),
            _ => text_inputs(&c["components"], label, out),
        }
    }
}

/// Guild text channels and threads, by position.
fn text_channels(w: &World, guild: Id<GuildMarker>) -> Vec<(String, Id<ChannelMarker>)> {
    use twilight_model::channel::ChannelType as T;
    w.channels(guild)
        .into_iter()
        .filter(|c| {
            matches!(
                c.kind,
                T::GuildText
                    | T::GuildAnnouncement
                    | T::PublicThread
                    | T::PrivateThread
                    | T::AnnouncementThread
            )
        })
        .map(|c| (c.name.unwrap_or_default(), c.id))
        .collect()
}

/// VIEW_CHANNEL for `user`, computed like Discord: roles, ADMINISTRATOR, then overwrites for
/// @everyone, the member's roles and the member (threads use their parent's). The guild
/// owner is not special-cased: the sim exposes no guild owner (the demo owner is an Admin).
fn can_view(
    w: &World,
    guild: Id<GuildMarker>,
    channel: Id<ChannelMarker>,
    user: Id<UserMarker>,
) -> bool {
    let Some(mut c) = w.find_channel(channel) else {
        return false;
    };
    if c.guild_id.is_none() {
        return c
            .recipients
            .unwrap_or_default()
            .iter()
            .any(|u| u.id == user);
    }
    if c.kind.is_thread() {
        if let Some(parent) = c.parent_id.and_then(|p| w.find_channel(p)) {
            c = parent;
        }
    }
    let Some(member) = w.find_member(guild, user) else {
        return false;
    };
    let mine = |id: u64| id == guild.get() || member.roles.iter().any(|r| r.get() == id);
    let mut perms = w
        .roles(guild)
        .iter()
        .filter(|r| mine(r.id.get()))
        .fold(Permissions::empty(), |p, r| p | r.permissions);
    if perms.contains(Permissions::ADMINISTRATOR) {
        return true;
    }
    let overwrites = c.permission_overwrites.unwrap_or_default();
    let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
    for o in &overwrites {
        if o.id.get() == guild.get() {
            perms = (perms - o.deny) | o.allow;
        } else if o.kind == PermissionOverwriteType::Role && mine(o.id.get()) {
            (allow, deny) = (allow | o.allow, deny | o.deny);
        }
    }
    perms = (perms - deny) | allow;
    for o in overwrites
        .iter()
        .filter(|o| o.kind == PermissionOverwriteType::Member && o.id.get() == user.get())
    {
        perms = (perms - o.deny) | o.allow;
    }
    perms.contains(Permissions::VIEW_CHANNEL)
}

/// Names the console accepts for users, channels and roles (lower-cased).
#[derive(Default)]
struct Names {
    users: Vec<(String, u64)>,
    channels: Vec<(String, u64)>,
    roles: Vec<(String, u64)>,
}

impl Names {
    fn from_world(w: &World, guild: Id<GuildMarker>) -> Self {
        let mut n = Names::default();
        for m in w.members(guild) {
            let names = [Some(m.user.name), m.user.global_name, m.nick];
            n.users.extend(
                names
                    .into_iter()
                    .flatten()
                    .map(|s| (s.to_lowercase(), m.user.id.get())),
            );
        }
        n.channels = w
            .channels(guild)
            .into_iter()
            .filter_map(|c| Some((c.name?.to_lowercase(), c.id.get())))
            .collect();
        n.roles = w
            .roles(guild)
            .into_iter()
            .map(|r| (r.name.to_lowercase(), r.id.get()))
            .collect();
        n
    }

    /// `<@id>`, `<@!id>`, a raw id, `@name` or `name`.
    fn user(&self, raw: &str) -> Option<u64> {
        let s = raw
            .trim_start_matches("<@")
            .trim_start_matches('!')
            .trim_end_matches('>');
        Self::find(&self.users, s.trim_start_matches('@'))
    }

    fn channel(&self, raw: &str) -> Option<u64> {
        let s = raw.trim_start_matches("<#").trim_end_matches('>');
        Self::find(&self.channels, s.trim_start_matches('#'))
    }

    fn role(&self, raw: &str) -> Option<u64> {
        let s = raw.trim_start_matches("<@&").trim_end_matches('>');
        Self::find(
            &self.roles,
            s.trim_start_matches("@&").trim_start_matches('@'),
        )
    }

    fn find(list: &[(String, u64)], s: &str) -> Option<u64> {
        if let Ok(id) = s.parse::<u64>() {
            return list.iter().any(|(_, i)| *i == id).then_some(id);
        }
        let s = s.to_lowercase();
        list.iter().find(|(n, _)| *n == s).map(|(_, id)| *id)
    }
}

/// Splits on whitespace, keeping "double quoted" parts (anywhere in a word) together.
fn split_words(s: &str) -> Result<Vec<String>, String> {
    let (mut words, mut cur, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    for ch in s.chars() {
        match ch {
            '"' => (quoted, started) = (!quoted, true),
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut cur));
                }
                started = false;
            }
            c => (cur.push(c), started = true).1,
        }
    }
    if quoted {
        return Err("a \" quote is not closed".into());
    }
    if started {
        words.push(cur);
    }
    Ok(words)
}

fn names_of(defs: &[&Value]) -> String {
    defs.iter()
        .filter_map(|d| d["name"].as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `/name [group] [sub] opt:value ...` → (command name, Discord options array). Bare words
/// fill options in declared order, or extend the previous text option (`reason:too much spam`).
fn parse_slash(line: &str, commands: &[Value], names: &Names) -> Result<(String, Value), String> {
    let words = split_words(line.trim_start_matches('/'))?;
    let Some(name) = words.first().map(|w| w.to_lowercase()) else {
        return Err("Type a command after /, e.g. /help".into());
    };
    let Some(command) = commands
        .iter()
        .find(|c| c["name"].as_str() == Some(name.as_str()))
    else {
        let all: Vec<&Value> = commands.iter().collect();
        return Err(if all.is_empty() {
            format!("Unknown command /{name}: no slash commands are registered yet (modules register theirs when they load; try !module list)")
        } else {
            format!(
                "Unknown command /{name}. Registered: /{}",
                names_of(&all).replace(" | ", ", /")
            )
        });
    };
    let mut defs: Vec<&Value> = command["options"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let mut path = vec![name.clone()];
    let mut rest = words.iter().skip(1).peekable();
    while defs
        .iter()
        .any(|d| matches!(d["type"].as_u64(), Some(1 | 2)))
    {
        let subs: Vec<&Value> = defs
            .iter()
            .copied()
            .filter(|d| matches!(d["type"].as_u64(), Some(1 | 2)))
            .collect();
        let word = rest.next().map(|w| w.to_lowercase());
        let Some(sub) = subs.iter().find(|d| {
            word.as_deref()
                .is_some_and(|w| d["name"].as_str() == Some(w))
        }) else {
            return Err(format!(
                "/{} needs one of: {}",
                path.join(" "),
                names_of(&subs)
            ));
        };
        path.push(sub["name"].as_str().unwrap_or("").to_owned());
        defs = sub["options"].as_array().into_iter().flatten().collect();
    }
    let mut given: Vec<(&Value, String)> = Vec::new();
    for word in rest {
        let named = word.split_once(':').and_then(|(k, v)| {
            Some((
                defs.iter()
                    .find(|d| d["name"].as_str() == Some(&k.to_lowercase()))?,
                v,
            ))
        });
        if let Some((def, value)) = named {
            if given.iter().any(|(d, _)| d["name"] == def["name"]) {
                return Err(format!(
                    "option {} is given twice",
                    def["name"].as_str().unwrap_or("")
                ));
            }
            given.push((def, value.to_owned()));
        } else if let Some((_, value)) = given
            .last_mut()
            .filter(|(d, _)| d["type"].as_u64() == Some(3))
        {
            value.push(' ');
            value.push_str(word);
        } else if let Some(def) = defs
            .iter()
            .find(|d| !given.iter().any(|(g, _)| g["name"] == d["name"]))
        {
            given.push((def, word.clone()));
        } else {
            return Err(format!(
                "/{} has no option for {word:?}; its options: {}",
                path.join(" "),
                names_of(&defs)
            ));
        }
    }
    let missing: Vec<&Value> = defs
        .iter()
        .copied()
        .filter(|d| {
            d["required"].as_bool() == Some(true)
                && !given.iter().any(|(g, _)| g["name"] == d["name"])
        })
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "/{} needs {} (write name:value)",
            path.join(" "),
            names_of(&missing)
        ));
    }
    let mut options = given.iter().map(|(d, raw)| Ok(json!({ "name": d["name"], "type": d["type"], "value": option_value(d, raw, names)? }))).collect::<Result<Vec<_>, String>>()?;
    // Wrap the leaf options in their subcommand (and group), innermost first.
    let subs: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
    for (i, sub) in subs.iter().enumerate().rev() {
        let kind = if i + 1 < subs.len() { 2 } else { 1 };
        options = vec![json!({ "name": sub, "type": kind, "options": options })];
    }
    Ok((name, Value::Array(options)))
}

/// Converts a typed word into the option's JSON value, checking choices and types.
fn option_value(def: &Value, raw: &str, names: &Names) -> Result<Value, String> {
    let name = def["name"].as_str().unwrap_or("");
    if let Some(choices) = def["choices"].as_array().filter(|c| !c.is_empty()) {
        let matches = |c: &&Value| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(raw))
                || c["value"].to_string().trim_matches('"') == raw
        };
        return choices
            .iter()
            .find(matches)
            .map(|c| c["value"].clone())
            .ok_or_else(|| {
                let list: Vec<&str> = choices.iter().filter_map(|c| c["name"].as_str()).collect();
                format!("{name} must be one of: {}", list.join(" | "))
            });
    }
    let bad = |what: &str| format!("{name} needs {what}, got {raw:?}");
    let id = |found: Option<u64>, what: &str| {
        found
            .map(|id| json!(id.to_string()))
            .ok_or_else(|| bad(what))
    };
    match def["type"].as_u64().unwrap_or(3) {
        4 => raw
            .parse::<i64>()
            .map(|n| json!(n))
            .map_err(|_| bad("a whole number")),
        10 => raw
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|n| json!(n))
            .ok_or_else(|| bad("a number")),
        5 => match raw.to_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Ok(json!(true)),
            "false" | "no" | "n" | "off" | "0" => Ok(json!(false)),
            _ => Err(bad("true or false")),
        },
        6 => id(names.user(raw), "a member (@name, see :users)"),
        7 => id(names.channel(raw), "a channel (#name, see :channels)"),
        8 => id(names.role(raw), "a role (@&Name)"),
        9 => id(
            names.user(raw).or_else(|| names.role(raw)),
            "a member or a role",
        ),
        11 => Err(format!(
            "{name} is a file upload, which the console cannot send"
        )),
        _ => Ok(json!(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use discord_sim::SimConfig;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn names() -> Names {
        let list = |v: &[(&str, u64)]| v.iter().map(|(n, i)| (n.to_string(), *i)).collect();
        Names {
            users: list(&[("bob", 11)]),
            channels: list(&[("general", 22)]),
            roles: list(&[("moderator", 33)]),
        }
    }

    fn commands() -> Vec<Value> {
        vec![
            json!({"name": "economy", "options": [
                {"type": 1, "name": "pay", "options": [
                    {"type": 6, "name": "member", "required": true},
                    {"type": 4, "name": "amount", "required": true},
                    {"type": 3, "name": "note"}]},
                {"type": 1, "name": "balance"}]}),
            json!({"name": "reload", "options": [
                {"type": 1, "name": "module", "options": [{"type": 3, "name": "name", "required": true}]}]}),
            json!({"name": "config", "options": [
                {"type": 2, "name": "log", "options": [{"type": 1, "name": "set", "options": [
                    {"type": 7, "name": "channel"}, {"type": 8, "name": "role"},
                    {"type": 5, "name": "on"}, {"type": 3, "name": "level", "choices": [{"name": "High", "value": "h"}]}]}]}]}),
        ]
    }

    #[test]
    fn slash_lines_become_typed_options() {
        let (n, c) = (names(), commands());
        let (name, opts) = parse_slash(
            "/economy pay member:@bob amount:50 note:\"for lunch\" today",
            &c,
            &n,
        )
        .unwrap();
        assert_eq!(name, "economy");
        assert_eq!(
            opts,
            json!([{"name": "pay", "type": 1, "options": [
            {"name": "member", "type": 6, "value": "11"}, {"name": "amount", "type": 4, "value": 50},
            {"name": "note", "type": 3, "value": "for lunch today"}]}])
        );
        let (_, opts) = parse_slash("/reload module economy", &c, &n).unwrap();
        assert_eq!(opts[0]["options"][0]["value"], "economy");
        let (_, opts) = parse_slash(
            "/config log set channel:#general role:@&Moderator on:yes level:high",
            &c,
            &n,
        )
        .unwrap();
        let leaf = &opts[0]["options"][0];
        assert_eq!(
            (opts[0]["type"].as_u64(), leaf["type"].as_u64()),
            (Some(2), Some(1))
        );
        let values: Vec<&Value> = leaf["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["value"])
            .collect();
        assert_eq!(
            values,
            [&json!("22"), &json!("33"), &json!(true), &json!("h")]
        );
    }

    #[test]
    fn bad_slash_lines_say_what_to_do() {
        let (n, c) = (names(), commands());
        let err = |l: &str| parse_slash(l, &c, &n).unwrap_err();
        assert!(err("/nope").contains("Registered: /economy, /reload, /config"));
        assert!(err("/nope").starts_with("Unknown command /nope"));
        assert!(parse_slash("/x", &[], &n)
            .unwrap_err()
            .contains("no slash commands are registered"));
        assert!(err("/economy").contains("needs one of: pay | balance"));
        assert!(err("/economy pay member:@bob").contains("needs amount"));
        assert!(err("/economy pay member:@zed amount:1").contains("member needs a member"));
        assert!(err("/economy pay member:@bob amount:lots").contains("a whole number"));
        assert!(err("/economy pay member:@bob amount:1 amount:2").contains("twice"));
        assert!(err("/economy balance extra").contains("has no option for \"extra\""));
        assert!(err("/config log set level:low").contains("one of: High"));
        assert!(err("/economy pay note:\"open").contains("not closed"));
        assert!(err("/").contains("Type a command"));
    }

    #[test]
    fn messages_render_embeds_and_numbered_components() {
        let msg = json!({"author": {"username": "Arsenal"}, "content": "Shop", "flags": 64, "edited_timestamp": null,
            "embeds": [{"title": "Items", "description": "Buy things", "fields": [{"name": "Sword", "value": "50"}], "footer": {"text": "page 1"}}],
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 1, "label": "Buy", "custom_id": "buy"},
                    {"type": 2, "style": 5, "label": "Docs", "url": "https://x"},
                    {"type": 2, "style": 2, "emoji": {"name": "🗑"}, "custom_id": "del", "disabled": true}]},
                {"type": 1, "components": [{"type": 3, "custom_id": "c", "placeholder": "Color",
                    "options": [{"label": "Red", "value": "r"}, {"label": "Blue", "value": "b"}]}]}]});
        let (text, widgets) = render_message(&msg, "shop", " (only you can see this)");
        let expected = "[#shop] Arsenal: Shop (only you can see this)\n    ┌─ Items\n    │ Buy things\n    │ Sword: 50\n    └─ page 1\n    [1] (Buy)  (Docs ↗ https://x)  [2] (🗑) (disabled)\n    [3] ▾ Color: Red | Blue";
        assert_eq!(text, expected);
        assert_eq!(
            widgets
                .iter()
                .map(|w| w.custom_id.as_str())
                .collect::<Vec<_>>(),
            ["buy", "del", "c"]
        );
        assert_eq!(widgets[2].options[1], ("Blue".into(), "b".into()));
        let (text, _) = render_message(
            &json!({"author": {"global_name": "A"}, "flags": 128}),
            "x",
            "",
        );
        assert_eq!(text, "[#x] A: is thinking…");
        let mut inputs = Vec::new();
        text_inputs(
            &json!([{"type": 18, "label": "Why", "component": {"type": 4, "custom_id": "why"}},
            {"type": 1, "components": [{"type": 4, "custom_id": "n", "label": "Note", "required": false}]}]),
            "",
            &mut inputs,
        );
        assert_eq!(
            inputs,
            [
                ("why".into(), "Why".into(), true),
                ("n".into(), "Note".into(), false)
            ]
        );
    }

    /// A raw HTTP/1.1 call to the sim's REST API, acting as the bot.
    async fn rest(sim: &Simulator, method: &str, path: &str, body: &Value) {
        let mut s = tokio::net::TcpStream::connect(sim.rest_addr())
            .await
            .unwrap();
        let body = body.to_string();
        let req = format!("{method} /api/v10{path} HTTP/1.1\r\nHost: sim\r\nAuthorization: Bot {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", sim.token(), body.len());
        s.write_all(req.as_bytes()).await.unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).await.unwrap();
        assert!(resp.starts_with("HTTP/1.1 2"), "{method} {path}: {resp}");
    }

    /// The test's "bot": answers the console user's actions through REST, in order, and
    /// returns the component interactions it received.
    async fn fake_bot(sim: &Simulator, mut events: Receiver<ObservedEvent>) -> Vec<Value> {
        let mut clicks = Vec::new();
        let channel = sim.world().demo_ids().unwrap().bot_commands;
        let app = sim.world().application_id();
        while let Ok(ev) = events.recv().await {
            let d = &ev.data;
            let callback = format!(
                "/interactions/{}/{}/callback",
                d["id"].as_str().unwrap_or(""),
                d["token"].as_str().unwrap_or("")
            );
            match (ev.name, d["type"].as_u64(), d["data"]["custom_id"].as_str()) {
                ("MESSAGE_CREATE", _, _) if d["content"] == "!shop" => {
                    let body = json!({"content": "Welcome", "embeds": [{"title": "Shop", "description": "Buy things",
                        "fields": [{"name": "Sword", "value": "50 coins"}], "footer": {"text": "page 1/1"}}],
                        "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Buy", "custom_id": "buy"}]},
                            {"type": 1, "components": [{"type": 3, "custom_id": "color", "placeholder": "Color",
                                "options": [{"label": "Red", "value": "red"}, {"label": "Blue", "value": "blue"}]}]}]});
                    rest(sim, "POST", &format!("/channels/{channel}/messages"), &body).await;
                }
                ("INTERACTION_CREATE", Some(3), Some("buy")) => {
                    clicks.push(ev.data.clone());
                    let modal = json!({"type": 9, "data": {"custom_id": "qty", "title": "How many?", "components": [
                        {"type": 1, "components": [{"type": 4, "custom_id": "n", "label": "Quantity", "style": 1}]}]}});
                    rest(sim, "POST", &callback, &modal).await;
                }
                ("INTERACTION_CREATE", Some(5), _) => {
                    let n = d["data"]["components"][0]["components"][0]["value"]
                        .as_str()
                        .unwrap_or("?");
                    let body = json!({"type": 4, "data": {"content": format!("Bought {n}!"), "flags": 64}});
                    rest(sim, "POST", &callback, &body).await;
                }
                ("INTERACTION_CREATE", Some(3), Some("color")) => {
                    clicks.push(ev.data.clone());
                    rest(
                        sim,
                        "POST",
                        &callback,
                        &json!({"type": 7, "data": {"content": "Color: blue"}}),
                    )
                    .await;
                }
                ("INTERACTION_CREATE", Some(2), _) => {
                    rest(sim, "POST", &callback, &json!({"type": 5})).await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    rest(
                        sim,
                        "POST",
                        &format!("/webhooks/{app}/{}", d["token"].as_str().unwrap_or("")),
                        &json!({"content": "Pong!"}),
                    )
                    .await;
                    return clicks;
                }
                _ => {}
            }
        }
        clicks
    }

    #[tokio::test]
    async fn console_renders_bot_replies_and_drives_interactions() {
        let sim = Simulator::start(SimConfig::default()).await.unwrap();
        let demo = sim.world().demo_ids().unwrap();
        let app = sim.world().application_id();
        let ping = json!([{"name": "ping", "description": "Ping", "options": [{"type": 5, "name": "loud", "description": "Shout"}]}]);
        rest(
            &sim,
            "PUT",
            &format!("/applications/{app}/guilds/{}/commands", demo.guild),
            &ping,
        )
        .await;
        let input = "!shop\n:click 1\n7\n:select 2 Blue\n/ping loud:maybe\n/ping loud:yes\n:click 9\n:user nobody\n:channel logs\n:bogus\n/nosuch\n:user bob\n:channel logs\n:users\n:channel bot-commands\n:history 2\n:quit\n";
        let timing = Timing {
            quiet: Duration::from_millis(150),
            ..TIMING
        };
        let mut out = Vec::new();
        let bot = fake_bot(&sim, sim.observe());
        let console = run_with(
            &sim,
            ConsoleOptions::default(),
            timing,
            input.as_bytes(),
            &mut out,
        );
        let (clicks, result) = tokio::time::timeout(Duration::from_secs(30), async {
            tokio::join!(bot, console)
        })
        .await
        .unwrap();
        result.unwrap();
        let out = String::from_utf8(out).unwrap();
        for expected in [
            "LOCAL SANDBOX", "set DISCORD_TOKEN", "alice #bot-commands> ",
            "[#bot-commands] Arsenal: Welcome\n    ┌─ Shop\n    │ Buy things\n    │ Sword: 50 coins\n    └─ page 1/1\n    [1] (Buy)\n    [2] ▾ Color: Red | Blue",
            "┌─ Form: How many?", "│ Quantity *: ", "Bought 7! (only you can see this)",
            "Arsenal: Color: blue (edited)", "loud needs true or false", "Arsenal: Pong!\n",
            "No component [9]", "No member \"nobody\"", "Unknown console command :bogus", "Unknown command /nosuch. Registered: /ping",
            "You are now bob.\nYou are now in #general.", "bob cannot see #logs", "  bob (Member) ← you", "[#bot-commands] Arsenal: Color: blue",
        ] {
            assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
        }
        assert_eq!(
            out.matches("Arsenal: Color: blue").count(),
            2,
            "printed once live, once by :history:\n{out}"
        );
        assert_eq!(
            clicks.len(),
            2,
            "the sim recorded the button click and the menu choice"
        );
        assert_eq!(
            (
                clicks[0]["member"]["user"]["id"].as_str(),
                clicks[1]["data"]["values"][0].as_str()
            ),
            (Some(demo.alice.to_string().as_str()), Some("blue"))
        );
        assert!(
            !out.contains("is thinking"),
            "the deferral is replaced by its follow-up:\n{out}"
        );
        sim.assert_no_violations();
    }

    #[tokio::test]
    async fn messages_arriving_while_waiting_for_input_are_printed() {
        let sim = Simulator::start(SimConfig::default()).await.unwrap();
        let demo = sim.world().demo_ids().unwrap();
        let (reader, mut writer) = tokio::io::duplex(64);
        let mut out = Vec::new();
        let user = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let timer = json!({"content": "Reminder: stand-up"});
            rest(
                &sim,
                "POST",
                &format!("/channels/{}/messages", demo.general),
                &timer,
            )
            .await;
            // #logs is hidden from bob: nothing must show.
            rest(
                &sim,
                "POST",
                &format!("/channels/{}/messages", demo.logs),
                &json!({"content": "secret"}),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            writer.write_all(b":quit\n").await.unwrap();
        };
        let options = ConsoleOptions {
            user: "bob".into(),
            channel: "#general".into(),
        };
        let console = run_with(
            &sim,
            options,
            TIMING,
            tokio::io::BufReader::new(reader),
            &mut out,
        );
        let ((), result) = tokio::join!(user, console);
        result.unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("bob #general> \n[#general] Arsenal: Reminder: stand-up\nbob #general> "),
            "{out}"
        );
        assert!(!out.contains("secret"), "{out}");
    }
}
