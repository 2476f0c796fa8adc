// Data movement: one strided N-d copy serves transpose, broadcast, slice, reverse, pad and
// concatenate. The host merges contiguous dimensions first, so plain copies become one memcpy.

/**
 * dst[sum_k i_k * ds_k] = src[sum_k i_k * ss_k] over the index space `shape`.
 * `meta` holds 4*ndim i32: shape, source strides, destination strides (in elements, may be
 * negative or 0) and scratch for the counters. `esize` is 1, 4 or 8 bytes.
 */
export function copy_strided(ndim: i32, meta: usize, src: usize, dst: usize, esize: i32): void {
  if (ndim == 0) {
    memory.copy(dst, src, esize);
    return;
  }
  const shape = meta;
  const ss = meta + (<usize>ndim << 2);
  const ds = meta + (<usize>(2 * ndim) << 2);
  const ctr = meta + (<usize>(3 * ndim) << 2);
  for (let k = 0; k < ndim; k++) {
    if (load<i32>(shape + (<usize>k << 2)) == 0) return;
    store<i32>(ctr + (<usize>k << 2), 0);
  }
  const last = ndim - 1;
  const n = load<i32>(shape + (<usize>last << 2));
  const sInner = load<i32>(ss + (<usize>last << 2)) * esize;
  const dInner = load<i32>(ds + (<usize>last << 2)) * esize;
  let s = src;
  let d = dst;
  while (true) {
    copyRow(s, sInner, d, dInner, n, esize);
    // Advance the odometer over the outer dimensions.
    let k = last - 1;
    while (k >= 0) {
      const c = load<i32>(ctr + (<usize>k << 2)) + 1;
      const sk = load<i32>(ss + (<usize>k << 2)) * esize;
      const dk = load<i32>(ds + (<usize>k << 2)) * esize;
      if (c < load<i32>(shape + (<usize>k << 2))) {
        store<i32>(ctr + (<usize>k << 2), c);
        s += <usize>sk;
        d += <usize>dk;
        break;
      }
      store<i32>(ctr + (<usize>k << 2), 0);
      s -= <usize>(sk * (c - 1));
      d -= <usize>(dk * (c - 1));
      k--;
    }
    if (k < 0) return;
  }
}

@inline function copyRow(s: usize, sb: i32, d: usize, db: i32, n: i32, esize: i32): void {
  if (sb == esize && db == esize) {
    memory.copy(d, s, <usize>(n * esize));
    return;
  }
  if (sb == 0 && db == esize) {
    if (esize == 4) {
      const v = load<u32>(s);
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        const vv = i32x4.splat(v);
        for (; i + 4 <= n; i += 4) v128.store(d + (<usize>i << 2), vv);
      }
      for (; i < n; i++) store<u32>(d + (<usize>i << 2), v);
      return;
    }
    if (esize == 1) {
      memory.fill(d, load<u8>(s), <usize>n);
      return;
    }
  }
  if (esize == 4) {
    for (let i = 0; i < n; i++) store<u32>(d + <usize>(i * db), load<u32>(s + <usize>(i * sb)));
  } else if (esize == 8) {
    for (let i = 0; i < n; i++) store<u64>(d + <usize>(i * db), load<u64>(s + <usize>(i * sb)));
  } else {
    for (let i = 0; i < n; i++) store<u8>(d + <usize>(i * db), load<u8>(s + <usize>(i * sb)));
  }
}

/** Fills `n` elements of `esize` bytes at `dst` with the bit pattern `bits` (low bytes used). */
export function fill(dst: usize, n: i32, esize: i32, bits: u64): void {
  if (esize == 1) {
    memory.fill(dst, <u8>bits, <usize>n);
  } else if (esize == 4) {
    const v = <u32>bits;
    for (let i = 0; i < n; i++) store<u32>(dst + (<usize>i << 2), v);
  } else {
    for (let i = 0; i < n; i++) store<u64>(dst + (<usize>i << 3), bits);
  }
}
