// Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11; the Random123 reference), the hash behind JAX's default PRNG. Every (key, counter) pair
// is independent, so the SIMD body hashes four counters per v128 and a scalar loop takes the tail.
// A round is s0 += s1; s1 = rotl(s1, r) ^ s0, with r cycling through (13, 15, 26, 6) and
// (17, 29, 16, 24); after every four rounds a key word pair and the round-group number are added.
// The rounds are written out so every rotation count is an immediate.

const PARITY: u32 = 0x1bd11bda;

@inline function at(p: usize, i: i32, stride: i32): usize { return p + (<usize>(i * stride) << 2); }

@inline function rotl(x: u32, r: u32): u32 { return (x << r) | (x >>> (32 - r)); }

@inline function vrotl(x: v128, r: i32): v128 { return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r)); }

/**
 * out1[i], out2[i] = threefry2x32((k1[i], k2[i]), (x1[i], x2[i])) for i < n.
 * Each input is a uint32 array of n elements (stride 1) or one element broadcast to all n (stride
 * 0). Outputs must not overlap the inputs. No alignment requirement.
 */
export function threefry2x32(k1: usize, sk1: i32, k2: usize, sk2: i32, x1: usize, sx1: i32, x2: usize, sx2: i32,
                             out1: usize, out2: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Broadcast operands are splatted once; the others are loaded four lanes at a time.
    const b0 = i32x4.splat(load<i32>(k1)), b1 = i32x4.splat(load<i32>(k2));
    const c0 = i32x4.splat(load<i32>(x1)), c1 = i32x4.splat(load<i32>(x2));
    const parity = i32x4.splat(<i32>PARITY);
    for (; i + 4 <= n; i += 4) {
      const a0 = sk1 ? v128.load(at(k1, i, 1)) : b0;
      const a1 = sk2 ? v128.load(at(k2, i, 1)) : b1;
      const a2 = v128.xor(v128.xor(a0, a1), parity);
      let y0 = i32x4.add(sx1 ? v128.load(at(x1, i, 1)) : c0, a0);
      let y1 = i32x4.add(sx2 ? v128.load(at(x2, i, 1)) : c1, a1);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 13), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 15), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 26), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 6), y0);
      y0 = i32x4.add(y0, a1); y1 = i32x4.add(y1, i32x4.add(a2, i32x4.splat(1)));
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 17), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 29), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 16), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 24), y0);
      y0 = i32x4.add(y0, a2); y1 = i32x4.add(y1, i32x4.add(a0, i32x4.splat(2)));
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 13), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 15), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 26), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 6), y0);
      y0 = i32x4.add(y0, a0); y1 = i32x4.add(y1, i32x4.add(a1, i32x4.splat(3)));
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 17), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 29), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 16), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 24), y0);
      y0 = i32x4.add(y0, a1); y1 = i32x4.add(y1, i32x4.add(a2, i32x4.splat(4)));
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 13), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 15), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 26), y0);
      y0 = i32x4.add(y0, y1); y1 = v128.xor(vrotl(y1, 6), y0);
      y0 = i32x4.add(y0, a2); y1 = i32x4.add(y1, i32x4.add(a0, i32x4.splat(5)));
      v128.store(at(out1, i, 1), y0);
      v128.store(at(out2, i, 1), y1);
    }
  }
  for (; i < n; i++) {
    const w0 = load<u32>(at(k1, i, sk1)), w1 = load<u32>(at(k2, i, sk2));
    const w2 = w0 ^ w1 ^ PARITY;
    let s0 = load<u32>(at(x1, i, sx1)) + w0, s1 = load<u32>(at(x2, i, sx2)) + w1;
    s0 += s1; s1 = rotl(s1, 13) ^ s0;
    s0 += s1; s1 = rotl(s1, 15) ^ s0;
    s0 += s1; s1 = rotl(s1, 26) ^ s0;
    s0 += s1; s1 = rotl(s1, 6) ^ s0;
    s0 += w1; s1 += w2 + 1;
    s0 += s1; s1 = rotl(s1, 17) ^ s0;
    s0 += s1; s1 = rotl(s1, 29) ^ s0;
    s0 += s1; s1 = rotl(s1, 16) ^ s0;
    s0 += s1; s1 = rotl(s1, 24) ^ s0;
    s0 += w2; s1 += w0 + 2;
    s0 += s1; s1 = rotl(s1, 13) ^ s0;
    s0 += s1; s1 = rotl(s1, 15) ^ s0;
    s0 += s1; s1 = rotl(s1, 26) ^ s0;
    s0 += s1; s1 = rotl(s1, 6) ^ s0;
    s0 += w0; s1 += w1 + 3;
    s0 += s1; s1 = rotl(s1, 17) ^ s0;
    s0 += s1; s1 = rotl(s1, 29) ^ s0;
    s0 += s1; s1 = rotl(s1, 16) ^ s0;
    s0 += s1; s1 = rotl(s1, 24) ^ s0;
    s0 += w1; s1 += w2 + 4;
    s0 += s1; s1 = rotl(s1, 13) ^ s0;
    s0 += s1; s1 = rotl(s1, 15) ^ s0;
    s0 += s1; s1 = rotl(s1, 26) ^ s0;
    s0 += s1; s1 = rotl(s1, 6) ^ s0;
    s0 += w2; s1 += w0 + 5;
    store<u32>(at(out1, i, 1), s0);
    store<u32>(at(out2, i, 1), s1);
  }
}
