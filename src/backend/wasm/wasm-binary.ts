// The embedded Wasm binaries' encoding (written by scripts/build-wasm.mjs). Only the SIMD build is
// stored whole; the scalar build is stored as a delta against it (the two share most of their
// bytes: every function without v128 code), and the shared-memory build is derived from it.

/** Bytes from base64: natively where the runtime can (Uint8Array.fromBase64, Node's and Bun's Buffer). */
export function fromBase64(b64: string): Uint8Array {
  const native = (Uint8Array as any).fromBase64;
  if (native) return native(b64);
  const NodeBuffer = (globalThis as any).Buffer;
  if (typeof NodeBuffer?.from === "function") {
    const b = NodeBuffer.from(b64, "base64");
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Inflates a deflate-raw stream: with zlib where the runtime has Node's built-ins (reached through
 * process.getBuiltinModule, so the bundle imports nothing; Node's DecompressionStream costs 100+ ms
 * on first use, loading its web-streams machinery, which a cold start cannot afford; Deno 2 and Bun
 * have it too), else with the web-standard DecompressionStream (browsers, edge runtimes).
 */
export async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = (globalThis as any).process?.getBuiltinModule?.("node:zlib");
  if (typeof zlib?.inflateRawSync === "function") {
    const out = zlib.inflateRawSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  // Streams alone, no Blob or Response: Node implements Response in undici, loaded on first use
  // and relying on Node's own globals.
  const ds = new DecompressionStream("deflate-raw");
  const writer = ds.writable.getWriter();
  const written = Promise.all([writer.write(bytes as Uint8Array<ArrayBuffer>), writer.close()]);
  written.catch(() => {}); // a corrupt stream fails the reads below, which report it
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  await written;
  return concat(chunks);
}

/**
 * Rebuilds a binary from `base` and a delta: repeated [literal length, literal bytes, copy length,
 * copy source (zigzag, relative to where the previous copy ended)], all lengths LEB128.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let i = 0, lastEnd = 0;
  const uleb = () => {
    let r = 0, shift = 0, b;
    do { b = delta[i++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return r;
  };
  while (i < delta.length) {
    const lit = uleb();
    chunks.push(delta.subarray(i, i + lit));
    i += lit;
    const len = uleb();
    if (len) {
      const z = uleb(), from = lastEnd + (z & 1 ? -(z >>> 1) : z >>> 1);
      chunks.push(base.subarray(from, from + len));
      lastEnd = from + len;
    }
  }
  return concat(chunks);
}

/**
 * The SIMD build turned into the shared-memory build for worker threads: its memory section
 * (min 16 pages, max 65536) becomes an import of a shared memory, env.memory. The code is the same
 * (the kernels use no atomics; scripts/build-wasm.mjs checks this against asc's own threads
 * build), so no third binary is shipped.
 */
export function importSharedMemory(wasm: Uint8Array): Uint8Array {
  const sections: [number, Uint8Array][] = [];
  let i = 8;
  while (i < wasm.length) {
    const id = wasm[i++];
    let size = 0, shift = 0, b;
    do { b = wasm[i++]; size += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    sections.push([id, wasm.subarray(i, i + size)]);
    i += size;
  }
  if (sections.some(([id]) => id === 2)) throw new Error("tinyjax: the SIMD Wasm build has imports; rebuild it (scripts/build-wasm.mjs)");
  const mem = sections.find(([id]) => id === 5)?.[1];
  if (!mem || mem[0] !== 1 || mem[1] !== 1) throw new Error("tinyjax: unexpected memory section in the SIMD Wasm build");
  // One import: "env" "memory", kind memory, flags 3 (has maximum, shared), then the limits.
  const importSection = [2, 14 + mem.length - 2, 1, 3, 101, 110, 118, 6, 109, 101, 109, 111, 114, 121, 2, 3, ...mem.subarray(2)];
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let placed = false;
  for (const [id, body] of sections) {
    if (id === 5) continue;
    // Sections come in id order (custom ones, id 0, anywhere): imports go after types (1).
    if (!placed && id > 2) { parts.push(Uint8Array.from(importSection)); placed = true; }
    parts.push(Uint8Array.from([id, ...leb(body.length)]), body);
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function leb(n: number): number[] {
  const r: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; r.push(b); } while (n);
  return r;
}
