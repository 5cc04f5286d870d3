//! The derive end to end: declared specs against Discord's JSON, and typed parses of valid and
//! invalid invocations (slash and prefix share one argument list).

use serde_json::json;
use twilight_model::{
    guild::Permissions,
    id::{
        marker::{ChannelMarker, RoleMarker, UserMarker},
        Id,
    },
};

use crate::{
    command::{Command, CommandChoice, Duration, Mentionable, ParseErrorType},
    protocol::{Arg, ArgValue, CommandInvocation, CommandSource, Invoker, ResolvedUser},
};

/// How often a reminder repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, crate::CommandChoice)]
enum Repeat {
    #[choice(name = "Every day")]
    Daily,
    Weekly,
    #[choice(value = "never")]
    Once,
}

/// A command with one option of each kind.
#[derive(Debug, PartialEq, crate::Command)]
#[command(
    name = "remind",
    desc = "Set a reminder",
    prefix,
    permissions = "SEND_MESSAGES"
)]
struct Remind {
    /// How many times
    #[option(min_value = 1, max_value = 10)]
    times: i64,
    /// What to say
    #[option(min_length = 2, max_length = 20)]
    text: String,
    /// In how long
    after: Duration,
    /// Who to remind
    who: ResolvedUser,
    /// Where
    #[option(channel_types = [GuildText, GuildAnnouncement])]
    channel: Id<ChannelMarker>,
    /// Repeat
    repeat: Repeat,
    /// Scale factor
    #[option(min_value = 0.5)]
    scale: f64,
    /// A small count
    small: u8,
    /// Also ping this role
    role: Option<Id<RoleMarker>>,
    /// Or this user or role
    #[option(rename = "also-ping")]
    also: Option<Mentionable>,
    /// Loud?
    loud: Option<bool>,
    /// A user id only
    #[option(autocomplete)]
    target: Option<Id<UserMarker>>,
}

/// Add an item
#[derive(Debug, PartialEq, crate::Command)]
struct ShopAdd {
    /// Item name
    item: String,
    /// Price in coins
    #[option(min_value = 0)]
    price: u32,
}

/// The shop group.
#[derive(Debug, PartialEq, crate::Command)]
enum Shop {
    /// Add an item
    #[command(permissions = "MANAGE_GUILD")]
    Add(ShopAdd),
    /// List the items
    List,
}

/// Money.
#[derive(Debug, PartialEq, crate::Command)]
#[command(name = "economy")]
enum Economy {
    /// Your balance
    Balance,
    /// The shop
    #[command(permissions = "MANAGE_MESSAGES")]
    Shop(Shop),
    /// Reset everyone
    #[command(name = "reset-all", permissions = "ADMINISTRATOR")]
    ResetAll,
}

fn invocation(subcommand: &[&str], args: Vec<(&str, ArgValue)>) -> CommandInvocation {
    CommandInvocation {
        name: "remind".to_owned(),
        subcommand: subcommand.iter().map(|s| (*s).to_owned()).collect(),
        args: args
            .into_iter()
            .map(|(name, value)| Arg {
                name: name.to_owned(),
                value,
            })
            .collect(),
        invoker: Invoker {
            user_id: Id::new(1),
            user_name: "a".to_owned(),
            guild_id: None,
            channel_id: Id::new(2),
            roles: Vec::new(),
            permissions: Permissions::empty(),
            is_owner: false,
            locale: None,
            guild_locale: None,
        },
        source: CommandSource::Slash,
        users: vec![ResolvedUser {
            id: Id::new(55),
            name: "Dave".to_owned(),
            bot: false,
        }],
        attachments: Vec::new(),
    }
}

fn remind_args() -> Vec<(&'static str, ArgValue)> {
    vec![
        ("times", ArgValue::Integer(3)),
        ("text", ArgValue::String("hello".into())),
        ("after", ArgValue::String("1h30m".into())),
        ("who", ArgValue::User(Id::new(55))),
        ("channel", ArgValue::Channel(Id::new(9))),
        ("repeat", ArgValue::String("weekly".into())),
        ("scale", ArgValue::Number(1.5)),
        ("small", ArgValue::Integer(200)),
    ]
}

