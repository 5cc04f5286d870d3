# Le module de musique, en français.

music-guild-only = La musique se joue dans les salons vocaux d'un serveur, pas en messages privés.
music-old-button = Ce bouton appartient à un ancien message : relancez `/queue`.
music-yes = oui
music-no = non
music-page = Page { $page } sur { $pages }
music-more = …et { $count } de plus.

## Lecture

music-play-usage = Dites-moi quoi jouer : des mots à chercher, un lien, `file:<chemin>` pour un fichier du dossier de musique, ou le lien d'un fichier posté sur Discord.
music-attachment-missing = Le fichier joint ne m’est pas parvenu ; joignez-le à nouveau.
music-bad-path = `{ $path }` n'est pas un fichier du dossier de musique : donnez un chemin à l'intérieur, comme `albums/intro.ogg` (sans `..`, sans `/` au début, 200 caractères au plus).
music-bad-link = Ce lien n'est pas valide : donnez un lien `https://…` entier, sans espaces.
music-query-too-long = C'est trop long : { $max } caractères au plus.
music-server-not-ready = Je ne connais pas encore les salons vocaux de ce serveur (je viens de me connecter) : réessayez dans quelques secondes.
music-join-voice-first = Rejoignez d'abord un salon vocal, puis relancez la commande.
music-busy-elsewhere = Je joue pour d'autres dans <#{ $channel }> : rejoignez-les, ou attendez la fin de la musique.
music-join-failed = Je n'ai pas pu rejoindre <#{ $channel }> : { $error }
music-queue-full = La file est pleine ({ $max } morceaux) : attendez que certains soient joués, ou videz-la avec `/clear`.
music-playing = ▶ Lecture de **{ $title }**.
music-queued = **{ $title }** ajouté en position { $position }.
music-play-failed = Impossible de jouer **{ $title }** : { $error }
music-track-failed = ⚠ Impossible de jouer **{ $title }** : { $error } Passage au morceau suivant.
music-now-playing-announce = 🎶 En cours : **{ $title }** { $length } — demandé par <@{ $user }>

## La file

music-queue-now = { $state } **{ $title }** — <@{ $user }>
music-queue-nothing-now = Rien n'est en cours de lecture.
music-queue-empty-after = Rien d'autre dans la file.
music-queue-footer = Page { $page } sur { $pages } · { $count } morceaux · { $length } · boucle : { $mode }
music-queue-empty = La file est vide : ajoutez des morceaux avec `/play`.
music-bad-position = Ce morceau n'existe pas : la file en contient { $count ->
    [one] 1 (le numéro 1)
   *[other] { $count } (numéros 1 à { $count })
}.
music-bad-page = Il n'y a pas de page { $page } : il y en a { $pages }.
music-queue-changed = La file a changé entre-temps : regardez `/queue` et réessayez.
music-removed = **{ $title }** retiré.
music-moved = **{ $title }** déplacé en position { $to }.
music-shuffled = { $count ->
    [one] 1 morceau mélangé
   *[other] { $count } morceaux mélangés
}.
music-cleared = { $count ->
    [one] 1 morceau retiré
   *[other] { $count } morceaux retirés
} de la file.

## Contrôles

music-nothing-playing = Rien n'est en cours de lecture.
music-skipped = ⏭ **{ $title }** passé.
music-vote-join = Seuls les membres qui écoutent dans <#{ $channel }> peuvent voter : rejoignez-le d'abord.
music-vote-counted = Votre vote compte : { $votes } sur les { $needed } nécessaires pour passer.
music-vote-passed = ⏭ **{ $title }** passé ({ $votes } votes sur { $listeners } auditeurs).
music-already-paused = La musique est déjà en pause : `/resume` pour la reprendre.
music-not-paused = La musique n'est pas en pause.
music-paused = ⏸ En pause.
music-resumed = ▶ Reprise.
music-host-refused = Le lecteur a refusé : { $error }
music-bad-time = `{ $time }` n'est pas un temps : écrivez-le comme `1:30`, `90` (secondes) ou `1:02:03`.
music-seek-past-end = { $time } est après la fin du morceau ({ $length }).
music-seeked = Déplacé à { $time }.
music-loop-off = Boucle désactivée : la file s'arrête après son dernier morceau.
music-loop-track = 🔂 Le morceau tourne en boucle.
music-loop-queue = 🔁 La file tourne en boucle.
music-loop-name-off = non
music-loop-name-track = morceau
music-loop-name-queue = file
music-bad-volume = { $volume } n'est pas un volume : donnez un nombre de 0 à 200.
music-volume-set = Volume réglé à { $volume } %.
music-now-playing = { $state } **{ $title }** — demandé par <@{ $user }>
    { $progress } · volume { $volume } %
music-not-connected = Je ne suis dans aucun salon vocal.
music-left = J'ai quitté le salon vocal et vidé la file.
music-left-alone = J'ai quitté <#{ $channel }> : personne n'écoutait. `/resume` reprend là où la musique s'est arrêtée.

## Rôle DJ et préférences

music-dj-only = Seuls les DJ (<@&{ $role }>) et les gestionnaires peuvent faire cela ; vous pouvez toujours ajouter des morceaux, voter avec `/voteskip` et retirer vos propres morceaux.
music-dj-set = Rôle DJ : <@&{ $role }>. Ses membres et les gestionnaires contrôlent la musique ; tout le monde peut ajouter des morceaux et voter pour passer.
music-dj-cleared = Plus de rôle DJ : tout le monde peut contrôler la musique.
music-prefs = Vos préférences : volume quand je rejoins pour vous : { $volume } ; annoncer vos morceaux : { $announce }.
music-prefs-volume-unset = celui du serveur

## Historique

music-history-empty = Rien n'a encore été joué.

## Listes de lecture

