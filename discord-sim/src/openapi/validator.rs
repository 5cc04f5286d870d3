//! A JSON Schema (2020-12) validator for the subset Discord's OpenAPI description uses.
//!
//! Hand-written rather than the `jsonschema` crate: the spec uses a small, fixed set of keywords
//! ($ref, type incl. type arrays, properties, required, additionalProperties, items, oneOf, anyOf,
//! allOf, enum, const, min/max, minLength/maxLength, minItems/maxItems, uniqueItems,
//! min/maxProperties, format int32/int64/snowflake/date-time and two patterns), and this keeps
//! the dependency tree (and offline build) small while producing Discord-style error codes.
//!
//! Deliberate leniency: `oneOf` is checked as `anyOf` (Discord's spec has overlapping branches,
//! e.g. a nullable field as `oneOf: [null, X]` where X may also accept null); unknown `pattern`s
//! and `format: uri` are not checked; snowflake fields accept JSON integers and
//! integer fields accept numeric strings, as Discord's own coercion does.

use serde_json::Value;

/// One rejected field, with Discord's error code (`BASE_TYPE_MAX_LENGTH`, ...).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FieldError {
    /// Dotted path from the body root (`embeds.0.title`); empty for the root.
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

const MAX_DEPTH: usize = 64;
const SNOWFLAKE_PATTERN: &str = "^(0|[1-9][0-9]*)$";
const COLOR_PATTERN: &str = "^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$";

