// Records a pmap shard's jaxpr as one straight-line program per device: the Wasm lowerings run
// against a kernel table that records each call (name and integer arguments) instead of making
// it, with every input, intermediate and output preallocated for all devices (shapes are static).
// Each value is one block of n device slices laid out as a stacked [n, ...] array, so a collective
// is a barrier and then one kernel call or copy over that block: psum/pmax/pmin run the same
// reduce kernel call the batched path makes, so every device gets bit-identical results.
import * as O from "../../assembly/kernels/opcodes.js";
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { itemSize } from "../core/dtype.js";
import { JaxArray } from "../core/value.js";
import { DeviceBuffer, KernelArg, release, retain } from "../backend/backend.js";
import { ALIASING, WasmBackend } from "../backend/wasm/backend.js";
import { lowerings, WasmContext } from "../backend/wasm/lowerings.js";
import { BARRIER_INTS, CONVERT_CODE, OP_BARRIER, OP_CALL, OP_CONVERT, OP_COPY, OP_FAULT, OP_HOST, OP_TAG, OP_ZERO } from "../backend/wasm/threads.js";
import { Atom, ClosedJaxpr, Eqn, Jaxpr, Literal } from "../jaxpr/jaxpr.js";
import { fuse, FusedPlan } from "../jit/fusion.js";
import { foldConstants } from "../jit/passes.js";
import { unbound } from "./collectives.js";

/** Device d's copy of a value is at addr + d * stride; stride 0 is one copy every device reads. */
export interface Ref { addr: number; stride: number; aval: ShapedArray }

/**
 * The shard cannot run as a recorded program (a primitive without a Wasm kernel for its dtypes, one
 * that reads memory on the host, or control flow whose trip count depends on data); pmap then runs
 * the batched program in this thread instead, which is correct, just not spread over workers.
 */
export class NotRecordable extends Error {}

export interface PmapProgram {
  readonly n: number;
  /** Blocks the caller fills before each run: stacked (mapped) or shared (unmapped). */
  readonly inputs: Ref[];
  readonly outputs: Ref[];
  /** One program per thread (thread t runs devices t, t + threads, ...). */
  readonly threads: { addr: number; len: number }[];
  /** Barrier block shared by the threads. */
  readonly bar: number;
  /** int32[n]: the thread each device ran on in the last run. */
  readonly tags: number;
  /** Host steps (OP_HOST) the calling thread runs: reference implementations over every device. */
  readonly host: (() => void)[];
  dispose(): void;
}

const COLLECTIVES = new Set(["psum", "pmax", "pmin", "all_gather", "ppermute", "axis_index"]);
const REDUCE_OP: Record<string, number> = { psum: O.R_SUM, pmax: O.R_MAX, pmin: O.R_MIN };

const bytesOf = (a: ShapedArray) => a.size * itemSize[a.dtype];

class Recorder {
  readonly owned: DeviceBuffer[] = [];
  readonly retained: DeviceBuffer[] = [];
  /** phases[p][d]: device d's ops between barrier p-1 and barrier p. */
  readonly phases: number[][][] = [];
  /** Blocks written since the last barrier: a collective reading one needs a barrier first. */
  private dirty = new Set<number>();
  /** Blocks a host step wrote since the last barrier (for every device, from the calling thread). */
  private hostDirty = new Set<number>();
  readonly host: (() => void)[] = [];
  private readonly ctxs: WasmContext[];

  constructor(private readonly be: WasmBackend, readonly n: number, private readonly axisName: string, fnIndex: (name: string) => number | undefined) {
    this.newPhase();
    this.ctxs = Array.from({ length: n }, (_, d) => this.context(d, fnIndex));
  }

  private newPhase(): void { this.phases.push(Array.from({ length: this.n }, () => [])); }
  ops(d: number): number[] { return this.phases[this.phases.length - 1][d]; }

  block(bytes: number): number {
    const b = this.be.alloc(Math.max(bytes, 8));
    this.owned.push(b);
    return b.handle;
  }

  stacked(aval: ShapedArray): Ref {
    const s = bytesOf(aval);
    return { addr: this.block(s * this.n), stride: s, aval };
  }

