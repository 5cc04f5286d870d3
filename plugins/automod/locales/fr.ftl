# Le module automod, en français.

automod-server-only = L’automod se règle dans un serveur, pas en message privé.
automod-none = aucun
automod-on = actif
automod-off = inactif

## Règles
automod-rule-words = filtre de mots
automod-rule-invites = invitations
automod-rule-links = liens
automod-rule-mentions = mentions en masse
automod-rule-caps = majuscules
automod-rule-emoji = spam d’émojis
automod-rule-attachments = spam de pièces jointes
automod-rule-zalgo = zalgo
automod-rule-rate = rythme des messages
automod-rule-duplicates = doublons
automod-rule-native-keywords = règle de mots-clés Discord
automod-rule-native-presets = listes prédéfinies Discord
automod-rule-native-mentions = règle anti-mentions Discord

## Pourquoi une règle s’est déclenchée
automod-why-word = le mot filtré « { $word } »
automod-why-regex = le motif filtré `{ $regex }`
automod-why-invite = une invitation ({ $invite })
automod-why-link = un lien vers { $host }, qui n’est pas dans la liste autorisée
automod-why-count = { $rule } : { $count } (la limite est { $limit })
automod-why-caps = { $percent } % de majuscules (la limite est { $limit } %)
automod-why-rate = { $count ->
    [one] un message
   *[other] { $count } messages
} en { $seconds ->
    [one] une seconde
   *[other] { $seconds } secondes
}
automod-why-duplicates = le même message { $count ->
    [one] une fois
   *[other] { $count } fois
} en { $seconds ->
    [one] une seconde
   *[other] { $seconds } secondes
}

## Infractions
automod-native-block = Ce message a été bloqué par l’automod du serveur.
automod-case-reason = automod, { $rule } : { $why }
automod-action-deleted = message supprimé
automod-action-failed = message supprimé ; la sanction ({ $sanction }) a échoué : { $error }
automod-action-case = message supprimé, { $sanction } (cas n° { $case })
automod-action-no-case = message supprimé, { $sanction } (aucun cas enregistré : { $error })
automod-sanction-delete = suppression
automod-sanction-warn = avertissement
automod-sanction-timeout = exclusion temporaire
automod-sanction-kick = expulsion
automod-sanction-ban = bannissement
automod-sanction-remove = retrait
automod-warn-notice = { $user }, votre message a été supprimé ({ $reason }). Ceci est un avertissement.
automod-log-violation = 🛡️ { $user } dans { $channel } : { $rule } — { $why }. Action : { $action }. ({ $count ->
    [one] première infraction
   *[other] { $count } infractions
} dans la dernière heure)

## Règles natives de Discord
automod-native-none = Aucune règle AutoMod de Discord n’est nécessaire pour ces réglages.
automod-native-synced = L’AutoMod de Discord est à jour : { $rules }.
automod-native-failed = Discord a refusé de mettre à jour ses règles AutoMod : { $error } Les réglages sont enregistrés et les règles du bot les appliquent ; donnez au bot la permission Gérer le serveur, puis utilisez `/automod toggle` avec votre niveau pour réessayer.

## État
automod-status-level = **Niveau de l’automod : { $level }**
automod-status-limit = , limite { $limit }
automod-status-window = , en { $seconds } s
automod-status-own = (réglage propre)
automod-status-in-discord = (dans Discord)
automod-status-words = { $words ->
    [one] Un mot filtré
   *[other] { $words } mots filtrés
}, { $regexes ->
    [one] une expression régulière
   *[other] { $regexes } expressions régulières
}.
automod-status-exempt = Rôles exemptés : { $roles }. Salons exemptés : { $channels }.
automod-status-links = Sites autorisés : { $links }.
automod-status-log = Les infractions et alertes de raid vont dans { $channel }.
automod-status-no-log = Pas de salon de journal : `/automod config log` en choisit un.
automod-steps-none = Escalade : aucune (une infraction supprime seulement le message).
automod-step = { $count } en { $minutes } min → { $sanction }
automod-steps = Escalade : { $steps }.

## Activation et règles
automod-toggled = L’automod est actif au niveau **{ $level }**.
automod-toggled-off = L’automod est désactivé. `/automod toggle` le réactive au dernier niveau.
automod-rule-no-limit = La règle { $rule } n’a pas de limite à régler.
automod-rule-no-window = La règle { $rule } n’a pas de durée à régler.
automod-rule-limit-too-high = La limite de la règle { $rule } est au plus { $max }.
automod-rule-reset = La règle { $rule } suit de nouveau le niveau ({ $level }).
automod-rule-saved = Enregistré.
automod-rule-now-on = La règle { $rule } est active
automod-rule-now-off = La règle { $rule } est inactive

## Escalade
automod-timeout-too-long = Une exclusion temporaire dure au plus 28 jours (limite de Discord).
automod-duration-only-timeout = Seule l’exclusion temporaire prend une durée.
automod-steps-full = Au plus { $max } paliers d’escalade : retirez-en un d’abord (`action: remove`).
automod-step-missing = Il n’y a pas de palier à { $count } infractions.

