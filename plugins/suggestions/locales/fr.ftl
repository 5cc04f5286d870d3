# Le module des suggestions (`/suggest`, `/suggestion`), en français.

suggestions-guild-only = Les suggestions se font dans un serveur, pas en message privé.
suggestions-need-manage-server = Seuls les membres qui ont la permission Gérer le serveur peuvent changer les réglages des suggestions.

## Le message de la suggestion

suggestions-title = Suggestion n° { $number }
suggestions-anonymous = Anonyme
suggestions-field-author = Auteur
suggestions-field-status = Statut
suggestions-field-votes = Votes
suggestions-field-reason = Raison
suggestions-status-pending = Ouverte aux votes
suggestions-status-considered = À l'étude
suggestions-status-approved = Approuvée
suggestions-status-denied = Refusée
suggestions-status-implemented = Réalisée
suggestions-status-by = { $status } par { $by }
suggestions-log = La suggestion n° { $number } est maintenant **{ $status }** : { $link }
suggestions-dm = Votre suggestion n° { $number } est maintenant **{ $status }** : { $link }

## /suggest

suggestions-not-set-up = Les suggestions ne sont pas encore configurées sur ce serveur : un administrateur peut choisir leur salon avec `/suggestion config salon:`.
suggestions-no-anonymous = Les suggestions anonymes sont désactivées sur ce serveur : renvoyez-la sans `anonyme`.
suggestions-empty = Votre suggestion est vide : écrivez ce que vous proposez.
suggestions-cooldown = Vous pourrez faire une nouvelle suggestion dans { $wait }.
suggestions-hours = { $n } h
suggestions-minutes = { $n } min
suggestions-seconds = { $n } s
suggestions-post-failed = Je n'ai pas pu publier votre suggestion dans { $channel } : { $reason }. Rien n'a été enregistré ; demandez à un administrateur de vérifier mes permissions dans ce salon. Votre texte, pour le renvoyer :
    { $text }
suggestions-posted = Votre suggestion n° { $number } est publiée : { $link }
suggestions-thread-failed = Je n'ai pas pu ouvrir son fil de discussion : { $reason }.

## Votes

suggestions-old-button = Ce bouton n'est plus utilisé.
suggestions-vote-gone = Cette suggestion n'existe plus.
suggestions-vote-closed = La suggestion n° { $number } est tranchée : les votes sont clos.
suggestions-voted = Vous avez voté { $vote } pour la suggestion n° { $number } (👍 { $up } · 👎 { $down }). Appuyez de nouveau pour retirer votre vote.
suggestions-vote-changed = Vous avez changé votre vote sur la suggestion n° { $number } pour { $vote } (👍 { $up } · 👎 { $down }).
suggestions-vote-withdrawn = Vous avez retiré votre vote sur la suggestion n° { $number } (👍 { $up } · 👎 { $down }).
suggestions-count-not-shown = Votre vote compte, mais je n'ai pas pu mettre à jour les compteurs du message : { $reason }.

## Décisions

