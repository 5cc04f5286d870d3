//! Languages: a French member is answered in French through a whole ticket, and what the module
//! posts on its own (panel, first message, transcript summary) follows the server's language.

use arsenal_plugin_api::{
    protocol::{DiscordRequest, Invoker},
    testing::CHANNEL_ID,
    Response,
};
use serde_json::Value;

use super::*;

/// `invoker` with a French Discord client.
fn french(mut invoker: Invoker) -> Invoker {
    invoker.locale = Some("fr".into());
    invoker
}

/// The components of a message, as JSON (labels, placeholders).
fn components(reply: &arsenal_plugin_api::Reply) -> Value {
    serde_json::to_value(&reply.components).unwrap()
}

#[test]
fn a_french_member_opens_claims_and_closes_a_ticket_in_french() {
    let (mut harness, _) = start();
    set_up(&mut harness);
    admin(
        &mut harness,
        "config",
        vec![arg("ask_reason", ArgValue::Boolean(true))],
    );
    // The reason form is in the member's language.
    let Response::Modal(form) = click(&mut harness, french(who(BOB, CHANNEL_ID)), "open:1") else {
        panic!("the reason form comes first");
    };
    assert_eq!(form.title, "Ouvrir un ticket");
    let form_json = serde_json::to_string(&form.components).unwrap();
    assert!(
        form_json.contains("Comment pouvons-nous vous aider ?"),
        "{form_json}"
    );
    let empty = submit(
        &mut harness,
        french(who(BOB, CHANNEL_ID)),
        &form.custom_id,
        "  ",
    );
    assert_eq!(
        said(&empty),
        "Dites-nous de quoi parle le ticket, puis réessayez."
    );
    let opened = submit(
        &mut harness,
        french(who(BOB, CHANNEL_ID)),
        &form.custom_id,
        "ma commande",
    );
    let text = said(&opened);
    assert!(
        is_ephemeral(&opened) && text.starts_with("Votre ticket est ouvert : <#"),
        "{text}"
    );
    let channel: u64 = text
        .split("<#")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .and_then(|id| id.parse().ok())
        .unwrap();
    let channel = Id::new(channel);
    // The limit refusal, with its plural, in French.
    let refused = click(&mut harness, french(who(BOB, CHANNEL_ID)), "open:1");
    assert_eq!(
        said(&refused),
        format!("Vous avez déjà 1 ticket ouvert (<#{channel}>) : la limite est de 1. Fermez-en un avant d'en ouvrir un autre.")
    );
    // Staff in French claim it; an English member is still answered in English.
    let claimed = run(&mut harness, french(who(STAFF, channel)), "claim", vec![]);
    assert_eq!(
        said(&claimed),
        "🙋 <@40> a pris en charge ce ticket et va s'en occuper."
    );
    let carol = run(&mut harness, who(CAROL, channel), "claim", vec![]);
    assert_eq!(said(&carol), "Only ticket staff can do this.");
    let again = run(&mut harness, french(who(STAFF, channel)), "claim", vec![]);
    assert_eq!(said(&again), "Vous avez déjà pris en charge ce ticket.");
    // Closing from the button: a French form, then a French announcement.
    let Response::Modal(close) = click(
        &mut harness,
        french(who(BOB, channel)),
        &format!("close:{channel}"),
    ) else {
        panic!("the Close button asks for a reason");
    };
    assert_eq!(close.title, "Fermer ce ticket");
    let closed = submit(
        &mut harness,
        french(who(BOB, channel)),
        &close.custom_id,
        "réglé",
    );
    assert_eq!(
        said(&closed),
        "🔒 Ticket fermé par user20 : réglé. Ce salon sera supprimé dans 5s."
    );
    let late = run(&mut harness, french(who(BOB, channel)), "close", vec![]);
    assert_eq!(said(&late), "Ce ticket est déjà en cours de fermeture.");
}

#[test]
fn what_the_module_posts_follows_the_servers_language() {
    let (mut harness, _) = start();
    // An English server: panel and first message in English, even for a French opener.
    set_up(&mut harness);
    let panel = last(&harness, |r| match r {
        DiscordRequest::SendMessage { message, .. } => Some(message.clone()),
        _ => None,
    });
    assert!(components(&panel).to_string().contains("\"Open ticket\""));
    let first = click(&mut harness, french(who(BOB, CHANNEL_ID)), "open:1");
    assert!(said(&first).starts_with("Votre ticket est ouvert"));
    let welcome = last(&harness, |r| match r {
        DiscordRequest::SendMessage { message, .. } => Some(message.clone()),
        _ => None,
    });
    assert_eq!(welcome.embeds[0].title.as_deref(), Some("Ticket #0001"));

    // A French server: a new panel, the first message and the transcript summary in French.
    harness.set_guild_locale(Some("fr"));
    let posted = admin(
        &mut harness,
        "panel",
        vec![arg("channel", ArgValue::Channel(CHANNEL_ID))],
    );
    assert!(
        said(&posted).starts_with("Panel #2 posted"),
        "the admin's own language"
    );
    let panel = last(&harness, |r| match r {
        DiscordRequest::SendMessage { message, .. } => Some(message.clone()),
        _ => None,
    });
    assert_eq!(panel.embeds[0].title.as_deref(), Some("Tickets de support"));
    assert!(components(&panel)
        .to_string()
        .contains("\"Ouvrir un ticket\""));
    let channel = open_as(&mut harness, CAROL);
    let welcome = last(&harness, |r| match r {
        DiscordRequest::SendMessage { message, .. } => Some(message.clone()),
        _ => None,
    });
    assert_eq!(welcome.embeds[0].title.as_deref(), Some("Ticket n°0002"));
    let buttons = components(&welcome).to_string();
    assert!(buttons.contains("\"Fermer\"") && buttons.contains("\"Prendre en charge\""));
    run(&mut harness, who(CAROL, channel), "close", vec![]);
    harness.fire_timer(&format!("close:{channel}")).unwrap();
    let (summary, file) = last(&harness, |r| match r {
        DiscordRequest::SendFile {
            message, content, ..
        } => Some((message.content.clone().unwrap_or_default(), content.clone())),
        _ => None,
    });
    assert!(
        file.starts_with("Transcription de ticket-0002 (ouvert par user30 <30>)\nFermé par : user30\nMessages : "),
        "{file}"
    );
    assert!(
        summary.starts_with("📄 **ticket-0002** ouvert par user30 a été fermé par user30 ("),
        "{summary}"
    );
}

#[test]
fn a_french_admin_reads_the_settings_in_french() {
    let (mut harness, _) = start();
    let invoker = french(who(arsenal_plugin_api::testing::ADMIN_ID, CHANNEL_ID));
    let saved = run(
        &mut harness,
        invoker.clone(),
        "config",
        vec![arg("autoclose", text("2d"))],
    );
    let lines: Vec<String> = said(&saved).lines().map(str::to_owned).collect();
    assert_eq!(lines[0], "Enregistré (fermeture automatique).");
    assert!(
        lines.contains(&"Fermeture automatique : après 2j sans message".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(
            &"Transcriptions : non défini : les tickets se ferment sans transcription".to_owned()
        ),
        "{lines:?}"
    );
    let bad = run(
        &mut harness,
        invoker,
        "config",
        vec![arg("autoclose", text("soon"))],
    );
    assert_eq!(
        said(&bad),
        "`soon` n'est pas une durée : utilisez par exemple `48h`, `2d`, `30m` ou `off`."
    );
}