  /** A lowering's view of the backend for device d: kernel calls are appended to its ops. */
  private context(d: number, fnIndex: (name: string) => number | undefined): WasmContext {
    const be = this.be;
    const k = new Proxy({}, {
      get: (_t, prop) => {
        if (prop === "memory") throw new NotRecordable("a lowering touches memory from the host");
        const real = (be.k as any)[prop];
        // Size queries run now; they do not touch memory.
        if (typeof prop !== "string" || typeof real !== "function" || prop.endsWith("_workspace")) return real;
        const idx = fnIndex(prop);
        if (idx === undefined) throw new NotRecordable(`kernel ${prop} is not in the worker table`);
        return (...args: unknown[]) => {
          for (const a of args) if (typeof a !== "number") throw new NotRecordable(`kernel ${prop} takes a non-number argument`);
          this.ops(d).push(OP_CALL, idx, args.length, ...(args as number[]));
        };
      },
    });
    return {
      k: k as any,
      alloc: (nbytes: number) => { const b = be.alloc(Math.max(nbytes, 8)); this.owned.push(b); return b; },
      // Temporaries stay until the program is disposed: the recorded calls use them on every run.
      free: () => {},
      meta: (ints: readonly number[], extra = 0) => {
        const addr = this.block((ints.length + extra) * 4);
        new Int32Array(be.k.memory.buffer, addr, ints.length).set(ints);
        return addr;
      },
      parallel: () => false,
      numThreads: 1,
    };
  }

  constRef(x: JaxArray): Ref {
    if (!(x instanceof ConcreteArray) || x.backend !== this.be) throw new NotRecordable("a constant lives on another device");
    const buf = retain(x.buffer("pmap"));
    this.retained.push(buf);
    return { addr: buf.handle, stride: 0, aval: x.aval };
  }

  /**
   * Records j's equations for every device. Runs of float32 elementwise equations become one
   * fused kernel call per device, grouped exactly as jit's executor groups them.
   */
  jaxpr(j: Jaxpr, consts: JaxArray[], ins: Ref[]): Ref[] {
    const slotOf = new Map<Atom, number>();
    const refs: Ref[] = [];
    const slot = (a: Atom): number => {
      let s = slotOf.get(a);
      if (s === undefined) {
        slotOf.set(a, (s = refs.length));
        refs.push(undefined as unknown as Ref);
        if (a instanceof Literal) refs[s] = this.constRef(a.value);
      }
      return s;
    };
    j.constvars.forEach((v, i) => { refs[slot(v)] = this.constRef(consts[i]); });
    j.invars.forEach((v, i) => { refs[slot(v)] = ins[i]; });
    const steps = j.eqns.map((e) => ({
      prim: e.prim, params: e.params, ins: e.inputs.map(slot), inAvals: e.inputs.map((a) => a.aval),
      outs: e.outs.map(slot), outAvals: e.outs.map((o) => o.aval), free: [] as number[], eqn: e,
    }));
    const outSlots = new Set(j.outs.map(slot));
    const lastRead = new Map<number, number>();
    steps.forEach((st, k) => st.ins.forEach((x) => lastRead.set(x, k)));
    for (const st of fuse(steps, (x, k) => outSlots.has(x) || (lastRead.get(x) ?? -1) > k)) {
      const inRefs = st.ins.map((x) => refs[x]);
      const outs = "plan" in st ? this.fused(st.plan, inRefs, st.outAvals) : this.eqn(st.eqn, inRefs);
      st.outs.forEach((x, i) => { refs[x] = outs[i]; });
    }
    return j.outs.map((a) => refs[slot(a)]);
  }

  private fused(plan: FusedPlan, ins: Ref[], outAvals: ShapedArray[]): Ref[] {
    if (ins.some((r) => this.hostDirty.has(r.addr))) this.barrier();
    const outs = outAvals.map((a) => this.stacked(a));
    for (let d = 0; d < this.n; d++) {
      const buf = (r: Ref) => this.arg(r, d).buf;
      WasmBackend.prototype.runFused.call(this.ctxs[d] as unknown as WasmBackend, plan, ins.map(buf), outs.map(buf));
    }
    for (const o of outs) this.dirty.add(o.addr);
    return outs;
  }

