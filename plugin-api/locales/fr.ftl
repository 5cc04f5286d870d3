# Les réponses propres au SDK : options qui ne conviennent pas à une commande, et réponses par
# défaut des gestionnaires qu'un module n'implémente pas.

sdk-option-missing = L'option `{ $option }` est obligatoire.
sdk-option-wrong-type = L'option `{ $option }` doit être { $expected }.
sdk-option-range-between = L'option `{ $option }` doit être { $expected } entre { $low } et { $high }.
sdk-option-range-min = L'option `{ $option }` doit être { $expected } d'au moins { $low }.
sdk-option-range-max = L'option `{ $option }` doit être { $expected } d'au plus { $high }.
sdk-option-length-between = L'option `{ $option }` doit faire entre { $min } et { $max } caractères.
sdk-option-length-min = L'option `{ $option }` doit faire au moins { $min } caractères.
sdk-option-length-max = L'option `{ $option }` doit faire au plus { $max } caractères.
sdk-option-choice = L'option `{ $option }` doit être l'un de : { $choices }.
sdk-option-unresolved = L'utilisateur donné pour `{ $option }` est introuvable ; mentionnez un membre de ce serveur.
sdk-option-duration-malformed = L'option `{ $option }` : `{ $given }` n'est pas une durée : indiquez un nombre et une unité, comme `30s`, `10m`, `2h`, `7d` ou `1w`.
sdk-option-duration-zero = L'option `{ $option }` : la durée doit être supérieure à zéro.
sdk-option-duration-too-long = L'option `{ $option }` : c'est plus long qu'un an ; indiquez une durée plus courte.
sdk-subcommand-unknown = `{ $at }` n'a pas de sous-commande `{ $given }` : utilisez `{ $choices }`.
sdk-subcommand-missing = `{ $at }` attend une sous-commande : `{ $choices }`.

sdk-expect-whole-number = un nombre entier
sdk-expect-number = un nombre
sdk-expect-text = un texte
sdk-expect-boolean = oui ou non (true ou false)
sdk-expect-user = un utilisateur
sdk-expect-channel = un salon
sdk-expect-role = un rôle
sdk-expect-attachment = un fichier joint
sdk-expect-mentionable = un utilisateur ou un rôle
sdk-expect-choice = l'un des choix proposés
sdk-expect-duration = une durée comme `10m` ou `2d`

sdk-component-unhandled = Ce bouton n'est plus géré par son module.
sdk-modal-unhandled = Ce formulaire n'est plus géré par son module.
