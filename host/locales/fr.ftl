# Les réponses propres à l'hôte (commandes intégrées, refus), et les noms et descriptions
# français des commandes intégrées.

host-owners-only = `{ $command }` est réservée aux propriétaires du bot.
host-bot-admins-control = `{ $command }` agit sur le bot dans tous les serveurs : seuls les propriétaires du bot, ou les administrateurs de son serveur de contrôle (dans ce serveur), peuvent l'utiliser.
host-bot-admins-owners = `{ $command }` agit sur le bot dans tous les serveurs : seuls les propriétaires du bot peuvent l'utiliser (un propriétaire peut définir `control_guild` dans arsenal.toml pour l'ouvrir aux administrateurs d'un serveur).
host-missing-permission = Il vous faut la permission { $permissions } pour utiliser `{ $command }`.
host-permission-required = requise
host-command-unavailable = `{ $command }` n'est pas disponible : le module qui la fournit n'est pas chargé. Un administrateur peut vérifier avec `!module list`.
host-module-not-loaded = `{ $command }` appartient au module `{ $module }`, qui n'est pas chargé en ce moment. Un administrateur peut le charger avec `!module load { $module }`.
host-unknown-subcommand = Sous-commande inconnue. Utilisation : { $usage }
host-reexec-started = Relance sur place : les sessions Discord passent au nouveau processus, qui les reprend (les événements envoyés entre-temps sont rejoués). Les modules répondent de nouveau dans quelques secondes.
host-reexec-unavailable = La relance sur place n'est possible que quand le bot tourne avec `arsenal run` (pas dans le bac à sable).
host-prefix-guild-only = Les préfixes sont propres à chaque serveur ; utilisez cette commande dans un serveur.
host-prefix-invalid = Le préfixe doit faire de 1 à 10 caractères, sans accent grave (`).
host-prefix-set = Préfixe défini sur `{ $prefix }` : essayez `{ $prefix }module list`.
host-prefix-not-saved = Le préfixe n'a pas pu être enregistré, il reste inchangé : { $error }
host-module-unreadable = ⚠ Le module `{ $module }` a répondu quelque chose que l'hôte ne sait pas lire ({ $error }) ; est-il compilé pour cet hôte ?
host-module-failed = ⚠ Module `{ $module }` : { $error }
host-button-orphan = Ce bouton n'appartient à aucun module Arsenal.
host-form-orphan = Ce formulaire n'appartient à aucun module Arsenal.
host-form-too-slow = Le formulaire a mis trop de temps à s'ouvrir ; veuillez réessayer.
host-done = C'est fait.
host-reload-again = Relancez `/reload all`.
host-slash-only = Cette commande ouvre un formulaire : utilisez-la en commande slash.
host-reloading = Rechargement…

host-module-path = `{ $typed }` ressemble à un chemin ; les modules se désignent par leur nom (voir `!module list`).
host-module-unknown = Module non reconnu : `{ $typed }`. Modules connus : { $known }. Un nouveau module apparaît ici dès que son `.so` est dans le dossier des plugins (`cargo xtask build-plugins`).
host-module-unknown-close = Module non reconnu : `{ $typed }`. Vouliez-vous dire { $close } ?
host-or = ou
host-none-yet = aucun pour l'instant
host-module-reloaded = ✅ `{ $module }` rechargé : { $old } → { $new } en { $ms } ms. Ses données sont intactes (sauvegarde effectuée).
host-module-loaded = ✅ `{ $module }` { $new } chargé en { $ms } ms.
host-module-reload-refused = ❌ Rechargement de `{ $module }` refusé : { $error }
    La version précédente ({ $version }) reste en service ; rien n'est perdu.
host-module-load-failed = ❌ `{ $module }` n'a pas pu être chargé : { $error }
host-module-unloaded = ✅ `{ $module }` déchargé. Ses données restent dans le stockage ; `!module load { $module }` le ramène.
host-module-unload-failed = ❌ { $error }. Modules chargés : { $loaded }.
host-reload-all-none = Aucun module dans le dossier des plugins ; compilez-les avec `cargo xtask build-plugins`.
host-reload-all-start = Rechargement de { $count } modules…
host-reload-all-done = **Terminé :** { $ok } rechargé(s), { $failed } en échec{ $failed ->
        [0] {""}
       *[other] {" "}(les modules en échec gardent leur version précédente ; voir `!module logs`)
    }.

host-scope-channel-elsewhere = `{ $option }` : ce salon n'est pas dans ce serveur. Choisissez un salon de ce serveur.
host-scope-role-elsewhere = `{ $option }` : ce rôle n'est pas dans ce serveur. Choisissez un rôle de ce serveur.
host-scope-channel-dm = `{ $option }` : un salon ne peut être donné que dans son propre serveur ; utilisez cette commande là-bas.
host-scope-role-dm = `{ $option }` : un rôle ne peut être donné que dans son propre serveur ; utilisez cette commande là-bas.

cmd-reload = reload
    .description = Recharger à chaud les modules Arsenal (administrateurs)
cmd-reload-module = module
    .description = Recharger un module ; ses données sont conservées
cmd-reload-module-module = module
    .description = Le module à recharger
cmd-reload-all = tout
    .description = Recharger tous les modules, un par un
cmd-reload-status = etat
    .description = État de chaque module
cmd-module = module
    .description = Gérer les modules Arsenal (administrateurs)
cmd-module-reload = reload
    .description = Recharger un module
cmd-module-reload-module = module
    .description = Le module
cmd-module-reload_all = reload_all
    .description = Recharger tous les modules
cmd-module-arsenal = arsenal
    .description = Les modules Arsenal et leur état
cmd-module-list = list
    .description = Modules chargés, disponibles et en échec
cmd-module-status = status
    .description = État complet de chaque module
cmd-module-logs = logs
    .description = Rechargements récents
cmd-module-logs-limit = limit
    .description = Combien (1-50)
cmd-module-load = load
    .description = Charger un module depuis le dossier des plugins
cmd-module-load-module = module
    .description = Le module
cmd-module-unload = unload
    .description = Décharger un module (ses données restent)
cmd-module-unload-module = module
    .description = Le module
cmd-module-reexec = reexec
    .description = Relancer l'hôte sur place (les sessions Discord et les données sont gardées)
cmd-prefix = prefixe
    .description = Définir le préfixe des commandes de ce serveur (administrateurs)
cmd-prefix-prefix = prefixe
    .description = 1 à 10 caractères, par ex. ? ou arsenal (un mot est suivi d'une espace)
cmd-persistent_status = persistent_status
    .description = État de chaque espace de données enregistré
cmd-save_all = save_all
    .description = Écrire maintenant chaque fichier de données (propriétaires)
cmd-load_all = load_all
    .description = Relire les fichiers de données modifiés à la main (propriétaires)
cmd-help = aide
    .description = Les commandes que vous pouvez utiliser ici, par module
cmd-simple_help = aide_simple
    .description = Toutes les commandes que vous pouvez utiliser ici, sur un seul écran
