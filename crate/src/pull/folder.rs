//! Reading a pull folder back for `keyroster audit DIR`: a folder named as an input stands for
//! the files in it (sorted, hidden ones left out), and when it holds `pull.json` the manifest
//! says what the pull could not fetch. Each missing endpoint becomes an unreadable input in the
//! report, naming why it is missing and which rules could not run, or ran without it, because
//! of it; so `audit` exits 2, as for any input it could not read, and the report says the same
//! whether it went to the terminal, JSON or the workbook.

use std::path::{Path, PathBuf};

use super::{Feeds, Manifest, Status, MANIFEST};
use crate::analyze::rules::{Input, CATALOG};
use crate::model::{Inventory, Source};

/// The inputs named on the command line, folders opened.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    pub pulls: Vec<Pulled>,
}

/// A folder holding `pull.json`.
#[derive(Debug)]
pub struct Pulled {
    pub dir: PathBuf,
    /// The manifest, or why it could not be read.
    pub manifest: Result<Manifest, String>,
}

/// Opens every folder in `paths` into its files; files stay as they are, in order.
pub fn expand(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for path in paths {
        if !path.is_dir() {
            inputs.files.push(path.clone());
            continue;
        }
        let Ok(entries) = std::fs::read_dir(path) else {
            // Named as a file, it is reported unreadable with the reason, like any other.
            inputs.files.push(path.clone());
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        files.sort();
        let manifest_path = path.join(MANIFEST);
        if let Some(i) = files.iter().position(|f| *f == manifest_path) {
            files.remove(i);
            inputs.pulls.push(Pulled {
                dir: path.clone(),
                manifest: read_manifest(&manifest_path),
            });
        }
        inputs.files.extend(files);
    }
    inputs
}

fn read_manifest(path: &Path) -> Result<Manifest, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        format!("not a keyroster pull manifest ({e}); the pages beside it were read as they are")
    })
}

/// After the folders' files were read: a page of a list fetched to its end no longer warns that
/// more pages exist (they were read too) or that it is empty, and every endpoint the pull missed is recorded as an
/// unreadable input saying which rules it leaves without their input.
pub fn settle(inv: &mut Inventory, pulls: &[Pulled]) {
    for pulled in pulls {
        let manifest_name = pulled.dir.join(MANIFEST).display().to_string();
        let manifest = match &pulled.manifest {
            Ok(m) => m,
            Err(why) => {
                inv.record_source(Source {
                    name: manifest_name,
                    kind: "pull".into(),
                    error: Some(why.clone()),
                    ..Default::default()
                });
                continue;
            }
        };
        for ep in &manifest.endpoints {
            if ep.status == Status::Complete {
                let names: Vec<String> = ep
                    .files
                    .iter()
                    .map(|f| pulled.dir.join(f).display().to_string())
                    .collect();
                for s in inv.sources.iter_mut().filter(|s| names.contains(&s.name)) {
                    s.warnings
                        .retain(|w| !SETTLED_BY_THE_MANIFEST.iter().any(|n| w.starts_with(n)));
                }
                continue;
            }
            let why = ep.error.as_deref().unwrap_or("not fetched");
            inv.record_source(Source {
                name: format!("{manifest_name}: {}", ep.endpoint),
                kind: "pull".into(),
                error: Some(format!(
                    "{} missing from the pull: {why}. {}",
                    ep.lists,
                    consequence(ep.feeds)
                )),
                ..Default::default()
            });
        }
    }
}

/// The JSON reader's warnings that a complete pull answers (ingest/json.rs): a page whose list
/// goes on (`more_pages`; the next pages were read too), and an empty list (the API said there
/// is nothing, e.g. a project without keys; a saved file that is empty may be the wrong file,
/// an answer the pull asked for is not). The tests guard the wording.
const SETTLED_BY_THE_MANIFEST: [&str; 2] = ["more pages exist", "the list is empty"];

/// A private folder under the system's temporary directory for `audit --pull`, removed with
/// everything in it when dropped (the responses hold names and emails).
#[derive(Debug)]
pub struct TempFolder(PathBuf);

impl TempFolder {
    pub fn new() -> Result<Self, super::PullError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("keyroster-pull-{}-{nanos:09}", std::process::id()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        // `create`, not `create_dir_all`: a folder of that name already there is not ours.
        builder
            .create(&dir)
            .map_err(|e| super::PullError::new(format!("cannot create {}: {e}", dir.display())))?;
        Ok(TempFolder(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the audit lacks without an endpoint, in the words of the rules it affects.
pub fn consequence(feeds: Feeds) -> String {
    let input = match feeds {
        Feeds::Keys => {
            return "The keys it lists were not audited: no rule judged them.".into();
        }
        Feeds::AdminKeys => {
            return "Admin keys were not audited: admin-key-idle and every other rule ran without them."
                .into();
        }
        Feeds::ServiceAccounts => {
            return "No rule needs it alone; service-account keys still carry their owner's id and name."
                .into();
        }
        Feeds::Projects => Input::Projects,
        Feeds::Members => Input::Members,
        Feeds::DailyUsage => Input::DailyUsage,
        Feeds::Permissions => Input::Permissions,
    };
    let rules: Vec<&str> = CATALOG
        .iter()
        .filter(|r| r.needs.contains(&input))
        .map(|r| r.id.as_str())
        .collect();
    format!(
        "Rules that need {} did not run or ran without all of it: {}.",
        input.describe(),
        rules.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_member_list_names_the_rules_that_need_it() {
        let c = consequence(Feeds::Members);
        assert!(c.contains("owner-departed"), "{c}");
        let c = consequence(Feeds::Permissions);
        assert!(c.contains("broad-permissions"), "{c}");
        let c = consequence(Feeds::DailyUsage);
        assert!(c.contains("usage-spike"), "{c}");
    }
}
