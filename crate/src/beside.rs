//! Two independent pieces of work side by side: the second on another thread in native builds
//! (the CLI has two cores and a 5,000-key page keeps one busy), one after the other in wasm,
//! which has one thread. Only for work whose result does not depend on which runs first.

/// Runs `here` on this thread while `there` runs on another (native), or `there` then `here`
/// (wasm, or when the system will not start a thread: a full process table, a container's
/// limit); returns both results. A panic in `there` is resumed on this thread.
#[inline]
pub(crate) fn both<A, B, RA, RB>(here: A, there: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    {
        both_on(std::thread::Builder::new(), here, there)
    }
    #[cfg(target_arch = "wasm32")]
    {
        let b = there();
        (here(), b)
    }
}

/// [`both`] when `two` (the work is worth a thread: a thread's start costs about as much as
/// reading a few kilobytes), else one after the other on this thread.
#[inline]
pub(crate) fn both_when<A, B, RA, RB>(two: bool, here: A, there: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    if two {
        return both(here, there);
    }
    let b = there();
    (here(), b)
}

/// Bytes of text from which two readings of it run side by side ([`both_when`]): a 1,000-key
/// page (280 KB) gained nothing from it and spent 6-12% more CPU.
pub(crate) const TWO_FROM_BYTES: usize = 512 * 1024;

/// [`both`] with the second thread made by `builder`. `there` waits in a slot that the new
/// thread takes it from, so that if the thread cannot be started it is still here to run.
#[cfg(not(target_arch = "wasm32"))]
fn both_on<A, B, RA, RB>(builder: std::thread::Builder, here: A, there: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    use std::sync::Mutex;
    let slot = Mutex::new(Some(there));
    let take = || slot.lock().ok().and_then(|mut s| s.take());
    std::thread::scope(|s| match builder.spawn_scoped(s, || take().map(|f| f())) {
        Ok(other) => {
            let a = here();
            let b = other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            // The thread started, so it took the work: `None` only if it never ran it.
            let b = b.or_else(|| take().map(|f| f()));
            (
                a,
                b.unwrap_or_else(|| unreachable!("the second piece of work ran")),
            )
        }
        Err(_) => {
            let b = take().map(|f| f());
            (
                here(),
                b.unwrap_or_else(|| unreachable!("the second piece of work is here")),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_returns_each_result_in_place() {
        let text = "abc";
        let (a, b) = super::both(|| text.len(), || text.to_uppercase());
        assert_eq!((a, b.as_str()), (3, "ABC"));
    }

    /// A thread the system refuses (here: a stack no system can give) leaves both pieces of
    /// work done on this thread, with the same results.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn both_runs_in_turn_when_no_thread_starts() {
        let text = "abc";
        let refused = std::thread::Builder::new().stack_size(usize::MAX);
        let (a, b) = super::both_on(refused, || text.len(), || text.to_uppercase());
        assert_eq!((a, b.as_str()), (3, "ABC"));
    }
}
