//! Discord's OpenAPI description (vendored in `openapi/`, MIT) and request checking against it:
//! route templates, path and query parameters, and request bodies.

pub(crate) mod validator;

use serde_json::{json, Map, Value};
use std::sync::OnceLock;
use validator::{FieldError, Validator};

const SPEC_JSON: &str = include_str!("../../openapi/openapi.json");

enum Segment {
    Literal(String),
    Param(String),
}

struct Route {
    template: String,
    segments: Vec<Segment>,
    literals: usize,
}

/// The parsed spec with its route table.
pub(crate) struct Spec {
    root: Value,
    routes: Vec<Route>,
}

/// A request path matched to a spec template.
pub(crate) struct Matched<'a> {
    /// `/channels/{channel_id}/messages`.
    pub template: &'a str,
    /// Path parameters, percent-decoded, in template order.
    pub params: Vec<(String, String)>,
    /// The operation for the request's method, if the spec has one.
    operation: Option<&'a Value>,
    path_item: &'a Value,
}

impl Matched<'_> {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn method_allowed(&self) -> bool {
        self.operation.is_some()
    }
}

impl Spec {
    /// The vendored spec, parsed once per process.
    pub(crate) fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            // The file is compiled in; failing to parse it is a build defect, not bad input.
            let root: Value =
                serde_json::from_str(SPEC_JSON).expect("vendored openapi.json is valid JSON");
            Spec::from_value(root)
        })
    }

    fn from_value(root: Value) -> Self {
        let routes = root["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .keys()
                    .map(|template| {
                        let segments: Vec<Segment> = template
                            .split('/')
                            .filter(|s| !s.is_empty())
                            .map(
                                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                                    Some(name) => Segment::Param(name.to_owned()),
                                    None => Segment::Literal(s.to_owned()),
                                },
                            )
                            .collect();
                        let literals = segments
                            .iter()
                            .filter(|s| matches!(s, Segment::Literal(_)))
                            .count();
                        Route {
                            template: template.clone(),
                            segments,
                            literals,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { root, routes }
    }

    /// Finds the template for `path` (relative to `/api/v10`, no query). Literal segments win
    /// over parameters (`messages/bulk-delete` over `messages/{message_id}`).
    pub(crate) fn match_path(&self, method: &str, path: &str) -> Option<Matched<'_>> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let route = self
            .routes
            .iter()
            .filter(|r| {
                r.segments.len() == parts.len()
                    && r.segments.iter().zip(&parts).all(|(seg, part)| match seg {
                        Segment::Literal(l) => l == part,
                        Segment::Param(_) => !part.is_empty(),
                    })
            })
            .max_by_key(|r| r.literals)?;
        let params = route
            .segments
            .iter()
            .zip(&parts)
            .filter_map(|(seg, part)| match seg {
                Segment::Param(name) => Some((name.clone(), percent_decode(part))),
                Segment::Literal(_) => None,
            })
            .collect();
        let path_item = &self.root["paths"][&route.template];
        Some(Matched {
            template: &route.template,
            params,
            operation: path_item.get(method.to_ascii_lowercase()),
            path_item,
        })
    }

    /// Checks path parameters, query parameters and the body. `body` is `None` for an empty
    /// body; for multipart requests it is the parsed `payload_json`.
    pub(crate) fn validate(
        &self,
        matched: &Matched<'_>,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Vec<FieldError> {
        let Some(op) = matched.operation else {
            return Vec::new();
        };
        let v = Validator::new(&self.root);
        let mut errors = Vec::new();
        let params: Vec<&Value> = matched.path_item["parameters"]
            .as_array()
            .into_iter()
            .chain(op["parameters"].as_array())
            .flatten()
            .collect();
        for (name, raw) in &matched.params {
            if let Some(p) = params
                .iter()
                .find(|p| p["in"] == "path" && p["name"] == name.as_str())
            {
                let value = coerce(&v, &p["schema"], raw);
                prefix(&mut errors, name, v.validate(&p["schema"], &value));
            }
        }
        for (name, raw) in query {
            match params
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == name.as_str())
            {
                Some(p) => {
                    let value = coerce(&v, &p["schema"], raw);
                    prefix(&mut errors, name, v.validate(&p["schema"], &value));
                }
                None => errors.push(FieldError {
                    path: name.clone(),
                    code: "UNKNOWN_QUERY_PARAMETER",
                    message: format!(
                        "query parameter \"{name}\" is not in the spec for this route"
                    ),
                }),
            }
        }
        let request_body = v.resolve(&op["requestBody"]);
        match (body, request_body.is_object()) {
            (Some(body), true) => {
                let content = &request_body["content"];
                let schema = content
                    .get("application/json")
                    .or_else(|| content.get("multipart/form-data"))
                    .map(|c| &c["schema"]);
                if let Some(schema) = schema {
                    errors.extend(v.validate(schema, body));
                }
            }
            (Some(_), false) => errors.push(FieldError {
                path: String::new(),
                code: "UNEXPECTED_BODY",
                message: "this route takes no request body".into(),
            }),
            // Discord marks some bodies "required" whose schema an empty object satisfies (for
            // example DELETE /guilds/{guild_id}/bans/{user_id}); it accepts those requests
            // without a body, and twilight sends none.
            (None, true)
                if request_body["required"] == true && !empty_object_is_valid(&v, request_body) =>
            {
                errors.push(FieldError {
                    path: String::new(),
                    code: "BASE_TYPE_REQUIRED",
                    message: "a request body is required".into(),
                });
            }
            (None, _) => {}
        }
        errors
    }
}

