# Les textes du module de tickets, et les noms et descriptions français de ses commandes.

tickets-dm = Les tickets fonctionnent dans un serveur, pas en messages privés.
tickets-need-manage-server = Il vous faut la permission Gérer le serveur pour configurer les tickets.
tickets-old-button = Ce bouton vient d'une ancienne version du module de tickets ; demandez au staff de publier un nouveau panneau.
tickets-old-form = Ce formulaire vient d'une ancienne version du module de tickets ; veuillez réessayer.

## Ouverture
tickets-pick-topic = Choisissez un sujet pour ouvrir un ticket.
tickets-need-reason = Dites-nous de quoi parle le ticket, puis réessayez.
tickets-open-dm = Les tickets s'ouvrent dans un serveur, pas en messages privés.
tickets-panel-gone = Ce panneau de tickets n'existe plus. Demandez à un administrateur du serveur d'en publier un nouveau.
tickets-topic-gone = Ce sujet a été retiré de ce panneau. Choisissez-en un autre.
tickets-limit = Vous avez déjà { $count ->
        [one] { $count } ticket ouvert
       *[other] { $count } tickets ouverts
    } ({ $list }) : la limite est de { $max }. Fermez-en un avant d'en ouvrir un autre.
tickets-thread-failed = { $error }. Un administrateur du serveur doit me donner les permissions Créer des fils privés et Envoyer des messages dans les fils dans <#{ $parent }>.
tickets-channel-failed = { $error }. Un administrateur du serveur doit me donner les permissions Gérer les salons et Gérer les rôles, et vérifier la catégorie des tickets.
tickets-channel-topic = Ticket n°{ $number } ouvert par { $user }
tickets-channel-topic-reason = Ticket n°{ $number } ouvert par { $user } : { $reason }
tickets-err-create-channel = Je n'ai pas pu créer le salon du ticket
tickets-err-create-thread = Je n'ai pas pu créer le fil du ticket
tickets-err-add-to-thread = Je n'ai pas pu vous ajouter au fil du ticket
tickets-opened = Votre ticket est ouvert : <#{ $channel }>
tickets-opened-no-welcome = Votre ticket est ouvert : <#{ $channel }> (je n'ai pas pu y publier le premier message du ticket).

## Messages, boutons et formulaires
tickets-panel-title = Tickets de support
tickets-panel-description = Besoin d'aide ? Ouvrez un ticket : un salon privé avec notre staff sera créé pour vous.
tickets-button-open = Ouvrir un ticket
tickets-topic-placeholder = Choisissez le sujet de votre ticket
tickets-reason-title = Ouvrir un ticket
tickets-reason-label = Comment pouvons-nous vous aider ?
tickets-close-title = Fermer ce ticket
tickets-close-label = Raison (facultative)
tickets-welcome = Merci <@{ $opener }>, le staff va bientôt s'occuper de vous.
    Utilisez **Fermer** quand vous avez terminé.
tickets-welcome-topic = **Sujet :** { $topic }
tickets-welcome-reason = **Raison :** { $reason }
tickets-welcome-title = Ticket n°{ $number }
tickets-button-close = Fermer
tickets-button-claim = Prendre en charge
tickets-close-request = <@{ $opener }>, { $by } souhaite fermer ce ticket. Peut-il être fermé ?
tickets-button-close-it = Le fermer
tickets-button-keep-open = Le garder ouvert

