# Le module logs, en français.

## Réponses à /logs
logs-only-in-servers = Les journaux se configurent dans un serveur, pas en message privé.
logs-cannot-post = Je n'ai pas pu publier dans { $channel }, donc rien n'a changé : { $error }. Donnez-moi Voir le salon, Envoyer des messages et Intégrer des liens (et Gérer les webhooks pour publier via un webhook), puis réessayez.
logs-routed = Les journaux { $categories } seront publiés dans { $channel }.
logs-nothing-to-disable = Ces journaux n'étaient pas activés.
logs-disabled = Journaux { $categories } désactivés. { $forgotten ->
        [0] Aucun contenu de message n'était conservé.
        [one] 1 contenu de message conservé a été oublié.
       *[other] { $forgotten } contenus de messages conservés ont été oubliés.
    }
logs-ignore-what = Indiquez un salon, un membre, ou les deux.
logs-ignored = Ignorés désormais : { $targets }.
logs-not-ignored = Ce n'était pas ignoré.
logs-unignored = Plus ignorés : { $targets }.
logs-bots-on = Les messages des bots sont journalisés.
logs-bots-off = Les messages des bots ne sont pas journalisés.
logs-retention-range = La durée de conservation doit aller de 1h à 30d (par ex. 12h, 7d).
logs-retention-set = Les contenus des messages sont conservés { $duration }. { $removed ->
        [0] Aucun n'était plus ancien.
        [one] 1 plus ancien a été supprimé.
       *[other] { $removed } plus anciens ont été supprimés.
    }
logs-show-title = **Journaux**
logs-show-ignored-channels = Salons ignorés : { $channels }
logs-show-ignored-members = Membres ignorés : { $members }
logs-show-retention = Contenus des messages conservés : { $duration }
logs-off = non
logs-on = oui
logs-none = aucun

## Entrées des journaux
logs-here-title = Journaux
logs-here = Les journaux { $categories } seront publiés ici (réglé par { $user }).
logs-by-in = Par { $user } dans { $channel }
logs-message-edited = Message modifié
logs-message-deleted = Message supprimé
logs-before = Avant
logs-after = Après
logs-not-cached = (absent du cache : envoyé avant l'activation des journaux, ou plus ancien que la durée de conservation)
logs-empty = (pas de texte)
logs-attachments = Pièces jointes : { $files }
logs-message-footer = Auteur { $user } · Message { $message }
logs-bulk-deleted = { $count ->
        [one] { $count } message supprimé
       *[other] { $count } messages supprimés
    }
logs-bulk-description = { $count } messages ont été supprimés d'un coup dans { $channel } ; { $known ->
        [0] aucun n'était dans le cache.
        [one] 1 était dans le cache et figure dans le fichier joint.
       *[other] { $known } étaient dans le cache et figurent dans le fichier joint.
    }
logs-member-joined = Arrivée d'un membre
logs-member-left = Départ d'un membre
logs-member-updated = Membre modifié
logs-account-created = { $user } · compte créé { $created } ({ $date })
logs-new-account = ⚠️ Compte récent (moins de 7 jours)
logs-joined-at = Arrivé { $joined }
logs-roles = Rôles : { $roles }
logs-roles-added = Rôles donnés : { $roles }
logs-roles-removed = Rôles retirés : { $roles }
logs-nickname-changed = Pseudo : { $before } → { $after }
logs-user-footer = Utilisateur { $user }
logs-timeout = Membre exclu temporairement
logs-timeout-until = { $user } est exclu jusqu'au { $until } ({ $relative })
logs-timeout-removed = Exclusion temporaire levée
logs-banned = Membre banni
logs-unbanned = Membre débanni
logs-channel-created = Salon créé
logs-channel-updated = Salon modifié
logs-channel-deleted = Salon supprimé
logs-channel-line = { $channel } (#{ $name })
logs-channel-footer = Salon { $channel }
logs-no-before = (l'état précédent est inconnu : il a changé avant que le module le voie)
logs-changed-name = Nom : { $before } → { $after }
logs-changed-topic = Sujet : { $before } → { $after }
logs-changed-nsfw = Réservé aux adultes : { $before } → { $after }
logs-changed-slowmode = Mode lent : { $before } s → { $after } s
logs-changed-category = Catégorie : { $before } → { $after }
logs-changed-overwrites = Permissions modifiées
logs-changed-color = Couleur : { $before } → { $after }
logs-changed-hoist = Affiché séparément : { $before } → { $after }
logs-changed-mentionable = Mentionnable : { $before } → { $after }
logs-permissions-granted = Permissions accordées : { $permissions }
logs-permissions-revoked = Permissions retirées : { $permissions }
logs-role-created = Rôle créé
logs-role-updated = Rôle modifié
logs-role-deleted = Rôle supprimé
logs-role-footer = Rôle { $role }
logs-voice-joined = Vocal : arrivée
logs-voice-left = Vocal : départ
logs-voice-moved = Vocal : déplacement
logs-voice-join-line = { $user } a rejoint { $channel }
logs-voice-leave-line = { $user } a quitté { $channel }
logs-voice-move-line = { $user } est passé de { $before } à { $after }

## La commande (noms et descriptions en français)
cmd-logs = logs
    .description = Journaux du serveur : modifications, suppressions, membres, modération, serveur, vocal
cmd-logs-channel = salon
    .description = Envoyer une catégorie de journaux (ou toutes) dans un salon
cmd-logs-channel-category = categorie
    .description = Quels journaux
cmd-logs-channel-category-choice-all = tous
cmd-logs-channel-category-choice-messages = messages
cmd-logs-channel-category-choice-members = membres
cmd-logs-channel-category-choice-moderation = modération
cmd-logs-channel-category-choice-server = serveur
cmd-logs-channel-category-choice-voice = vocal
cmd-logs-channel-channel = salon
    .description = Où ils vont
cmd-logs-disable = desactiver
    .description = Arrêter une catégorie de journaux (ou toutes)
cmd-logs-disable-category = categorie
    .description = Quels journaux
cmd-logs-disable-category-choice-all = tous
cmd-logs-disable-category-choice-messages = messages
cmd-logs-disable-category-choice-members = membres
cmd-logs-disable-category-choice-moderation = modération
cmd-logs-disable-category-choice-server = serveur
cmd-logs-disable-category-choice-voice = vocal
cmd-logs-ignore = ignorer
    .description = Ignorer les messages d'un salon, ou un membre
cmd-logs-ignore-channel = salon
    .description = Un salon dont les messages ne sont pas journalisés
cmd-logs-ignore-member = membre
    .description = Un membre dont les messages et changements ne sont pas journalisés
cmd-logs-unignore = ne-plus-ignorer
    .description = Ne plus ignorer un salon ou un membre
cmd-logs-unignore-channel = salon
    .description = Un salon dont les messages ne sont pas journalisés
cmd-logs-unignore-member = membre
    .description = Un membre dont les messages et changements ne sont pas journalisés
cmd-logs-bots = bots
    .description = Journaliser ou non les messages des bots
cmd-logs-bots-log = journaliser
    .description = Journaliser aussi les messages des bots
cmd-logs-retention = conservation
    .description = Combien de temps garder le contenu des messages modifiés et supprimés
cmd-logs-retention-duration = duree
    .description = Durée, de 1h à 30d (par ex. 12h, 7d)
cmd-logs-show = afficher
    .description = Afficher les réglages
