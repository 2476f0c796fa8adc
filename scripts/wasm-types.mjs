// Whether a Wasm module declares the v128 value type (0x7b) in its type section (section 1): the
// SIMD build does, the scalar build does not. Used by the size budget (to tell the embedded builds
// apart) and by the edge stand-in test (to refuse SIMD modules like a runtime without SIMD).
export function declaresV128(b) {
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    let size = 0, shift = 0, byte;
    do { byte = b[i++]; size |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    if (id === 1) return b.subarray(i, i + size).includes(0x7b);
    i += size;
  }
  return false;
}
