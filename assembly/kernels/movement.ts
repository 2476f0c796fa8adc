// Data movement: one strided N-d copy serves transpose, broadcast, slice, reverse, pad and
// concatenate. The host merges contiguous dimensions first, so plain copies become one memcpy.

/**
 * dst[sum_k i_k * ds_k] = src[sum_k i_k * ss_k] over the index space `shape`.
 * `meta` holds 4*ndim i32: shape, source strides, destination strides (in elements, may be
 * negative or 0) and scratch for the counters. `esize` is 1, 4 or 8 bytes.
 * When the last destination dimension is contiguous and the source is contiguous along the
 * second-to-last dimension instead (a transpose; the host orders dimensions so), the last two
 * dimensions are copied in cache-sized tiles with 4x4 register transposes.
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
  // Tile mode: shape [..., R, C], source strides [..., 1, sC], destination strides [..., dR, 1].
  const tiled = ndim >= 2 && dInner == esize && sInner != esize && load<i32>(ss + (<usize>(last - 1) << 2)) == 1 &&
    load<i32>(shape + (<usize>(last - 1) << 2)) >= 4 && n >= 4;
  const outerLast = tiled ? last - 1 : last;
  let rows = 0, dRow = 0;
  if (tiled) {
    rows = load<i32>(shape + (<usize>(last - 1) << 2));
    dRow = load<i32>(ds + (<usize>(last - 1) << 2)) * esize;
  }
  let s = src;
  let d = dst;
  while (true) {
    if (tiled) transposeTiles(s, sInner, d, dRow, rows, n, esize);
    else copyRow(s, sInner, d, dInner, n, esize);
    // Advance the odometer over the outer dimensions.
    let k = outerLast - 1;
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

const TILE: i32 = 32;

/**
 * d[r * dRow + c * esize] = s[c * sCol + r * esize] for r < rows, c < cols (byte strides): a 2-D
 * transpose in TILE x TILE blocks (each block's source and destination lines stay cached while it
 * is copied), made of 4x4 register transposes for 4-byte elements; leftover rows and columns of a
 * block go element by element.
 */
function transposeTiles(s: usize, sCol: i32, d: usize, dRow: i32, rows: i32, cols: i32, esize: i32): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const rn = min(TILE, rows - r0);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const cn = min(TILE, cols - c0);
      const sp = s + <usize>(c0 * sCol + r0 * esize);
      const dp = d + <usize>(r0 * dRow + c0 * esize);
      let r4 = 0, c4 = 0;
      if (ASC_FEATURE_SIMD && esize == 4) {
        r4 = rn & ~3;
        c4 = cn & ~3;
        for (let r = 0; r < r4; r += 4) {
          for (let c = 0; c < c4; c += 4) {
            const a = sp + <usize>(c * sCol + (r << 2));
            const q = dp + <usize>(r * dRow + (c << 2));
            const v0 = v128.load(a), v1 = v128.load(a + sCol), v2 = v128.load(a + 2 * sCol), v3 = v128.load(a + 3 * sCol);
            const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
            const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
            const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
            const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
            v128.store(q, i64x2.shuffle(t0, t1, 0, 2));
            v128.store(q + dRow, i64x2.shuffle(t0, t1, 1, 3));
            v128.store(q + 2 * dRow, i64x2.shuffle(t2, t3, 0, 2));
            v128.store(q + 3 * dRow, i64x2.shuffle(t2, t3, 1, 3));
          }
        }
      }
      // Rows below r4 still lack columns c4..cn; rows r4..rn lack all columns.
      for (let r = 0; r < rn; r++) {
        const q = dp + <usize>(r * dRow);
        const a = sp + <usize>(r * esize);
        const c1 = r < r4 ? c4 : 0;
        if (esize == 4) for (let c = c1; c < cn; c++) store<u32>(q + (<usize>c << 2), load<u32>(a + <usize>(c * sCol)));
        else if (esize == 8) for (let c = c1; c < cn; c++) store<u64>(q + (<usize>c << 3), load<u64>(a + <usize>(c * sCol)));
        else for (let c = c1; c < cn; c++) store<u8>(q + <usize>c, load<u8>(a + <usize>(c * sCol)));
      }
    }
  }
}

@inline function copyRow(s: usize, sb: i32, d: usize, db: i32, n: i32, esize: i32): void {
  if (sb == esize && db == esize) {
    const bytes = n * esize;
    // Short rows (im2col patches, concatenation of narrow arrays) copy inline: memory.copy is a
    // call into the engine that costs more than moving a few vectors.
    if (ASC_FEATURE_SIMD && bytes <= 512) {
      let i = 0;
      for (; i + 16 <= bytes; i += 16) v128.store(d + <usize>i, v128.load(s + <usize>i));
      for (; i < bytes; i++) store<u8>(d + <usize>i, load<u8>(s + <usize>i));
      return;
    }
    memory.copy(d, s, <usize>bytes);
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