fn with(name: &'static str, value: ArgValue) -> Vec<(&'static str, ArgValue)> {
    let mut args: Vec<_> = remind_args()
        .into_iter()
        .filter(|(n, _)| *n != name)
        .collect();
    args.push((name, value));
    args
}

#[test]
fn a_struct_declares_every_option_as_discord_describes_it() {
    let spec = Remind::spec();
    assert_eq!(spec.name, "remind");
    assert_eq!(spec.description, "Set a reminder");
    assert!(spec.prefix && spec.slash);
    assert_eq!(
        spec.default_member_permissions.as_deref(),
        Some(Permissions::SEND_MESSAGES.bits().to_string().as_str())
    );
    let options = serde_json::to_value(&spec.options).unwrap();
    assert_eq!(
        options,
        json!([
            {"type": 4, "name": "times", "description": "How many times", "required": true,
             "min_value": 1, "max_value": 10},
            {"type": 3, "name": "text", "description": "What to say", "required": true,
             "min_length": 2, "max_length": 20},
            {"type": 3, "name": "after", "description": "In how long", "required": true},
            {"type": 6, "name": "who", "description": "Who to remind", "required": true},
            {"type": 7, "name": "channel", "description": "Where", "required": true,
             "channel_types": [0, 5]},
            {"type": 3, "name": "repeat", "description": "Repeat", "required": true,
             "choices": [
                {"name": "Every day", "value": "daily"},
                {"name": "Weekly", "value": "weekly"},
                {"name": "Once", "value": "never"}]},
            {"type": 10, "name": "scale", "description": "Scale factor", "required": true,
             "min_value": 0.5},
            {"type": 4, "name": "small", "description": "A small count", "required": true,
             "min_value": 0, "max_value": 255},
            {"type": 8, "name": "role", "description": "Also ping this role", "required": false},
            {"type": 9, "name": "also-ping", "description": "Or this user or role", "required": false},
            {"type": 5, "name": "loud", "description": "Loud?", "required": false},
            {"type": 6, "name": "target", "description": "A user id only", "required": false,
             "autocomplete": true},
        ])
    );
}

#[test]
fn a_valid_invocation_parses_into_the_typed_struct() {
    let mut args = remind_args();
    args.push(("also-ping", ArgValue::Mentionable(55)));
    args.push(("role", ArgValue::Role(Id::new(7))));
    let slash = invocation(&[], args);
    let parsed = Remind::parse(&slash).unwrap();
    // The host hands a prefix command over as the same argument list: it reads the same.
    let prefix = CommandInvocation {
        source: CommandSource::Prefix {
            message_id: Id::new(3),
        },
        ..slash.clone()
    };
    assert_eq!(Remind::parse(&prefix).unwrap(), parsed);
    assert_eq!(
        parsed,
        Remind {
            times: 3,
            text: "hello".into(),
            after: Duration::from_secs(5400),
            who: ResolvedUser {
                id: Id::new(55),
                name: "Dave".into(),
                bot: false
            },
            channel: Id::new(9),
            repeat: Repeat::Weekly,
            scale: 1.5,
            small: 200,
            role: Some(Id::new(7)),
            also: Some(Mentionable {
                id: 55,
                user: Some(ResolvedUser {
                    id: Id::new(55),
                    name: "Dave".into(),
                    bot: false
                })
            }),
            loud: None,
            target: None,
        }
    );
    assert_eq!(Repeat::Once.value(), "never");
    // A prefix user types the shown name of a choice.
    let typed = Remind::parse(&invocation(
        &[],
        with("repeat", ArgValue::String("every day".into())),
    ));
    assert_eq!(typed.unwrap().repeat, Repeat::Daily);
}

