//! `keyroster pull` and `keyroster audit DIR` / `audit --pull` against a stand-in Admin API on
//! 127.0.0.1 (tiny_http): the documented shapes, served from the fixture files with real
//! pagination (`has_more`/`last_id`/`after` or `after_id`, `next_page`), and the network's
//! misbehaviour on request: a 429 with Retry-After, a 500 once, a 403, an endpoint slower than
//! the timeout, a 401 that echoes the key back. No test reaches the internet.

use crate::support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

const AS_OF: &str = "2026-11-22";
const SINCE: &str = "2026-09-01";
/// 2026-09-01T00:00:00Z in Unix seconds: what `--since 2026-09-01` asks usage and costs from.
const SINCE_UNIX: &str = "1788220800";

/// A made-up admin key of the real shape, so every secret sweep would recognize it.
fn openai_key() -> String {
    format!(
        "sk-admin-{}T3BlbkFJ{}",
        "Zq8Lm3Nx7Pw2Rt5Vy9Bc4Df6Gh1Jk0Ms8Qa2We4Rt6Yu8Io1Pa3Sd5Fg7Hj9Kl0",
        "Xc2Vb4Nm6Qw8Er0Ty2Ui4Op6As8Df0Gh2Jk4Lz6Xc8Vb0Nm2Qw4Er6Ty8Ui0Op2"
    )
}

fn anthropic_key() -> String {
    format!(
        "sk-ant-admin01-{}AA",
        "Rm4Tq8Wz2Xv6Nb0Pc3Ls7Kd1Jf5Hg9Ya2Ue6Io0Op4As8Df2Gh6Jk0Lz4Xc8Vb2Nm6Qw0Er4Ty8Ui2Op6As0Df4Gh8Jk2Lz6Xc0"
    )
}

// ---------------------------------------------------------------------------------------------
// The stand-in Admin API.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    OpenAi,
    Anthropic,
}

/// What the stand-in does wrong, on request.
#[derive(Clone, Copy, Default)]
struct Faults {
    /// The second page of users answers 429 with `Retry-After: 1` the first time.
    rate_limit: bool,
    /// The second page of costs (usage report for Anthropic) answers 500 the first time.
    error_once: bool,
    /// Invites answer 403.
    forbidden: bool,
    /// Audit logs take 2 s to answer (the tests' timeout is 0.3 s).
    slow: bool,
}

/// Items a list endpoint serves a page of at most; small, so the fixtures span several pages.
const LIST_PAGE: usize = 2;
/// Buckets a report page holds at most.
const REPORT_PAGE: usize = 4;

struct State {
    api: Api,
    key: String,
    faults: Faults,
    /// Every request as `path?query` (decoded), in order.
    log: Mutex<Vec<String>>,
    /// Requests per `path?query`, to fail a page only the first time.
    seen: Mutex<HashMap<String, usize>>,
}

struct Stub {
    base: String,
    state: Arc<State>,
}

impl Stub {
    fn start(api: Api, key: &str, faults: Faults) -> Stub {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let state = Arc::new(State {
            api,
            key: key.to_string(),
            faults,
            log: Mutex::new(Vec::new()),
            seen: Mutex::new(HashMap::new()),
        });
        let shared = state.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let state = shared.clone();
                std::thread::spawn(move || handle(req, &state));
            }
        });
        Stub {
            base: format!("http://127.0.0.1:{port}/v1"),
            state,
        }
    }

    fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn handle(req: tiny_http::Request, state: &State) {
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let readable = format!(
        "{path}?{}",
        params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    );
    state.log.lock().unwrap().push(readable.clone());
    let nth = {
        let mut seen = state.seen.lock().unwrap();
        let n = seen.entry(readable.clone()).or_default();
        *n += 1;
        *n
    };
    let header = |name: &'static str| {
        req.headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let given = match state.api {
        Api::OpenAi => header("Authorization")
            .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string))
            .unwrap_or_default(),
        Api::Anthropic => header("x-api-key").unwrap_or_default(),
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (status, body, retry_after) = if given != state.key {
        // As OpenAI does: the key as given, echoed in the message. It must not reach any output.
        let msg = format!("Incorrect API key provided: {given}.");
        (401, json!({"error": {"message": msg}}), None)
    } else if state.api == Api::Anthropic
        && header("anthropic-version").as_deref() != Some("2023-06-01")
    {
        (
            400,
            json!({"error": {"message": "anthropic-version header is required"}}),
            None,
        )
    } else {
        route(state, path, &param, nth)
    };
    let mut resp = tiny_http::Response::from_string(body.to_string())
        .with_status_code(status)
        .with_header(
            tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]).unwrap(),
        );
    if let Some(secs) = retry_after {
        resp = resp.with_header(
            tiny_http::Header::from_bytes(&b"Retry-After"[..], secs.to_string().as_bytes())
                .unwrap(),
        );
    }
    let _ = req.respond(resp);
}

