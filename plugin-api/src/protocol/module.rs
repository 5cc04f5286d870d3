//! The JSON of a request from one module to another, routed by the host (`op::MODULE_ASK` from
//! the asking module, `kind::REQUEST` to the answering one).
//!
//! Modules never read each other's data: a module that needs another's (a giveaway checking an
//! economy level, automod recording a moderation case) asks it, and the other module's own
//! worker answers, on its own data, in its queue. The host names the asker (`from`) and the
//! server the request is about (`guild_id`, checked against the asker's own call), so the
//! answering module trusts those two fields and nothing else in the payload.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;
use twilight_model::id::{marker::GuildMarker, Id};

/// What a module sends the host to ask another module (`op::MODULE_ASK`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleAsk {
    /// The module asked (`"moderation"`).
    pub module: String,
    /// One of the methods its manifest declares it answers (`"case.create"`).
    pub method: String,
    /// The request's own JSON, as the answering module documents it.
    #[serde(default)]
    pub payload: Value,
    /// The server the request is about. `None`: the server of the call being handled (none from
    /// a gateway event, a timer or a direct message). During a member's command, button or form
    /// it may only be that member's server.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}

/// What the answering module receives (`kind::REQUEST`), built by the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleRequest {
    /// The asking module, named by the host (never by the asker).
    pub from: String,
    /// The method asked for; one the manifest declares with `Manifest::answers`.
    pub method: String,
    /// The request's JSON, as the asker sent it: check it like any input.
    #[serde(default)]
    pub payload: Value,
    /// The server the request is about, checked by the host: while answering, this module's
    /// Discord actions may reach only this server (none at all when the asker acts for a
    /// member in a direct message). `None` from a gateway event or timer of the asker that
    /// named no server.
    #[serde(default)]
    pub guild_id: Option<Id<GuildMarker>>,
}

impl ModuleRequest {
    /// A request from module `from` for `method` with `payload`, about no server.
    pub fn new(from: impl Into<String>, method: impl Into<String>, payload: Value) -> Self {
        Self {
            from: from.into(),
            method: method.into(),
            payload,
            guild_id: None,
        }
    }

    /// The payload as `T`.
    ///
    /// # Errors
    ///
    /// [`ErrorType::Invalid`](crate::sdk::ErrorType::Invalid), naming the method and the asker,
    /// when the payload does not have `T`'s shape; the asker gets it as
    /// [`ModuleFailure::Invalid`].
    pub fn parse<T: DeserializeOwned>(&self) -> crate::sdk::Result<T> {
        T::deserialize(&self.payload).map_err(|e| self.unreadable(e))
    }

    #[inline(never)]
    fn unreadable(&self, error: serde_json::Error) -> crate::sdk::Error {
        crate::sdk::Error::invalid(format!(
            "the `{}` request from module `{}` is not what this module expects",
            self.method, self.from
        ))
        .with_source(error)
    }
}

/// The host's answer to a [`ModuleAsk`]: always a value of the host operation, never an ABI
/// error, so the kind of failure survives the frozen error type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ModuleAnswer {
    /// The module answered with this JSON.
    Answered {
        /// Its answer.
        #[serde(default)]
        value: Value,
    },
    /// The module refused (`Error::refused`): `message` is an answer for the member.
    Refused {
        /// The refusal, for the member.
        message: String,
    },
    /// The request was not answered.
    Failed {
        /// Why.
        failure: ModuleFailure,
        /// One readable line: what failed, why, what to do.
        message: String,
    },
}

/// Why a request to another module was not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModuleFailure {
    /// The module is not loaded (never was, unloaded, stopped while the request waited).
    NotLoaded,
    /// The module does not declare that it answers this method.
    UnknownMethod,
    /// The module could not read the request's payload.
    Invalid,
    /// The module's handler returned an error.
    Failed,
    /// The module's handler panicked (caught; the module keeps serving).
    Panicked,
    /// The module did not answer within the host's call timeout.
    TimedOut,
    /// The module is waiting, directly or through others, for the asker: answering would
    /// deadlock both, so the host refused at once. A module asking itself is one too.
    Cycle,
    /// The request named a server the asker's call may not act in.
    OutOfScope,
    /// The module's queue is full.
    Overloaded,
    /// A failure this SDK does not know (from a newer host).
    #[serde(other)]
    Other,
}

impl std::fmt::Display for ModuleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotLoaded => "not loaded",
            Self::UnknownMethod => "unknown method",
            Self::Invalid => "invalid request",
            Self::Failed => "failed",
            Self::Panicked => "panicked",
            Self::TimedOut => "timed out",
            Self::Cycle => "request cycle",
            Self::OutOfScope => "out of scope",
            Self::Overloaded => "overloaded",
            Self::Other => "other failure",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_unknown_failures_read_as_other() {
        let answer = ModuleAnswer::Failed {
            failure: ModuleFailure::Cycle,
            message: "m".to_owned(),
        };
        let json = serde_json::to_string(&answer).unwrap();
        assert_eq!(
            json,
            r#"{"outcome":"failed","failure":"cycle","message":"m"}"#
        );
        assert_eq!(serde_json::from_str::<ModuleAnswer>(&json).unwrap(), answer);
        let newer: ModuleAnswer =
            serde_json::from_str(r#"{"outcome":"failed","failure":"moon_phase","message":"m"}"#)
                .unwrap();
        assert!(matches!(
            newer,
            ModuleAnswer::Failed {
                failure: ModuleFailure::Other,
                ..
            }
        ));
    }

    #[test]
    fn a_payload_of_the_wrong_shape_names_the_method_and_the_asker() {
        #[derive(Debug, Deserialize)]
        struct Case {
            #[allow(dead_code)]
            user: u64,
        }
        let request = ModuleRequest::new("automod", "case.create", serde_json::json!({"u": 1}));
        let error = request.parse::<Case>().unwrap_err();
        assert_eq!(error.kind(), &crate::sdk::ErrorType::Invalid);
        assert!(
            error
                .message()
                .contains("`case.create` request from module `automod`"),
            "{error}"
        );
    }
}
