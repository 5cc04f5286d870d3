//! The host's own texts (`host/locales/`), compiled in: its answers to members in their language
//! (the interaction's locale, else the server's, else English), the French names and
//! descriptions of the built-in commands, and Discord's permission names as its clients show
//! them in each language.

use arsenal_plugin_api::{
    i18n::{Locales, Texts, Tr},
    protocol::Invoker,
};
use twilight_model::guild::Permissions;

/// The host's languages, English (the fallback) first.
pub const HOST_LOCALES: Locales = Locales::new(&[
    ("en", include_str!("../../locales/en.ftl")),
    ("fr", include_str!("../../locales/fr.ftl")),
]);

static HOST_TEXTS: Texts = Texts::new(HOST_LOCALES);

/// The host's texts in `invoker`'s language.
#[must_use]
pub fn host_tr(invoker: &Invoker) -> Tr<'static> {
    HOST_TEXTS.tr(&[invoker.locale.as_deref(), invoker.guild_locale.as_deref()])
}

/// The host's texts for a member whose Discord locale and server locale are these.
#[must_use]
pub fn host_tr_for(locale: Option<&str>, guild_locale: Option<&str>) -> Tr<'static> {
    HOST_TEXTS.tr(&[locale, guild_locale])
}

/// The host's texts in English (the sandbox console, logs).
#[must_use]
pub fn english() -> Tr<'static> {
    HOST_TEXTS.tr(&[])
}

/// `permissions` as Discord's client names them in `tr`'s language ("Manage Server", "Gérer le
/// serveur"), so a member finds the one to ask for in the server settings.
#[must_use]
pub fn permission_names(tr: Tr<'_>, permissions: Permissions) -> String {
    let french = tr.locale() == "fr";
    let names: Vec<String> = permissions
        .iter_names()
        .map(|(flag, _)| {
            french
                .then(|| french_permission(flag))
                .flatten()
                .map_or_else(|| english_permission(flag), str::to_owned)
        })
        .collect();
    if names.is_empty() {
        tr.t("host-permission-required")
    } else {
        names.join(", ")
    }
}

fn english_permission(flag: &str) -> String {
    let renamed = match flag {
        "MANAGE_GUILD" => "Manage Server",
        "MODERATE_MEMBERS" => "Timeout Members",
        "VIEW_GUILD_INSIGHTS" => "View Server Insights",
        "MANAGE_GUILD_EXPRESSIONS" => "Manage Expressions",
        "SEND_TTS_MESSAGES" => "Send Text-to-Speech Messages",
        "USE_VAD" => "Use Voice Activity",
        "ADMINISTRATOR" => "Administrator",
        other => {
            return other
                .split('_')
                .map(|word| {
                    let mut letters = word.chars();
                    letters.next().map_or_else(String::new, |first| {
                        first.to_string() + &letters.as_str().to_lowercase()
                    })
                })
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    renamed.to_owned()
}

/// The permissions a command can require, as Discord's French client shows them.
fn french_permission(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "ADMINISTRATOR" => "Administrateur",
        "MANAGE_GUILD" => "Gérer le serveur",
        "MANAGE_ROLES" => "Gérer les rôles",
        "MANAGE_CHANNELS" => "Gérer les salons",
        "MANAGE_MESSAGES" => "Gérer les messages",
        "MANAGE_NICKNAMES" => "Gérer les pseudos",
        "MANAGE_WEBHOOKS" => "Gérer les webhooks",
        "MANAGE_THREADS" => "Gérer les fils",
        "MANAGE_EVENTS" => "Gérer les événements",
        "MANAGE_GUILD_EXPRESSIONS" => "Gérer les expressions",
        "KICK_MEMBERS" => "Expulser des membres",
        "BAN_MEMBERS" => "Bannir des membres",
        "MODERATE_MEMBERS" => "Exclure temporairement des membres",
        "VIEW_AUDIT_LOG" => "Voir les logs du serveur",
        "VIEW_GUILD_INSIGHTS" => "Voir les analyses du serveur",
        "VIEW_CHANNEL" => "Voir les salons",
        "SEND_MESSAGES" => "Envoyer des messages",
        "EMBED_LINKS" => "Intégrer des liens",
        "ATTACH_FILES" => "Joindre des fichiers",
        "ADD_REACTIONS" => "Ajouter des réactions",
        "MENTION_EVERYONE" => "Mentionner @everyone, @here et tous les rôles",
        "READ_MESSAGE_HISTORY" => "Voir les anciens messages",
        "CREATE_INSTANT_INVITE" => "Créer une invitation",
        "CHANGE_NICKNAME" => "Changer le pseudo",
        "USE_APPLICATION_COMMANDS" => "Utiliser les commandes de l'application",
        "MUTE_MEMBERS" => "Rendre les membres muets",
        "DEAFEN_MEMBERS" => "Mettre en sourdine des membres",
        "MOVE_MEMBERS" => "Déplacer des membres",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use arsenal_plugin_api::i18n::check::check;

    use super::*;
    use crate::discord::registry::builtin_specs;

    #[test]
    fn the_host_speaks_english_and_french_and_names_every_builtin() {
        let specs: Vec<_> = builtin_specs().into_iter().map(|(spec, _)| spec).collect();
        let problems = check(HOST_LOCALES, &specs);
        assert!(problems.is_empty(), "{problems:#?}");
        let reload = &specs[0];
        assert_eq!(reload.name, "reload");
        assert_eq!(
            reload
                .description_localizations
                .as_ref()
                .and_then(|d| d.get("fr"))
                .map(String::as_str),
            Some("Recharger à chaud les modules Arsenal (administrateurs)"),
            "the specs carry their French description"
        );
    }

    #[test]
    fn permissions_are_named_as_discord_shows_them() {
        let tr = english();
        assert_eq!(
            permission_names(tr, Permissions::MANAGE_GUILD),
            "Manage Server"
        );
        assert_eq!(
            permission_names(tr, Permissions::MANAGE_MESSAGES | Permissions::BAN_MEMBERS),
            "Ban Members, Manage Messages"
        );
        assert_eq!(permission_names(tr, Permissions::empty()), "required");
        let french = HOST_TEXTS.tr(&[Some("fr")]);
        assert_eq!(
            permission_names(
                french,
                Permissions::MANAGE_MESSAGES | Permissions::BAN_MEMBERS
            ),
            "Bannir des membres, Gérer les messages"
        );
        assert_eq!(
            permission_names(french, Permissions::MANAGE_GUILD),
            "Gérer le serveur"
        );
    }
}
