// Flax's derivation of a module's rng keys, so that init and dropout draw the numbers flax draws
// for the same key: make_rng folds into the stream's key the first 4 bytes (big-endian) of the
// SHA-1 of the module's path names and the per-scope call count (UTF-8 strings and minimal
// big-endian integers, concatenated; flax_fix_rng_separator off, flax's default).
import { JaxArray } from "../../core/value.js";
import * as random from "../random.js";

/** The key flax's make_rng returns for the `count`-th call (from 1) in the scope at `path`. */
export function flaxRng(base: JaxArray, path: readonly string[], count: number): JaxArray {
  const bytes: number[] = [];
  for (const name of path) bytes.push(...new TextEncoder().encode(name));
  const be: number[] = [];
  for (let c = count; c > 0; c = Math.floor(c / 256)) be.unshift(c % 256);
  bytes.push(...be);
  const d = sha1(Uint8Array.from(bytes));
  return random.foldIn(base, ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0);
}

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/** SHA-1 (FIPS 180-4) of a short message: only flax's key derivation needs it. */
export function sha1(msg: Uint8Array): Uint8Array {
  const len = msg.length, blocks = Math.ceil((len + 9) / 64);
  const m = new Uint8Array(blocks * 64);
  m.set(msg);
  m[len] = 0x80;
  const dv = new DataView(m.buffer);
  dv.setUint32(m.length - 8, Math.floor(len / 0x20000000));
  dv.setUint32(m.length - 4, (len * 8) >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let b = 0; b < blocks; b++) {
    for (let t = 0; t < 16; t++) w[t] = dv.getInt32(b * 64 + t * 4);
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    let [a, bb, c, d, e] = h;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (bb & c) | (~bb & d) : t < 40 ? bb ^ c ^ d : t < 60 ? (bb & c) | (bb & d) | (c & d) : bb ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const tmp = (rotl(a, 5) + f + e + k + w[t]) | 0;
      e = d; d = c; c = rotl(bb, 30); bb = a; a = tmp;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
  }
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setUint32(i * 4, v >>> 0));
  return out;
}
