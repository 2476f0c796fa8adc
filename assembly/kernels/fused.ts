// A fused elementwise interpreter for jitted programs: one pass over memory in tiles of TILE
// floats, running a short list of unary/binary instructions per tile. Operands are slots in a
// pointer table: inputs (stride 1, or 0 for a broadcast scalar), outputs, and scratch tiles, so
// loads and stores cost nothing and intermediates stay in cache.
import { binary_f32, unary_f32 } from "./elementwise";

const TILE: i32 = 512;
export const FUSED_UNARY: i32 = 0;
export const FUSED_BINARY: i32 = 1;

/**
 * prog: nInstr x 5 i32 (kind, op, dst, a, b), slot ids. Slots 0..nIn-1 are inputs, then nOut
 * outputs, then scratch. ins: nIn x 2 i32 (byte pointer, stride 0|1); outs: nOut byte pointers.
 * table: (nIn + nOut + nScratch) usize entries of scratch space for the pointer table; work:
 * (nIn + nScratch) * TILE floats. Every element of every output is written exactly once per
 * tile by the last instruction that targets it.
 */
export function fused_f32(prog: usize, nInstr: i32, ins: usize, nIn: i32, outs: usize, nOut: i32, nScratch: i32,
  table: usize, work: usize, n: i32): void {
  const tileBytes = <usize>TILE << 2;
  // Broadcast scalars are expanded once into their own tile.
  for (let k = 0; k < nIn; k++) {
    if (load<i32>(ins + (<usize>(2 * k + 1) << 2)) == 0) {
      const v = load<f32>(<usize>load<i32>(ins + (<usize>(2 * k) << 2)));
      const t = work + <usize>k * tileBytes;
      for (let i = 0; i < TILE; i++) store<f32>(t + (<usize>i << 2), v);
    }
  }
  const scratchBase = work + <usize>nIn * tileBytes;
  for (let s = 0; s < nScratch; s++) store<usize>(table + (<usize>(nIn + nOut + s) << 2), scratchBase + <usize>s * tileBytes);
  for (let base = 0; base < n; base += TILE) {
    const len = min(TILE, n - base);
    const off = <usize>base << 2;
    for (let k = 0; k < nIn; k++) {
      const p = <usize>load<i32>(ins + (<usize>(2 * k) << 2));
      const stride = load<i32>(ins + (<usize>(2 * k + 1) << 2));
      store<usize>(table + (<usize>k << 2), stride ? p + off : work + <usize>k * tileBytes);
    }
    for (let k = 0; k < nOut; k++) store<usize>(table + (<usize>(nIn + k) << 2), <usize>load<i32>(outs + (<usize>k << 2)) + off);
    for (let q = 0; q < nInstr; q++) {
      const ip = prog + (<usize>(5 * q) << 2);
      const kind = load<i32>(ip), op = load<i32>(ip, 4);
      const dst = load<usize>(table + (<usize>load<i32>(ip, 8) << 2));
      const a = load<usize>(table + (<usize>load<i32>(ip, 12) << 2));
      if (kind == FUSED_UNARY) {
        unary_f32(op, a, dst, len);
      } else {
        binary_f32(op, a, 1, load<usize>(table + (<usize>load<i32>(ip, 16) << 2)), 1, dst, len);
      }
    }
  }
}