type Answer = (u16, Value, Option<u64>);

fn route(state: &State, path: &str, param: &dyn Fn(&str) -> Option<String>, nth: usize) -> Answer {
    let f = state.faults;
    let ok = |v: Value| (200, v, None);
    match state.api {
        Api::OpenAi => {
            let p = path.strip_prefix("/v1/organization").unwrap_or("");
            let after = param("after");
            let list = |items: Vec<Value>| ok(list_page(&items, after.as_deref(), true));
            match p {
                "/projects" => list(items("org/projects.json")),
                "/users" if f.rate_limit && after.is_some() && nth == 1 => (
                    429,
                    json!({"error": {"message": "Rate limit reached for requests"}}),
                    Some(1),
                ),
                "/users" => list(items("org/users.json")),
                "/invites" if f.forbidden => (
                    403,
                    json!({"error": {"message": "You have insufficient permissions for this operation. Missing scopes: api.management.read."}}),
                    None,
                ),
                "/invites" => list(items("json/invites.json")),
                "/admin_api_keys" => list(items("org/admin_api_keys.json")),
                "/audit_logs" => {
                    if f.slow {
                        std::thread::sleep(Duration::from_secs(2));
                    }
                    list(items("json/audit-log.json"))
                }
                "/costs" if f.error_once && param("page").is_some() && nth == 1 => (
                    500,
                    json!({"error": {"message": "The server had an error"}}),
                    None,
                ),
                "/costs" => ok(report_page(&items("org/costs.json"), param("page"), true)),
                "/usage/completions" => ok(report_page(
                    &items("json/usage-completions.json"),
                    param("page"),
                    true,
                )),
                _ => match p.strip_prefix("/projects/").and_then(|r| r.split_once('/')) {
                    Some(("proj_Pay83kdQ", "api_keys")) => {
                        list(items("org/project_api_keys_proj_Pay83kdQ.json"))
                    }
                    Some((_, "api_keys" | "service_accounts" | "users")) => list(Vec::new()),
                    _ => (404, json!({"error": {"message": "Not found"}}), None),
                },
            }
        }
        Api::Anthropic => {
            let p = path.strip_prefix("/v1/organizations").unwrap_or("");
            let after = param("after_id");
            let list = |items: Vec<Value>| ok(list_page(&items, after.as_deref(), false));
            match p {
                "/api_keys" => list(anthropic_keys()),
                "/users" => list(vec![
                    json!({"id": "user_01A", "type": "user", "email": "ada@example.com", "name": "Ada", "role": "admin", "added_at": "2024-01-01T00:00:00Z"}),
                    json!({"id": "user_01B", "type": "user", "email": "ben@example.com", "name": "Ben", "role": "developer", "added_at": "2024-02-01T00:00:00Z"}),
                    json!({"id": "user_01C", "type": "user", "email": "cy@example.com", "name": "Cy", "role": "user", "added_at": "2024-03-01T00:00:00Z"}),
                ]),
                "/workspaces" => list(vec![json!({
                    "id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "type": "workspace", "name": "Production",
                    "created_at": "2024-01-01T00:00:00Z", "archived_at": null, "display_color": "#6C5BB9"
                })]),
                "/workspaces/wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ/members" => list(vec![json!({
                    "type": "workspace_member", "user_id": "user_01A",
                    "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "workspace_role": "workspace_admin"
                })]),
                "/invites" => list(Vec::new()),
                "/usage_report/messages" if f.error_once && param("page").is_some() && nth == 1 => {
                    (
                        500,
                        json!({"error": {"message": "Internal server error"}}),
                        None,
                    )
                }
                "/usage_report/messages" => {
                    ok(report_page(&anthropic_usage(), param("page"), false))
                }
                "/cost_report" => ok(report_page(&anthropic_costs(), param("page"), false)),
                _ => (404, json!({"error": {"message": "Not found"}}), None),
            }
        }
    }
}

