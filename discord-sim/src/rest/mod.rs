//! The REST API: a hyper 1 server on `127.0.0.1` answering `/api/v10/...`.
//!
//! Pipeline per request: read body → record → scripted fault → auth → match the OpenAPI route
//! → validate parameters and body → handler → Discord-style response with rate-limit headers.
//! Anything Discord would reject as malformed is answered like Discord and recorded as a
//! [`crate::Violation`].

mod channels;
mod commands;
mod context;
mod guilds;
mod interactions;
mod members;
mod messages;
mod meta;
mod multipart;
mod router;
mod safety;
mod webhooks;

pub(crate) use context::{Ctx, Reply};

use crate::faults::RestFaultKind;
use crate::openapi::discord_errors;
use crate::record::RecordedRequest;
use crate::{lock, ApiError, Shared};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{header, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Discord's upload limit for bots without boosts is 10 MiB; allow some multipart overhead.
const MAX_BODY: usize = 25 * 1024 * 1024;

pub(crate) async fn run(listener: TcpListener, shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = Arc::clone(&shared);
                        async move { Ok::<_, std::convert::Infallible>(handle(req, &shared).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// Everything about a request the handlers and the log need.
struct RawRequest {
    method: String,
    path: String,
    query: String,
    auth: Option<String>,
    content_type: String,
    reason: Option<String>,
    body: Bytes,
}

async fn handle(req: Request<Incoming>, shared: &Shared) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let header = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let e = ApiError::new(413, 40005, "Request entity too large");
            return respond(e.status, Some(e.body()), None);
        }
    };
    let request = RawRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        auth: header(header::AUTHORIZATION),
        content_type: header(header::CONTENT_TYPE).unwrap_or_default(),
        reason: header(header::HeaderName::from_static("x-audit-log-reason"))
            .map(|r| crate::openapi::percent_decode(&r)),
        body,
    };
    if request.method == "GET" && request.path.starts_with("/attachments/") {
        return serve_attachment(shared, &request.path);
    }
    process(request, shared).await
}

async fn process(req: RawRequest, shared: &Shared) -> Response<Full<Bytes>> {
    let Some(path) = req.path.strip_prefix("/api/v10") else {
        shared.violation(&req.method, &req.path, "not under /api/v10".to_owned());
        return respond(404, Some(ApiError::not_found().body()), None);
    };
    let path = if path.is_empty() { "/" } else { path };
    let matched = shared.spec.match_path(&req.method, path);
    let route = matched.as_ref().map(|m| m.template.to_owned());
    let query: Vec<(String, String)> = req
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                crate::openapi::percent_decode(k),
                crate::openapi::percent_decode(&v.replace('+', " ")),
            )
        })
        .collect();

    // Body: JSON, or multipart with payload_json + files.
    let mut files = Vec::new();
    let mut body_error = None;
    let body: Option<Value> = if req.body.is_empty() {
        None
    } else if req.content_type.starts_with("multipart/form-data") {
        match multipart::parse(&req.content_type, &req.body) {
            Ok(upload) => {
                files = upload.files;
                match upload
                    .payload_json
                    .map(|p| serde_json::from_str::<Value>(&p))
                {
                    Some(Ok(v)) => Some(v),
                    Some(Err(e)) => {
                        body_error = Some(format!("payload_json is not valid JSON: {e}"));
                        None
                    }
                    None => Some(Value::Object(
                        upload
                            .fields
                            .into_iter()
                            .map(|(k, v)| (k, Value::String(v)))
                            .collect(),
                    )),
                }
            }
            Err(e) => {
                body_error = Some(format!("malformed multipart body: {e}"));
                None
            }
        }
    } else {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(v) => Some(v),
            Err(e) => {
                body_error = Some(format!("body is not valid JSON: {e}"));
                None
            }
        }
    };

    let started = Instant::now();
    let entry = |status: u16| RecordedRequest {
        method: req.method.clone(),
        path: path.to_owned(),
        route: route.clone(),
        query: req.query.clone(),
        body: body.clone(),
        files: files.iter().map(|f| f.filename.clone()).collect(),
        status,
        at: started,
    };
    let log = |status: u16| lock(&shared.requests).push(entry(status));
    let bucket = bucket_id(&req.method, route.as_deref().unwrap_or(path));

    // Scripted faults come first: a rate-limited request is never processed.
    let fault = lock(&shared.faults).take(&req.method, path, route.as_deref());
    match fault {
        Some(RestFaultKind::RateLimit {
            retry_after,
            global,
        }) => {
            log(429);
            return rate_limited(retry_after, global, &bucket);
        }
        Some(RestFaultKind::ServerError(status)) => {
            log(status);
            let body = json!({ "message": "500: Internal Server Error", "code": 0 });
            return respond(status, Some(body), Some(&bucket));
        }
        Some(RestFaultKind::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }

    let Some(matched) = matched else {
        log(404);
        shared.violation(
            &req.method,
            path,
            "no such route in Discord's OpenAPI description".to_owned(),
        );
        return respond(404, Some(ApiError::not_found().body()), Some(&bucket));
    };
    if !matched.method_allowed() {
        log(405);
        shared.violation(
            &req.method,
            path,
            format!("method not allowed on {}", matched.template),
        );
        return respond(
            405,
            Some(json!({ "message": "405: Method Not Allowed", "code": 0 })),
            Some(&bucket),
        );
    }
    // Interaction callbacks and webhook (token) routes carry no bot token: never 401 those, or
    // twilight-http marks the token invalid and refuses every later request.
    let token_route = matched.template.starts_with("/interactions/")
        || matched
            .template
            .starts_with("/webhooks/{webhook_id}/{webhook_token}");
    if !token_route && req.auth.as_deref() != Some(format!("Bot {}", shared.token).as_str()) {
        log(401);
        return respond(
            401,
            Some(json!({ "message": "401: Unauthorized", "code": 0 })),
            Some(&bucket),
        );
    }
    if let Some(reason) = body_error {
        log(400);
        shared.violation(&req.method, path, reason.clone());
        let e = ApiError::new(400, 50109, "The request body contains invalid JSON.");
        return respond(400, Some(e.body()), Some(&bucket));
    }
    let errors = shared.spec.validate(&matched, &query, body.as_ref());
    if !errors.is_empty() {
        log(400);
        let reasons: Vec<String> = errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {} ({})",
                    if e.path.is_empty() { "<body>" } else { &e.path },
                    e.message,
                    e.code
                )
            })
            .collect();
        shared.violation(
            &req.method,
            path,
            format!("invalid request ({})", reasons.join("; ")),
        );
        let e = ApiError {
            status: 400,
            code: 50035,
            message: "Invalid Form Body".to_owned(),
            errors: Some(discord_errors(&errors)),
        };
        return respond(400, Some(e.body()), Some(&bucket));
    }

    let ctx = Ctx {
        shared,
        method: &req.method,
        matched: &matched,
        query: &query,
        body: body.clone().unwrap_or(Value::Null),
        files: files.clone(),
        reason: req.reason.clone(),
    };
    // The request log is held while the request changes the world, so whoever sees the
    // change (a test waiting for an answer) and then reads the log finds the request in it.
    let mut recorded = lock(&shared.requests);
    let (status, out) = match router::route(&ctx) {
        Some(Ok((status, out))) => (status, out),
        Some(Err(e)) => {
            if e.is_malformed() {
                shared.violation(&req.method, path, format!("Discord would reject: {e}"));
            }
            (e.status, Some(e.body()))
        }
        None => {
            shared.violation(
                &req.method,
                path,
                format!(
                    "{} {} is in Discord's API but not implemented by discord-sim",
                    req.method, matched.template
                ),
            );
            (404, Some(ApiError::not_found().body()))
        }
    };
    recorded.push(entry(status));
    drop(recorded);
    respond(status, out, Some(&bucket))
}

