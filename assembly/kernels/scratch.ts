// Scratch memory for kernels that need temporary space of a fixed size (the tail vectors of the
// transcendental loops, the pairwise stack of column sums). Static data sits at the same address
// in every instance on a shared memory, so two threads running such kernels at once (pmap's
// per-device programs) would overwrite each other's partial results: each worker instance points
// its own copy at a block the host allocates (set_scratch); the calling thread keeps the static one.

/** Bytes of scratch every instance needs: the largest user, reduce.ts's column-sum stack. */
export const SCRATCH_BYTES: i32 = 27 * 1024;
const STATIC_SCRATCH = memory.data(SCRATCH_BYTES, 16);
let base: usize = STATIC_SCRATCH;

/** This instance's scratch block (16-byte aligned, SCRATCH_BYTES long). */
@inline export function scratch(): usize { return base; }

/** Gives this instance its own scratch block (a worker thread, before its first kernel). */
export function set_scratch(p: usize): void { base = p; }

export function scratch_bytes(): i32 { return SCRATCH_BYTES; }