  private arg(r: Ref, d: number): KernelArg {
    return { buf: { backend: this.be, nbytes: bytesOf(r.aval), handle: r.addr + d * r.stride, refs: 1 }, aval: r.aval };
  }

  private eqn(e: Eqn, ins: Ref[]): Ref[] {
    const name = e.prim.name;
    if (name === "jit") return this.jaxpr(e.params.jaxpr.jaxpr, e.params.jaxpr.consts, ins);
    if (ALIASING.has(name)) return [{ ...ins[0], aval: e.outs[0].aval }];
    if (COLLECTIVES.has(name)) {
      if (e.params.axisName !== this.axisName) unbound(e.params.axisName);
      return [this.collective(name, e, ins[0])];
    }
    const outs = e.outs.map((o) => this.stacked(o.aval));
    const at = (r: Ref, d: number) => r.addr + d * r.stride;
    if (name === "bitcast_convert_type" || (name === "convert_element_type" && ins[0].aval.dtype === e.outs[0].aval.dtype)) {
      for (let d = 0; d < this.n; d++) this.ops(d).push(OP_COPY, at(outs[0], d), at(ins[0], d), outs[0].stride);
    } else if (name === "convert_element_type") {
      const from = CONVERT_CODE[ins[0].aval.dtype], to = CONVERT_CODE[e.outs[0].aval.dtype];
      for (let d = 0; d < this.n; d++) this.ops(d).push(OP_CONVERT, at(ins[0], d), at(outs[0], d), ins[0].aval.size, from, to);
    } else {
      const lower = lowerings[name];
      if (ins.some((r) => this.hostDirty.has(r.addr))) this.barrier();
      const mark = this.ops(0).length;
      if (!lower || !lower(this.ctxs[0], ins.map((r) => this.arg(r, 0)), outs.map((r) => this.arg(r, 0)), e.params)) {
        this.ops(0).length = mark;
        this.hostStep(e, ins, outs);
        return outs;
      }
      for (let d = 1; d < this.n; d++) lower(this.ctxs[d], ins.map((r) => this.arg(r, d)), outs.map((r) => this.arg(r, d)), e.params);
    }
    for (const o of outs) this.dirty.add(o.addr);
    return outs;
  }

  /**
   * A primitive without a Wasm kernel for these dtypes runs its reference implementation on the
   * calling thread, for every device at once, between barriers (as the backend runs it on views
   * of Wasm memory). Primitives that run nested programs (control flow) cannot run this way.
   */
  private hostStep(e: Eqn, ins: Ref[], outs: Ref[]): void {
    if (e.prim.rules.impl || e.prim.rules.inline) throw new NotRecordable(`${e.prim.name} runs a nested program`);
    if (ins.some((r) => this.dirty.has(r.addr))) this.barrier();
    const be = this.be, n = this.n, prim = e.prim, params = e.params;
    this.host.push(() => {
      const view = (r: Ref, d: number) => ({ data: be.view(r.addr + d * r.stride, r.aval), aval: r.aval });
      for (let d = 0; d < n; d++) prim.rules.reference(ins.map((r) => view(r, d)), outs.map((r) => view(r, d)), params);
    });
    this.ops(0).push(OP_HOST, this.host.length - 1);
    for (const o of outs) { this.dirty.add(o.addr); this.hostDirty.add(o.addr); }
  }

  private barrier(): void {
    for (let d = 0; d < this.n; d++) this.ops(d).push(OP_BARRIER);
    this.newPhase();
    this.dirty.clear();
    this.hostDirty.clear();
  }