/// The `data` items of a fixture file.
fn items(fixture: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&support::fixture_text(fixture)).unwrap();
    doc["data"].as_array().unwrap().clone()
}

/// One page of a list after the item `after`, as the Admin APIs page them.
fn list_page(items: &[Value], after: Option<&str>, openai: bool) -> Value {
    let start = match after {
        Some(id) => items.iter().position(|i| i["id"] == id).unwrap() + 1,
        None => 0,
    };
    let page = &items[start..(start + LIST_PAGE).min(items.len())];
    let mut doc = json!({
        "data": page,
        "first_id": page.first().map(|i| i["id"].clone()),
        "last_id": page.last().map(|i| i["id"].clone()),
        "has_more": start + LIST_PAGE < items.len(),
    });
    if openai {
        doc["object"] = json!("list");
    }
    doc
}

/// One page of a usage or cost report. The cursor is opaque and holds characters that must be
/// percent-encoded on the way back.
fn report_page(buckets: &[Value], page: Option<String>, openai: bool) -> Value {
    let start: usize = page.map_or(0, |p| {
        p.strip_prefix("pg+")
            .unwrap()
            .trim_end_matches('=')
            .parse()
            .unwrap()
    });
    let end = (start + REPORT_PAGE).min(buckets.len());
    let more = end < buckets.len();
    let mut doc = json!({
        "data": &buckets[start..end],
        "has_more": more,
        "next_page": if more { json!(format!("pg+{end}==")) } else { Value::Null },
    });
    if openai {
        doc["object"] = json!("page");
    }
    doc
}

fn anthropic_keys() -> Vec<Value> {
    let mut keys = items("json/anthropic-api-keys.json");
    keys.push(json!({
        "id": "apikey_01ZzExtraThirdKey0000000", "type": "api_key", "name": "ci-runner",
        "created_at": "2025-06-01T00:00:00Z", "created_by": {"id": "user_01B", "type": "user"},
        "partial_key_hint": "sk-ant-api03-Xy9...Q2AA", "status": "inactive",
        "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "expires_at": null
    }));
    keys
}

fn anthropic_usage() -> Vec<Value> {
    (0..6)
        .map(|d| {
            json!({
                "starting_at": format!("2026-11-{:02}T00:00:00Z", 10 + d),
                "ending_at": format!("2026-11-{:02}T00:00:00Z", 11 + d),
                "results": [{
                    "uncached_input_tokens": 1000 + d, "cache_read_input_tokens": 0,
                    "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
                    "output_tokens": 200, "server_tool_use": {"web_search_requests": 0},
                    "api_key_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "workspace_id": null, "model": null,
                    "service_tier": null, "context_window": null
                }]
            })
        })
        .collect()
}

