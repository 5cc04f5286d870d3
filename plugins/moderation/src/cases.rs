//! Case numbers, the mod-log and member DMs: every action becomes a numbered case (per guild,
//! never reused), is posted to the mod-log channel as an embed and is told to the member.

use arsenal_plugin_api::{
    i18n::Tr,
    model::{
        channel::message::{embed::EmbedField, Embed},
        id::{
            marker::{GuildMarker, UserMarker},
            Id,
        },
        util::Timestamp,
    },
    protocol::DiscordRequest,
    tr, Context, Reply, Result,
};

use crate::{
    duration, guild,
    model::{self, Case, CaseCounter, CaseKind, GuildConfig, MemberRecord},
};

/// A case about to be opened.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub kind: CaseKind,
    pub user: Option<Id<UserMarker>>,
    pub moderator: Id<UserMarker>,
    pub reason: Option<String>,
    pub duration_secs: Option<u64>,
    pub points: Option<u32>,
    pub count: Option<u32>,
    pub automatic: bool,
}

impl NewCase {
    /// A case of `kind` about `user` by `moderator`.
    #[must_use]
    pub fn new(kind: CaseKind, user: Id<UserMarker>, moderator: Id<UserMarker>) -> Self {
        Self {
            kind,
            user: Some(user),
            moderator,
            reason: None,
            duration_secs: None,
            points: None,
            count: None,
            automatic: false,
        }
    }

    #[must_use]
    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    #[must_use]
    pub fn duration(mut self, secs: Option<u64>) -> Self {
        self.duration_secs = secs;
        self
    }

    #[must_use]
    pub fn automatic(mut self) -> Self {
        self.automatic = true;
        self
    }
}

/// Opens a case: takes the next number and stores the case and the member's history in one
/// transaction; `also` may change the member's record in the same transaction (a warning).
///
/// # Errors
///
/// The store failed; nothing was written then.
pub fn open(
    ctx: &Context,
    guild: Id<GuildMarker>,
    new: &NewCase,
    now_ms: u64,
    mut also: impl FnMut(&mut MemberRecord, &Case),
) -> Result<Case> {
    ctx.store().transaction(|txn| {
        let counter_key = model::counter_key(guild);
        let counter: CaseCounter = txn
            .get::<CaseCounter>(&counter_key)?
            .map(|c| model::check(&counter_key, c))
            .transpose()?
            .unwrap_or_default();
        let number = counter.last + 1;
        let case = Case {
            v: model::VERSION,
            number,
            kind: new.kind,
            user: new.user,
            moderator: new.moderator,
            reason: new.reason.clone(),
            created_ms: now_ms,
            duration_secs: new.duration_secs,
            points: new.points,
            count: new.count,
            automatic: new.automatic,
        };
        txn.set(
            &counter_key,
            &CaseCounter {
                v: model::VERSION,
                last: number,
            },
        )?;
        txn.set(&model::case_key(guild, number), &case)?;
        if let Some(user) = new.user {
            let key = model::member_key(guild, user);
            let mut record: MemberRecord = txn
                .get::<MemberRecord>(&key)?
                .map(|r| model::check(&key, r))
                .transpose()?
                .unwrap_or_default();
            record.cases.push(number);
            also(&mut record, &case);
            txn.set(&key, &record)?;
        }
        Ok(case)
    })
}

/// Reads case `number`.
///
/// # Errors
///
/// A store failure or an unreadable record.
pub fn get(ctx: &Context, guild: Id<GuildMarker>, number: u64) -> Result<Option<Case>> {
    model::load(&ctx.store(), &model::case_key(guild, number))
}

