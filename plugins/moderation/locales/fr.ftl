# Les textes du module de modération, et les noms et descriptions français de ses commandes.

moderation-dm = Les commandes de modération fonctionnent dans un serveur, pas en messages privés.
moderation-say-who = Indiquez qui : `/{ $command } { $option }:@quelqu'un` ou `!{ $command } @quelqu'un`.
moderation-give-reason = Indiquez une raison : `/warn @membre spam`.
moderation-purge-count = Indiquez un nombre de 1 à 100.
moderation-unknown-command = Le module de modération n'a pas de commande `{ $command }`.
moderation-reason-too-long = La raison doit faire au plus { $max } caractères.

# Qui peut agir sur qui. $action est l'un des textes moderation-verb-….
moderation-verb-warn = avertir
moderation-verb-mute = rendre muet
moderation-verb-unmute = rendre la parole à
moderation-verb-kick = expulser
moderation-verb-ban = bannir
moderation-not-myself = Je ne peux pas agir sur moi-même ({ $action }).
moderation-not-yourself = Vous ne pouvez pas agir sur vous-même ({ $action }).
moderation-not-owner = { $name } est propriétaire de ce serveur ; personne ne peut lui appliquer cette action ({ $action }).
moderation-above-you = Vous ne pouvez pas { $action } { $name } : son rôle le plus haut ({ $theirs }) n'est pas en dessous du vôtre ({ $yours }).
moderation-above-me = Je ne peux pas { $action } { $name } : son rôle le plus haut ({ $theirs }) n'est pas en dessous du mien ({ $mine }). Placez mon rôle au-dessus du sien dans Paramètres du serveur → Rôles.
moderation-admin-timeout = Je ne peux pas rendre muet { $name } : Discord ne permet à personne d'exclure temporairement un administrateur.
moderation-roles-unreadable = Je n'ai pas pu vérifier les rôles avant d'agir : { $error }

# Sanctions. $reason vaut moderation-reason-suffix ou rien, $dm moderation-dm-failed ou rien.
moderation-dm-failed = {" "}(Je n'ai pas pu lui envoyer de message privé.)
moderation-reason-suffix = {" "}: { $reason }
moderation-for = pendant { $duration }
moderation-not-member = { $name } n'est pas membre de ce serveur.
moderation-mute-too-long = Les exclusions temporaires de Discord durent au plus 28 jours ; pour un mute plus long ou permanent, définissez un rôle muet avec `/modconfig mute_role`.
moderation-mute-failed = Je n'ai pas pu rendre muet { $name } : { $error }
moderation-until-unmuted = jusqu'à nouvel ordre
moderation-by-timeout = exclusion temporaire
moderation-by-role = rôle muet
moderation-muted = Cas #{ $case } · **{ $name }** a été rendu muet { $length } ({ $how }){ $reason }.{ $dm }
moderation-member-unreadable = Je n'ai pas pu lire le membre : { $error }
moderation-not-muted = { $name } n'est pas muet.
moderation-unmute-failed = Je n'ai pas pu rendre la parole à { $name } : { $error }
moderation-the-server = le serveur
moderation-unmuted = Cas #{ $case } · **{ $name }** a retrouvé la parole{ $reason }.{ $dm }
moderation-kick-failed = Je n'ai pas pu expulser { $name } : { $error }
moderation-kicked = Cas #{ $case } · **{ $name }** a été expulsé{ $reason }.{ $dm }
moderation-ban-failed = Je n'ai pas pu bannir { $name } : { $error }
moderation-banned = Cas #{ $case } · **{ $name }** a été banni{ $length }{ $reason }.{ $dm }
moderation-not-banned = <@{ $user }> n'est pas banni.
moderation-unban-failed = Je n'ai pas pu débannir <@{ $user }> : { $error }
moderation-unbanned = Cas #{ $case } · <@{ $user }> a été débanni{ $reason }.

# Les cas : l'entrée du journal (dans la langue du serveur), le message privé au membre, les résumés.
moderation-kind-warn = Avertissement
moderation-kind-mute = Mute
moderation-kind-unmute = Fin de mute
moderation-kind-kick = Expulsion
moderation-kind-ban = Bannissement
moderation-kind-tempban = Bannissement temporaire
moderation-kind-unban = Débannissement
moderation-kind-purge = Purge
moderation-past-warn = averti
moderation-past-mute = rendu muet
moderation-past-unmute = autorisé à reparler
moderation-past-kick = expulsé
moderation-past-ban = banni
moderation-past-tempban = banni temporairement
moderation-past-unban = débanni
moderation-past-purge = purgé
moderation-case-title = Cas #{ $case } · { $kind }
moderation-field-member = Membre
moderation-field-moderator = Modérateur
moderation-field-duration = Durée
moderation-field-points = Points
moderation-field-messages = Messages
moderation-field-reason = Raison
moderation-automatic-by = <@{ $user }> (automatique)
moderation-no-reason = Aucune raison donnée
moderation-modlog-failed = L'entrée du journal de modération n'a pas pu être publiée dans <#{ $channel }> : { $error }
# $length vaut " " + moderation-for ou rien ; $reason moderation-dm-reason ou « . ».
moderation-dm-sanction = Vous avez été { $action } sur **{ $server }**{ $length }{ $reason } (cas #{ $case })
moderation-dm-reason = . Raison : { $reason }
moderation-line-points = {" "}({ $points } pt)
moderation-line-messages = {" "}({ $count } messages)
moderation-automatic = {" "}(automatique)
moderation-line-by = {" "}par <@{ $user }>{ $automatic } <t:{ $time }:R>

# Avertissements et historiques.
moderation-warned = Cas #{ $case } · **{ $name }** a été averti ({ $points } { $points ->
        [one] point
       *[other] points
    } ; { $active } actifs) : { $reason }.{ $dm }
