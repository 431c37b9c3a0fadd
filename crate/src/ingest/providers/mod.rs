//! What Key Roster knows of each platform, one module per provider: the hosts its console is
//! served from, its key formats, which console page a URL path is, the word its people use for
//! a key's scope, and whether its API says when a key was last used. The generic readers
//! (`html`, `table`, `json`, `csv`) ask here instead of spelling a provider's facts themselves.
//!
//! Adding a provider is one module here (its [`Info`], page paths and any API shapes it has)
//! plus a [`Provider`] variant and fixtures.

pub mod anthropic;
pub mod openai;

use crate::ingest::table::Page;
use crate::model::{KeyKind, Provider};

/// The facts every provider has.
pub struct Info {
    pub provider: Provider,
    /// The name a person reads ("OpenAI", "Anthropic").
    pub label: &'static str,
    /// Hosts of the console whose pages are read (the extension's host permissions).
    pub hosts: &'static [&'static str],
    /// Secret prefixes, most specific first, with the kind each says.
    pub prefixes: &'static [(&'static str, KeyKind)],
    /// What a key's scope is called ("project", "workspace"), in a sentence and as a title.
    pub scope_noun: &'static str,
    pub scope_title: &'static str,
    /// True when the platform's key list says when a key was last used; when false, only a
    /// usage report read beside it can (see `analyze::rules::activity`).
    pub lists_last_use: bool,
    /// True when its keys carry permission levels (OpenAI's All / Restricted / Read only).
    pub key_permissions: bool,
    /// What a person calls a kind of key on this platform, where it differs from the model's
    /// name (Anthropic's workspace-scoped keys are "api" keys).
    pub kind_names: &'static [(KeyKind, &'static str)],
    /// Which console page a (lower-case) URL path is.
    pub page_of_path: fn(&str) -> Option<Page>,
}

/// Every provider, in [`Provider`] order.
pub const ALL: [&Info; 2] = [&openai::INFO, &anthropic::INFO];

/// A key kind as its platform names it (`api` for an Anthropic workspace key), else the
/// model's name (`project`, `service_account`, …).
pub fn kind_name(p: Provider, kind: KeyKind) -> &'static str {
    info(p)
        .kind_names
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind.as_str(), |(_, n)| n)
}

/// What a key's scope is called on its platform ("project", "workspace").
pub fn scope_noun(p: Provider) -> &'static str {
    info(p).scope_noun
}

/// The facts of one provider.
pub fn info(p: Provider) -> &'static Info {
    match p {
        Provider::Openai => &openai::INFO,
        Provider::Anthropic => &anthropic::INFO,
    }
}

/// The host of a URL, lower-case, without port or credentials.
fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let h = authority.split(':').next()?.to_ascii_lowercase();
    (!h.is_empty()).then_some(h)
}

/// The provider whose console serves `url`, if any.
pub fn by_url(url: &str) -> Option<Provider> {
    let h = host(url)?;
    ALL.iter()
        .find(|i| i.hosts.contains(&h.as_str()))
        .map(|i| i.provider)
}

/// The provider a key value (full or redacted) belongs to, from its prefix. A bare `sk-` is
/// OpenAI's (its legacy keys have no other prefix); anything else says nothing.
pub fn by_key_value(value: &str) -> Option<Provider> {
    let v = value.trim();
    if v.starts_with(anthropic::KEY_FAMILY) {
        Some(Provider::Anthropic)
    } else if v.starts_with("sk-") {
        Some(Provider::Openai)
    } else {
        None
    }
}

/// The provider an object id belongs to, from the prefixes only one platform uses
/// (`wrkspc_…`, `apikey_…` are Anthropic's; `proj_…`, `key_…` OpenAI's).
pub fn by_id(id: &str) -> Option<Provider> {
    if anthropic::ID_PREFIXES.iter().any(|p| id.starts_with(p)) {
        Some(Provider::Anthropic)
    } else if openai::ID_PREFIXES.iter().any(|p| id.starts_with(p)) {
        Some(Provider::Openai)
    } else {
        None
    }
}

