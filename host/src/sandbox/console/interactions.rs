//! The console user acting: slash commands, modals, buttons and select menus.

use discord_sim::InteractionHandle;
use futures_util::FutureExt;
use serde_json::Value;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use tokio::io::AsyncBufRead;
use twilight_model::id::marker::MessageMarker;
use twilight_model::id::Id;

use super::{
    render::text_inputs,
    slash::{parse_slash, Names},
    Console, Widget,
};

impl<R: AsyncBufRead + Unpin, W: Write + Send> Console<'_, R, W> {
    pub(super) async fn slash(&mut self, line: &str) -> std::io::Result<()> {
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
    pub(super) async fn follow_interaction(
        &mut self,
        mut handle: InteractionHandle,
    ) -> std::io::Result<()> {
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
    pub(super) async fn modal(
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

    pub(super) fn widget(
        &mut self,
        n: &str,
    ) -> std::io::Result<Option<(Id<MessageMarker>, Widget)>> {
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

    pub(super) async fn click(&mut self, n: &str) -> std::io::Result<()> {
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

    pub(super) async fn select(&mut self, args: &str) -> std::io::Result<()> {
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