#[test]
fn invalid_invocations_are_refused_naming_the_option() {
    let cases = [
        (remind_args().into_iter().filter(|(n, _)| *n != "text").collect(),
            ParseErrorType::Missing, "The option `text` is required."),
        (with("times", ArgValue::Integer(11)), ParseErrorType::OutOfRange,
            "The option `times` must be a whole number between 1 and 10."),
        (with("times", ArgValue::String("3".into())), ParseErrorType::WrongType,
            "The option `times` must be a whole number."),
        (with("small", ArgValue::Integer(256)), ParseErrorType::OutOfRange,
            "The option `small` must be a whole number between 0 and 255."),
        (with("small", ArgValue::Integer(-1)), ParseErrorType::OutOfRange,
            "The option `small` must be a whole number between 0 and 255."),
        (with("scale", ArgValue::Number(0.25)), ParseErrorType::OutOfRange,
            "The option `scale` must be a number at least 0.5."),
        (with("text", ArgValue::String("x".into())), ParseErrorType::Length,
            "The option `text` must be 2 to 20 characters long."),
        (with("after", ArgValue::String("soon".into())), ParseErrorType::Invalid,
            "The option `after`: `soon` is not a duration: use a number and a unit, like `30s`, `10m`, `2h`, `7d` or `1w`."),
        (with("repeat", ArgValue::String("hourly".into())), ParseErrorType::Invalid,
            "The option `repeat` must be one of: Every day, Weekly, Once."),
        (with("who", ArgValue::User(Id::new(56))), ParseErrorType::Unresolved,
            "The user given as `who` could not be found; mention a member of this server."),
    ];
    for (args, kind, message) in cases {
        let error = Remind::parse(&invocation(&[], args)).unwrap_err();
        assert_eq!((error.kind(), error.message()), (kind, message));
        assert_eq!(
            crate::Response::from(error),
            crate::Response::ephemeral(message),
            "a refusal is an ephemeral answer"
        );
    }
}

#[test]
fn subcommands_and_groups_declare_and_parse() {
    let spec = Economy::spec();
    assert_eq!(
        (spec.name.as_str(), spec.description.as_str()),
        ("economy", "Money.")
    );
    assert!(!spec.prefix && spec.default_member_permissions.is_none());
    assert_eq!(
        serde_json::to_value(&spec.options).unwrap(),
        json!([
            {"type": 1, "name": "balance", "description": "Your balance", "options": []},
            {"type": 2, "name": "shop", "description": "The shop", "options": [
                {"type": 1, "name": "add", "description": "Add an item", "options": [
                    {"type": 3, "name": "item", "description": "Item name", "required": true},
                    {"type": 4, "name": "price", "description": "Price in coins", "required": true,
                     "min_value": 0, "max_value": 4_294_967_295_u32},
                ]},
                {"type": 1, "name": "list", "description": "List the items", "options": []},
            ]},
            {"type": 1, "name": "reset-all", "description": "Reset everyone", "options": []},
        ])
    );
    let parsed = Economy::parse(&invocation(
        &["shop", "add"],
        vec![
            ("item", ArgValue::String("cake".into())),
            ("price", ArgValue::Integer(12)),
        ],
    ));
    assert_eq!(
        parsed.unwrap(),
        Economy::Shop(Shop::Add(ShopAdd {
            item: "cake".into(),
            price: 12
        }))
    );
    assert_eq!(
        Economy::parse(&invocation(&["shop", "list"], vec![])).unwrap(),
        Economy::Shop(Shop::List)
    );
    assert_eq!(
        Economy::parse(&invocation(&["reset-all"], vec![])).unwrap(),
        Economy::ResetAll
    );

    let unknown = Economy::parse(&invocation(&["shop", "sell"], vec![])).unwrap_err();
    assert_eq!(unknown.kind(), ParseErrorType::UnknownSubcommand);
    assert_eq!(
        unknown.message(),
        "`remind shop` has no subcommand `sell`: use `add`, `list`."
    );
    let none = Economy::parse(&invocation(&[], vec![])).unwrap_err();
    assert_eq!(
        none.message(),
        "`remind` needs a subcommand: `balance`, `shop`, `reset-all`."
    );
}