## Liens
automod-links-bad = « { $domain } » n’est pas un site : donnez un domaine comme `youtube.com`.
automod-links-full = Au plus { $max } sites autorisés.
automod-links-added = Les liens vers { $domain } (et ses sous-domaines) sont autorisés.
automod-links-removed = Les liens vers { $domain } ne sont plus autorisés.

## Salon de journal
automod-log-set = Les infractions et alertes de raid seront publiées dans { $channel }.
automod-log-cleared = Les infractions et alertes de raid ne sont plus publiées.

## Mots
automod-word-too-long = Un mot fait au plus { $max } caractères (limite de la règle de mots-clés de Discord).
automod-word-empty = Ce mot est vide une fois les espaces et les `*` retirés.
automod-word-duplicate = « { $word } » est déjà dans la liste.
automod-words-full = La liste contient au plus { $max } mots (limite de Discord) : retirez-en d’abord.
automod-regex-too-long = Une expression régulière fait au plus { $max } caractères (limite de Discord).
automod-regex-bad = L’expression régulière `{ $regex }` est inutilisable : { $reason }
automod-regexes-full = Au plus { $max } expressions régulières (limite de Discord) : retirez-en une d’abord.
automod-word-added = « { $word } » ajouté (reconnu aussi déguisé, comme `{ $form }`).
automod-regex-added = Expression régulière `{ $regex }` ajoutée.
automod-words-rule-off = Le filtre de mots est inactif à ce niveau : `/automod toggle` ou `/automod config rule` l’active.
automod-word-missing = « { $word } » n’est pas dans la liste : `/automod list` l’affiche.
automod-word-removed = « { $word } » retiré.
automod-list-empty = La liste est vide : `/automod add_word` ajoute des mots.

## Exemptions
automod-exempt-nothing = Donnez un rôle, un salon, ou les deux.
automod-exempt-role-added = { $target } est exempté de l’automod.
automod-exempt-role-removed = { $target } n’est plus exempté.
automod-exempt-channel-added = { $target } est exempté de l’automod.
automod-exempt-channel-removed = { $target } n’est plus exempté.
automod-exempt-roles-full = Au plus { $max } rôles exemptés (limite de Discord).
automod-exempt-channels-full = Au plus { $max } salons exemptés (limite de Discord).

## Simulation
automod-simulate-normalised = Lu comme : `{ $text }`
automod-simulate-hit = Ceci déclencherait **{ $rule }** : { $why }.
automod-simulate-clean = Aucune règle ne se déclencherait sur ce seul texte (le rythme et les doublons demandent plusieurs messages).
automod-simulate-off = L’automod est désactivé sur ce serveur : `/automod toggle` l’active.

## Mode raid
automod-raid-config = Détection de raid : { $joins } arrivées en { $seconds } s → { $action }.
automod-raid-config-off = La détection de raid est désactivée.
automod-raid-action-pause-invites = suspendre les invitations
automod-raid-action-verification = relever le niveau de vérification
automod-raid-action-both = suspendre les invitations et relever le niveau de vérification
automod-raid-action-alert = prévenir seulement les modérateurs
automod-raid-needs-level = La détection de raid fonctionne quand l’automod est actif (`/automod toggle`).
automod-raid-active = 🚨 Le mode raid est actif depuis { $since }. `/automod raid end` y met fin.
automod-raid-inactive = Le mode raid est inactif.
automod-raid-invites-paused = Les invitations sont suspendues jusqu’au { $until }.
automod-raid-verification-raised = Le niveau de vérification est relevé au maximum.
automod-raid-problem = Impossible : { $problem }
automod-raid-started = Le mode raid est actif.
automod-raid-already = Le mode raid est déjà actif.
automod-raid-end-failed = Le mode raid reste actif : Discord a refusé de l’annuler ({ $error }).
automod-raid-ended = Mode raid terminé ; les invitations et le niveau de vérification sont revenus comme avant.
automod-raid-ended-log = ✅ Mode raid terminé par { $user }.
automod-raid-alert = 🚨 **Mode raid** : { $joins } membres sont arrivés en { $seconds } secondes. Les messages de bienvenue sont suspendus. Personne n’a été expulsé ni banni.
automod-raid-alert-manual = 🚨 **Mode raid** lancé par { $user }. Les messages de bienvenue sont suspendus.

## Commandes (noms et descriptions dans Discord)
cmd-automod = automod
    .description = Modération automatique : filtres, anti-spam, protection contre les raids
cmd-automod-status = etat
    .description = Voir le niveau, chaque règle, les règles de Discord et le mode raid
cmd-automod-toggle = activer
    .description = Désactiver ou réactiver l’automod, ou choisir un niveau
cmd-automod-toggle-level = niveau
    .description = Le niveau (sans : désactiver, ou revenir au dernier niveau)
cmd-automod-toggle-level-choice-off = désactivé
cmd-automod-toggle-level-choice-low = bas
cmd-automod-toggle-level-choice-medium = moyen
cmd-automod-toggle-level-choice-high = élevé
cmd-automod-config = config
    .description = Règles, escalade, liens, salon de journal et détection de raid
