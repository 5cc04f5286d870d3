//! Other modules in a module's own tests: script the modules it asks
//! ([`TestHarness::answer_module`]) and ask it as another module would
//! ([`TestHarness::request`]), with the host's rules (unknown module, undeclared method, asking
//! itself) applied as the host applies them.

use serde_json::Value;

use crate::{
    abi::{AbiError, ErrorCode},
    protocol::{kind, ModuleAnswer, ModuleAsk, ModuleFailure, ModuleRequest},
    sdk::{self, ErrorType},
    testing::{TestHarness, GUILD_ID},
    Plugin,
};

/// A scripted module: `(method, payload)` → its answer.
pub(super) type ModuleHandler = Box<dyn FnMut(&str, &Value) -> sdk::Result<Value> + Send>;

/// The host's answer to `ask` from module `asker`, given the scripted modules.
pub(super) fn answer(
    asker: &str,
    modules: &mut std::collections::BTreeMap<String, ModuleHandler>,
    ask: &ModuleAsk,
) -> ModuleAnswer {
    let failed = |failure, message: String| ModuleAnswer::Failed { failure, message };
    if ask.module == asker {
        return failed(
            ModuleFailure::Cycle,
            format!(
                "module `{asker}` asked itself for `{}`: its worker is busy asking, so the request would never be answered",
                ask.method
            ),
        );
    }
    let Some(handler) = modules.get_mut(&ask.module) else {
        return failed(
            ModuleFailure::NotLoaded,
            format!(
                "module `{}` is not loaded, so it could not answer `{}` (in this test: script it with `TestHarness::answer_module`)",
                ask.module, ask.method
            ),
        );
    };
    match handler(&ask.method, &ask.payload) {
        Ok(value) => ModuleAnswer::Answered { value },
        Err(error) => {
            let failure = match error.kind() {
                ErrorType::Refused => {
                    return ModuleAnswer::Refused {
                        message: error.message().to_owned(),
                    }
                }
                ErrorType::Module { failure, .. } => *failure,
                ErrorType::Unsupported => ModuleFailure::UnknownMethod,
                ErrorType::Invalid => ModuleFailure::Invalid,
                ErrorType::Panicked => ModuleFailure::Panicked,
                _ => ModuleFailure::Failed,
            };
            failed(failure, error.to_string())
        }
    }
}

impl<P: Plugin> TestHarness<P> {
    /// Scripts module `module` for the plugin's requests (`ctx.modules().ask("module", …)`):
    /// `handler(method, payload)` answers each. An `Error::refused` reaches the plugin as a
    /// refusal; an error of kind [`ErrorType::Module`] as that failure (to simulate a timeout
    /// or a cycle); `Error::invalid` as [`ModuleFailure::Invalid`]; other errors as
    /// [`ModuleFailure::Failed`]. A module never scripted answers [`ModuleFailure::NotLoaded`],
    /// and the plugin asking itself [`ModuleFailure::Cycle`], as the host answers.
    ///
    /// ```
    /// # use arsenal_plugin_api::{testing::TestHarness, Plugin, Error};
    /// # use serde_json::json;
    /// # fn script<P: Plugin>(harness: &TestHarness<P>) {
    /// harness.answer_module("moderation", |method, payload| match method {
    ///     "case.create" => Ok(json!({ "number": 7, "user": payload["user"] })),
    ///     _ => Err(Error::invalid("not scripted")),
    /// });
    /// # }
    /// ```
    pub fn answer_module(
        &self,
        module: &str,
        handler: impl FnMut(&str, &Value) -> sdk::Result<Value> + Send + 'static,
    ) {
        self.host
            .lock()
            .modules
            .insert(module.to_owned(), Box::new(handler));
    }

    /// Every request the plugin made to other modules, in order (answered or not).
    #[must_use]
    pub fn module_requests(&self) -> Vec<ModuleAsk> {
        self.host.lock().module_asks.clone()
    }

    /// Asks the plugin, as module `from` does with `ctx.modules().ask(…)` during a member's
    /// call in the harness guild: `method` with `payload`. Returns its answer.
    ///
    /// # Errors
    ///
    /// [`ErrorCode::Unsupported`] when the manifest does not declare `method` (the host would
    /// refuse it before calling the plugin); else the plugin's error or caught panic.
    pub fn request(&mut self, from: &str, method: &str, payload: Value) -> Result<Value, AbiError> {
        let mut request = ModuleRequest::new(from, method, payload);
        request.guild_id = Some(GUILD_ID);
        self.request_with(&request)
    }