moderation-threshold-done = Action automatique à { $points } points : { $done }
moderation-threshold-failed = L'action automatique à { $points } points n'a pas eu lieu : { $why }
moderation-threshold-reason = { $points } points d'avertissement atteints
moderation-history-empty = <@{ $user }> n'a ni avertissement ni sanction.
moderation-history-points = **<@{ $user }>** : { $points } points d'avertissement actifs.
moderation-history-no-warnings = Aucun avertissement.
moderation-warning-expired = {" "}(expiré)
moderation-warning-expires = {" "}(expire <t:{ $time }:R>)
moderation-history-warning = • cas #{ $case } · { $points } pt · { $reason }{ $state } · par <@{ $user }>
moderation-history-title = **Historique**
moderation-history-more = …et { $count } cas plus anciens (`/case numéro`).
moderation-no-case = Il n'y a pas de cas #{ $case }.
moderation-not-a-warning = Le cas #{ $case } est un(e) { $kind }, pas un avertissement.
moderation-warning-deleted = Avertissement du cas #{ $case } supprimé (<@{ $user }>).
moderation-warning-already-deleted = L'avertissement du cas #{ $case } a déjà été supprimé.
moderation-no-warnings = <@{ $user }> n'a aucun avertissement.
moderation-warnings-cleared = { $count } avertissements de <@{ $user }> supprimés.
moderation-thresholds-none = aucun
moderation-threshold-mute = mute { $duration }
moderation-threshold-kick = expulsion
moderation-threshold-tempban = bannissement { $duration }
moderation-threshold-ban = bannissement

# Purge.
moderation-purge-unreadable = Je n'ai pas pu lire les messages de ce salon : { $error }
moderation-purge-nothing = Aucun message à supprimer (seuls les messages de moins de 14 jours peuvent être purgés).
moderation-purge-failed = Je n'ai pas pu supprimer les messages : { $error }
moderation-purge-reason = dans <#{ $channel }>
moderation-purged = Cas #{ $case } · { $count } messages supprimés.

# Réglages.
moderation-modlog-probe = 📋 Les cas de modération seront consignés dans ce salon.
moderation-modlog-cannot-post = Je ne peux pas publier dans <#{ $channel }>, il n'a donc pas été défini : { $error }
moderation-modlog-set = Les cas seront consignés dans <#{ $channel }>.
moderation-modlog-off = Le journal de modération est désactivé.
moderation-expiry-set = Les nouveaux avertissements expirent au bout de { $duration }.
moderation-expiry-never = Les nouveaux avertissements n'expirent jamais.
moderation-always-needs-role = `always` demande un rôle.
moderation-mute-role-always = Chaque mute donne désormais <@&{ $role }>. Vérifiez qu'il ne peut pas envoyer de messages et qu'il est sous mon rôle.
moderation-mute-role-long = Les mutes de plus de 28 jours (ou permanents) donnent <@&{ $role }> ; les plus courts sont des exclusions temporaires.
moderation-mute-role-none = Pas de rôle muet : les mutes sont des exclusions temporaires de Discord (28 jours au plus).
moderation-dm-on = Les membres sont prévenus en message privé quand ils sont sanctionnés.
moderation-dm-off = Les membres ne sont plus prévenus en message privé.
moderation-threshold-needs-duration = Un seuil d'exclusion temporaire demande une durée, comme `1h`.
moderation-threshold-removed = Seuil à { $points } points supprimé.
moderation-threshold-unknown = Il n'y a pas de seuil à { $points } points.
moderation-threshold-too-many = Un serveur peut avoir { $max } seuils ; supprimez-en un d'abord.
moderation-threshold-too-long = Les exclusions temporaires durent au plus 28 jours ; définissez un rôle muet pour des mutes plus longs.
moderation-thresholds = Seuils : { $thresholds }.
moderation-settings = **Réglages de modération**
    Journal de modération : { $modlog }
    Expiration des avertissements : { $expiry }
    Seuils : { $thresholds }
    Rôle muet : { $role }
    Messages privés aux membres : { $dm }
moderation-settings-off = désactivé
moderation-settings-never = jamais
moderation-settings-after = au bout de { $duration }
moderation-settings-role-always = <@&{ $role }> (chaque mute)
moderation-settings-role-long = <@&{ $role }> (mutes de plus de 28 jours)
moderation-settings-role-none = aucun (exclusions temporaires seulement)
moderation-settings-yes = oui
moderation-settings-no = non

