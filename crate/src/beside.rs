//! Two independent pieces of work side by side: the second on another thread in native builds
//! (the CLI has two cores and a 5,000-key page keeps one busy), one after the other in wasm,
//! which has one thread. Only for work whose result does not depend on which runs first.

/// Runs `here` on this thread while `there` runs on another (native), or `there` then `here`
/// (wasm); returns both results. A panic in `there` is resumed on this thread.
pub(crate) fn both<A, B, RA, RB>(here: A, there: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|s| {
            let other = s.spawn(there);
            let a = here();
            let b = other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (a, b)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        let b = there();
        (here(), b)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_returns_each_result_in_place() {
        let text = "abc";
        let (a, b) = super::both(|| text.len(), || text.to_uppercase());
        assert_eq!((a, b.as_str()), (3, "ABC"));
    }
}