/// A JSON (or empty, for 204) response with Discord's rate-limit headers.
fn respond(status: u16, body: Option<Value>, bucket: Option<&str>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    if let Some(bucket) = bucket {
        let reset = crate::clock::now_ms() as f64 / 1000.0 + 1.0;
        builder = builder
            .header("x-ratelimit-limit", "50")
            .header("x-ratelimit-remaining", "49")
            .header("x-ratelimit-reset", format!("{reset:.3}"))
            .header("x-ratelimit-reset-after", "1.000")
            .header("x-ratelimit-bucket", bucket);
    }
    let bytes = match body {
        Some(v) if status != 204 => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Bytes::from(v.to_string())
        }
        _ => Bytes::new(),
    };
    builder
        .body(Full::new(bytes))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn rate_limited(retry_after: Duration, global: bool, bucket: &str) -> Response<Full<Bytes>> {
    let secs = retry_after.as_secs_f64();
    let body = json!({ "message": "You are being rate limited.", "retry_after": secs, "global": global, "code": 0 });
    let mut builder = Response::builder()
        .status(StatusCode::TOO_MANY_REQUESTS)
        .header(header::CONTENT_TYPE, "application/json")
        // Retry-After is whole seconds (rounded up); the reset-after header is precise.
        .header(
            header::RETRY_AFTER,
            retry_after.as_secs_f64().ceil().max(0.0).to_string(),
        )
        .header("x-ratelimit-limit", "1")
        .header("x-ratelimit-remaining", "0")
        .header(
            "x-ratelimit-reset",
            format!("{:.3}", crate::clock::now_ms() as f64 / 1000.0 + secs),
        )
        .header("x-ratelimit-reset-after", format!("{secs:.3}"))
        .header("x-ratelimit-bucket", bucket)
        .header("x-ratelimit-scope", if global { "global" } else { "user" });
    if global {
        builder = builder.header("x-ratelimit-global", "true");
    }
    builder
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn bucket_id(method: &str, route: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (method, route).hash(&mut h);
    format!("{:016x}", h.finish())
}

/// `GET /attachments/{channel}/{id}/{name}`: the bytes of an uploaded file.
fn serve_attachment(shared: &Shared, path: &str) -> Response<Full<Bytes>> {
    let parts: Vec<&str> = path
        .trim_start_matches("/attachments/")
        .split('/')
        .collect();
    let (Some(channel), Some(id)) = (
        parts.first().and_then(|p| p.parse::<u64>().ok()),
        parts.get(1).and_then(|p| p.parse::<u64>().ok()),
    ) else {
        return respond(404, None, None);
    };
    let world = lock(&shared.world);
    let file = world
        .messages
        .get(&channel)
        .into_iter()
        .flat_map(|m| m.values())
        .flat_map(|m| m.attachments.iter())
        .find(|a| a.id == id);
    match file {
        Some(a) => Response::builder()
            .header(
                header::CONTENT_TYPE,
                a.content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream"),
            )
            .body(Full::new(Bytes::from(a.bytes.clone())))
            .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))),
        None => respond(404, None, None),
    }
}
