# The economy module's texts. English is the fallback; French command names are in fr.ftl.

economy-dm = The economy lives in servers, not in DMs.
economy-usage = Use `/economy balance`, `daily`, `work`, `pay`, `deposit`, `withdraw`, `leaderboard`, `rank`, `inventory`, `shop …`, `admin …` or `config …`.
economy-price-refusal = Price: { $message }
economy-need-manage-server = You need the **Manage Server** permission for this.
economy-no-bots = Bots have no use for money.
economy-not-member = <@{ $user }> is not a member of this server.

economy-balance-self = You have { $wallet } in the wallet and { $bank } in the bank (total { $total }).
economy-balance-other = <@{ $user }> has { $wallet } in the wallet and { $bank } in the bank (total { $total }).
economy-daily-wait = You already claimed your daily reward. Come back in { $wait }.
economy-work-wait = You are still tired from your last shift. Work again in { $wait }.
economy-daily-claimed = You claimed your daily { $amount }. Wallet: { $wallet }.
economy-work-done = You { $job } and earned { $amount }. Wallet: { $wallet }.
economy-job-0 = brewed coffee for the regulars
economy-job-1 = fixed a stubborn printer
economy-job-2 = walked the neighbour's dogs
economy-job-3 = delivered pizzas in the rain
economy-job-4 = tutored a confused student
economy-job-5 = debugged a legacy codebase
economy-pay-who = Who should get the money? `/economy pay member:@someone amount:100`.
economy-pay-self = You can't pay yourself.
economy-paid = You paid <@{ $user }> { $amount }. Your wallet: { $wallet }.
economy-wallet-short = You only have { $wallet } in your wallet.
economy-wallet-full = <@{ $user }>'s wallet cannot hold that much more.
economy-move-amount = Give an amount or `all`.
economy-move-or-all = { $refusal } (or `all`)
economy-deposit-short = You have { $amount } in your wallet.
economy-withdraw-short = You have { $amount } in the bank.
economy-bank-full = That would hold more than the bank allows.
economy-deposited = Deposited { $amount }. Wallet: { $wallet }, bank: { $bank }.
economy-withdrew = Withdrew { $amount }. Wallet: { $wallet }, bank: { $bank }.
economy-admin-member = Name a member: `member:@someone`.
economy-admin-amount = Give an amount: `amount:100`.
economy-admin-wallet = <@{ $user }>'s wallet is now { $wallet }.

economy-shop-empty = The shop is empty. Admins add items with `/economy shop add`.
economy-shop-title = **Shop** — buy with `/economy shop buy item:<name>`
economy-shop-role = · role <@&{ $role }>
economy-shop-sold-out = · sold out
economy-shop-left = · { $left } left
economy-shop-name = The item needs a name of 1 to { $max } characters with at least one letter or digit.
economy-everyone = Everyone already has @everyone; pick another role.
economy-shop-description-long = The description can be at most { $max } characters.
economy-shop-full = The shop is full ({ $max } items); remove one first.
economy-shop-unlimited = unlimited stock
economy-shop-stock = { $stock } in stock
economy-shop-grants = , grants <@&{ $role }>
economy-shop-added = Added **{ $name }** (`{ $id }`): { $price }, { $stock }{ $role }.
economy-shop-updated = Updated **{ $name }** (`{ $id }`): { $price }, { $stock }{ $role }.
economy-shop-removed = Removed `{ $id }` from the shop. Members keep what they bought.
economy-shop-no-item = No such item; `/economy shop list` shows them.
economy-shop-has-role = You already have <@&{ $role }>.
economy-shop-gone = That item was just removed from the shop.
economy-shop-sold-out-item = **{ $name }** is sold out.
economy-shop-too-expensive = **{ $name }** costs { $price }; you have { $wallet } in your wallet.
economy-shop-bought = You bought **{ $name }** for { $price }. Wallet: { $wallet }.
economy-shop-bought-role = You bought **{ $name }** for { $price } and now have <@&{ $role }>. Wallet: { $wallet }.
economy-shop-refunded = Discord would not give you <@&{ $role }>, so your { $price } were refunded. An admin should check that my role is above it and that I have Manage Roles. ({ $error })
economy-inventory-empty-self = You own no items yet.
economy-inventory-empty-other = <@{ $user }> owns no items yet.
economy-inventory-self = You own: { $items }.
economy-inventory-other = <@{ $user }> owns: { $items }.

economy-lb-stale = This button is no longer valid; run `/economy leaderboard` again.
economy-lb-empty = Nobody has any { $currency } yet. Start with `/economy daily`.
economy-lb-title = **Leaderboard** — page { $page }/{ $pages }
economy-lb-previous = ◀ Previous
economy-lb-next = Next ▶

economy-level-up = 🎉 <@{ $user }> reached **level { $level }**!
economy-level-role = { " " }You now have <@&{ $role }>.
economy-level-role-failed = { " " }(I could not give you <@&{ $role }>: an admin should check my role's position and Manage Roles.)
economy-rank-unranked = unranked
economy-rank-place = rank #{ $rank } of { $count }
economy-rank-self = You are **level { $level }** with { $xp } XP ({ $progress }/{ $needed } to level { $next }), { $place }.
economy-rank-other = <@{ $user }> is **level { $level }** with { $xp } XP ({ $progress }/{ $needed } to level { $next }), { $place }.

economy-config-show = Currency: { $symbol } { $currency }
    Daily: { $daily } every { $daily_cooldown }
    Work: { $work_min } to { $work_max } every { $work_cooldown }
    XP: { $xp } per message, at most every { $xp_cooldown }
    Level roles: { $roles }
economy-config-level-role = level { $level } → <@&{ $role }>
economy-none = none
economy-config-currency-name = Give the currency's name: `name:gems`.
economy-config-currency-name-long = The name must be at most 32 characters, without ` or @.
economy-config-symbol-long = The symbol must be at most 32 characters (an emoji works).
economy-config-currency = The currency is now { $symbol } { $currency }.
economy-config-daily-amount = Give the daily amount: `amount:100`.
economy-config-daily = `daily` now gives { $amount } every { $cooldown }.
economy-config-work-range = Give `min` and `max`.
economy-config-work-order = `min` must not be above `max`.
economy-config-work = `work` now pays { $min } to { $max } every { $cooldown }.
economy-config-xp-amount = Give the XP per message: `amount:15` (0 turns XP off).
economy-config-xp-off = Messages no longer earn XP.
economy-config-xp = Messages now earn { $amount } XP, at most every { $cooldown }.
economy-config-level = Give a level: `level:5 role:@Regular`.
economy-config-level-range = That level is out of range.
economy-config-level-removed = Level { $level } no longer gives <@&{ $role }>.
economy-config-level-none = Level { $level } gave no role.
economy-config-level-max = At most { $max } level roles.
economy-config-level-set = Reaching level { $level } now gives <@&{ $role }> (my role must be above it).
