// The background worker. It does one thing: when the extension is installed or updated, it
// forgets any roster kept in session storage, because a roster saved by an older version may not
// read back. All reading, analysis and exporting happens in the popup and report pages; this
// worker makes no requests.

chrome.runtime.onInstalled.addListener(() => {
  chrome.storage.session.clear();
});
