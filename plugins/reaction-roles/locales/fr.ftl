# Le module des rôles par réaction (`/rr`), en français.

## Où les panneaux servent

rr-guild-only = Les rôles par réaction se règlent dans un serveur, pas en messages privés.
rr-panel-gone = Ce panneau a été supprimé : demandez-en un nouveau à un administrateur.

## Le message du panneau

rr-default-title = Choisissez vos rôles
rr-menu-placeholder = Choisissez vos rôles
rr-mode-name-normal = normal
rr-mode-name-unique = unique
rr-mode-name-verify = vérification
rr-mode-name-drop = retrait
rr-mode-name-reversed = inversé
rr-mode-name-binding = définitif
rr-mode-normal = Choisissez un rôle pour l'obtenir, choisissez-le à nouveau pour le perdre
rr-mode-unique = Un rôle à la fois : en choisir un autre les échange
rr-mode-verify = Les rôles sont donnés, jamais repris
rr-mode-drop = Choisir un rôle le retire
rr-mode-reversed = Choisir un rôle le retire, l'enlever le rend
rr-mode-binding = Un seul rôle, choisi une fois pour toutes
rr-rule-max = Au plus { $max } de ces rôles
rr-rule-required = Réservé à { $roles }
rr-rule-forbidden = Interdit à { $roles }
rr-style-buttons = boutons
rr-style-menu = menu
rr-style-reactions = réactions

## Un membre utilise un panneau

rr-given = Vous avez maintenant { $roles }.
rr-taken = Vous n'avez plus { $roles }.
rr-already-have = Vous avez déjà { $role }.
rr-do-not-have = Vous n'avez pas { $role }.
rr-nothing-changed = Rien à changer : vos rôles sont déjà ainsi.
rr-refused-forbidden = Les membres ayant { $role } ne peuvent pas utiliser ce panneau.
rr-refused-required = Il vous faut l'un de ces rôles pour utiliser ce panneau : { $roles }.
rr-refused-limit = Ce panneau vous permet au plus { $max ->
        [one] un de ses rôles
       *[other] { $max } de ses rôles
    } : rendez-en un d'abord.
rr-refused-locked = Vous avez choisi { $role } sur ce panneau, et ce choix est définitif.
rr-failed-role-gone = { $role } n'existe plus : demandez à un administrateur de réparer ce panneau.
rr-failed-permission = Je n'ai pas pu changer { $role } : il me faut Gérer les rôles et un rôle au-dessus de lui. Demandez à un administrateur.
rr-failed = Je n'ai pas pu changer { $role } : { $reason }

## Créer et modifier des panneaux

rr-created = Panneau publié dans { $channel } avec { $count ->
        [one] un rôle
       *[other] { $count } rôles
    } (message `{ $id }`).
rr-added = { $role } est sur le panneau ({ $count ->
        [one] un rôle
       *[other] { $count } rôles
    }).
rr-removed = { $role } n'est plus sur le panneau.
rr-settings = Panneau `{ $id }` : { $mode }. Maximum : { $max }. Requis : { $required }. Interdits : { $forbidden }.
rr-none = aucun
rr-too-many-roles = Un panneau en { $style } contient au plus { $max } rôles.
rr-duplicate-role = { $role } est nommé deux fois.
rr-duplicate-emoji = { $emoji } est déjà utilisé sur ce panneau : donnez à chaque rôle son propre emoji.
rr-emoji-needed = { $role } a besoin d'un emoji : sur un panneau à réactions, chaque rôle en a un, comme `🎮 @Joueur`.
rr-bad-emoji = `{ $emoji }` n'est pas un emoji : utilisez un emoji Unicode ou un emoji de ce serveur.
rr-role-already-on-panel = { $role } est déjà sur ce panneau.
rr-role-not-on-panel = { $role } n'est pas sur ce panneau.
rr-last-role = Un panneau garde au moins un rôle : supprimez plutôt le panneau avec `/rr supprimer`.
rr-required-and-forbidden = { $role } ne peut pas être à la fois requis et interdit : redonnez-le à `requis` ou `interdit` pour lever l'un des deux.
rr-spec-empty = Nommez les rôles, chacun après son emoji : `🎮 @Joueur 🎨 @Artiste`.
rr-spec-unknown-word = Je n'ai pas pu lire `{ $word }` : écrivez chaque rôle en mention après son emoji, comme `🎮 @Joueur 🎨 @Artiste`.
rr-spec-emoji-without-role = { $emoji } n'est suivi d'aucun rôle : écrivez `{ $emoji } @Rôle`.
rr-bad-panel-id = `{ $id }` n'est pas un identifiant de message : `/rr liste` montre les panneaux de ce serveur.
rr-no-panel = Aucun panneau de ce serveur n'a le message `{ $id }` : `/rr liste` les montre.
rr-panel-message-gone = Le message du panneau `{ $id }` a disparu : supprimez le panneau avec `/rr supprimer` et créez-en un autre.
rr-cannot-post = Je ne peux pas publier dans { $channel } : il me faut Voir le salon, Envoyer des messages et Intégrer des liens.
rr-cannot-edit = Je n'ai pas pu mettre à jour le panneau dans { $channel } : { $reason }
rr-cannot-react = Je n'ai pas pu réagir avec { $emoji } : { $reason }
rr-bot-needs-manage-roles = Il me faut la permission Gérer les rôles pour donner des rôles : donnez-la à mon rôle dans Paramètres du serveur → Rôles.
rr-role-not-here = Le rôle { $role } n'est pas un rôle de ce serveur.
rr-role-everyone = @everyone ne peut pas être donné.
rr-role-managed = { $role } est géré par Discord ou une intégration : personne ne peut le donner.
rr-role-above = Je ne peux pas donner { $role } : il n'est pas sous mon rôle le plus haut ({ $top }). Placez mon rôle au-dessus dans Paramètres du serveur → Rôles.
rr-role-above-no-role = Je ne peux pas donner { $role } : je n'ai aucun rôle au-dessus de lui. Donnez-m'en un dans Paramètres du serveur → Rôles.