# Sanctions à durée et retours (dans la langue du serveur).
moderation-time-is-up = Le temps est écoulé
moderation-rejoined-reason = Revenu pendant un mute (cas #{ $case })
moderation-rejoined-until = {" "}jusqu'à <t:{ $time }:f>
moderation-rejoined = **{ $name }** (<@{ $user }>) est revenu pendant un mute ; le mute du cas #{ $case } a été remis{ $until }.

cmd-warn = avertir
    .description = Avertir un membre (les points comptent pour les actions automatiques)
cmd-warn-member = membre
    .description = Qui avertir
cmd-warn-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-warn-points = points
    .description = Points d'avertissement (1 par défaut)
cmd-warnings = avertissements
    .description = L'historique des avertissements et sanctions d'un membre
cmd-warnings-member = membre
    .description = L'historique de qui
cmd-delwarn = supprimer-avertissement
    .description = Supprimer un avertissement par son numéro de cas
cmd-delwarn-case = cas
    .description = Le numéro de cas de l'avertissement
cmd-clearwarns = effacer-avertissements
    .description = Supprimer tous les avertissements d'un membre
cmd-clearwarns-member = membre
    .description = Les avertissements de qui
cmd-mute = rendre-muet
    .description = Rendre un membre muet (exclusion temporaire, ou rôle muet)
cmd-mute-member = membre
    .description = Qui rendre muet
cmd-mute-duration = duree
    .description = Combien de temps : 10m, 2h, 7d, 1w (permanent : il faut un rôle muet)
cmd-mute-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-unmute = retablir-parole
    .description = Lever le mute d'un membre
cmd-unmute-member = membre
    .description = Qui rétablir
cmd-unmute-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-kick = expulser
    .description = Expulser un membre
cmd-kick-member = membre
    .description = Qui expulser
cmd-kick-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-ban = bannir
    .description = Bannir un utilisateur, pour un temps si une durée est donnée
cmd-ban-member = membre
    .description = Qui bannir (un membre ou n'importe quel identifiant)
cmd-ban-duration = duree
    .description = Durée du ban temporaire : 1h, 7d, 1w (aucune : permanent)
cmd-ban-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-ban-delete_days = jours_supprimes
    .description = Supprimer ses messages des 0 à 7 derniers jours
cmd-unban = debannir
    .description = Lever un ban
cmd-unban-user = utilisateur
    .description = Qui débannir (un identifiant convient)
cmd-unban-reason = raison
    .description = Pourquoi (montré au membre et dans le journal de modération)
cmd-purge = purger
    .description = Supprimer les messages récents de ce salon
cmd-purge-count = nombre
    .description = Combien de messages (1 à 100)
cmd-purge-member = membre
    .description = Seulement les messages de ce membre
cmd-case = cas
    .description = Afficher un cas
cmd-case-number = numero
    .description = Le numéro du cas
cmd-modlog = journal-moderation
    .description = Définir le salon du journal de modération (aucun : le désactiver)
cmd-modlog-channel = salon
    .description = Un salon textuel où le bot peut écrire
cmd-modconfig = config-moderation
    .description = Réglages de modération
cmd-modconfig-show = afficher
    .description = Afficher les réglages
cmd-modconfig-warn_expiry = expiration_avertissements
    .description = Combien de temps les avertissements comptent
cmd-modconfig-warn_expiry-duration = duree
    .description = 30d, 1w, … ou never
cmd-modconfig-threshold = seuil
    .description = Une action automatique à un nombre de points d'avertissement actifs
cmd-modconfig-threshold-points = points
    .description = Les points actifs qui la déclenchent
cmd-modconfig-threshold-action = action
    .description = Ce que fait ce seuil (remove : supprimer ce seuil)
cmd-modconfig-threshold-action-choice-timeout = exclusion temporaire
cmd-modconfig-threshold-action-choice-kick = expulsion
cmd-modconfig-threshold-action-choice-ban = ban
cmd-modconfig-threshold-action-choice-remove = supprimer le seuil
cmd-modconfig-threshold-duration = duree
    .description = Durée de l'exclusion ou du ban temporaire (ban sans durée : permanent)
cmd-modconfig-mute_role = role_muet
    .description = Le rôle des mutes longs ou permanents (aucun : l'effacer)
cmd-modconfig-mute_role-role = role
    .description = Un rôle qui ne peut pas parler
cmd-modconfig-mute_role-always = toujours
    .description = Utiliser le rôle pour tous les mutes, pas seulement les longs
cmd-modconfig-dm = mp
    .description = Prévenir les membres par message privé quand ils sont sanctionnés
cmd-modconfig-dm-enabled = active
    .description = oui ou non

# Les durées telles que les modérateurs les tapent.
moderation-duration-malformed = `{ $text }` n'est pas une durée : indiquez un nombre et une unité, comme `30s`, `10m`, `2h`, `7d` ou `1w`.
moderation-duration-zero = La durée doit être supérieure à zéro.
moderation-duration-too-long = C'est plus d'un an ; indiquez une durée plus courte.