fn anthropic_costs() -> Vec<Value> {
    (0..5)
        .map(|d| {
            json!({
                "starting_at": format!("2026-11-{:02}T00:00:00Z", 10 + d),
                "ending_at": format!("2026-11-{:02}T00:00:00Z", 11 + d),
                "results": [{
                    "currency": "USD", "amount": "123.45", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
                    "description": "Claude Sonnet Usage - Input Tokens", "cost_type": "tokens",
                    "context_window": "0-200k", "model": "claude-sonnet", "service_tier": "standard",
                    "token_type": "uncached_input_tokens"
                }]
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Running the binary.

fn keyroster(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyroster"));
    cmd.args(args);
    // A proxy set in the environment must not carry the tests' requests anywhere.
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "OPENAI_ADMIN_KEY",
        "ANTHROPIC_ADMIN_KEY",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

/// The flags that keep the tests fast: a short timeout and backoff.
const FAST: [&str; 4] = ["--timeout", "0.3", "--retry-base-ms", "10"];

fn pull_openai(stub: &Stub, out: &Path) -> Output {
    let key = openai_key();
    let mut args = vec![
        "pull",
        "openai",
        "--out",
        out.to_str().unwrap(),
        "--since",
        SINCE,
        "--base-url",
        &stub.base,
    ];
    args.extend(FAST);
    keyroster(&args, &[("OPENAI_ADMIN_KEY", &key)])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("pull.json")).unwrap()).unwrap()
}

fn endpoint<'m>(manifest: &'m Value, label: &str) -> &'m Value {
    manifest["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == label)
        .unwrap_or_else(|| panic!("{label} is not in pull.json: {manifest:#}"))
}

fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Fails when `secret` is in any file under `dir`, or in any of `texts`.
fn assert_nowhere(secret: &str, dir: Option<&Path>, texts: &[&str]) {
    for t in texts {
        assert!(!t.contains(secret), "the key is in the output: {t}");
    }
    if let Some(dir) = dir {
        for name in file_names(dir) {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "the key is in {name}"
            );
        }
    }
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", stderr(out)))
}

/// What an audit says about keys and findings, without where its inputs came from.
fn verdict(report: &Value) -> (BTreeMap<String, Value>, BTreeSet<String>) {
    let keys = report["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let mut k = k.clone();
            // Where each key was read from differs by file name; everything else must not.
            if let Some(o) = k.as_object_mut() {
                o.remove("sources");
                o.remove("source");
            }
            (format!("{} {}", k["name"], k["redacted"]), k)
        })
        .collect();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["target"]["kind"] != "source")
        .map(|f| format!("{} {} {}", f["rule"], f["severity"], f["subject"]))
        .collect();
    (keys, findings)
}