## Entretenir les panneaux

rr-fixed = Panneau `{ $id }` rafraîchi ; { $count ->
        [0] aucune réaction ne manquait
        [one] une réaction manquante remise
       *[other] { $count } réactions manquantes remises
    }.
rr-fix-role-deleted = Le rôle { $role } a été supprimé : retirez-le avec `/rr retirer`.
rr-deleted = Panneau `{ $id }` supprimé.
rr-deleted-message-kept = Panneau `{ $id }` supprimé, mais son message dans { $channel } reste ({ $reason }) : supprimez-le vous-même.
rr-list-empty = Ce serveur n'a pas encore de panneau : `/rr creer` en crée un.
rr-list-title = { $count ->
        [one] Un panneau :
       *[other] { $count } panneaux :
    }
rr-list-line = `{ $id }` dans { $channel } : **{ $title }** ({ $style }, { $mode } ; { $count ->
        [one] un rôle
       *[other] { $count } rôles
    })

## Noms et descriptions de la commande

cmd-rr = rr
    .description = Rôles par réaction : panneaux de boutons, menus ou réactions qui donnent des rôles
cmd-rr-create = creer
    .description = Publier un nouveau panneau
cmd-rr-create-channel = salon
    .description = Où publier le panneau
cmd-rr-create-roles = roles
    .description = Les rôles, chacun après son emoji : 🎮 @Joueur 🎨 @Artiste
cmd-rr-create-style = style
    .description = Boutons, un menu ou des réactions (boutons par défaut)
cmd-rr-create-style-choice-buttons = boutons
cmd-rr-create-style-choice-menu = menu
cmd-rr-create-style-choice-reactions = réactions
cmd-rr-create-mode = mode
    .description = Ce que fait le choix d'un rôle (normal par défaut)
cmd-rr-create-mode-choice-normal = normal
cmd-rr-create-mode-choice-unique = unique
cmd-rr-create-mode-choice-verify = vérification
cmd-rr-create-mode-choice-drop = retrait
cmd-rr-create-mode-choice-reversed = inversé
cmd-rr-create-mode-choice-binding = définitif
cmd-rr-create-title = titre
    .description = Le titre du panneau
cmd-rr-create-description = description
    .description = Le texte au-dessus des rôles
cmd-rr-create-max = max
    .description = Au plus ce nombre de rôles du panneau par membre
cmd-rr-add = ajouter
    .description = Ajouter un rôle à un panneau
cmd-rr-add-panel = panneau
    .description = L'identifiant du message du panneau (voir /rr liste)
cmd-rr-add-role = role
    .description = Le rôle à ajouter
cmd-rr-add-emoji = emoji
    .description = Son emoji (requis sur un panneau à réactions)
cmd-rr-remove = retirer
    .description = Retirer un rôle d'un panneau
cmd-rr-remove-panel = panneau
    .description = L'identifiant du message du panneau (voir /rr liste)
cmd-rr-remove-role = role
    .description = Le rôle à retirer
cmd-rr-settings = reglages
    .description = Changer le mode, le maximum, les rôles requis ou interdits d'un panneau
cmd-rr-settings-panel = panneau
    .description = L'identifiant du message du panneau (voir /rr liste)
cmd-rr-settings-mode = mode
    .description = Ce que fait le choix d'un rôle
cmd-rr-settings-mode-choice-normal = normal
cmd-rr-settings-mode-choice-unique = unique
cmd-rr-settings-mode-choice-verify = vérification
cmd-rr-settings-mode-choice-drop = retrait
cmd-rr-settings-mode-choice-reversed = inversé
cmd-rr-settings-mode-choice-binding = définitif
cmd-rr-settings-max = max
    .description = Au plus ce nombre de ses rôles par membre (0 : sans maximum)
cmd-rr-settings-require = requis
    .description = Les membres ont besoin de ce rôle (ou d'un autre requis) ; redonné, il n'est plus requis
cmd-rr-settings-forbid = interdit
    .description = Les membres ayant ce rôle ne peuvent pas utiliser le panneau ; redonné, il est de nouveau permis
cmd-rr-fix = reparer
    .description = Remettre les réactions manquantes et rafraîchir le message d'un panneau
cmd-rr-fix-panel = panneau
    .description = L'identifiant du message du panneau (voir /rr liste)
cmd-rr-delete = supprimer
    .description = Supprimer un panneau et son message
cmd-rr-delete-panel = panneau
    .description = L'identifiant du message du panneau (voir /rr liste)
cmd-rr-list = liste
    .description = Les panneaux de ce serveur
