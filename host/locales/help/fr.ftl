# /help et /simple_help de l'hôte (français).
help-title = Aide d'Arsenal
help-intro = Choisissez une catégorie ci-dessous pour voir ses commandes ; cliquez sur une commande pour la lancer.
help-category-line = **{ $name }** — { $description } ({ $count ->
    [one] une commande
   *[other] { $count } commandes
})
help-builtin = Arsenal (intégré)
help-builtin-description = L'aide, le préfixe de ce serveur et les modules du bot
help-choose = Choisissez une catégorie
help-home = Vue d'ensemble
help-home-description = Toutes les catégories utilisables ici
help-no-description = Pas de description
help-more = …et { $count } de plus
help-prefix = Ici, les commandes à préfixe commencent par `{ $prefix }`.
help-nothing = Vous ne pouvez utiliser aucune commande ici.
help-gone = La catégorie `{ $name }` n'existe plus (son module a été déchargé) ; voici l'aide actuelle.
help-simple-title = **Commandes utilisables ici** (`/help` pour le détail)