/// The fixture files the stand-in serves, audited as files.
fn fixture_audit() -> Value {
    let files: Vec<PathBuf> = [
        "org/projects.json",
        "org/project_api_keys_proj_Pay83kdQ.json",
        "org/users.json",
        "org/admin_api_keys.json",
        "org/costs.json",
        "json/invites.json",
        "json/usage-completions.json",
        "json/audit-log.json",
    ]
    .iter()
    .map(|f| support::fixtures().join(f))
    .collect();
    let mut args = vec!["audit", "--format", "json", "--as-of", AS_OF];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let out = keyroster(&args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    report(&out)
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn openai_pull_pages_to_the_end_through_a_429_and_a_500() {
    let stub = Stub::start(
        Api::OpenAi,
        &openai_key(),
        Faults {
            rate_limit: true,
            error_once: true,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let out = pull_openai(&stub, &out_dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let m = manifest(&out_dir);
    assert_eq!(m["complete"], true, "{m:#}");
    assert_eq!(m["missing"], json!([]));
    assert_eq!(m["provider"], "openai");
    assert_eq!(m["since"], SINCE);
    // 4 users at 2 a page: 2 pages, the second after a 429 and its Retry-After.
    let users = endpoint(&m, "GET /organization/users");
    assert_eq!(
        (users["pages"].as_u64(), users["records"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(
        users["files"],
        json!(["openai-users-p001.json", "openai-users-p002.json"])
    );
    // 15 daily cost buckets at 4 a page: 4 pages, the second after a 500 and a retry.
    let costs = endpoint(&m, "GET /organization/costs");
    assert_eq!(costs["pages"], 4);
    assert_eq!(costs["status"], "complete");
    let keys = endpoint(&m, "GET /organization/projects/proj_Pay83kdQ/api_keys");
    assert_eq!(keys["records"], 2);
    assert_eq!(
        keys["files"],
        json!(["openai-proj_Pay83kdQ-api_keys-p001.json"])
    );

    // Every page is on disk exactly as it was served.
    let names = file_names(&out_dir);
    for f in [
        "pull.json",
        "openai-projects-p001.json",
        "openai-projects-p002.json",
        "openai-proj_D3f4ultPr0j-api_keys-p001.json",
        "openai-proj_M0b1leAp-users-p001.json",
        "openai-invites-p002.json",
        "openai-admin_api_keys-p001.json",
        "openai-costs-p004.json",
        "openai-usage-completions-p001.json",
        "openai-audit_logs-p004.json",
    ] {
        assert!(names.contains(f), "{f} missing from {names:?}");
    }
    let page2: Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("openai-users-p002.json")).unwrap())
            .unwrap();
    assert_eq!(page2["data"][0]["email"], "chen.wei@acme-robotics.com");
    assert_eq!(page2["has_more"], false);

    // What was asked: every page of every list, with the parameters an audit needs.
    let log = stub.log();
    let asked = |needle: &str| log.iter().any(|l| l.contains(needle));
    assert!(asked(
        "/organization/projects?limit=100&include_archived=true"
    ));
    assert!(asked(
        "/organization/projects/proj_Pay83kdQ/api_keys?limit=100&owner_project_access=any"
    ));
    assert!(asked(
        "/organization/users?limit=100&after=user-B3nC4rt3r0a1b2c3"
    ));
    assert!(asked(&format!(
        "/organization/costs?start_time={SINCE_UNIX}&bucket_width=1d"
    )));
    assert!(asked("group_by=project_id&group_by=api_key_id"));
    assert!(
        asked("&page=pg+4=="),
        "the opaque cursor went back intact: {log:#?}"
    );
    assert!(asked(
        "event_types[]=api_key.created&event_types[]=api_key.updated"
    ));
    let users_page2 = log
        .iter()
        .filter(|l| l.contains("/organization/users?") && l.contains("after="))
        .count();
    assert_eq!(users_page2, 2, "the 429'd page was asked again once");
    let costs_page2 = log
        .iter()
        .filter(|l| l.contains("/organization/costs?") && l.ends_with("page=pg+4=="))
        .count();
    assert_eq!(
        costs_page2, 2,
        "the page that answered 500 was asked again once"
    );

    assert_nowhere(
        &openai_key(),
        Some(&out_dir),
        &[&stderr(&out), &String::from_utf8_lossy(&out.stdout)],
    );
}

#[test]
fn audit_of_a_pull_folder_equals_the_audit_of_the_same_responses_as_files() {
    let stub = Stub::start(Api::OpenAi, &openai_key(), Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    assert_eq!(pull_openai(&stub, &out_dir).status.code(), Some(0));

    let out = keyroster(
        &[
            "audit",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pulled = report(&out);
    let (keys, findings) = verdict(&pulled);
    let (want_keys, want_findings) = verdict(&fixture_audit());
    assert_eq!(keys.len(), 3, "{:?}", keys.keys());
    assert_eq!(keys, want_keys);
    assert_eq!(findings, want_findings);
    assert!(
        findings.iter().any(|f| f.contains("owner-departed")),
        "{findings:?}"
    );
    // pull.json is the folder's manifest, not an input; a page whose list went on is not
    // "one page of several" once every page was read.
    let sources = pulled["sources"].as_array().unwrap();
    assert!(sources
        .iter()
        .all(|s| !s["name"].as_str().unwrap().ends_with("pull.json")));
    // (Read alone, the same page does say so: the manifest is what settles it.)
    let page1 = out_dir.join("openai-users-p001.json");
    let alone = keyroster(
        &[
            "audit",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            page1.to_str().unwrap(),
        ],
        &[],
    );
    let warned = report(&alone)["sources"][0]["warnings"].to_string();
    assert!(warned.contains("more pages exist"), "{warned}");
    // Nor is a project's empty key list a doubtful input: the API said so.
    for s in sources {
        for w in s["warnings"].as_array().unwrap() {
            let w = w.as_str().unwrap();
            assert!(
                !w.contains("more pages exist") && !w.contains("list is empty"),
                "{s:#}"
            );
        }
    }
    let empty = sources
        .iter()
        .find(|s| {
            s["name"]
                .as_str()
                .unwrap()
                .ends_with("openai-proj_M0b1leAp-api_keys-p001.json")
        })
        .unwrap();
    assert_eq!(empty["error"], Value::Null);

    // `audit --pull` does both in one step and judges the same.
    let key = openai_key();
    let mut args = vec![
        "audit",
        "--pull",
        "openai",
        "--since",
        SINCE,
        "--base-url",
        &stub.base,
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ];
    args.extend(FAST);
    let once = keyroster(&args, &[("OPENAI_ADMIN_KEY", &key)]);
    assert_eq!(once.status.code(), Some(0), "{}", stderr(&once));
    assert_eq!(verdict(&report(&once)), (want_keys, want_findings));
    assert_nowhere(
        &key,
        None,
        &[&stderr(&once), &String::from_utf8_lossy(&once.stdout)],
    );
}

#[test]
fn a_partial_pull_writes_what_it_got_marks_the_rest_and_exits_2() {
    let stub = Stub::start(
        Api::OpenAi,
        &openai_key(),
        Faults {
            forbidden: true,
            slow: true,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let out = pull_openai(&stub, &out_dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);

    let m = manifest(&out_dir);
    assert_eq!(m["complete"], false);
    assert_eq!(
        m["missing"],
        json!(["GET /organization/invites", "GET /organization/audit_logs"])
    );
    let invites = endpoint(&m, "GET /organization/invites");
    assert_eq!(invites["status"], "failed");
    let why = invites["error"].as_str().unwrap();
    assert!(
        why.contains("HTTP 403") && why.contains("lacks the scope to list invites"),
        "{why}"
    );
    assert!(why.contains("Missing scopes: api.management.read"), "{why}");
    let logs = endpoint(&m, "GET /organization/audit_logs");
    let why = logs["error"].as_str().unwrap();
    assert!(
        why.contains("timeout") && why.contains("gave up after 4 attempts"),
        "{why}"
    );
    assert!(err.contains("lacks the scope to list invites"), "{err}");
    // The rest was fetched and written.
    assert_eq!(
        endpoint(&m, "GET /organization/users")["status"],
        "complete"
    );
    assert!(file_names(&out_dir).contains("openai-proj_Pay83kdQ-api_keys-p001.json"));
    assert!(!file_names(&out_dir)
        .iter()
        .any(|f| f.starts_with("openai-invites")));

    // The audit reads what is there, names what is not and the rules it leaves short, exit 2.
    let out = keyroster(
        &[
            "audit",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let audited = report(&out);
    assert_eq!(audited["keys"].as_array().unwrap().len(), 3);
    let errors: Vec<String> = audited["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["error"].as_str().map(str::to_string))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().any(|e| e.starts_with("invites missing from the pull")
        && e.contains("owner-departed")), "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("audit logs missing from the pull")
                && e.contains("broad-permissions")),
        "{errors:#?}"
    );
    let err = stderr(&out);
    assert!(err.contains("audit logs missing from the pull"), "{err}");
    assert_nowhere(&openai_key(), Some(&out_dir), &[&err]);
}

#[test]
fn a_key_that_is_not_an_admin_key_stops_the_pull_and_is_never_shown() {
    let stub = Stub::start(Api::OpenAi, &openai_key(), Faults::default());
    // Another key of the same shape: the stand-in answers 401 and echoes it back.
    let wrong = openai_key().replace("Zq8Lm3", "Wr0ng9");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let key_file = dir.path().join("admin.key");
    std::fs::write(&key_file, format!("{wrong}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut args = vec![
        "pull",
        "openai",
        "--out",
        out_dir.to_str().unwrap(),
        "--key-file",
        key_file.to_str().unwrap(),
        "--base-url",
        &stub.base,
    ];
    args.extend(FAST);
    let out = keyroster(&args, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("GET /organization/projects: HTTP 401"),
        "{err}"
    );
    assert!(err.contains("is not an admin key"), "{err}");
    assert!(err.contains(&keyroster::secret::redact(&wrong)), "{err}");
    let m = manifest(&out_dir);
    assert_eq!(m["endpoints"][0]["status"], "failed");
    let skipped = m["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "skipped")
        .count();
    assert!(skipped >= 5, "everything after the 401 is skipped: {m:#}");
    assert_eq!(stub.log().len(), 1, "no request after the 401");
    assert_nowhere(
        &wrong,
        Some(&out_dir),
        &[&err, &String::from_utf8_lossy(&out.stdout)],
    );
    // The file holding it is the only place it is, and it was never copied.
    assert_nowhere(&wrong, None, &[&m.to_string()]);
}

#[test]
fn the_key_is_taken_only_from_the_environment_or_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let out = keyroster(&["pull", "openai", "--out", out_dir.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("set OPENAI_ADMIN_KEY"),
        "{}",
        stderr(&out)
    );
    // There is no flag that takes the key itself.
    let out = keyroster(
        &["pull", "openai", "--out", "x", "--key", &openai_key()],
        &[],
    );
    assert_ne!(out.status.code(), Some(0));
    assert_nowhere(&openai_key(), None, &[&stderr(&out)]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key_file = dir.path().join("admin.key");
        std::fs::write(&key_file, openai_key()).unwrap();
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o604)).unwrap();
        let out = keyroster(
            &[
                "pull",
                "openai",
                "--out",
                out_dir.to_str().unwrap(),
                "--key-file",
                key_file.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.contains("refusing the key file") && err.contains("every user of this machine"),
            "{err}"
        );
        assert!(
            !out_dir.exists(),
            "nothing is written before the key is accepted"
        );
    }
}

#[test]
fn a_pull_refuses_a_folder_holding_an_older_pull_and_plain_http_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openai-users-p003.json"), "{}").unwrap();
    let key = openai_key();
    let out = keyroster(
        &[
            "pull",
            "openai",
            "--out",
            dir.path().to_str().unwrap(),
            "--base-url",
            "http://127.0.0.1:9/v1",
        ],
        &[("OPENAI_ADMIN_KEY", &key)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));

    let out = keyroster(
        &[
            "pull",
            "openai",
            "--out",
            dir.path().join("new").to_str().unwrap(),
            "--base-url",
            "http://gateway.example/v1",
        ],
        &[("OPENAI_ADMIN_KEY", &key)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unencrypted"), "{}", stderr(&out));
}

#[test]
fn anthropic_pull_pages_lists_by_after_id_and_reports_by_next_page() {
    let key = anthropic_key();
    let stub = Stub::start(
        Api::Anthropic,
        &key,
        Faults {
            error_once: true,
            ..Faults::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let mut args = vec![
        "pull",
        "anthropic",
        "--out",
        out_dir.to_str().unwrap(),
        "--since",
        SINCE,
        "--base-url",
        &stub.base,
    ];
    args.extend(FAST);
    let out = keyroster(&args, &[("ANTHROPIC_ADMIN_KEY", &key)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let m = manifest(&out_dir);
    assert_eq!(m["complete"], true, "{m:#}");
    let keys = endpoint(&m, "GET /organizations/api_keys");
    assert_eq!(
        (keys["pages"].as_u64(), keys["records"].as_u64()),
        (Some(2), Some(3))
    );
    let members = endpoint(
        &m,
        "GET /organizations/workspaces/wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ/members",
    );
    assert_eq!(members["records"], 1);
    // 6 usage buckets at 4 a page, the second page after a 500; 5 cost buckets likewise.
    let usage = endpoint(&m, "GET /organizations/usage_report/messages");
    assert_eq!(
        (usage["pages"].as_u64(), usage["records"].as_u64()),
        (Some(2), Some(6))
    );
    assert_eq!(endpoint(&m, "GET /organizations/cost_report")["pages"], 2);
    for f in [
        "anthropic-api_keys-p002.json",
        "anthropic-users-p002.json",
        "anthropic-workspaces-p001.json",
        "anthropic-wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ-members-p001.json",
        "anthropic-invites-p001.json",
        "anthropic-usage_report-messages-p002.json",
        "anthropic-cost_report-p002.json",
    ] {
        assert!(file_names(&out_dir).contains(f), "{f}");
    }
    let log = stub.log();
    let asked = |needle: &str| log.iter().any(|l| l.contains(needle));
    assert!(asked(
        "/organizations/api_keys?limit=100&after_id=apikey_01Hq3cW9bAKsu2Xv5PzR8tYe"
    ));
    assert!(asked(
        "starting_at=2026-09-01T00:00:00Z&bucket_width=1d&group_by[]=api_key_id"
    ));
    assert!(asked("/organizations/usage_report/messages?") && asked("&page=pg+4=="));

    // The audit reads every file the pull wrote: keys, users, workspaces, members, invites,
    // the usage report (the keys' last-seen window) and the cost report.
    let out = keyroster(
        &[
            "audit",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            out_dir.to_str().unwrap(),
        ],
        &[],
    );
    let audited = report(&out);
    let names: BTreeSet<&str> = audited["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Developer Key", "old batch job", "ci-runner"])
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let unread: Vec<String> = audited["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["error"].is_null())
        .map(|s| format!("{}: {}", s["name"], s["error"]))
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
    assert_nowhere(
        &key,
        Some(&out_dir),
        &[&stderr(&out), &String::from_utf8_lossy(&out.stdout)],
    );
}

#[test]
fn readme_states_the_pulls_patience_as_the_code_has_it() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let p = keyroster::pull::Patience::default();
    for claim in [
        format!("exponential backoff ({} tries)", p.attempts),
        format!("(`--timeout SECONDS`, default {})", p.timeout.as_secs()),
        format!(
            "`Retry-After` (up to {} minutes)",
            p.max_retry_after.as_secs() / 60
        ),
    ] {
        assert!(readme.contains(&claim), "README does not say {claim:?}");
    }
}

#[test]
fn an_api_that_cannot_be_reached_stops_the_pull_after_its_retries() {
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/v1");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let key = openai_key();
    let mut args = vec![
        "pull",
        "openai",
        "--out",
        out_dir.to_str().unwrap(),
        "--base-url",
        &base,
    ];
    args.extend(FAST);
    let out = keyroster(&args, &[("OPENAI_ADMIN_KEY", &key)]);
    assert_eq!(out.status.code(), Some(2));
    let m = manifest(&out_dir);
    let first = &m["endpoints"][0];
    assert_eq!(first["status"], "failed");
    let why = first["error"].as_str().unwrap();
    assert!(
        why.contains("cannot connect to") && why.contains("gave up after 4 attempts"),
        "{why}"
    );
    let rest = &m["endpoints"].as_array().unwrap()[1..];
    assert!(
        !rest.is_empty() && rest.iter().all(|e| e["status"] == "skipped"),
        "{m:#}"
    );
    assert_nowhere(&key, Some(&out_dir), &[&stderr(&out)]);
}

#[test]
fn a_folder_is_read_as_the_files_in_it() {
    let dir = support::fixtures().join("org");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["audit", "--format", "json", "--as-of", AS_OF];
    args.extend(files.iter().map(String::as_str));
    let by_files = keyroster(&args, &[]);
    let dir_arg = dir.display().to_string();
    let by_folder = keyroster(
        &["audit", "--format", "json", "--as-of", AS_OF, &dir_arg],
        &[],
    );
    assert_eq!(by_folder.status.code(), by_files.status.code());
    assert_eq!(report(&by_folder), report(&by_files));
    assert_eq!(report(&by_folder)["keys"].as_array().unwrap().len(), 8);
}

#[test]
fn tls_is_spoken_to_an_https_base_url_and_its_failure_stops_the_pull() {
    // A server that answers whatever it is sent with plain HTTP: the client's first bytes must
    // be a TLS handshake (never a request carrying the key), and the failed handshake stops
    // the pull with the reason.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let seen = received.clone();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = [0u8; 4096];
            let n = conn.read(&mut buf).unwrap_or(0);
            seen.lock().unwrap().push(buf[..n].to_vec());
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let https = format!("https://127.0.0.1:{port}/v1");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pull");
    let key = openai_key();
    let mut args = vec![
        "pull",
        "openai",
        "--out",
        out_dir.to_str().unwrap(),
        "--base-url",
        &https,
    ];
    args.extend(FAST);
    let out = keyroster(&args, &[("OPENAI_ADMIN_KEY", &key)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let m = manifest(&out_dir);
    let why = m["endpoints"][0]["error"].as_str().unwrap();
    assert!(why.contains(&format!("cannot connect to {https}")), "{why}");
    assert!(m["endpoints"].as_array().unwrap()[1..]
        .iter()
        .all(|e| e["status"] == "skipped"));
    let received = received.lock().unwrap();
    assert!(!received.is_empty());
    for first in received.iter() {
        // 0x16 0x03: a TLS handshake record.
        assert_eq!(first.get(..2), Some(&[0x16u8, 0x03][..]), "{first:?}");
        assert!(!String::from_utf8_lossy(first).contains(&key));
    }
    assert_nowhere(&key, Some(&out_dir), &[&stderr(&out)]);
}