## Dans un ticket
tickets-not-a-ticket = Ce n'est pas un ticket : utilisez ceci dans le salon ou le fil d'un ticket.
tickets-already-closing = Ce ticket est déjà en cours de fermeture.
tickets-is-closed = Ce ticket est fermé.
tickets-staff-only = Seul le staff des tickets peut faire cela.
tickets-close-not-allowed = Seuls l'auteur du ticket et le staff peuvent le fermer. Le staff peut le demander à l'auteur avec `/ticket demande-fermeture`.
tickets-close-button-not-allowed = Seuls l'auteur du ticket et le staff peuvent le fermer.
tickets-answer-opener-only = Seul l'auteur du ticket peut répondre à cette demande.
tickets-request-answered = Cette demande de fermeture a déjà reçu une réponse ou a été retirée.
tickets-kept-open = <@{ $opener }> a gardé le ticket ouvert ({ $by } avait demandé sa fermeture).
tickets-closer-asked-by = { $name } (à la demande de { $by })
tickets-claimed-by-you = Vous avez déjà pris en charge ce ticket.
tickets-claimed-by-other = <@{ $user }> a déjà pris en charge ce ticket ; il ou elle peut le rendre avec `/ticket rendre`.
tickets-claimed = 🙋 <@{ $user }> a pris en charge ce ticket et va s'en occuper.
tickets-not-claimed = Personne n'a pris en charge ce ticket.
tickets-unclaim-not-allowed = Seul <@{ $user }>, qui l'a pris en charge, ou un administrateur du serveur peut rendre ce ticket.
tickets-unclaimed = Ce ticket n'est plus pris en charge : n'importe quel membre du staff peut le prendre.
tickets-add-not-allowed = Seuls l'auteur du ticket et le staff peuvent ajouter des membres.
tickets-already-in = <@{ $user }> est déjà dans ce ticket.
tickets-err-add = Je n'ai pas pu ajouter <@{ $user }>
tickets-added = ➕ <@{ $user }> a été ajouté au ticket par { $by }.
tickets-remove-not-allowed = Seuls l'auteur du ticket et le staff peuvent retirer des membres.
tickets-remove-opener = L'auteur ne peut pas être retiré de son propre ticket.
tickets-not-added = <@{ $user }> n'a pas été ajouté à ce ticket (le staff voit les tickets grâce à son rôle).
tickets-remove-thread = Je ne peux pas encore retirer de membres d'un fil de ticket : retirez-les à la main de la liste des membres du fil.
tickets-err-remove = Je n'ai pas pu retirer <@{ $user }>
tickets-removed = ➖ <@{ $user }> a été retiré du ticket par { $by }.
tickets-rename-empty = Donnez un nouveau nom de 1 à 100 lettres, chiffres ou tirets : `/ticket renommer facturation-bob`.
tickets-err-rename = Je n'ai pas pu renommer le ticket
tickets-renamed = ✏️ Ticket renommé en **{ $name }** par { $by }.
tickets-error = { $error }.

## Fermeture
tickets-close-already = Ce ticket est déjà en cours de fermeture ou fermé.
tickets-closing = 🔒 Ticket fermé par { $by }. { $place ->
        [thread] Ce fil
       *[channel] Ce salon
    } sera { $action ->
        [deleted] supprimé
        [archived] archivé
       *[closed] fermé
    } dans { $delay }.
tickets-closing-reason = 🔒 Ticket fermé par { $by } : { $reason }. { $place ->
        [thread] Ce fil
       *[channel] Ce salon
    } sera { $action ->
        [deleted] supprimé
        [archived] archivé
       *[closed] fermé
    } dans { $delay }.
tickets-unit-day = j
tickets-unit-hour = h
tickets-unit-minute = min
tickets-unit-second = s
tickets-autoclose-name = fermeture automatique
tickets-autoclose-reason = aucun message depuis { $delay }
tickets-transcript-failed = ⚠️ La transcription n'a pas pu être enregistrée, ce ticket reste donc ouvert : { $error }. Un administrateur du serveur doit vérifier mes permissions dans <#{ $channel }>, puis fermer à nouveau.
tickets-err-delete = Je n'ai pas pu supprimer le ticket
tickets-delete-failed = ⚠️ { $error }. La transcription est enregistrée ; supprimez ce salon à la main.
tickets-summary = 📄 **{ $name }** ouvert par { $opener } a été fermé par { $by }{ $details } ({ $count ->
        [one] { $count } message
       *[other] { $count } messages
    }).
tickets-summary-reason = : { $reason }
tickets-summary-topic = · sujet { $topic }
tickets-transcript-head = Transcription de { $name } (ouvert par { $opener } <{ $id }>)
tickets-transcript-topic = Sujet : { $topic }
tickets-transcript-reason = Raison : { $reason }
tickets-transcript-closed-by = Fermé par : { $by }
tickets-transcript-close-reason = Raison de la fermeture : { $reason }
tickets-transcript-count = Messages : { $count } (heures en UTC)
tickets-transcript-count-cut = Messages : { $count } (seulement les { $max } derniers) (heures en UTC)
tickets-transcript-attachment = (pièce jointe : { $name } { $url })
tickets-transcript-embeds = ({ $count } intégration(s))
tickets-err-post-transcript = Je n'ai pas pu publier la transcription dans <#{ $channel }>
tickets-err-archive = Je n'ai pas pu archiver le ticket
tickets-err-post = Je n'ai pas pu publier dans <#{ $channel }>
tickets-err-edit = Je n'ai pas pu modifier le message dans <#{ $channel }>
tickets-err-read-history = impossible de lire les messages de <#{ $channel }> pour la transcription
tickets-warning = ⚠️ { $error }.
tickets-archived = 📦 Ticket archivé ; la transcription est dans le salon de logs.

