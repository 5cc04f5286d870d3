# Les textes du module welcome en français.

welcome-dm-only = Les messages de bienvenue se configurent dans un serveur, pas en message privé.
welcome-channel-set = Les messages de bienvenue seront publiés dans { $channel }.
welcome-no-channel = Pas encore de salon : d'abord `/bienvenue salon #quelque-part`.
welcome-test-posted = Bienvenue de test publiée dans { $channel }.
welcome-text-length = Le message doit faire de 1 à { $max } caractères.
welcome-saved = Enregistré. Aperçu : { $preview }
welcome-added = Ajouté. Aperçu : { $preview } ({ $count ->
        [one] un message
       *[other] { $count } messages, un tiré au hasard
    })
welcome-saved-no-channel = Choisissez un salon avec `/bienvenue salon` pour commencer.
welcome-too-many-messages = Il y a déjà { $max } messages de ce type : retirez-en un d'abord (`/bienvenue retirer`).
welcome-removed = Message { $number } retiré : { $text }
welcome-no-such-number = Il n'y a pas de message numéro { $number } : voir `/bienvenue afficher`.
welcome-style-text = Les messages seront publiés en texte simple.
welcome-style-embed = Les messages seront publiés dans un embed.
welcome-dm-set = Les nouveaux membres recevront ce message privé : { $preview }
welcome-dm-off = Aucun message privé ne sera envoyé.
welcome-role-everyone = Tout le monde a déjà @everyone : choisissez un autre rôle.
welcome-too-many-roles = Au plus { $max } rôles sont donnés à l'arrivée : retirez-en un d'abord.
welcome-role-added = Les nouveaux membres recevront { $role } (après avoir accepté le règlement, sur les serveurs qui filtrent les membres). Mon rôle doit être au-dessus, avec Gérer les rôles.
welcome-role-removed = Les nouveaux membres ne recevront plus { $role }.
welcome-role-not-given = { $role } n'est pas donné à l'arrivée.
welcome-new-accounts-set = Les comptes de moins { $days ->
        [one] d'un jour
       *[other] de { $days } jours
    } seront signalés dans { $channel }.
welcome-new-accounts-off = Aucun signalement des nouveaux comptes.
welcome-the-welcome-channel = le salon de bienvenue
welcome-delete-set = Le message de bienvenue sera supprimé si le membre part dans { $within }.
welcome-delete-off = Les messages de bienvenue restent quand les membres partent.
welcome-delete-too-long = Une semaine au plus (7d).
welcome-hours = { $count ->
        [one] une heure
       *[other] { $count } heures
    }
welcome-minutes = { $count ->
        [one] une minute
       *[other] { $count } minutes
    }
welcome-seconds = { $count ->
        [one] une seconde
       *[other] { $count } secondes
    }
welcome-disabled = Messages de bienvenue et d'au revoir désactivés ; réglages supprimés.
welcome-not-set-up = Ils n'étaient pas configurés.
welcome-off = désactivé
welcome-not-set = non défini
welcome-style-name-text = texte simple
welcome-style-name-embed = embed
welcome-show-new-accounts = de moins { $days ->
        [one] d'un jour
       *[other] de { $days } jours
    }, dans { $channel }
welcome-show =
    Salon : { $channel }
    Style : { $style }
    Bienvenue (un tiré au hasard) :{ $welcome }
    Au revoir :{ $goodbye }
    Message privé : { $dm }
    Rôles à l'arrivée : { $roles }
    Signalement des nouveaux comptes : { $new_accounts }
    Supprimer la bienvenue si le membre part dans : { $delete }
welcome-default-template = Bienvenue {"{"}user{"}"} ! 👋
welcome-post-failed = impossible de publier le message de bienvenue dans { $channel } : { $reason }
welcome-role-reason = Bienvenue : rôle donné à l'arrivée
welcome-new-account = ⚠️ { $user } ({ $name }) est arrivé avec un compte récent, créé { $created }.

cmd-welcome = bienvenue
    .description = Configurer les messages de bienvenue et d'au revoir
cmd-welcome-channel = salon
    .description = Où vont les messages
cmd-welcome-channel-channel = salon
    .description = Un salon textuel
cmd-welcome-message = message
    .description = Le message de bienvenue
cmd-welcome-message-text = texte
    .description = Le message ; {"{"}user{"}"} devient une mention, {"{"}name{"}"} le nom du membre
cmd-welcome-goodbye = aurevoir
    .description = Le message d'au revoir (aucun tant qu'il n'est pas défini)
cmd-welcome-goodbye-text = texte
    .description = Le message ; {"{"}user{"}"} devient une mention, {"{"}name{"}"} le nom du membre
cmd-welcome-test = test
    .description = Publier le message de bienvenue pour vous-même
cmd-welcome-show = afficher
    .description = Afficher les réglages
cmd-welcome-disable = desactiver
    .description = Ne plus publier de messages
cmd-welcome-add = ajouter
    .description = Ajouter un autre message ; un est tiré au hasard
cmd-welcome-add-kind = type
    .description = Quels messages
cmd-welcome-add-kind-choice-welcome = bienvenue
cmd-welcome-add-kind-choice-goodbye = au revoir
cmd-welcome-add-text = texte
    .description = Le message ; {"{"}user{"}"}, {"{"}name{"}"}, {"{"}username{"}"}, {"{"}server{"}"}, {"{"}count{"}"} sont remplis
cmd-welcome-remove = retirer
    .description = Retirer un message par son numéro dans /bienvenue afficher
cmd-welcome-remove-kind = type
    .description = Quels messages
cmd-welcome-remove-kind-choice-welcome = bienvenue
cmd-welcome-remove-kind-choice-goodbye = au revoir
cmd-welcome-remove-number = numero
    .description = Son numéro dans /bienvenue afficher
cmd-welcome-style = style
    .description = Publier les messages en texte simple ou dans un embed
cmd-welcome-style-style = style
    .description = Texte simple ou embed
cmd-welcome-style-style-choice-text = texte
cmd-welcome-style-style-choice-embed = embed
cmd-welcome-dm = prive
    .description = Un message privé envoyé à chaque nouveau membre (aucun : désactivé)
cmd-welcome-dm-text = texte
    .description = Le message privé (à omettre pour ne plus en envoyer)
cmd-welcome-role-add = role-ajouter
    .description = Donner un rôle à l'arrivée (après le règlement si le serveur filtre les membres)
cmd-welcome-role-add-role = role
    .description = Le rôle
cmd-welcome-role-remove = role-retirer
    .description = Ne plus donner un rôle à l'arrivée
cmd-welcome-role-remove-role = role
    .description = Le rôle
cmd-welcome-new-accounts = nouveaux-comptes
    .description = Signaler les comptes de moins de quelques jours (0 : désactivé)
cmd-welcome-new-accounts-days = jours
    .description = Les comptes de moins de ce nombre de jours sont signalés (0 : désactivé)
cmd-welcome-new-accounts-channel = salon
    .description = Où va le signalement (le salon de bienvenue par défaut)
cmd-welcome-delete-on-leave = supprimer-au-depart
    .description = Supprimer la bienvenue si le membre part si tôt (aucun : jamais)
cmd-welcome-delete-on-leave-within = delai
    .description = Combien de temps, par ex. 10m ou 1h (à omettre : jamais)