music-playlist-bad-name = `{ $name }` n'est pas un nom de liste : utilisez de 1 à { $max } lettres, chiffres, espaces, `-` ou `_`.
music-playlist-server-managers = Seuls les DJ et les gestionnaires peuvent enregistrer ou supprimer les listes du serveur ; enregistrez-la comme la vôtre (sans `serveur`).
music-playlist-empty-queue = La file est vide : rien à enregistrer.
music-playlist-too-long = La file contient { $count } morceaux ; une liste en contient { $max } au plus. Retirez-en avec `/remove` ou `/clear` d'abord.
music-playlist-limit = Il y a déjà { $max } listes ici : supprimez-en une avec `/playlist delete` d'abord.
music-playlist-saved = **{ $name }** enregistrée ({ $count ->
    [one] 1 morceau
   *[other] { $count } morceaux
}).
music-playlist-replaced = **{ $name }** remplacée ({ $count ->
    [one] 1 morceau
   *[other] { $count } morceaux
}).
music-playlist-not-found = Il n'y a pas de liste **{ $name }** : voyez `/playlist list`.
music-playlist-loaded = { $count ->
    [one] 1 morceau
   *[other] { $count } morceaux
} de **{ $name }** { $count ->
    [one] ajouté
   *[other] ajoutés
}.
music-playlist-deleted = **{ $name }** supprimée.
music-playlist-none = aucune
music-playlist-list = 👤 **Vos listes**
    { $mine }
    🏠 **Les listes du serveur**
    { $server }

## Noms et descriptions des commandes

cmd-play = jouer
    .description = Jouer un morceau : une recherche, un lien, un fichier joint ou du dossier de musique
cmd-play-query = recherche
    .description = Une recherche ou un lien (YouTube, SoundCloud, fichier…) ; file:<chemin> : dossier de musique
cmd-play-attachment = fichier
    .description = Un fichier audio à jouer
cmd-queue = file
    .description = La file, page par page
cmd-queue-page = page
    .description = Quelle page (1 par défaut)
cmd-remove = retirer
    .description = Retirer un morceau de la file par son numéro
cmd-remove-position = position
    .description = Son numéro dans /queue
cmd-move = deplacer
    .description = Déplacer un morceau dans la file
cmd-move-from = de
    .description = Son numéro dans /queue
cmd-move-to = vers
    .description = Son nouveau numéro
cmd-shuffle = melanger
    .description = Mélanger la file
cmd-clear = vider
    .description = Vider la file (le morceau en cours continue)
cmd-skip = passer
    .description = Passer le morceau (un vote si vous ne pouvez pas le passer directement)
cmd-voteskip = voterpasser
    .description = Voter pour passer le morceau : il est passé quand plus de la moitié des auditeurs a voté
cmd-pause = pause
    .description = Mettre la musique en pause
cmd-resume = reprendre
    .description = Reprendre la musique (et rejoindre votre salon après une déconnexion)
cmd-seek = aller
    .description = Aller à un moment du morceau
cmd-seek-time = temps
    .description = Comme 1:30, 90 ou 1:02:03
cmd-loop = boucle
    .description = Répéter le morceau ou la file
cmd-loop-mode = mode
    .description = off, track (morceau) ou queue (file)
cmd-loop-mode-choice-off = non
cmd-loop-mode-choice-track = morceau
cmd-loop-mode-choice-queue = file
cmd-volume = volume
    .description = Régler le volume
cmd-volume-percent = pourcentage
    .description = De 0 à 200 (100 : le niveau du morceau)
cmd-nowplaying = encours
    .description = Ce qui joue, et où en est le morceau
cmd-leave = quitter
    .description = Arrêter, vider la file et quitter le salon vocal
cmd-history = historique
    .description = Les morceaux joués récemment
cmd-history-page = page
    .description = Quelle page (1 par défaut)
cmd-history-me = moi
    .description = Seulement les morceaux que vous avez demandés
cmd-music = musique
    .description = Réglages de la musique
cmd-music-dj = dj
    .description = Le rôle DJ (vide : tout le monde contrôle la musique)
cmd-music-dj-role = role
    .description = Le rôle (laisser vide pour le retirer)
cmd-music-prefs = preferences
    .description = Vos préférences : le volume de départ, l'annonce de vos morceaux
cmd-music-prefs-volume = volume
    .description = Le volume quand le bot rejoint pour vous (0 à 200)
cmd-music-prefs-announce = annoncer
    .description = Annoncer vos morceaux quand ils commencent
cmd-playlist = liste
    .description = Listes de lecture enregistrées, les vôtres ou celles du serveur
cmd-playlist-save = enregistrer
    .description = Enregistrer la file (le morceau en cours et les suivants) comme liste
cmd-playlist-save-name = nom
    .description = Son nom (lettres, chiffres, espaces, - et _)
cmd-playlist-save-server = serveur
    .description = Une liste du serveur (DJ et gestionnaires) plutôt que la vôtre
cmd-playlist-load = charger
    .description = Ajouter les morceaux d'une liste à la file
cmd-playlist-load-name = nom
    .description = Son nom
cmd-playlist-load-server = serveur
    .description = La liste du serveur de ce nom plutôt que la vôtre
cmd-playlist-list = voir
    .description = Vos listes et celles du serveur
cmd-playlist-show = afficher
    .description = Les morceaux d'une liste
cmd-playlist-show-name = nom
    .description = Son nom
cmd-playlist-show-server = serveur
    .description = La liste du serveur de ce nom plutôt que la vôtre
cmd-playlist-delete = supprimer
    .description = Supprimer une liste
cmd-playlist-delete-name = nom
    .description = Son nom
cmd-playlist-delete-server = serveur
    .description = La liste du serveur de ce nom plutôt que la vôtre