#[test]
fn subcommand_permissions_are_stored_for_the_host_to_enforce() {
    let spec = Economy::spec();
    let bits = |p: Permissions| p.bits().to_string();
    assert_eq!(
        spec.subcommand_permissions,
        [
            ("reset-all".to_owned(), bits(Permissions::ADMINISTRATOR)),
            ("shop".to_owned(), bits(Permissions::MANAGE_MESSAGES)),
            ("shop add".to_owned(), bits(Permissions::MANAGE_GUILD)),
        ]
        .into_iter()
        .collect()
    );
    let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        spec.required_permissions(&path(&["balance"])),
        Permissions::empty()
    );
    assert_eq!(
        spec.required_permissions(&path(&["shop", "list"])),
        Permissions::MANAGE_MESSAGES
    );
    assert_eq!(
        spec.required_permissions(&path(&["shop", "add"])),
        Permissions::MANAGE_MESSAGES | Permissions::MANAGE_GUILD
    );
    // Stored in the manifest JSON, and absent when a command has none (older hosts unchanged).
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(
        json["subcommand_permissions"]["shop add"],
        json!(bits(Permissions::MANAGE_GUILD))
    );
    assert!(serde_json::to_value(Remind::spec())
        .unwrap()
        .get("subcommand_permissions")
        .is_none());
}

#[test]
fn durations_parse_as_people_type_them() {
    let secs = |text: &str| Duration::parse(text).map(Duration::as_secs);
    assert_eq!(secs("30s"), Ok(30));
    assert_eq!(secs("10m"), Ok(600));
    assert_eq!(secs("2d"), Ok(172_800));
    assert_eq!(secs("1h30m"), Ok(5400));
    assert_eq!(secs(" 2 Hours "), Ok(7200));
    assert_eq!(secs("1w"), Ok(604_800));
    for bad in ["", "10", "m", "10x", "1h30", "-5m", "1.5h"] {
        let error = Duration::parse(bad).unwrap_err();
        assert!(
            error.message().contains("not a duration"),
            "{bad:?}: {error}"
        );
    }
    assert!(Duration::parse("0m")
        .unwrap_err()
        .message()
        .contains("longer than zero"));
    assert!(Duration::parse("53w")
        .unwrap_err()
        .message()
        .contains("longer than a year"));
    assert!(Duration::parse("18446744073709551615w").is_err());
    assert_eq!(Duration::from_secs(90).to_string(), "1m 30s");
    assert_eq!(
        Duration::from_secs(604_800 + 2 * 86_400 + 3600).to_string(),
        "1w 2d"
    );
    assert_eq!(Duration::from_secs(600).as_millis(), 600_000);
}

#[test]
fn refusals_are_in_the_invokers_language() {
    let mut french = invocation(&[], with("times", ArgValue::Integer(11)));
    french.invoker.locale = Some("fr".into());
    let error = Remind::parse(&french).unwrap_err();
    assert_eq!(
        error.message(),
        "L'option `times` doit être un nombre entier entre 1 et 10."
    );
    // The server's language when the member's is unknown; English when neither is shipped.
    let mut server = invocation(&[], with("after", ArgValue::String("soon".into())));
    server.invoker.guild_locale = Some("fr".into());
    assert!(Remind::parse(&server)
        .unwrap_err()
        .message()
        .starts_with("L'option `after` : `soon` n'est pas une durée"));
    let mut german = invocation(&[], vec![]);
    german.invoker.locale = Some("de".into());
    assert_eq!(
        Economy::parse(&german).unwrap_err().message(),
        "`remind` needs a subcommand: `balance`, `shop`, `reset-all`."
    );
    german.invoker.locale = Some("fr".into());
    assert_eq!(
        Economy::parse(&german).unwrap_err().message(),
        "`remind` attend une sous-commande : `balance`, `shop`, `reset-all`."
    );
}

#[test]
fn the_sdk_texts_exist_in_english_and_french() {
    let problems = crate::i18n::check::check(crate::sdk::SDK_LOCALES, &[]);
    assert!(problems.is_empty(), "{problems:#?}");
}