## Réglages
tickets-limit-range = La limite de tickets ouverts par membre doit être de 1 à { $max }.
tickets-bad-duration = `{ $text }` n'est pas une durée : utilisez par exemple `48h`, `2d`, `30m` ou `off`.
tickets-delay-range = Le délai de fermeture doit être de 1 à { $max } secondes.
tickets-settings = **Réglages des tickets**
tickets-saved = Enregistré ({ $changed }).
tickets-changed-log-channel = salon de logs
tickets-changed-mode = mode
tickets-changed-on-close = action à la fermeture
tickets-changed-category = catégorie
tickets-changed-archive-category = catégorie d'archive
tickets-changed-limit = limite
tickets-changed-ask-reason = formulaire de raison
tickets-changed-autoclose = fermeture automatique
tickets-changed-close-delay = délai de fermeture
tickets-everyone-staff = @everyone ne peut pas être le staff des tickets : chaque membre verrait tous les tickets.
tickets-staff-added = <@&{ $role }> fait maintenant partie du staff des tickets : il voit et traite les nouveaux tickets.
tickets-staff-removed = <@&{ $role }> ne fait plus partie du staff des tickets (les tickets déjà ouverts le gardent).
tickets-not-set = non défini
tickets-no-staff = aucun (seulement Gérer le serveur)
tickets-no-log = non défini : les tickets se ferment sans transcription
tickets-mode-channel = salon privé
tickets-mode-thread = fil privé
tickets-on-close-delete = supprimer
tickets-on-close-archive = archiver
tickets-on = activé
tickets-off = désactivé
tickets-autoclose-after = après { $delay } sans message
tickets-settings-lines = Transcriptions : { $log }
    Mode : { $mode }
    À la fermeture : { $on_close }
    Catégorie : { $category }
    Catégorie d'archive : { $archive }
    Staff : { $staff }
    Tickets ouverts par membre : { $limit }
    Formulaire de raison : { $ask_reason }
    Fermeture automatique : { $autoclose }
    Délai de fermeture : { $delay }

## Panneaux
tickets-no-panel = Il n'y a pas de panneau n°{ $panel } sur ce serveur : `/ticket panneaux` les liste.
tickets-title-length = Le titre doit faire de 1 à 256 caractères.
tickets-description-length = La description doit faire au plus 4000 caractères.
tickets-panel-post-failed = { $error }. Donnez-moi Voir le salon, Envoyer des messages et Intégrer des liens à cet endroit, puis réessayez.
tickets-panel-posted = Panneau n°{ $panel } publié dans <#{ $channel }>. Ajoutez des catégories de tickets avec `/ticket sujet-ajouter panneau:{ $panel }` pour proposer un menu au lieu d'un bouton.
tickets-topic-name-length = Le nom du sujet doit faire de 1 à 80 caractères.
tickets-topic-description-length = La description du sujet doit faire au plus 100 caractères.
tickets-everyone-topic-staff = @everyone ne peut pas être le staff des tickets.
tickets-too-many-topics = Un panneau propose au plus { $max } sujets (la limite des menus de Discord).
tickets-topic-added = Sujet **{ $name }** ajouté au panneau n°{ $panel }.{ $note }
tickets-topic-updated = Sujet **{ $name }** mis à jour sur le panneau n°{ $panel }.{ $note }
tickets-no-such-topic = Le panneau n°{ $panel } n'a pas de sujet `{ $name }`. Ses sujets : { $topics }.
tickets-none = aucun
tickets-topic-removed = Sujet retiré du panneau n°{ $panel }.{ $note }
tickets-no-panels = Aucun panneau pour l'instant : `/ticket panneau #salon` en publie un.
tickets-panels-title = **Panneaux de tickets**
tickets-panel-line = n°{ $panel } dans <#{ $channel }> : { $title } — { $what }
tickets-panel-one-button = un bouton
tickets-panel-topics = sujets : { $topics }
tickets-err-delete-panel = Je n'ai pas pu supprimer le message du panneau
tickets-panel-deleted = Panneau n°{ $panel } supprimé ; les tickets ouverts ne sont pas touchés.
tickets-panel-deleted-note = Panneau n°{ $panel } supprimé ; les tickets ouverts ne sont pas touchés. { $error } ; supprimez-le à la main.
tickets-panel-message-gone = Le message du panneau a été supprimé : `/ticket panneau-supprimer panneau:{ $panel }`, puis publiez-en un nouveau.
tickets-panel-not-updated = Le message du panneau n'a pas pu être mis à jour : { $error }.

