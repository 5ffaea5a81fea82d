//! Room on the stack for the stages that walk an expression tree recursively.
//!
//! Trees are bounded (`syntax::MAX_NESTING`, `syntax::MAX_HEIGHT`), but a level can
//! take tens of kilobytes of stack in an unoptimised build, and an embedding
//! program may call from a thread with a small stack. Like rustc, the recursive
//! steps ask for more stack when little is left, instead of assuming enough.

/// Below this much stack left, a new segment is allocated before going deeper. It
/// covers the levels between two checks (see [`EVERY`]) at tens of kilobytes each.
const RED_ZONE: usize = 256 * 1024;
/// A recursive walk need look at the stack only every this many levels.
pub const EVERY: u32 = 4;
/// The size of each new segment.
const SEGMENT: usize = 2 * 1024 * 1024;

#[inline(always)]
pub fn guarded<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
