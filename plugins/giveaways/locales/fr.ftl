# Le module des concours (`/giveaway`), en français.

## Où vivent les concours

giveaway-guild-only = Les concours se font dans un serveur, pas en message privé.
giveaway-gone = Ce concours a été supprimé.
giveaway-old-form = Ce formulaire vient d'une ancienne version du module des concours : relancez `/giveaway lancer`.

## Lancer

giveaway-prize-and-duration = Donnez un `lot` et une `duree` (comme `2h` ou `3d`), ou aucun des deux pour remplir le formulaire.
giveaway-prefix-usage = Donnez le lot et la durée : `!giveaway start "Steam key" 2d winners=2` (le formulaire demande la commande slash).
giveaway-form-title = Nouveau concours
giveaway-form-prize = Lot
giveaway-form-duration = Durée (30m, 2h, 3d)
giveaway-form-winners = Nombre de gagnants (1 à 50, 1 par défaut)
giveaway-form-description = Description (facultative)
giveaway-form-no-prize = Le lot ne peut pas être vide.
giveaway-bad-duration = `{ $duration }` n'est pas une durée : écrivez-la comme `30m`, `2h`, `3d` ou `1h30m` (un an au plus).
giveaway-bad-winners = `{ $winners }` n'est pas un nombre de gagnants : écrivez un nombre entier de 1 à { $max }.
giveaway-bonus-not-role = `{ $word }` n'est pas un rôle dans le bonus : écrivez chaque rôle (mention ou identifiant) suivi de ses participations en plus, comme `@Booster 2 @VIP 1`.
giveaway-bonus-bad-count = `{ $word }` n'est pas un nombre de participations en plus : écrivez un nombre entier de 1 à { $max } après chaque rôle.
giveaway-bonus-no-count = { $role } n'est suivi d'aucun nombre de participations en plus : écrivez-le comme `@Booster 2`.
giveaway-bonus-twice = { $role } figure deux fois dans le bonus : donnez chaque rôle une fois.
giveaway-bonus-too-many = Au plus { $max } rôles bonus par concours.
giveaway-cannot-post = Je ne peux pas publier dans { $channel } : donnez-moi Voir le salon, Envoyer des messages et Intégrer des liens, ou choisissez un autre salon.
giveaway-post-failed = Discord a refusé le message du concours dans { $channel } : { $reason }
giveaway-started = Concours publié dans { $channel } (message `{ $id }`), fin { $when }. Le SHA-256 de la graine, affiché jusqu'à ce que la fin révèle la graine : `{ $hash }`
giveaway-level-needs-economy = Une condition de niveau est impossible pour l'instant : { $why } Lancez-le sans `niveau_min`, ou quand economy répondra.
giveaway-economy-not-loaded = le module economy, qui tient les niveaux, n'est pas chargé sur ce bot.
giveaway-economy-failed = le module economy n'a pas répondu ({ $reason }).

## Le message du concours

giveaway-ends = Fin { $when }
giveaway-ended-at = Terminé { $when }
giveaway-winner-count = { $count ->
    [one] **1** gagnant
   *[other] **{ $count }** gagnants
}
giveaway-winners = Gagnants : { $winners }
giveaway-no-winner = Aucun participant valable, aucun gagnant.
giveaway-hosted-by = Organisé par { $host }
giveaway-entrants = { $count ->
    [one] **1** participant
   *[other] **{ $count }** participants
}
giveaway-rule-role = Réservé à { $role }
giveaway-rule-age = Compte Discord d'au moins { $days ->
    [one] 1 jour
   *[other] { $days } jours
}
giveaway-rule-level = Niveau economy { $level } minimum
giveaway-rule-bonus = { $role } : +{ $extra ->
    [one] 1 participation
   *[other] { $extra } participations
}
giveaway-commitment = Engagement du tirage, SHA-256 de la graine : `{ $hash }`
giveaway-seed = Graine : `{ $seed }`
giveaway-title-ended = 🎉 { $prize } (terminé)
giveaway-enter-button = Participer ({ $count })

## Participer

giveaway-closed = Ce concours est terminé : les participations sont closes.
giveaway-entered = Vous participez ! { $entries ->
    [one] Vous avez 1 participation.
   *[other] Vous avez { $entries } participations (rôles bonus compris).
}
giveaway-already-in = Vous participez déjà ({ $entries ->
    [one] 1 participation
   *[other] { $entries } participations
}). Appuyez sur Quitter pour vous retirer.
giveaway-leave-button = Quitter
giveaway-left = Vous avez quitté le concours.
giveaway-not-in = Vous ne participiez pas à ce concours.
giveaway-needs-role = Il faut { $role } pour participer à ce concours.
giveaway-needs-age = Votre compte Discord doit avoir au moins { $days ->
    [one] 1 jour
   *[other] { $days } jours
} pour participer à ce concours.
giveaway-needs-level = Il faut le niveau economy { $level } pour participer ; vous êtes niveau { $yours }.
giveaway-level-unchecked = Votre niveau ne peut pas être vérifié pour l'instant, vous ne pouvez donc pas encore participer : { $why } Réessayez plus tard ou prévenez un administrateur.