cmd-ticket = ticket
    .description = Tickets de support : panneaux, ouverture, fermeture, outils du staff
cmd-ticket-open = ouvrir
    .description = Ouvrir un ticket
cmd-ticket-open-reason = raison
    .description = De quoi avez-vous besoin ?
cmd-ticket-close = fermer
    .description = Fermer ce ticket (auteur ou staff)
cmd-ticket-close-reason = raison
    .description = Pourquoi il est fermé
cmd-ticket-closerequest = demande-fermeture
    .description = Demander à l'auteur de confirmer la fermeture (staff)
cmd-ticket-closerequest-reason = raison
    .description = Pourquoi il peut être fermé
cmd-ticket-claim = prendre
    .description = Prendre en charge ce ticket (staff)
cmd-ticket-unclaim = rendre
    .description = Ne plus prendre en charge ce ticket (staff)
cmd-ticket-add = ajouter
    .description = Ajouter un membre à ce ticket
cmd-ticket-add-user = membre
    .description = Le membre à ajouter
cmd-ticket-remove = retirer
    .description = Retirer un membre de ce ticket
cmd-ticket-remove-user = membre
    .description = Le membre à retirer
cmd-ticket-rename = renommer
    .description = Renommer ce ticket (staff)
cmd-ticket-rename-name = nom
    .description = Le nouveau nom
cmd-ticket-config = config
    .description = Afficher ou modifier les réglages des tickets (Gérer le serveur)
cmd-ticket-config-log_channel = salon_journal
    .description = Où les transcriptions sont publiées
cmd-ticket-config-mode = mode
    .description = Salons privés ou fils privés
cmd-ticket-config-mode-choice-channel = salon
cmd-ticket-config-mode-choice-thread = fil
cmd-ticket-config-on_close = a_la_fermeture
    .description = Supprimer ou archiver les tickets fermés
cmd-ticket-config-on_close-choice-delete = supprimer
cmd-ticket-config-on_close-choice-archive = archiver
cmd-ticket-config-category = categorie
    .description = Catégorie des salons de tickets
cmd-ticket-config-archive_category = categorie_archives
    .description = Catégorie où vont les tickets archivés
cmd-ticket-config-limit = limite
    .description = Tickets ouverts par membre (1-20)
cmd-ticket-config-ask_reason = demander_raison
    .description = Demander une raison dans un formulaire avant l'ouverture
cmd-ticket-config-autoclose = fermeture_auto
    .description = Fermer après inactivité : 48h, 2d, 30m ou off
cmd-ticket-config-close_delay = delai_fermeture
    .description = Secondes entre la fermeture et la suppression (1-600)
cmd-ticket-staff = staff
    .description = Ajouter ou retirer un rôle staff pour tous les tickets (Gérer le serveur)
cmd-ticket-staff-role = role
    .description = Le rôle (à nouveau pour le retirer)
cmd-ticket-panel = panneau
    .description = Publier un panneau de tickets (Gérer le serveur)
cmd-ticket-panel-channel = salon
    .description = Où le publier
cmd-ticket-panel-title = titre
    .description = Le titre du panneau
cmd-ticket-panel-description = description
    .description = Le texte du panneau
cmd-ticket-topic-add = sujet-ajouter
    .description = Ajouter ou modifier une catégorie de ticket sur un panneau (Gérer le serveur)
cmd-ticket-topic-add-panel = panneau
    .description = Le numéro du panneau (voir /ticket panels)
cmd-ticket-topic-add-name = nom
    .description = Son nom, par ex. Facturation
cmd-ticket-topic-add-description = description
    .description = Une ligne affichée dans le menu
cmd-ticket-topic-add-staff = staff
    .description = Un rôle staff pour ces tickets
cmd-ticket-topic-add-category = categorie
    .description = Catégorie des salons de ces tickets
cmd-ticket-topic-remove = sujet-retirer
    .description = Retirer une catégorie de ticket d'un panneau (Gérer le serveur)
cmd-ticket-topic-remove-panel = panneau
    .description = Le numéro du panneau (voir /ticket panels)
cmd-ticket-topic-remove-name = nom
    .description = Son nom
cmd-ticket-panels = panneaux
    .description = Lister les panneaux de tickets (Gérer le serveur)
cmd-ticket-panel-delete = panneau-supprimer
    .description = Supprimer un panneau de tickets (Gérer le serveur)
cmd-ticket-panel-delete-panel = panneau
    .description = Le numéro du panneau (voir /ticket panels)