cmd-automod-config-rule = regle
    .description = Activer ou désactiver une règle, ou changer sa limite
cmd-automod-config-rule-rule = regle
    .description = La règle
cmd-automod-config-rule-rule-choice-words = mots
cmd-automod-config-rule-rule-choice-invites = invitations
cmd-automod-config-rule-rule-choice-links = liens
cmd-automod-config-rule-rule-choice-mentions = mentions
cmd-automod-config-rule-rule-choice-caps = majuscules
cmd-automod-config-rule-rule-choice-emoji = émojis
cmd-automod-config-rule-rule-choice-attachments = pièces jointes
cmd-automod-config-rule-rule-choice-zalgo = zalgo
cmd-automod-config-rule-rule-choice-rate = rythme
cmd-automod-config-rule-rule-choice-duplicates = doublons
cmd-automod-config-rule-rule-choice-native_keywords = mots-clés Discord
cmd-automod-config-rule-rule-choice-native_presets = listes Discord
cmd-automod-config-rule-rule-choice-native_mentions = mentions Discord
cmd-automod-config-rule-enabled = active
    .description = Active ou non (sans : comme le niveau le dit)
cmd-automod-config-rule-limit = limite
    .description = Sa limite (mentions, émojis, pièces jointes, % de majuscules, marques, messages, répétitions)
cmd-automod-config-rule-seconds = secondes
    .description = Sa fenêtre en secondes (rythme, doublons)
cmd-automod-config-escalation = escalade
    .description = Ajouter ou remplacer un palier : tant d’infractions en tant de minutes, puis une action
cmd-automod-config-escalation-count = nombre
    .description = Combien d’infractions
cmd-automod-config-escalation-minutes = minutes
    .description = En combien de minutes
cmd-automod-config-escalation-action = action
    .description = Ce qui se passe alors (remove : supprimer ce palier)
cmd-automod-config-escalation-action-choice-delete = supprimer le message
cmd-automod-config-escalation-action-choice-warn = avertir
cmd-automod-config-escalation-action-choice-timeout = exclure temporairement
cmd-automod-config-escalation-action-choice-kick = expulser
cmd-automod-config-escalation-action-choice-ban = bannir
cmd-automod-config-escalation-action-choice-remove = retirer le palier
cmd-automod-config-escalation-duration = duree
    .description = Durée d’une exclusion temporaire (10m, 1h, jusqu’à 28d)
cmd-automod-config-links = liens
    .description = Autoriser les liens vers un site, ou ne plus les autoriser
cmd-automod-config-links-domain = domaine
    .description = Un site, comme youtube.com (ses sous-domaines aussi)
cmd-automod-config-log = journal
    .description = Où publier les infractions et alertes de raid (sans : nulle part)
cmd-automod-config-log-channel = salon
    .description = Un salon textuel
cmd-automod-config-raid = raid
    .description = Détection de raid : combien d’arrivées en combien de secondes, et ce que fait le mode raid
cmd-automod-config-raid-joins = arrivees
    .description = Des membres qui arrivent…
cmd-automod-config-raid-seconds = secondes
    .description = …en tant de secondes lancent le mode raid
cmd-automod-config-raid-action = action
    .description = Ce que fait le mode raid
cmd-automod-config-raid-action-choice-pause_invites = suspendre les invitations
cmd-automod-config-raid-action-choice-verification = relever la vérification
cmd-automod-config-raid-action-choice-both = les deux
cmd-automod-config-raid-action-choice-alert = alerter seulement
cmd-automod-config-raid-enabled = active
    .description = Détection de raid active ou non
cmd-automod-add_word = ajouter_mot
    .description = Ajouter un mot (mot, *mot*, mot*, *mot) ou une expression régulière au filtre
cmd-automod-add_word-word = mot
    .description = Le mot (syntaxe de Discord) ou l’expression régulière
cmd-automod-add_word-regex = regex
    .description = C’est une expression régulière
cmd-automod-remove_word = retirer_mot
    .description = Retirer un mot ou une expression régulière du filtre
cmd-automod-remove_word-word = mot
    .description = Le mot ou l’expression, tel que listé
cmd-automod-list = liste
    .description = Lister les mots et expressions filtrés
cmd-automod-exempt = exempter
    .description = Exempter un rôle ou un salon (encore une fois : plus exempté)
cmd-automod-exempt-role = role
    .description = Un rôle dont les membres échappent aux règles
cmd-automod-exempt-channel = salon
    .description = Un salon qui échappe aux règles
cmd-automod-simulate = simuler
    .description = Montrer quelle règle un texte déclencherait, et pourquoi
cmd-automod-simulate-text = texte
    .description = Le texte à tester
cmd-automod-raid = raid
    .description = Mode raid : le voir, le lancer, y mettre fin
cmd-automod-raid-status = etat
    .description = Le mode raid est-il actif, depuis quand, ce qu’il a fait
cmd-automod-raid-start = lancer
    .description = Lancer le mode raid maintenant
cmd-automod-raid-end = terminer
    .description = Mettre fin au mode raid et annuler ce qu’il a fait