pub(crate) struct Validator<'a> {
    root: &'a Value,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(root: &'a Value) -> Self {
        Self { root }
    }

    /// Resolves a local `$ref` (`#/components/schemas/X`).
    pub(crate) fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..16 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                    Some(target) => schema = target,
                    None => return &Value::Null,
                },
                None => return schema,
            }
        }
        schema
    }

    pub(crate) fn validate(&self, schema: &Value, value: &Value) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.check(schema, value, &mut Vec::new(), &mut errors, 0);
        errors
    }

    fn check(
        &self,
        schema: &Value,
        value: &Value,
        path: &mut Vec<String>,
        errors: &mut Vec<FieldError>,
        depth: usize,
    ) {
        let push =
            |errors: &mut Vec<FieldError>, path: &[String], code: &'static str, message: String| {
                errors.push(FieldError {
                    path: path.join("."),
                    code,
                    message,
                });
            };
        if depth > MAX_DEPTH {
            push(
                errors,
                path,
                "BASE_TYPE_BAD_VALUE",
                "Value is nested too deeply.".into(),
            );
            return;
        }
        let Some(obj) = schema.as_object() else {
            return;
        };
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(target) => self.check(target, value, path, errors, depth + 1),
                None => push(errors, path, "SCHEMA_REF", format!("unresolvable $ref {r}")),
            }
        }
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(s, value, path, errors, depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = obj.get(key).and_then(Value::as_array) {
                let mut best: Option<Vec<FieldError>> = None;
                for s in branches {
                    let mut branch_errors = Vec::new();
                    self.check(s, value, path, &mut branch_errors, depth + 1);
                    if branch_errors.is_empty() {
                        best = None;
                        break;
                    }
                    if best.as_ref().is_none_or(|b| branch_errors.len() < b.len()) {
                        best = Some(branch_errors);
                    }
                }
                if let Some(best) = best {
                    // Report the closest branch: the most useful message for a near miss.
                    errors.extend(best);
                }
            }
        }
        // Discord coerces integers into snowflakes (twilight sends attachment ids as numbers).
        let snowflake_schema = obj.get("format").and_then(Value::as_str) == Some("snowflake")
            || obj.get("pattern").and_then(Value::as_str) == Some(SNOWFLAKE_PATTERN);
        if snowflake_schema && value.is_u64() {
            return;
        }
        if let Some(types) = obj.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            // Discord coerces numeric strings into integers (twilight sends permissions as
            // strings even where the spec says integer).
            if allowed.contains(&"integer") && !allowed.contains(&"string") {
                if let Some(n) = value.as_str().and_then(parse_integer) {
                    self.check(schema, &n, path, errors, depth + 1);
                    return;
                }
            }
            if !allowed.is_empty() && !allowed.iter().any(|t| type_matches(t, value)) {
                let (code, msg) = type_error(allowed[0], value);
                push(errors, path, code, msg);
                return;
            }
        }
        if let Some(c) = obj.get("const") {
            if !same(c, value) {
                push(
                    errors,
                    path,
                    "BASE_TYPE_CHOICES",
                    format!("Value must be {c}."),
                );
            }
        }
        if let Some(choices) = obj.get("enum").and_then(Value::as_array) {
            if !choices.is_empty() && !choices.iter().any(|c| same(c, value)) {
                push(
                    errors,
                    path,
                    "BASE_TYPE_CHOICES",
                    format!("Value must be one of {}.", Value::Array(choices.clone())),
                );
            }
        }
        match value {
            Value::String(s) => self.check_string(obj, s, path, errors),
            Value::Number(_) => check_number(obj, value, path, errors),
            Value::Array(items) => {
                let n = items.len() as u64;
                if let Some(max) = obj.get("maxItems").and_then(Value::as_u64) {
                    if n > max {
                        push(
                            errors,
                            path,
                            "BASE_TYPE_MAX_LENGTH",
                            format!("Must be {max} or fewer in length."),
                        );
                    }
                }
                if let Some(min) = obj.get("minItems").and_then(Value::as_u64) {
                    if n < min {
                        push(
                            errors,
                            path,
                            "BASE_TYPE_MIN_LENGTH",
                            format!("Must be {min} or more in length."),
                        );
                    }
                }
                if obj.get("uniqueItems").and_then(Value::as_bool) == Some(true)
                    && items
                        .iter()
                        .enumerate()
                        .any(|(i, a)| items[..i].iter().any(|b| same(a, b)))
                {
                    push(
                        errors,
                        path,
                        "BASE_TYPE_UNIQUE",
                        "Items must be unique.".into(),
                    );
                }
                if let Some(item_schema) = obj.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        path.push(i.to_string());
                        self.check(item_schema, item, path, errors, depth + 1);
                        path.pop();
                    }
                }
            }
            Value::Object(map) => {
                if let Some(required) = obj.get("required").and_then(Value::as_array) {
                    for field in required.iter().filter_map(Value::as_str) {
                        if !map.contains_key(field) {
                            path.push(field.to_owned());
                            push(
                                errors,
                                path,
                                "BASE_TYPE_REQUIRED",
                                "This field is required".into(),
                            );
                            path.pop();
                        }
                    }
                }
                let n = map.len() as u64;
                if obj
                    .get("maxProperties")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| n > max)
                {
                    push(
                        errors,
                        path,
                        "BASE_TYPE_MAX_LENGTH",
                        "Too many properties.".into(),
                    );
                }
                if obj
                    .get("minProperties")
                    .and_then(Value::as_u64)
                    .is_some_and(|min| n < min)
                {
                    push(
                        errors,
                        path,
                        "BASE_TYPE_MIN_LENGTH",
                        "Too few properties.".into(),
                    );
                }
                let props = obj.get("properties").and_then(Value::as_object);
                for (key, v) in map {
                    path.push(key.clone());
                    match props.and_then(|p| p.get(key)) {
                        Some(s) => self.check(s, v, path, errors, depth + 1),
                        None => {
                            match obj.get("additionalProperties") {
                                Some(Value::Bool(false)) => {
                                    push(errors, path, "UNKNOWN_FIELD", format!("Unknown field \"{key}\" (additionalProperties is false)."));
                                }
                                Some(s @ Value::Object(_)) => {
                                    self.check(s, v, path, errors, depth + 1)
                                }
                                _ => {}
                            }
                        }
                    }
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn check_string(
        &self,
        obj: &serde_json::Map<String, Value>,
        s: &str,
        path: &[String],
        errors: &mut Vec<FieldError>,
    ) {
        let mut push = |code: &'static str, message: String| {
            errors.push(FieldError {
                path: path.join("."),
                code,
                message,
            });
        };
        // Discord counts characters (code points), not bytes.
        let n = s.chars().count() as u64;
        if let Some(max) = obj.get("maxLength").and_then(Value::as_u64) {
            if n > max {
                push(
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {max} or fewer in length."),
                );
            }
        }
        if let Some(min) = obj.get("minLength").and_then(Value::as_u64) {
            if n < min {
                push(
                    "BASE_TYPE_MIN_LENGTH",
                    format!("Must be {min} or more in length."),
                );
            }
        }
        let snowflake = obj.get("format").and_then(Value::as_str) == Some("snowflake")
            || obj.get("pattern").and_then(Value::as_str) == Some(SNOWFLAKE_PATTERN);
        if snowflake && !is_snowflake(s) {
            push(
                "NUMBER_TYPE_COERCE",
                format!("Value \"{s}\" is not snowflake."),
            );
        }
        if obj.get("pattern").and_then(Value::as_str) == Some(COLOR_PATTERN) && !is_hex_color(s) {
            push(
                "STRING_TYPE_REGEX",
                format!("String value did not match validation regex: {s}"),
            );
        }
        if obj.get("format").and_then(Value::as_str) == Some("date-time")
            && twilight_model::util::Timestamp::parse(s).is_err()
        {
            push(
                "DATE_TIME_TYPE_PARSE",
                format!("Could not parse {s}. Should be ISO8601."),
            );
        }
    }
}