/// Which page `url` is, by its console's paths. A host no provider serves (a local copy, a
/// bare path) is read with OpenAI's paths, as before a second provider existed.
pub fn page_of_url(url: &str) -> Option<Page> {
    let provider = by_url(url).unwrap_or(Provider::Openai);
    (info(provider).page_of_path)(&path_of(url))
}

/// The lower-case path of a URL (or of a bare path), without query or fragment.
pub fn path_of(url: &str) -> String {
    let path = url.split_once("://").map_or(url, |(_, rest)| {
        rest.find('/').map_or("", |i| rest.get(i..).unwrap_or(""))
    });
    path.split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Every secret prefix of every provider, longest first: what a redaction keeps visible.
pub fn secret_prefixes() -> impl Iterator<Item = &'static str> {
    let mut all: Vec<&'static str> = ALL
        .iter()
        .flat_map(|i| i.prefixes.iter().map(|(p, _)| *p))
        .collect();
    all.sort_by_key(|p| std::cmp::Reverse(p.len()));
    all.into_iter()
}

/// Every console host of every provider, as the extension's host permissions list them.
pub fn host_patterns() -> Vec<String> {
    ALL.iter()
        .flat_map(|i| i.hosts.iter().map(|h| format!("https://{h}/*")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_name_their_provider_whatever_the_port_or_path() {
        assert_eq!(
            by_url("https://platform.claude.com/settings/keys"),
            Some(Provider::Anthropic)
        );
        assert_eq!(
            by_url("https://console.anthropic.com:443/settings/workspaces?x=1"),
            Some(Provider::Anthropic)
        );
        assert_eq!(
            by_url("https://platform.openai.com/settings/organization/api-keys"),
            Some(Provider::Openai)
        );
        assert_eq!(
            by_url("https://claude.com.evil.example/settings/keys"),
            None
        );
        assert_eq!(by_url("not a url"), None);
    }

    #[test]
    fn key_values_and_ids_name_their_provider() {
        assert_eq!(
            by_key_value("sk-ant-api03-R2D...igAA"),
            Some(Provider::Anthropic)
        );
        assert_eq!(by_key_value("sk-proj-...a1B2"), Some(Provider::Openai));
        assert_eq!(by_key_value("pk-live"), None);
        assert_eq!(
            by_id("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"),
            Some(Provider::Anthropic)
        );
        assert_eq!(by_id("proj_abc"), Some(Provider::Openai));
        assert_eq!(by_id("Default"), None);
    }

    #[test]
    fn secret_prefixes_put_the_longest_first() {
        let all: Vec<_> = secret_prefixes().collect();
        let pos = |p: &str| all.iter().position(|x| *x == p).unwrap();
        assert!(pos("sk-ant-api03-") < pos("sk-"));
        assert!(pos("sk-svcacct-") < pos("sk-"));
        assert_eq!(all.last(), Some(&"sk-"));
    }

    #[test]
    fn every_anthropic_secret_is_caught_and_keeps_its_prefix_when_redacted() {
        let body = "R2Dq7xYb".repeat(12);
        for prefix in [
            "sk-ant-api03-",
            "sk-ant-admin01-",
            "sk-ant-oat01-",
            "sk-ant-ort01-",
        ] {
            let secret = format!("{prefix}{}AA", &body[..93]);
            assert!(crate::secret::is_full_secret(&secret), "{prefix}");
            let tail = &secret[secret.len() - 4..];
            assert_eq!(crate::secret::redact(&secret), format!("{prefix}...{tail}"));
        }
    }

    #[test]
    fn host_patterns_are_the_three_consoles() {
        assert_eq!(
            host_patterns(),
            [
                "https://platform.openai.com/*",
                "https://platform.claude.com/*",
                "https://console.anthropic.com/*"
            ]
        );
    }
}