    /// Like [`TestHarness::request`], with the whole request (another server, or none as from
    /// the asker's gateway event).
    ///
    /// # Errors
    ///
    /// As [`TestHarness::request`].
    pub fn request_with(&mut self, request: &ModuleRequest) -> Result<Value, AbiError> {
        let manifest = sdk::manifest::<P>();
        if !manifest.answers.contains(&request.method) {
            return Err(AbiError::new(
                ErrorCode::Unsupported,
                format!(
                    "module `{}` does not declare that it answers `{}`: add `.answers({:?})` to its manifest",
                    manifest.name, request.method, request.method
                ),
            ));
        }
        self.typed(kind::REQUEST, request)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::{
        abi::ErrorCode,
        prelude::*,
        protocol::ModuleAsk,
        testing::{TestHarness, GUILD_ID},
    };

    /// Answers `level.get` with the asker and the level stored for `user`; `/whoami` asks
    /// `economy` for a level and says what came back.
    struct Levels;

    impl Plugin for Levels {
        fn manifest() -> Manifest {
            Manifest::new("levels", "1.0.0").answers("level.get")
        }

        fn new(_: &Context) -> Result<Self> {
            Ok(Self)
        }

        fn on_command(&mut self, ctx: &Context, command: &CommandInvocation) -> Result<Response> {
            let module = command.str_arg("module").unwrap_or("economy");
            let asked: Result<u64> = ctx.modules().ask(module, "level.get", &json!({"user": 5}));
            Ok(Response::text(match asked {
                Ok(level) => format!("level {level}"),
                Err(e) if e.is_refused() => format!("refused: {e}"),
                Err(e) => format!("{:?}: {e}", e.module_failure()),
            }))
        }

        fn on_request(&mut self, _: &Context, request: &ModuleRequest) -> Result<Value> {
            #[derive(serde::Deserialize)]
            struct Ask {
                user: u64,
            }
            let ask: Ask = request.parse()?;
            if ask.user == 0 {
                return Err(Error::refused("nobody has a level"));
            }
            Ok(json!({"from": request.from, "guild": request.guild_id, "user": ask.user}))
        }
    }

    #[test]
    fn scripted_modules_answer_refuse_and_fail_as_the_host_would() {
        let mut harness = TestHarness::<Levels>::start().unwrap();
        harness.answer_module("economy", |method, payload| match method {
            "level.get" if payload["user"] == 5 => Ok(json!(12)),
            _ => Err(Error::refused("no such member")),
        });
        let text = |harness: &mut TestHarness<Levels>, module: &str| {
            let mut command = harness.slash("whoami");
            command.args.push(crate::protocol::Arg {
                name: "module".to_owned(),
                value: crate::protocol::ArgValue::String(module.to_owned()),
            });
            match harness.command(command).unwrap() {
                Response::Message(reply) => reply.content.unwrap_or_default(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(text(&mut harness, "economy"), "level 12");
        let missing = text(&mut harness, "moderation");
        assert!(
            missing.starts_with("Some(NotLoaded)")
                && missing.contains("`moderation` is not loaded"),
            "{missing}"
        );
        assert!(text(&mut harness, "levels").starts_with("Some(Cycle)"));
        harness.answer_module("economy", |_, _| Err(Error::failed("database on fire")));
        let failed = text(&mut harness, "economy");
        assert!(
            failed.starts_with("Some(Failed)") && failed.contains("database on fire"),
            "{failed}"
        );
        harness.answer_module("economy", |_, _| Err(Error::refused("no levels here")));
        assert_eq!(text(&mut harness, "economy"), "refused: no levels here");
        harness.answer_module("economy", |_, _| Ok(json!("twelve")));
        assert!(text(&mut harness, "economy").starts_with("Some(Invalid)"));
        let asked = harness.module_requests();
        assert_eq!(asked.len(), 6);
        assert_eq!(
            asked[0],
            ModuleAsk {
                module: "economy".to_owned(),
                method: "level.get".to_owned(),
                payload: json!({"user": 5}),
                guild_id: None,
            }
        );
    }

    #[test]
    fn a_request_reaches_on_request_with_what_the_host_sets() {
        let mut harness = TestHarness::<Levels>::start().unwrap();
        let answer = harness
            .request("giveaway", "level.get", json!({"user": 5}))
            .unwrap();
        assert_eq!(
            answer,
            json!({"from": "giveaway", "guild": GUILD_ID.to_string(), "user": 5})
        );
        let refused = harness
            .request("giveaway", "level.get", json!({"user": 0}))
            .unwrap_err();
        assert_eq!(refused.kind(), ErrorCode::Forbidden);
        let invalid = harness
            .request("giveaway", "level.get", json!({"who": 5}))
            .unwrap_err();
        assert_eq!(invalid.kind(), ErrorCode::Invalid);
        assert!(
            invalid.message.contains("from module `giveaway`"),
            "{}",
            invalid.message
        );
        let undeclared = harness
            .request("giveaway", "level.set", json!({}))
            .unwrap_err();
        assert_eq!(undeclared.kind(), ErrorCode::Unsupported);
        assert!(
            undeclared.message.contains(".answers(\"level.set\")"),
            "{}",
            undeclared.message
        );
    }
}
