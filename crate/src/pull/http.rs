//! One blocking HTTP client for the pull, with the network's manners built in: `429` waits for
//! `Retry-After`, `5xx`, timeouts and dropped connections are retried with bounded exponential
//! backoff, each request has a timeout, `401`/`403` become sentences naming the endpoint, and no
//! redirect is followed (it would carry the admin key to wherever it points).
//!
//! The client is ureq (see Cargo.toml for why); TLS is rustls verifying against the bundled
//! webpki roots, so a machine's trust store can neither weaken nor break it.

use std::time::Duration;

use super::key::AdminKey;
use super::Provider;

/// How the client waits and retries.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// The most one request (connect, send, receive the whole body) may take.
    pub timeout: Duration,
    /// The first wait after a `5xx`, a timeout or a dropped connection; doubled each retry.
    pub backoff: Duration,
    /// Tries per request, the first included.
    pub attempts: u32,
    /// The longest `Retry-After` honoured; a server asking for more fails the endpoint instead
    /// of stalling a scheduled job for an hour.
    pub max_retry_after: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            timeout: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
            attempts: 4,
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// The largest response body read; Admin API pages are a few hundred KB at most.
const MAX_BODY: u64 = 64 << 20;
/// The longest single backoff wait.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Why a request failed, once retries are spent.
#[derive(Debug)]
pub enum Failure {
    /// No endpoint will answer: `401` (the key), or the API cannot be reached or its
    /// certificate is not trusted. The pull stops rather than fail every endpoint alike.
    Stop(String),
    /// Any other failure of this endpoint; the pull goes on with the next.
    Endpoint(String),
}

/// A request that got no HTTP answer.
enum Trouble {
    /// Too slow, or cut off: worth retrying; then this endpoint fails.
    Slow(String),
    /// No connection: worth retrying; then the pull stops.
    Unreachable(String),
    /// TLS or the URL itself: retrying cannot help, and no other endpoint would fare better.
    Broken(String),
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    provider: Provider,
    key: AdminKey,
    patience: Patience,
}

impl Client {
    pub fn new(provider: Provider, base: &str, key: AdminKey, patience: Patience) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(patience.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("keyroster/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            base: base.trim_end_matches('/').to_string(),
            provider,
            key,
            patience,
        }
    }

    pub fn key(&self) -> &AdminKey {
        &self.key
    }

    /// GETs `path?query` and returns the body of a `2xx` answer. `what` names what the endpoint
    /// lists, for `403` ("lacks the scope to list {what}"). `on_wait` is told each wait.
    pub fn get(
        &self,
        path: &str,
        query: &[(String, String)],
        what: &str,
        on_wait: &mut dyn FnMut(&str),
    ) -> Result<Vec<u8>, Failure> {
        let url = format!("{}{}{}", self.base, path, encode_query(query));
        let endpoint = format!("GET {path}");
        let mut backoff = self.patience.backoff;
        let mut attempt = 1;
        loop {
            let (asked_wait, why, stops) = match self.once(&url) {
                Ok(Answer::Body(b)) => return Ok(b),
                Ok(Answer::Status(status, retry_after, body)) => {
                    match self.judge(&endpoint, what, status, retry_after, &body) {
                        Verdict::Fail(f) => return Err(f),
                        Verdict::Wait(d, why) => (Some(d), why, false),
                        Verdict::Retry(why) => (None, why, false),
                    }
                }
                Err(Trouble::Slow(why)) => (None, why, false),
                Err(Trouble::Unreachable(why)) => (None, why, true),
                Err(Trouble::Broken(why)) => {
                    return Err(Failure::Stop(format!("{endpoint}: {why}")));
                }
            };
            if attempt >= self.patience.attempts {
                let why = format!("{endpoint}: {why} (gave up after {attempt} attempts)");
                return Err(if stops {
                    Failure::Stop(why)
                } else {
                    Failure::Endpoint(why)
                });
            }
            let transient = (asked_wait, why);
            let wait = transient.0.unwrap_or_else(|| {
                let d = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                d
            });
            on_wait(&format!(
                "{endpoint}: {}; retrying in {:.1} s",
                transient.1,
                wait.as_secs_f64()
            ));
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// One request; `Err` when no HTTP answer came.
    fn once(&self, url: &str) -> Result<Answer, Trouble> {
        let mut req = self.agent.get(url);
        req = match self.provider {
            Provider::OpenAi => {
                req.header("Authorization", format!("Bearer {}", self.key.expose()))
            }
            Provider::Anthropic => req
                .header("x-api-key", self.key.expose())
                .header("anthropic-version", super::anthropic::VERSION),
        };
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => return Err(self.trouble(e)),
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => Trouble::Slow(format!(
                    "the answer did not arrive whole within the {:.1} s timeout",
                    self.patience.timeout.as_secs_f64()
                )),
                e => Trouble::Slow(self.key.scrub(&format!("cannot read the answer: {e}"))),
            })?;
        if (200..300).contains(&status) {
            Ok(Answer::Body(body))
        } else {
            Ok(Answer::Status(status, retry_after, body))
        }
    }