  private collective(name: string, e: Eqn, x: Ref | undefined): Ref {
    const n = this.n, out = this.stacked(e.outs[0].aval), os = out.stride;
    if (name === "axis_index") {
      // Every device's index is known now: the block is written once and only ever read.
      new Int32Array(this.be.k.memory.buffer, out.addr, n).set(Array.from({ length: n }, (_, d) => d));
      return out;
    }
    let src = x!;
    const bytes = bytesOf(src.aval);
    if (bytes === 0) throw new NotRecordable(`${name} of an empty array`);
    if (src.stride !== bytes) {
      // A value every device shares: give each device its own slice, as the batched path broadcasts.
      const s = this.stacked(src.aval);
      for (let d = 0; d < n; d++) this.ops(d).push(OP_COPY, s.addr + d * bytes, src.addr + d * src.stride, bytes);
      this.dirty.add(s.addr);
      src = s;
    }
    if (this.dirty.has(src.addr)) this.barrier();
    const size = src.aval.size, dt = src.aval.dtype;
    for (let d = 0; d < n; d++) {
      const ops = this.ops(d), at = out.addr + d * os;
      if (name in REDUCE_OP) {
        const op = REDUCE_OP[name];
        // The call the batched path makes: reduce axis 0 of the stacked [n, ...] block.
        if (dt === "float32") this.ctxs[d].k.reduce_f32(op, src.addr, at, 1, n, size);
        else if (dt === "float64") this.ctxs[d].k.reduce_f64(op, src.addr, at, 1, n, size);
        else if (dt === "int32" || dt === "uint32") this.ctxs[d].k.reduce_i32(op, dt === "uint32" ? 1 : 0, src.addr, at, 1, n, size);
        else throw new NotRecordable(`${name} of ${dt}`);
      } else if (name === "all_gather") {
        ops.push(OP_COPY, at, src.addr, n * bytes);
      } else {
        const from = (e.params.perm as [number, number][]).find(([, t]) => t === d);
        if (from) ops.push(OP_COPY, at, src.addr + from[0] * bytes, bytes);
        else ops.push(OP_ZERO, at, bytes);
      }
    }
    this.dirty.add(out.addr);
    return out;
  }

  dispose(): void {
    for (const b of this.owned) this.be.free(b);
    for (const b of this.retained) release(b);
    this.owned.length = this.retained.length = 0;
  }
}

/**
 * jit's constant folding, except that collectives stay: over a constant (pmean's device count)
 * they mean something only with the axis bound, which evaluating them now would not have.
 * Folded values become constants every device reads, so the program does not recompute them.
 */
export function foldShardConstants(cj: ClosedJaxpr): ClosedJaxpr {
  return foldConstants(cj, (e) => COLLECTIVES.has(e.prim.name));
}

export interface RecordOptions {
  /** Threads to spread devices over (device d runs on thread d mod threads). */
  threads: number;
  fnIndex: (name: string) => number | undefined;
  /** Tests: this device's program fails at its start. */
  faultDevice?: number | null;
}

/**
 * Records `j` (one shard, consts captured) for n devices; `mapped[i]` says whether input i differs
 * per device (a stacked block) or is shared. Throws NotRecordable (having freed everything).
 */
export function recordProgram(be: WasmBackend, j: Jaxpr, consts: JaxArray[], mapped: boolean[], n: number, axisName: string, opts: RecordOptions): PmapProgram {
  const rec = new Recorder(be, n, axisName, opts.fnIndex);
  try {
    const tags = rec.block(4 * n);
    for (let d = 0; d < n; d++) {
      rec.ops(d).push(OP_TAG, tags + 4 * d);
      if (opts.faultDevice === d) rec.ops(d).push(OP_FAULT);
    }
    const inputs = j.invars.map((v, i) => (mapped[i] ? rec.stacked(v.aval) : { addr: rec.block(bytesOf(v.aval)), stride: 0, aval: v.aval }));
    const outputs = rec.jaxpr(j, consts, inputs);
    const T = Math.min(opts.threads, n);
    const threads: { addr: number; len: number }[] = [];
    for (let t = 0; t < T; t++) {
      const words: number[] = [];
      rec.phases.forEach((phase, p) => {
        for (let d = t; d < n; d += T) for (const w of phase[d]) words.push(w);
        if (p < rec.phases.length - 1) words.push(OP_BARRIER);
      });
      const addr = rec.block(words.length * 8);
      new Float64Array(be.k.memory.buffer, addr, words.length).set(words);
      threads.push({ addr, len: words.length });
    }
    const bar = rec.block(BARRIER_INTS * 4);
    return { n, inputs, outputs, threads, bar, tags, host: rec.host, dispose: () => rec.dispose() };
  } catch (e) {
    rec.dispose();
    throw e;
  }
}