## Fin et nouveau tirage

giveaway-announce = 🎉 Félicitations { $winners } ! Vous avez gagné **{ $prize }**.
giveaway-announce-none = Personne n'a pu gagner **{ $prize }** : le concours n'avait aucun participant valable.
giveaway-reroll-announce = 🎉 Nouveau tirage pour **{ $prize }** : félicitations { $winners } !
giveaway-reroll-none = Nouveau tirage pour **{ $prize }** : il ne reste personne à tirer.
giveaway-announce-proof = Graine `{ $seed }` ; la liste des participants est jointe : chacun peut refaire le tirage ({ $link }).
giveaway-ended-now = **{ $prize }** est terminé ; gagnants : { $winners }.
giveaway-ended-nobody = **{ $prize }** s'est terminé sans participant valable : aucun gagnant.
giveaway-already-ended = Le concours `{ $id }` est déjà terminé : ses gagnants ont été tirés une fois. Utilisez `/giveaway retirer` pour de nouveaux gagnants.
giveaway-announce-failed = Le tirage est enregistré, mais je n'ai pas pu l'annoncer dans { $channel } ({ $reason }) ; je réessaie dans une minute.
giveaway-reroll-announce-failed = Les nouveaux gagnants sont enregistrés (voir `/giveaway liste`), mais je n'ai pas pu les annoncer dans { $channel } ({ $reason }) : donnez-moi Envoyer des messages et Joindre des fichiers, ou prévenez-les vous-même.
giveaway-reroll-open = Le concours `{ $id }` est encore en cours : terminez-le d'abord avec `/giveaway terminer`.
giveaway-reroll-forgotten = Le concours `{ $id }` s'est terminé il y a plus de 30 jours : ses participants ont été oubliés, plus personne ne peut être tiré au sort.
giveaway-rerolled = Nouveaux gagnants : { $winners }.
giveaway-reroll-nobody = Tous les participants ont déjà gagné : il ne reste personne à tirer.

## Gérer

giveaway-bad-id = `{ $id }` n'est pas l'identifiant du message d'un concours : copiez-le depuis `/giveaway liste`.
giveaway-unknown = Il n'y a pas de concours `{ $id }` sur ce serveur : voyez `/giveaway liste`.
giveaway-list-empty = Aucun concours sur ce serveur pour l'instant : lancez-en un avec `/giveaway lancer`.
giveaway-list-title = { $count ->
    [one] **1 concours**
   *[other] **{ $count } concours**
}, du plus récent au plus ancien :
giveaway-list-open = `{ $id }` **{ $prize }** dans { $channel } : fin { $when }, { $count } participants
giveaway-list-ended = `{ $id }` **{ $prize }** dans { $channel } : terminé, { $count } participants, gagnants { $winners }
giveaway-choice-open = en cours
giveaway-choice-ended = terminé
giveaway-list-more = …et { $count } plus anciens.
giveaway-deleted = Concours **{ $prize }** supprimé, avec ses participations.
giveaway-delete-message-failed = Son message n'a pas pu être supprimé : { $reason }

## Noms et descriptions de la commande

cmd-giveaway = giveaway
    .description = Concours : des lots tirés au sort parmi les membres qui participent, de façon vérifiable
cmd-giveaway-start = lancer
    .description = Lancer un concours (sans lot : remplir un formulaire)
cmd-giveaway-start-prize = lot
    .description = Ce qui est à gagner
cmd-giveaway-start-duration = duree
    .description = Combien de temps il dure : 30m, 2h, 3d
cmd-giveaway-start-winners = gagnants
    .description = Combien de gagnants (1 par défaut)
cmd-giveaway-start-channel = salon
    .description = Où le publier (ce salon par défaut)
cmd-giveaway-start-required_role = role_requis
    .description = Les participants doivent avoir ce rôle
cmd-giveaway-start-min_account_age = age_compte_min
    .description = Âge minimum du compte Discord des participants : 7d, 30d
cmd-giveaway-start-min_level = niveau_min
    .description = Niveau economy minimum des participants (demande le module economy)
cmd-giveaway-start-bonus = bonus
    .description = Participations en plus par rôle : @Booster 2 @VIP 1
cmd-giveaway-start-description = description
    .description = Texte sous le lot
cmd-giveaway-end = terminer
    .description = Terminer un concours maintenant et tirer ses gagnants
cmd-giveaway-end-giveaway = concours
    .description = L'identifiant du message du concours (voir /giveaway liste)
cmd-giveaway-reroll = retirer
    .description = Tirer de nouveaux gagnants d'un concours terminé (les anciens sont exclus)
cmd-giveaway-reroll-giveaway = concours
    .description = L'identifiant du message du concours (voir /giveaway liste)
cmd-giveaway-reroll-winners = gagnants
    .description = Combien de nouveaux gagnants (1 par défaut)
cmd-giveaway-list = liste
    .description = Les concours de ce serveur
cmd-giveaway-delete = supprimer
    .description = Supprimer un concours et son message
cmd-giveaway-delete-giveaway = concours
    .description = L'identifiant du message du concours (voir /giveaway liste)