suggestions-not-staff = Seule l'équipe des suggestions (les rôles choisis avec `/suggestion equipe`) et les membres qui peuvent gérer le serveur tranchent les suggestions.
suggestions-unknown = Il n'y a pas de suggestion n° { $number } sur ce serveur.
suggestions-not-posted = La suggestion n° { $number } n'a jamais été publiée : il n'y a rien à trancher.
suggestions-decided = La suggestion n° { $number } est maintenant **{ $status }** : { $link }
suggestions-message-gone = Son message a été supprimé : seul l'enregistrement a changé.
suggestions-edit-failed = Je n'ai pas pu mettre à jour son message : { $reason }.
suggestions-log-failed = Je n'ai pas pu la copier dans { $channel } : { $reason }.
suggestions-thread-close-failed = Je n'ai pas pu archiver et verrouiller sa discussion { $thread } : { $reason }. Donnez-moi la permission Gérer les fils, ou fermez-la vous-même.
suggestions-thread-reopen-failed = Je n'ai pas pu rouvrir sa discussion { $thread } : { $reason }. Donnez-moi la permission Gérer les fils, ou rouvrez-la vous-même.
suggestions-own = C'est votre propre suggestion : aucun message privé n'a été envoyé.
suggestions-author-told = L'auteur a été prévenu en message privé.
suggestions-dm-closed = Je n'ai pas pu écrire à l'auteur en privé : il n'accepte pas mes messages privés. Prévenez-le sur le serveur s'il doit le savoir.
suggestions-dm-failed = Je n'ai pas pu écrire à l'auteur en privé : { $reason }.
suggestions-show = Suggestion n° { $number } de { $author } : **{ $status }**, 👍 { $up } · 👎 { $down }. { $link }
suggestions-show-anonymous = Suggestion n° { $number } de { $author } (publiée anonymement : gardez-le pour l'équipe) : **{ $status }**, 👍 { $up } · 👎 { $down }. { $link }

## /suggestion config et equipe

suggestions-bad-cooldown = `{ $text }` n'est pas un délai : écrivez une durée comme `10m`, `1h` ou `1h30m`, ou `off`.
suggestions-saved = Réglages enregistrés.
suggestions-settings = Réglages des suggestions :
suggestions-everyone-staff = @everyone ne peut pas être l'équipe des suggestions : choisissez un rôle.
suggestions-staff-added = { $role } peut maintenant trancher les suggestions.
suggestions-staff-removed = { $role } ne peut plus trancher les suggestions.
suggestions-not-set = non défini
suggestions-no-staff = aucun (Gérer le serveur seulement)
suggestions-on = activé
suggestions-off = désactivé
suggestions-settings-lines = Salon : { $channel }
    Salon de journal : { $log }
    Rôles de l'équipe : { $staff }
    Délai entre deux suggestions : { $cooldown }
    Suggestions anonymes : { $anonymous }
    Fils de discussion : { $threads }

## Noms et descriptions des commandes

cmd-suggest = suggerer
    .description = Proposer quelque chose au serveur
cmd-suggest-suggestion = suggestion
    .description = Votre suggestion
cmd-suggest-anonymous = anonyme
    .description = Masquer votre nom sur la suggestion (l'équipe peut toujours le voir)
cmd-suggestion = suggestion
    .description = Suggestions : les trancher (équipe) et les configurer (Gérer le serveur)
cmd-suggestion-approve = approuver
    .description = Approuver une suggestion (équipe)
cmd-suggestion-approve-id = numero
    .description = Le numéro de la suggestion (n° 12 : 12)
cmd-suggestion-approve-reason = raison
    .description = Pourquoi (affiché sur la suggestion et envoyé à son auteur)
cmd-suggestion-deny = refuser
    .description = Refuser une suggestion (équipe)
cmd-suggestion-deny-id = numero
    .description = Le numéro de la suggestion (n° 12 : 12)
cmd-suggestion-deny-reason = raison
    .description = Pourquoi (affiché sur la suggestion et envoyé à son auteur)
cmd-suggestion-consider = etudier
    .description = Marquer une suggestion comme à l'étude (équipe)
cmd-suggestion-consider-id = numero
    .description = Le numéro de la suggestion (n° 12 : 12)
cmd-suggestion-consider-reason = raison
    .description = Pourquoi (affiché sur la suggestion et envoyé à son auteur)
cmd-suggestion-implement = realiser
    .description = Marquer une suggestion comme réalisée (équipe)
cmd-suggestion-implement-id = numero
    .description = Le numéro de la suggestion (n° 12 : 12)
cmd-suggestion-implement-reason = raison
    .description = Pourquoi (affiché sur la suggestion et envoyé à son auteur)
cmd-suggestion-show = voir
    .description = Voir une suggestion, ses votes et son auteur, même anonyme (équipe)
cmd-suggestion-show-id = numero
    .description = Le numéro de la suggestion (n° 12 : 12)
cmd-suggestion-config = config
    .description = Afficher ou changer les réglages (Gérer le serveur)
cmd-suggestion-config-channel = salon
    .description = Où les suggestions sont publiées
cmd-suggestion-config-log_channel = salon_journal
    .description = Où les suggestions tranchées sont copiées
cmd-suggestion-config-cooldown = delai
    .description = Délai entre deux suggestions d'un membre : 10m, 1h, ou off
cmd-suggestion-config-anonymous = anonyme
    .description = Autoriser les suggestions anonymes
cmd-suggestion-config-threads = fils
    .description = Ouvrir un fil de discussion sur chaque suggestion
cmd-suggestion-staff = equipe
    .description = Ajouter ou retirer un rôle qui tranche les suggestions (Gérer le serveur)
cmd-suggestion-staff-role = role
    .description = Le rôle (de nouveau pour le retirer)
