import { OutOfMemoryError } from "../../core/errors.js";

const PAGE = 65536;
const ALIGN = 64; // a cache line; also keeps every v128 access aligned

/** Bytes handed out for a request: 64-byte multiples up to 1 KiB, then quarter steps of powers of two. */
export function sizeClass(n: number): number {
  if (n <= 1024) return Math.max(ALIGN, Math.ceil(n / ALIGN) * ALIGN);
  const p = 2 ** Math.floor(Math.log2(n));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

/**
 * A size-class allocator over a WebAssembly.Memory. Blocks are never split; freed blocks go to the
 * free list of their class, and when the memory cannot grow any more, adjacent free blocks are
 * merged before giving up with a clear OutOfMemoryError.
 */
export class WasmAllocator {
  private top: number;
  private free = new Map<number, number[]>();
  liveBytes = 0;
  liveBlocks = 0;
  /** Upper bound on linear memory, bytes (4 GiB is the Wasm32 ceiling). */
  limit = 4 * 1024 ** 3;

  constructor(private memory: WebAssembly.Memory, heapBase: number, private onGrow: () => void) {
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
  }

  /** Returns the byte address of a block of at least `n` bytes. */
  alloc(n: number): number {
    const size = sizeClass(n);
    const list = this.free.get(size);
    let p = list?.pop();
    if (p === undefined) p = this.bump(size, n);
    this.liveBytes += size;
    this.liveBlocks++;
    return p;
  }

  release(p: number, n: number): void {
    const size = sizeClass(n);
    this.liveBytes -= size;
    this.liveBlocks--;
    if (p + size === this.top) {
      this.top = p;
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(p);
  }

  get reservedBytes(): number { return this.memory.buffer.byteLength; }

  private bump(size: number, asked: number): number {
    if (this.top + size > this.memory.buffer.byteLength && !this.grow(this.top + size)) {
      this.coalesce();
      const list = this.free.get(size);
      const p = list?.pop();
      if (p !== undefined) return p;
      if (this.top + size > this.memory.buffer.byteLength && !this.grow(this.top + size)) {
        throw new OutOfMemoryError(
          `Out of memory on the wasm backend: could not allocate ${fmtBytes(asked)} with ${fmtBytes(this.liveBytes)} ` +
            `in ${this.liveBlocks} live arrays (limit ${fmtBytes(this.limit)}). Free arrays you no longer need: run ` +
            `loop bodies inside tidy(() => ...), call x.dispose() or use \`using\`, jit the step, or yield to the ` +
            `event loop now and then so unreachable arrays are collected.`,
        );
      }
    }
    const p = this.top;
    this.top += size;

    return p;
  }

  private grow(end: number): boolean {
    if (end > this.limit) return false;
    const have = this.memory.buffer.byteLength;
    // Grow geometrically to keep the number of (view-invalidating) grows small.
    const want = Math.min(Math.max(end, have * 1.5), this.limit);
    const pages = Math.ceil((want - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return false;
      }
    }
    this.onGrow();
    return true;
  }

  /** Merges adjacent free blocks and re-files them by the largest class each span can serve. */
  private coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [size, list] of this.free) for (const p of list) blocks.push([p, size]);
    blocks.sort((a, b) => a[0] - b[0]);
    this.free.clear();
    const spans: [number, number][] = [];
    for (const [p, size] of blocks) {
      const last = spans[spans.length - 1];
      if (last && last[0] + last[1] === p) last[1] += size;
      else spans.push([p, size]);
    }
    for (let [p, len] of spans) {
      if (p + len === this.top) {
        this.top = p;
        continue;
      }
      while (len >= ALIGN) {
        let size = sizeClass(len);
        if (size > len) size = largestClassBelow(len);
        let list = this.free.get(size);
        if (!list) this.free.set(size, (list = []));
        list.push(p);
        p += size;
        len -= size;
      }
    }
  }
}

function largestClassBelow(n: number): number {
  if (n <= 1024) return Math.floor(n / ALIGN) * ALIGN;
  const p = 2 ** Math.floor(Math.log2(n));
  const step = p / 4;
  return Math.floor(n / step) * step;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