/// The mod-log embed of a case, in `tr`'s language.
#[must_use]
pub fn embed(tr: Tr<'_>, case: &Case, target_name: Option<&str>) -> Embed {
    let mut fields = Vec::new();
    let mut field = |key: &str, value: String| {
        fields.push(EmbedField {
            inline: true,
            name: tr.t(key),
            value,
        });
    };
    if let Some(user) = case.user {
        let label =
            target_name.map_or_else(|| format!("<@{user}>"), |n| format!("{n} (<@{user}>)"));
        field("moderation-field-member", label);
    }
    let moderator = if case.automatic {
        tr!(tr, "moderation-automatic-by", user = case.moderator)
    } else {
        format!("<@{}>", case.moderator)
    };
    field("moderation-field-moderator", moderator);
    if let Some(secs) = case.duration_secs {
        field("moderation-field-duration", duration::format(secs));
    }
    if let Some(points) = case.points {
        field("moderation-field-points", points.to_string());
    }
    if let Some(count) = case.count {
        field("moderation-field-messages", count.to_string());
    }
    field(
        "moderation-field-reason",
        case.reason
            .clone()
            .unwrap_or_else(|| tr.t("moderation-no-reason")),
    );
    let seconds = i64::try_from(case.created_ms / 1000).unwrap_or(0);
    Embed {
        author: None,
        color: Some(case.kind.colour()),
        description: None,
        fields,
        flags: None,
        footer: None,
        image: None,
        kind: "rich".to_owned(),
        provider: None,
        thumbnail: None,
        timestamp: Timestamp::from_secs(seconds).ok(),
        title: Some(tr!(
            tr,
            "moderation-case-title",
            case = case.number,
            kind = tr.t(case.kind.title_key())
        )),
        url: None,
        video: None,
    }
}

/// Posts the case to the mod-log channel, if one is set, in the server's language. A failure is
/// returned as a note for the moderator in `tr`'s language (the action itself happened), never
/// as an error.
#[must_use]
pub fn log(
    ctx: &Context,
    guild: Id<GuildMarker>,
    tr: Tr<'_>,
    config: &GuildConfig,
    case: &Case,
    target_name: Option<&str>,
) -> Option<String> {
    let channel = config.modlog?;
    let request = DiscordRequest::SendMessage {
        channel_id: channel,
        message: Reply::default().embed(embed(ctx.tr_guild(guild), case, target_name)),
    };
    guild::act(ctx, &request).err().map(|e| {
        tr!(
            tr,
            "moderation-modlog-failed",
            channel = channel,
            error = e.to_string()
        )
    })
}

/// Tells the member what happened (in the server's language), if the guild wants that. A member
/// who refuses DMs is normal: returns whether the message arrived.
pub fn notify(
    ctx: &Context,
    guild: Id<GuildMarker>,
    config: &GuildConfig,
    user: Id<UserMarker>,
    guild_name: &str,
    case: &Case,
) -> bool {
    if !config.dm_members {
        return false;
    }
    let tr = ctx.tr_guild(guild);
    let length = case
        .duration_secs
        .map(|secs| {
            format!(
                " {}",
                tr!(tr, "moderation-for", duration = duration::format(secs))
            )
        })
        .unwrap_or_default();
    let reason = case.reason.as_deref().map_or_else(
        || ".".to_owned(),
        |reason| tr!(tr, "moderation-dm-reason", reason = reason),
    );
    let text = tr!(
        tr,
        "moderation-dm-sanction",
        action = tr.t(case.kind.past_key()),
        server = guild_name,
        length = length,
        reason = reason,
        case = case.number
    );
    guild::act(
        ctx,
        &DiscordRequest::SendDirectMessage {
            user_id: user,
            message: Reply::text(text),
        },
    )
    .is_ok()
}

/// One line describing a case, for `/case` and histories.
#[must_use]
pub fn line(tr: Tr<'_>, case: &Case) -> String {
    let mut text = format!("**#{}** {}", case.number, tr.t(case.kind.title_key()));
    if let Some(user) = case.user {
        text.push_str(&format!(" <@{user}>"));
    }
    if let Some(secs) = case.duration_secs {
        text.push(' ');
        text.push_str(&tr!(
            tr,
            "moderation-for",
            duration = duration::format(secs)
        ));
    }
    if let Some(points) = case.points {
        text.push_str(&tr!(tr, "moderation-line-points", points = points));
    }
    if let Some(count) = case.count {
        text.push_str(&tr!(tr, "moderation-line-messages", count = count));
    }
    let by = if case.automatic {
        tr.t("moderation-automatic")
    } else {
        String::new()
    };
    text.push_str(&tr!(
        tr,
        "moderation-line-by",
        user = case.moderator,
        automatic = by,
        time = (case.created_ms / 1000).to_string()
    ));
    if let Some(reason) = &case.reason {
        text.push_str(&tr!(tr, "moderation-reason-suffix", reason = reason));
    }
    text
}