    /// What a request that got no answer met.
    fn trouble(&self, e: ureq::Error) -> Trouble {
        use ureq::Error as E;
        let text = self.key.scrub(&e.to_string());
        match e {
            E::Timeout(_) => Trouble::Slow(format!(
                "no answer within the {:.1} s timeout",
                self.patience.timeout.as_secs_f64()
            )),
            E::Io(_) | E::ConnectionFailed | E::HostNotFound => {
                Trouble::Unreachable(format!("cannot connect to {}: {text}", self.base))
            }
            E::Tls(_)
            | E::Rustls(_)
            | E::Pem(_)
            | E::BadUri(_)
            | E::InvalidProxyUrl
            | E::ConnectProxyFailed(_)
            | E::TlsRequired => Trouble::Broken(format!("cannot connect to {}: {text}", self.base)),
            _ => Trouble::Slow(text),
        }
    }

    /// What a non-`2xx` status means for this request.
    fn judge(
        &self,
        endpoint: &str,
        what: &str,
        status: u16,
        retry_after: Option<Duration>,
        body: &[u8],
    ) -> Verdict {
        let said = self.server_message(body);
        let key = self.key.redacted();
        match status {
            401 => Verdict::Fail(Failure::Stop(format!(
                "{endpoint}: HTTP 401: the key {key} is not an admin key, or it was revoked \
                 (the Admin API takes only an organization's admin key){said}"
            ))),
            403 => Verdict::Fail(Failure::Endpoint(format!(
                "{endpoint}: HTTP 403: the key {key} lacks the scope to list {what}{said}"
            ))),
            429 => match retry_after {
                Some(d) if d > self.patience.max_retry_after => {
                    Verdict::Fail(Failure::Endpoint(format!(
                        "{endpoint}: HTTP 429: rate limited, and the server asks to wait {} s, \
                         longer than the {} s this pull waits{said}",
                        d.as_secs(),
                        self.patience.max_retry_after.as_secs()
                    )))
                }
                Some(d) => Verdict::Wait(d, format!("HTTP 429: rate limited{said}")),
                None => Verdict::Retry(format!("HTTP 429: rate limited{said}")),
            },
            500..=599 => Verdict::Retry(format!("HTTP {status}{said}")),
            300..=399 => Verdict::Fail(Failure::Endpoint(format!(
                "{endpoint}: HTTP {status}: a redirect, not followed (it would carry the admin \
                 key elsewhere); check --base-url"
            ))),
            _ => Verdict::Fail(Failure::Endpoint(format!(
                "{endpoint}: HTTP {status}{said}"
            ))),
        }
    }

    /// `: <the server's error message>`, scrubbed of the key and any other secret, and cut short;
    /// empty when the body says nothing readable.
    fn server_message(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| {
                v.pointer("/error/message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| text.trim().to_string());
        let message: String = self.key.scrub(&message).chars().take(300).collect();
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if message.is_empty() {
            String::new()
        } else {
            format!(" (the server said: {message})")
        }
    }
}

enum Answer {
    Body(Vec<u8>),
    Status(u16, Option<Duration>, Vec<u8>),
}

enum Verdict {
    Fail(Failure),
    /// Wait this long (the server said so), then retry.
    Wait(Duration, String),
    /// Back off, then retry.
    Retry(String),
}

/// `?k=v&…` with each key and value percent-encoded (cursors are opaque and may hold `=` or `+`).
fn encode_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Refuses a base URL the key must not travel to: anything but `https://`, except plain `http://`
/// to this machine (a local proxy, the tests).
pub fn check_base_url(base: &str) -> Result<(), String> {
    let authority = base.split_once("://").map_or("", |(_, rest)| {
        rest.split(['/', '?', '#']).next().unwrap_or("")
    });
    if authority.contains('@') {
        // It would be written to pull.json and shown in every message naming the API.
        return Err(
            "refusing a --base-url with a user or password in it: it would be written to \
             pull.json and shown in messages; give a proxy's credentials through HTTPS_PROXY"
                .into(),
        );
    }
    if base.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = base.strip_prefix("http://") {
        let host = rest.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        if matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Ok(());
        }
        return Err(format!(
            "refusing --base-url {base}: plain http would send the admin key unencrypted; use \
             https:// (plain http is allowed only to 127.0.0.1, localhost or [::1])"
        ));
    }
    Err(format!(
        "--base-url {base} is not an http(s) URL (e.g. https://api.openai.com/v1)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_array_keys_are_percent_encoded() {
        let q = [
            ("group_by[]".to_string(), "api_key_id".to_string()),
            ("page".to_string(), "page_AAA+b/c==".to_string()),
        ];
        assert_eq!(
            encode_query(&q),
            "?group_by%5B%5D=api_key_id&page=page_AAA%2Bb%2Fc%3D%3D"
        );
        assert_eq!(encode_query(&[]), "");
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        assert!(check_base_url("https://api.openai.com/v1").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/v1").is_ok());
        assert!(check_base_url("http://localhost/v1").is_ok());
        assert!(check_base_url("http://[::1]:9/v1").is_ok());
        let e = check_base_url("http://proxy.internal:8080/v1").unwrap_err();
        assert!(e.contains("unencrypted"), "{e}");
        assert!(check_base_url("http://127.0.0.1.evil.example/v1").is_err());
        assert!(check_base_url("ftp://x").is_err());
        let e = check_base_url("https://me:hunter2@gateway.example/v1").unwrap_err();
        assert!(
            e.contains("user or password") && !e.contains("hunter2"),
            "{e}"
        );
    }
}