/// Whether `{}` satisfies the JSON schema of `request_body` (so sending no body is the same).
fn empty_object_is_valid(v: &validator::Validator<'_>, request_body: &serde_json::Value) -> bool {
    let content = &request_body["content"];
    content
        .get("application/json")
        .map(|c| &c["schema"])
        .is_some_and(|schema| v.validate(schema, &serde_json::json!({})).is_empty())
}

fn prefix(errors: &mut Vec<FieldError>, name: &str, found: Vec<FieldError>) {
    errors.extend(found.into_iter().map(|mut e| {
        e.path = if e.path.is_empty() {
            name.to_owned()
        } else {
            format!("{name}.{}", e.path)
        };
        e
    }));
}

/// Turns a query/path string into the JSON value its schema describes (`"5"` → `5`).
fn coerce(v: &Validator<'_>, schema: &Value, raw: &str) -> Value {
    let schema = v.resolve(schema);
    let first_type = match &schema["type"] {
        Value::String(t) => Some(t.as_str()),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    };
    match first_type {
        Some("integer") => raw
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| json!(raw)),
        Some("number") => raw
            .parse::<f64>()
            .map(Value::from)
            .unwrap_or_else(|_| json!(raw)),
        Some("boolean") => match raw.to_ascii_lowercase().as_str() {
            "true" | "1" => json!(true),
            "false" | "0" => json!(false),
            _ => json!(raw),
        },
        Some("array") => Value::Array(
            raw.split(',')
                .map(|part| coerce(v, &schema["items"], part))
                .collect(),
        ),
        _ => json!(raw),
    }
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Discord's nested `errors` object for field errors:
/// `{"content": {"_errors": [{"code": .., "message": ..}]}}`.
pub(crate) fn discord_errors(errors: &[FieldError]) -> Value {
    let mut root = Map::new();
    for e in errors {
        let mut node = &mut root;
        for part in e
            .path
            .split('.')
            .filter(|p| !p.is_empty() && *p != "_errors")
        {
            node = match node
                .entry(part.to_owned())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(map) => map,
                _ => unreachable!("error nodes are always objects"),
            };
        }
        if let Value::Array(list) = node.entry("_errors").or_insert_with(|| json!([])) {
            list.push(json!({ "code": e.code, "message": e.message }));
        }
    }
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_literal_routes_before_parameters() {
        let spec = Spec::get();
        let m = spec
            .match_path("POST", "/channels/1/messages/bulk-delete")
            .expect("route");
        assert_eq!(m.template, "/channels/{channel_id}/messages/bulk-delete");
        let m = spec
            .match_path("GET", "/channels/1/messages/2")
            .expect("route");
        assert_eq!(m.param("message_id"), Some("2"));
        assert!(spec.match_path("GET", "/nope").is_none());
        assert!(!spec
            .match_path("PUT", "/users/@me")
            .expect("route")
            .method_allowed());
    }

    #[test]
    fn rejects_bad_query_and_body() {
        let spec = Spec::get();
        let m = spec
            .match_path("GET", "/channels/1/messages")
            .expect("route");
        let errs = spec.validate(&m, &[("limit".into(), "500".into())], None);
        assert_eq!(errs[0].code, "NUMBER_TYPE_MAX");
        let m = spec
            .match_path("POST", "/channels/1/messages")
            .expect("route");
        let errs = spec.validate(&m, &[], Some(&json!({ "content": 5 })));
        assert_eq!(errs[0].path, "content");
        let m = spec
            .match_path("POST", "/channels/abc/messages")
            .expect("route");
        let errs = spec.validate(&m, &[], Some(&json!({ "content": "hi" })));
        assert_eq!(errs[0].path, "channel_id");
    }

    #[test]
    fn nests_errors_like_discord() {
        let e = discord_errors(&[FieldError {
            path: "embeds.0.title".into(),
            code: "X",
            message: "m".into(),
        }]);
        assert_eq!(e["embeds"]["0"]["title"]["_errors"][0]["code"], "X");
    }
}