fn check_number(
    obj: &serde_json::Map<String, Value>,
    value: &Value,
    path: &[String],
    errors: &mut Vec<FieldError>,
) {
    let mut push = |code: &'static str, message: String| {
        errors.push(FieldError {
            path: path.join("."),
            code,
            message,
        });
    };
    let Some(n) = value.as_f64() else { return };
    if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
        if n < min {
            push(
                "NUMBER_TYPE_MIN",
                format!("int value should be greater than or equal to {min}."),
            );
        }
    }
    if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
        if n > max {
            push(
                "NUMBER_TYPE_MAX",
                format!("int value should be less than or equal to {max}."),
            );
        }
    }
    let in_range = match obj.get("format").and_then(Value::as_str) {
        Some("int32") => value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        Some("int64") => value.as_i64().is_some(),
        _ => true,
    };
    if !in_range {
        push("NUMBER_TYPE_MAX", format!("Value {value} is out of range."));
    }
}

fn type_matches(t: &str, value: &Value) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    }
}

fn type_error(expected: &str, value: &Value) -> (&'static str, String) {
    match expected {
        "string" => (
            "STRING_TYPE_CONVERT",
            format!("Could not interpret \"{value}\" as string."),
        ),
        "integer" => (
            "NUMBER_TYPE_COERCE",
            format!("Value \"{value}\" is not int."),
        ),
        "number" => (
            "NUMBER_TYPE_COERCE",
            format!("Value \"{value}\" is not a number."),
        ),
        "boolean" => (
            "BOOLEAN_TYPE_CONVERT",
            "Must be either true or false.".into(),
        ),
        "array" => (
            "LIST_TYPE_CONVERT",
            "Only iterables may be used in a ListType".into(),
        ),
        "object" => (
            "MODEL_TYPE_CONVERT",
            "Only dictionaries may be used in a ModelType".into(),
        ),
        _ => (
            "BASE_TYPE_BAD_VALUE",
            format!("Expected {expected}, got {value}."),
        ),
    }
}

fn parse_integer(s: &str) -> Option<Value> {
    s.parse::<i64>()
        .map(Value::from)
        .or_else(|_| s.parse::<u64>().map(Value::from))
        .ok()
}

/// JSON equality where `1` and `1.0` are the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

pub(crate) fn is_snowflake(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 20
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
        && s.parse::<u64>().is_ok()
}

fn is_hex_color(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| (h.len() == 6 || h.len() == 3) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "components": { "schemas": {
                "Snowflake": { "type": "string", "pattern": SNOWFLAKE_PATTERN, "format": "snowflake" },
                "Msg": {
                    "type": "object",
                    "properties": {
                        "content": { "type": ["string", "null"], "maxLength": 5 },
                        "ids": { "type": "array", "items": { "$ref": "#/components/schemas/Snowflake" }, "maxItems": 2 },
                        "kind": { "oneOf": [{ "type": "integer", "const": 1 }, { "type": "integer", "const": 2 }] },
                    },
                    "required": ["kind"],
                    "additionalProperties": false,
                }
            }}
        })
    }

    fn errors(body: Value) -> Vec<FieldError> {
        let root = spec();
        let v = Validator::new(&root);
        v.validate(&json!({ "$ref": "#/components/schemas/Msg" }), &body)
    }

    #[test]
    fn accepts_valid_body() {
        assert_eq!(
            errors(json!({ "content": null, "ids": ["1", "22"], "kind": 2 })),
            vec![]
        );
    }

    #[test]
    fn reports_each_kind_of_error_with_path() {
        let e = errors(json!({ "content": "toolong", "ids": ["01", "2", "3"], "kind": 3, "x": 1 }));
        let codes: Vec<_> = e.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert!(
            codes.contains(&("content", "BASE_TYPE_MAX_LENGTH")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("ids", "BASE_TYPE_MAX_LENGTH")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("ids.0", "NUMBER_TYPE_COERCE")),
            "{codes:?}"
        );
        assert!(codes.contains(&("kind", "BASE_TYPE_CHOICES")), "{codes:?}");
        assert!(codes.contains(&("x", "UNKNOWN_FIELD")), "{codes:?}");
        let e = errors(json!({ "content": 5 }));
        assert!(e
            .iter()
            .any(|e| e.path == "kind" && e.code == "BASE_TYPE_REQUIRED"));
        assert!(e
            .iter()
            .any(|e| e.path == "content" && e.code == "STRING_TYPE_CONVERT"));
    }
}
