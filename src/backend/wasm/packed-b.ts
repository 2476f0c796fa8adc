import { OutOfMemoryError } from "../../core/errors.js";
import { DeviceBuffer } from "../backend.js";
import { sizeClass } from "./allocator.js";
import { WasmContext } from "./lowerings.js";

/**
 * Packed right-hand matmul operands, kept for arrays used as B again (weights, the bench's
 * reused B): packing B costs a pass over it per product, so a B that comes back is packed once.
 *
 * Safe because arrays are immutable: a buffer's contents never change while it is alive, and an
 * entry is keyed by the DeviceBuffer object (never by its address) and dropped when that buffer is
 * freed, so a new array that gets the same address cannot find the old packing. A B is packed on
 * its second use, so operands used once (fresh B, activations) pay nothing. Entries live in Wasm
 * memory, least recently used first out beyond MAX_BYTES; memoryStats leaves them out of liveBytes.
 */
export const MAX_BYTES = 64 << 20;

interface Entry { owner: DeviceBuffer; key: string; block: DeviceBuffer }

/** B's layout as the kernel reads it: base address, strides (elements), batches packed, k, n. */
export interface BLayout { ptr: number; rows: number; cols: number; batch: number; batches: number; k: number; n: number }

export class PackedBCache {
  /** Bytes of allocator blocks held (size classes, as liveBytes counts them). */
  bytes = 0;
  /** Least recently used first (Map iteration order). */
  private entries = new Map<string, Entry>();
  private byOwner = new Map<DeviceBuffer, Entry[]>();
  /** Buffers seen once as B; a number per buffer makes keys (the address can be reused). */
  private ids = new WeakMap<DeviceBuffer, number>();
  private nextId = 1;

  constructor(private ctx: WasmContext, readonly maxBytes = MAX_BYTES) {}

  /** The address of `owner` packed in layout `l`, or 0 on its first use (or when it would not fit). */
  get(owner: DeviceBuffer, l: BLayout): number {
    let id = this.ids.get(owner);
    if (id === undefined) {
      this.ids.set(owner, this.nextId++);
      return 0;
    }
    const key = `${id}:${l.ptr - owner.handle},${l.rows},${l.cols},${l.batch},${l.batches},${l.k},${l.n}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.block.handle;
    }
    const size = this.ctx.k.matmul_f32_packed_size(l.k, l.n) * l.batches;
    if (sizeClass(size) > this.maxBytes / 2) return 0;
    for (const e of this.entries.values()) {
      if (this.bytes + sizeClass(size) <= this.maxBytes) break;
      this.remove(e);
    }
    let block: DeviceBuffer;
    try {
      block = this.ctx.alloc(size);
    } catch (err) {
      if (err instanceof OutOfMemoryError) return 0;
      throw err;
    }
    this.ctx.k.matmul_f32_pack_b(l.ptr, l.rows, l.cols, l.batch, l.batches, l.k, l.n, block.handle);
    const e: Entry = { owner, key, block };
    this.entries.set(key, e);
    const list = this.byOwner.get(owner);
    if (list) list.push(e);
    else this.byOwner.set(owner, [e]);
    this.bytes += sizeClass(block.nbytes);
    return block.handle;
  }

  /** Drops every packing of `owner` (called when its memory is freed). */
  drop(owner: DeviceBuffer): void {
    const list = this.byOwner.get(owner);
    if (!list) return;
    for (const e of [...list]) this.remove(e);
  }

  clear(): void {
    for (const e of [...this.entries.values()]) this.remove(e);
  }

  /** Live blocks the cache holds (for memory statistics). */
  get blocks(): number { return this.entries.size; }

  private remove(e: Entry): void {
    this.entries.delete(e.key);
    const list = this.byOwner.get(e.owner)!;
    list.splice(list.indexOf(e), 1);
    if (list.length === 0) this.byOwner.delete(e.owner);
    this.bytes -= sizeClass(e.block.nbytes);
    this.ctx.free(e.block);
  }
}

const caches = new WeakMap<WasmContext, PackedBCache>();

/** The packed-B cache of a backend, made on first use. */
export function packedB(ctx: WasmContext): PackedBCache {
  let c = caches.get(ctx);
  if (!c) caches.set(ctx, (c = new PackedBCache(ctx)));
  return c;
}

/** The backend's cache if it has one (frees and statistics need not make one). */
export function packedBIfAny(ctx: WasmContext): PackedBCache | undefined {
  return caches.get(ctx);
}
