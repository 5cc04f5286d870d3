# Le module des profils (`/profile`), en français.

## Où les profils servent

profile-guild-only = Les profils appartiennent à un serveur : utilisez /profile là-bas, pas en messages privés.

## /profile config

profile-saved = Votre profil est enregistré.
profile-summary =
    - **Bio :** { $bio }
    - **Style d'écriture :** { $style }
    - **Thème :** { $theme }
    - **Caché aux autres :** { $hidden }
    Modifiez-les avec `/profile config` ; voyez votre carte avec `/profile view`.
profile-no-bio = aucune pour l'instant (`/profile config bio:`)
profile-nothing-hidden = rien
profile-bio-empty = Une bio a besoin d'un peu de texte. Pour effacer la vôtre, donnez `-` comme bio.
profile-bio-too-long = Une bio contient au plus { $max } caractères ; la vôtre en a { $length }. Raccourcissez-la et réessayez.
profile-hide-and-show = Vous avez demandé à la fois de cacher et d'afficher { $field } : choisissez l'un des deux.

## /profile reset

profile-reset = Votre bio, votre style d'écriture, votre thème et vos choix de confidentialité sont effacés. Vos statistiques et vos succès restent.
profile-reset-nothing = Rien à effacer : votre profil utilise déjà les réglages par défaut.

## /profile test_style

profile-style-sample = Bonjour, j'adore ce serveur !
profile-style-preview = **{ $style } :** { $text }

    Tous les styles :
    { $all }

    Gardez-en un avec `/profile config style:`.

## /profile announce

profile-announce-permission = Seuls les membres ayant la permission Gérer le serveur choisissent où les succès sont annoncés.
profile-announce-off = Les succès ne sont pas annoncés sur ce serveur. Réactivez-les avec `/profile announce enabled:True`.
profile-announce-in = Les succès sont annoncés dans { $channel }.
profile-announce-where = Les succès sont annoncés dans le salon où ils sont débloqués. Choisissez un salon avec `/profile announce channel:`.

## /profile view

profile-view-title = Profil de { $name }
profile-card-alt = Carte de profil de { $name }
profile-subtitle = { $theme } · ★ { $count ->
    [one] { $count } succès
   *[other] { $count } succès
}
profile-voice-time = { $hours } h { $minutes }

## Champs (confidentialité et libellés de la carte)

profile-field-bio = Bio
profile-field-messages = Messages
profile-field-voice = Vocal
profile-field-balance = Pièces
profile-field-level = Niveau
profile-field-achievements = Succès

## Styles d'écriture

style-normal = Normal
style-bold = Gras
style-italic = Italique
style-script = Manuscrit
style-gothic = Gothique
style-monospace = Chasse fixe
style-double-struck = Ajouré
style-small-caps = Petites capitales
style-wide = Large

## Thèmes

theme-classic = Classique
theme-ocean = Océan
theme-forest = Forêt
theme-sunset = Crépuscule
theme-midnight = Minuit
theme-sakura = Sakura
theme-gold = Or

## Succès

profile-achievement-unlocked = 🏆 { $user } a débloqué **{ $name }** : { $description }
achievement-first-message = Premiers mots
    .description = a envoyé un premier message.
achievement-messages-100 = Bavard
    .description = a envoyé 100 messages.
achievement-messages-1000 = Pilier du serveur
    .description = a envoyé 1 000 messages.
achievement-voice-1h = À l'antenne
    .description = a passé une heure dans les salons vocaux.
achievement-voice-10h = Animateur radio
    .description = a passé dix heures dans les salons vocaux.
achievement-storyteller = Conteur
    .description = a écrit une bio.

## Noms des commandes

cmd-profile = profil
    .description = Profils des membres : bio, style d'écriture, thème, statistiques et succès
cmd-profile-config = configurer
    .description = Régler votre bio, style d'écriture, thème, ou ce que les autres voient
cmd-profile-config-bio = bio
    .description = Quelques mots sur vous (300 caractères au plus ; « - » l'efface)
cmd-profile-config-style = style
    .description = Comment votre bio est écrite
cmd-profile-config-style-choice-normal = normal
cmd-profile-config-style-choice-bold = gras
cmd-profile-config-style-choice-italic = italique
cmd-profile-config-style-choice-script = manuscrit
cmd-profile-config-style-choice-gothic = gothique
cmd-profile-config-style-choice-monospace = chasse fixe
cmd-profile-config-style-choice-double_struck = ajouré
cmd-profile-config-style-choice-small_caps = petites capitales
cmd-profile-config-style-choice-wide = large
cmd-profile-config-theme = theme
    .description = Les couleurs de votre carte
cmd-profile-config-theme-choice-classic = classique
cmd-profile-config-theme-choice-ocean = océan
cmd-profile-config-theme-choice-forest = forêt
cmd-profile-config-theme-choice-sunset = crépuscule
cmd-profile-config-theme-choice-midnight = minuit
cmd-profile-config-theme-choice-sakura = sakura
cmd-profile-config-theme-choice-gold = or
cmd-profile-config-hide = cacher
    .description = Cacher une partie de votre profil aux autres membres
cmd-profile-config-hide-choice-bio = bio
cmd-profile-config-hide-choice-messages = messages
cmd-profile-config-hide-choice-voice = vocal
cmd-profile-config-hide-choice-balance = pièces
cmd-profile-config-hide-choice-level = niveau
cmd-profile-config-hide-choice-achievements = succès
cmd-profile-config-show = afficher
    .description = Afficher à nouveau une partie cachée
cmd-profile-config-show-choice-bio = bio
cmd-profile-config-show-choice-messages = messages
cmd-profile-config-show-choice-voice = vocal
cmd-profile-config-show-choice-balance = pièces
cmd-profile-config-show-choice-level = niveau
cmd-profile-config-show-choice-achievements = succès
cmd-profile-view = voir
    .description = Afficher la carte de profil d'un membre
cmd-profile-view-member = membre
    .description = Le profil de qui (le vôtre si vide)
cmd-profile-test_style = tester_style
    .description = Essayer un style d'écriture sur un texte
cmd-profile-test_style-style = style
    .description = Le style à essayer
cmd-profile-test_style-style-choice-normal = normal
cmd-profile-test_style-style-choice-bold = gras
cmd-profile-test_style-style-choice-italic = italique
cmd-profile-test_style-style-choice-script = manuscrit
cmd-profile-test_style-style-choice-gothic = gothique
cmd-profile-test_style-style-choice-monospace = chasse fixe
cmd-profile-test_style-style-choice-double_struck = ajouré
cmd-profile-test_style-style-choice-small_caps = petites capitales
cmd-profile-test_style-style-choice-wide = large
cmd-profile-test_style-text = texte
    .description = Le texte à écrire (votre bio, ou un exemple, si vide)
cmd-profile-reset = reinitialiser
    .description = Effacer votre bio, style, thème et choix de confidentialité (les statistiques restent)
cmd-profile-announce = annonces
    .description = Où les succès sont annoncés (Gérer le serveur)
cmd-profile-announce-channel = salon
    .description = Annoncer les succès dans ce salon (là où ils arrivent si vide)
cmd-profile-announce-enabled = actives
    .description = Annoncer les succès ou non (oui par défaut)
