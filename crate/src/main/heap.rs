//! The CLI's memory on Linux: the system allocator, with its heap backed by 2 MiB pages.
//!
//! Why: the first write to each 4 KiB page of memory costs the process a page fault. On the
//! 2-core machine the benchmarks run on (a VM) each costs about 4 µs, and auditing the 5,000-key
//! page touched ~13,600 pages: about half of the main thread's time went to faults, and a good
//! part of the cost export's. Linux's transparent huge pages (enabled by default in `madvise`
//! mode) serve a region marked `MADV_HUGEPAGE` 2 MiB at a time, 512 times fewer faults. glibc
//! does this itself under `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, which a program cannot set
//! for its own process; this does the same from inside:
//!
//! - the main heap grows 64 MiB at a time (`M_TOP_PAD`): address space, not memory; a page
//!   counts only once written, and the heap is trimmed back to that margin when freed;
//! - blocks under 32 MiB come from that heap (`M_MMAP_THRESHOLD`), so memory freed is reused
//!   rather than unmapped and faulted in again;
//! - each stretch the heap grows by, and each block mapped on its own, is marked
//!   `MADV_HUGEPAGE`, the first stretch from a 2 MiB boundary (see [`init`]);
//!
//! Other threads keep arenas of their own (`M_ARENA_MAX` 1, every thread on the one marked
//! heap, saved ~1,600 faults of 4 KiB but cost more in the heap's lock: the rules and the JSON
//! allocate on both threads at once; 10% more CPU, 4-10% more wall, measured quiet).
//!
//! Advice only: where the kernel has huge pages off, or refuses, nothing changes but the speed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The size of a transparent huge page on x86_64 and aarch64 (with 4 KiB base pages).
const HUGE: usize = 2 << 20;
const PAGE: usize = 4096;

/// The system allocator, marking what it takes from the kernel for huge pages.
pub struct Heap;

/// The main heap's end as last marked (0 before [`init`]: nothing is marked).
static MARKED: AtomicUsize = AtomicUsize::new(0);

/// Sets glibc's heap up as above. Call first thing in `main`.
pub fn init() {
    // SAFETY: `mallopt` only sets the allocator's parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
    // The heap's next stretch starts on a 2 MiB boundary, and its first 2 MiB go to a block
    // never written: glibc writes a chunk's header as it grows the heap, before `after` can
    // mark the stretch, and a 2 MiB range holding a page faulted in before it was marked is
    // faulted 4 KiB at a time ever after. Without this, the range where the heap's growth
    // started (where the 5,000-key page's 1.6 MB were read) took ~400 faults. glibc takes
    // memory another caller moved the break past as not its own, and grows its heap after it.
    let end = brk();
    let start = end.next_multiple_of(HUGE);
    // SAFETY: moves the program break up (the skipped stretch is never written), then takes a
    // block that is never written past its header, nor freed.
    let guard = unsafe {
        if start > end {
            libc::sbrk((start - end) as libc::intptr_t);
        }
        libc::malloc(HUGE - 2 * PAGE) as usize
    };
    if guard >= start && guard < start + HUGE {
        // The heap grew past the guard: mark it all before anything writes it.
        mark(start + HUGE, brk());
    }
    MARKED.store(brk(), Ordering::Relaxed);
}

/// The main heap's current end.
fn brk() -> usize {
    // SAFETY: `sbrk(0)` moves nothing; it returns the current program break.
    unsafe { libc::sbrk(0) as usize }
}

/// Marks `[start, end)` (rounded in to whole pages) for huge pages.
fn mark(start: usize, end: usize) {
    let start = start.next_multiple_of(PAGE);
    let end = end & !(PAGE - 1);
    if end > start {
        // SAFETY: advice on pages this process has mapped; `madvise` never changes their
        // contents for MADV_HUGEPAGE, and an error (huge pages off) is ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// After the allocator handed out `[p, p + size)`: mark what the heap grew by, or the block.
fn after(p: *mut u8, size: usize) {
    let (p, marked) = (p as usize, MARKED.load(Ordering::Relaxed));
    if p == 0 || marked == 0 || p + size <= marked {
        return;
    }
    // A block of another thread's arena already marked (most of the second threads' blocks):
    // known without asking for the heap's end.
    if size < HUGE && arena_known(p) {
        return;
    }
    let end = brk();
    if p < end {
        // In the main heap, past what was marked: the heap grew.
        if MARKED.fetch_max(end, Ordering::Relaxed) < end {
            mark(marked, end);
        }
    } else if size >= HUGE {
        // A block mapped on its own (or in another thread's arena).
        mark(p, p + size);
    } else {
        mark_arena(p);
    }
}

/// The stretch glibc maps for each heap of another thread's arena, aligned to its size (its
/// `HEAP_MAX_SIZE` on 64-bit targets).
const ARENA: usize = 64 << 20;

/// The other threads' arena heaps marked so far (the CLI's second threads share one or two).
static ARENAS: [AtomicUsize; 4] = [const { AtomicUsize::new(0) }; 4];

/// True when `p` is in another thread's arena heap that [`mark_arena`] has marked.
fn arena_known(p: usize) -> bool {
    let base = p & !(ARENA - 1);
    ARENAS
        .iter()
        .any(|slot| slot.load(Ordering::Relaxed) == base)
}

/// Marks the whole heap of another thread's arena holding `p`, the first time a block of it is
/// seen: the second threads' work (a half of the JSON held until written, the rules' names)
/// faulted ~1,300 pages of 4 KiB there on the 5,000-key page. Only its first 2 MiB, where glibc
/// wrote the heap's header before any block was handed out, stay in small pages.
fn mark_arena(p: usize) {
    let base = p & !(ARENA - 1);
    for slot in &ARENAS {
        let v = slot.load(Ordering::Relaxed);
        if v == base {
            return;
        }
        if v == 0 {
            if slot
                .compare_exchange(0, base, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                mark(base, base + ARENA);
                return;
            }
            if slot.load(Ordering::Relaxed) == base {
                return;
            }
        }
    }
}

// SAFETY: every call is passed to `System` unchanged, and its result returned unchanged; `after`
// only gives the kernel advice about the memory returned.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        after(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        after(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout)
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, size);
        after(q, size);
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread's arena heap is recorded (and marked) once, however many of its blocks are seen.
    #[test]
    fn an_arena_is_recorded_once() {
        let p = std::thread::spawn(|| Box::into_raw(Box::new([1u8; 64])) as usize)
            .join()
            .unwrap();
        mark_arena(p);
        mark_arena(p + 64);
        let base = p & !(ARENA - 1);
        let recorded = ARENAS.iter().filter(|s| s.load(Ordering::Relaxed) == base);
        assert_eq!(recorded.count(), 1);
    }
}
