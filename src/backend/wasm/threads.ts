// Worker threads as extra Wasm instances over the one shared WebAssembly.Memory. A kernel call is
// split into independent pieces (rows of a matmul, ranges of an elementwise op); the calling
// thread runs the first piece and each worker one more, handed over through a small control block
// in shared memory (Atomics.wait/notify). Workers never keep a Node process alive.
// The pool also runs whole recorded programs (pmap: one program per device, see
// src/batching/pmap-program.ts): a list of kernel calls, copies and barriers in shared memory that
// runProgram interprets on each thread.

/**
 * The worker: instantiates the module on the shared memory, then runs kernels on request. It is
 * real code (so the bundle minifies it) but runs as source copied into the worker, so it uses
 * nothing outside itself except `run`, which is runProgram passed in the same way.
 */
function workerMain(run: typeof runProgram): void {
  const start = ({ module, memory, ctrl, scratch, names, id }: any) => {
    const ex: any = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm abort"); } } }).exports;
    ex.set_scratch(scratch);
    const i32 = new Int32Array(memory.buffer);
    const b = ctrl >>> 2;
    Atomics.store(i32, b, 2);
    Atomics.notify(i32, b);
    for (;;) {
      Atomics.wait(i32, b, 2);
      const s = Atomics.load(i32, b);
      if (s === 3) return;
      if (s === 4) {
        // A recorded program: address, length (f64 words), barrier block, participants, stall ms.
        try { run(ex, names, memory, i32[b + 1], i32[b + 2], id, i32[b + 3], i32[b + 4], i32[b + 5]); i32[b + 23] = 0; }
        catch (e: any) {
          i32[b + 23] = e && e.pmapAbort ? 2 : 1;
          const w = new Int32Array(memory.buffer), c = i32[b + 3] >>> 2;
          Atomics.store(w, c + 2, 1);
          Atomics.notify(w, c + 1);
        }
        Atomics.store(i32, b, 2);
        Atomics.notify(i32, b);
        continue;
      }
      if (s === 6) { Atomics.wait(i32, b, 6); continue; }
      // The caller may have taken the piece back (it ran out of its own work first): claim it.
      if (s !== 1 || Atomics.compareExchange(i32, b, 1, 5) !== 1) continue;
      const fn = ex[names[i32[b + 1]]];
      const args = [];
      for (let k = 0; k < i32[b + 2]; k++) args.push(i32[b + 3 + k]);
      try { fn(...args); i32[b + 23] = 0; } catch { i32[b + 23] = 1; }
      Atomics.store(i32, b, 2);
      Atomics.notify(i32, b);
    }
  };
  const g = globalThis as any;
  const wt = g.process?.getBuiltinModule?.("node:worker_threads");
  if (wt && wt.parentPort) wt.parentPort.once("message", start);
  else g.onmessage = (e: any) => start(e.data);
}
const WORKER_SOURCE = `(${workerMain})(${runProgram})`;

/** Program opcodes (Float64 words): see runProgram. */
export const OP_CALL = 1, OP_COPY = 2, OP_ZERO = 3, OP_BARRIER = 4, OP_TAG = 5, OP_FAULT = 6, OP_CONVERT = 7, OP_HOST = 8;
/** Dtype codes of OP_CONVERT. */
export const CONVERT_CODE: Record<string, number> = { float32: 0, float64: 1, int32: 2, uint32: 3, bool: 4 };
/** Int32 words of a program barrier block: arrived, generation, abort, progress. */
export const BARRIER_INTS = 4;

/**
 * Interprets a recorded program on this thread (the calling thread or a worker; the source is
 * copied into the worker, so it uses nothing outside itself). The program is `len` Float64 words
 * at byte address `prog`: [OP_CALL, fn index, nargs, ...args], [OP_COPY, dst, src, bytes],
 * [OP_ZERO, dst, bytes], [OP_BARRIER], [OP_TAG, addr] (stores this thread's id: tests check
 * where devices ran), [OP_FAULT] (tests: a failing device), [OP_CONVERT, src, dst, n, from, to]
 * (convert_element_type, which has no kernel: the reference's rule, float to int truncating and
 * saturating with NaN to 0, integers wrapping), [OP_HOST, index] (only in the calling thread's
 * program: runs ex.__host(index), a primitive's reference implementation for every device). Barriers are shared by `parties`
 * threads through the block at `bar`; a thread that fails sets its abort word, and one that sees
 * no thread make progress for `stallMs` (a worker that died) sets it too, so nobody waits forever.
 */
export function runProgram(ex: any, names: string[], memory: WebAssembly.Memory, prog: number, len: number,
  me: number, bar: number, parties: number, stallMs: number): void {
  const f64 = new Float64Array(memory.buffer, prog, len);
  const u8 = new Uint8Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const b = bar >>> 2;
  const args: number[] = [];
  const aborted = () => { const e: any = new Error("tinyjax: pmap aborted by another device"); e.pmapAbort = true; return e; };
  let pc = 0;
  while (pc < len) {
    const op = f64[pc++];
    if (op === 1) {
      const fn = ex[names[f64[pc]]], n = f64[pc + 1];
      pc += 2;
      args.length = n;
      for (let k = 0; k < n; k++) args[k] = f64[pc + k];
      pc += n;
      fn(...args);
    } else if (op === 2) {
      u8.copyWithin(f64[pc], f64[pc + 1], f64[pc + 1] + f64[pc + 2]);
      pc += 3;
    } else if (op === 3) {
      u8.fill(0, f64[pc], f64[pc] + f64[pc + 1]);
      pc += 2;
    } else if (op === 4) {
      if (Atomics.load(i32, b + 2)) throw aborted();
      const gen = Atomics.load(i32, b + 1);
      if (Atomics.add(i32, b, 1) === parties - 1) {
        Atomics.store(i32, b, 0);
        Atomics.add(i32, b + 1, 1);
        Atomics.notify(i32, b + 1);
      } else {
        let seen = Atomics.load(i32, b + 3), since = Date.now();
        while (Atomics.load(i32, b + 1) === gen) {
          if (Atomics.load(i32, b + 2)) throw aborted();
          Atomics.wait(i32, b + 1, gen, 20);
          const p = Atomics.load(i32, b + 3);
          if (p !== seen) { seen = p; since = Date.now(); } else if (Date.now() - since > stallMs) {
            Atomics.store(i32, b + 2, 1);
            Atomics.notify(i32, b + 1);
            throw new Error(`tinyjax: pmap: no device made progress for ${stallMs} ms at a collective (a worker thread died or hangs)`);
          }
        }
      }
    } else if (op === 5) {
      Atomics.store(i32, f64[pc++] >>> 2, me);
    } else if (op === 6) {
      throw new Error("tinyjax: pmap: injected device fault");
    } else if (op === 7) {
      const buf = memory.buffer, n = f64[pc + 2], from = f64[pc + 3], to = f64[pc + 4];
      const view = (c: number, at: number) => (c === 0 ? new Float32Array(buf, at, n) : c === 1 ? new Float64Array(buf, at, n)
        : c === 2 ? new Int32Array(buf, at, n) : c === 3 ? new Uint32Array(buf, at, n) : new Uint8Array(buf, at, n));
      const x = view(from, f64[pc]), o = view(to, f64[pc + 1]);
      pc += 5;
      if (to === 4) for (let i = 0; i < n; i++) o[i] = x[i] !== 0 ? 1 : 0;
      else if (from >= 2) for (let i = 0; i < n; i++) o[i] = to === 3 ? x[i] >>> 0 : to === 2 ? x[i] | 0 : x[i];
      else if (to === 2) for (let i = 0; i < n; i++) { const a = x[i]; o[i] = a !== a ? 0 : a >= 2147483647 ? 2147483647 : a <= -2147483648 ? -2147483648 : Math.trunc(a); }
      else if (to === 3) for (let i = 0; i < n; i++) { const a = x[i]; o[i] = a !== a || a <= 0 ? 0 : a >= 4294967295 ? 4294967295 : Math.trunc(a); }
      else for (let i = 0; i < n; i++) o[i] = x[i];
    } else if (op === 8) {
      ex.__host(f64[pc++]);
    }
    Atomics.add(i32, b + 3, 1);
  }
}

const CTRL_INTS = 24; // state, fn, nargs, up to 20 args, error flag (last)
// States: 0 starting, 2 idle, 1 piece posted, 5 worker running it, 6 caller took it back,
// 3 exit, 4 program posted.
const MAX_ARGS = 20;

/** The pool could not start (no workers, or they never came up): nothing was dispatched. */
export class WorkerStartError extends Error {}

/** A recorded program failed on some threads (`threads`: 0 is the calling thread). */
export class ProgramError extends Error {
  constructor(message: string, readonly threads: number[]) { super(message); }
}

interface WorkerLike { postMessage(m: unknown): void; terminate(): unknown; unref?(): void }

export class ThreadPool {
  private readonly workers: WorkerLike[] = [];
  private readonly ctrl: number[] = [];
  private ready = false;
  private readonly names: string[];
  private readonly nameIndex = new Map<string, number>();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    readonly size: number,
    allocCtrl: (bytes: number) => number,
    names: string[],
    scratchBytes: number,
  ) {
    this.names = names;
    names.forEach((n, i) => this.nameIndex.set(n, i));
    const make = workerFactory();
    if (!make) throw new WorkerStartError("no worker threads in this runtime");
    for (let i = 0; i < size - 1; i++) {
      const ctrl = allocCtrl(CTRL_INTS * 4);
      new Int32Array(memory.buffer, ctrl, CTRL_INTS).fill(0);
      // The kernels' scratch (assembly/kernels/scratch.ts): the static one is the calling thread's.
      // Like the control block, it stays allocated for as long as the memory lives, since a worker
      // that is being terminated may still be writing to it.
      const scratch = allocCtrl(scratchBytes);
      let w: WorkerLike;
      try {
        w = make();
      } catch (e) {
        this.terminate();
        throw new WorkerStartError(`tinyjax: could not start a worker thread: ${e}`);
      }
      w.unref?.();
      w.postMessage({ module, memory, ctrl, scratch, names, id: i + 1 });
      this.workers.push(w);
      this.ctrl.push(ctrl);
    }
  }

  private i32(): Int32Array { return new Int32Array(this.memory.buffer); }

  /**
   * Waits without blocking until every worker is up. Where workers start only once the creating
   * thread yields (a browser's dedicated worker creating nested workers), call this before the
   * first blocking use, or that use gives up after 10 s and kernels stay on one thread.
   */
  async whenReady(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      const i32 = this.i32();
      if (this.ctrl.every((c) => Atomics.load(i32, c >>> 2) !== 0)) { this.ready = true; break; }
      if (Date.now() > deadline) throw new WorkerStartError(`tinyjax: worker threads did not start within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /**
   * Whether every worker is up, waiting at most `ms` for them (blocking, where this thread may).
   * Never throws: where workers start only after this thread yields, the caller runs without them.
   */
  startedWithin(ms: number): boolean {
    if (this.ready) return true;
    const i32 = this.i32(), deadline = Date.now() + ms;
    for (const c of this.ctrl) {
      while (Atomics.load(i32, c >>> 2) === 0) {
        if (Date.now() >= deadline) return false;
        if (canBlock) Atomics.wait(i32, c >>> 2, 0, 5);
      }
    }
    return (this.ready = true);
  }

  /** Waits (once) until every worker has instantiated the module; throws if one never does. */
  private waitReady(): void {
    if (!this.startedWithin(10_000)) throw new WorkerStartError("tinyjax: worker threads did not start within 10 s");
  }

  /**
   * Runs exports[name](...pieces[i]) for every piece, the first on this thread, the rest on
   * workers, and returns when all are done. Pieces must touch disjoint outputs.
   */
  run(name: string, pieces: number[][], runHere: (args: number[]) => void): void {
    const i32 = this.i32();
    const fn = this.nameIndex.get(name)!;
    const used = Math.min(pieces.length - 1, this.workers.length);
    // Workers still starting (state 0) get no piece: this thread runs it rather than wait for them.
    const posted: boolean[] = [];
    for (let w = 0; w < used; w++) {
      const b = this.ctrl[w] >>> 2, args = pieces[w + 1];
      posted.push(Atomics.load(i32, b) === 2);
      if (!posted[w]) continue;
      if (args.length > MAX_ARGS) throw new Error("thread pool: too many kernel arguments");
      i32[b + 1] = fn;
      i32[b + 2] = args.length;
      for (let k = 0; k < args.length; k++) i32[b + 3 + k] = args[k];
      Atomics.store(i32, b, 1);
      Atomics.notify(i32, b);
    }
    // Pieces beyond the worker count run here too.
    runHere(pieces[0]);
    for (let p = used + 1; p < pieces.length; p++) runHere(pieces[p]);
    let failed = false;
    for (let w = 0; w < used; w++) {
      const b = this.ctrl[w] >>> 2;
      // A piece no worker has started yet is taken back and run here: on a loaded machine a
      // sleeping worker may not be scheduled for milliseconds, and two threads must never be
      // slower than one. The split is fixed, so results are the same whoever runs a piece.
      if (!posted[w] || Atomics.compareExchange(i32, b, 1, 6) === 1) {
        try { runHere(pieces[w + 1]); } finally {
          if (posted[w]) { Atomics.store(i32, b, 2); Atomics.notify(i32, b); }
        }
        continue;
      }
      waitWhile(i32, b, 5);
      if (i32[b + CTRL_INTS - 1]) failed = true;
    }
    if (failed) throw new Error("tinyjax: a kernel failed in a worker thread; this is a bug in tinyjax, please report it");
  }

  /** Index of a kernel in the name table programs use. */
  fnIndex(name: string): number | undefined { return this.nameIndex.get(name); }
  get kernelNames(): readonly string[] { return this.names; }

  /** Worker threads (the calling thread is thread 0 of a program run; workers are 1..size-1). */
  get workerCount(): number { return this.workers.length; }

  /** Set once a program run failed in a way that may leave a worker stuck: discard the pool. */
  broken = false;

  /**
   * Runs progs[t] on thread t (thread 0 here, the rest on workers), all sharing the barrier block
   * `bar`, and returns when every thread is done. Throws a ProgramError naming the failing
   * threads when one fails, and a stall error when a thread stops making progress (it died).
   */
  runPrograms(progs: { addr: number; len: number }[], bar: number, stallMs: number, runHere: (addr: number, len: number) => void): void {
    if (this.broken) throw new WorkerStartError("tinyjax: the worker pool was discarded after a failure");
    if (progs.length - 1 > this.workers.length) throw new Error("thread pool: more programs than threads");
    this.waitReady();
    const i32 = this.i32();
    const bb = bar >>> 2;
    for (let k = 0; k < BARRIER_INTS; k++) i32[bb + k] = 0;
    for (let t = 1; t < progs.length; t++) {
      const b = this.ctrl[t - 1] >>> 2;
      i32[b + 1] = progs[t].addr;
      i32[b + 2] = progs[t].len;
      i32[b + 3] = bar;
      i32[b + 4] = progs.length;
      i32[b + 5] = stallMs;
      i32[b + CTRL_INTS - 1] = 0;
      Atomics.store(i32, b, 4);
      Atomics.notify(i32, b);
    }
    let here: unknown = null;
    try {
      runHere(progs[0].addr, progs[0].len);
    } catch (e) {
      here = e;
      Atomics.store(i32, bb + 2, 1);
      Atomics.notify(i32, bb + 1);
    }
    const failed: number[] = [];
    let stalled = false;
    let seen = Atomics.load(i32, bb + 3), since = Date.now();
    for (let t = 1; t < progs.length; t++) {
      const b = this.ctrl[t - 1] >>> 2;
      while (Atomics.load(i32, b) === 4) {
        Atomics.wait(i32, b, 4, 20);
        const p = Atomics.load(i32, bb + 3);
        if (p !== seen) { seen = p; since = Date.now(); } else if (Date.now() - since > stallMs) { stalled = true; break; }
      }
      if (stalled) break;
      if (i32[b + CTRL_INTS - 1] === 1) failed.push(t);
    }
    if (stalled || (here && !(here as any).pmapAbort && /no device made progress/.test(String(here)))) {
      // A worker that never answers may still hold the barrier: this pool cannot be reused.
      Atomics.store(i32, bb + 2, 1);
      Atomics.notify(i32, bb + 1);
      this.broken = true;
      this.terminate();
      throw new ProgramError(`tinyjax: pmap: a worker thread stopped responding for ${stallMs} ms (it died or hangs); ` +
        "the worker pool was restarted, retry the call.", []);
    }
    if (here && !(here as any).pmapAbort) failed.unshift(0);
    if (failed.length) {
      throw new ProgramError(`tinyjax: pmap: the device program failed on thread${failed.length > 1 ? "s" : ""} ${failed.join(", ")}` +
        (here && !(here as any).pmapAbort ? ` (${(here as Error).message})` : " (a Wasm trap or fault in a worker)") +
        "; the other devices stopped at their next collective.", failed);
    }
    if (here) throw here;
  }

  terminate(): void {
    const i32 = this.i32();
    for (const c of this.ctrl) { Atomics.store(i32, c >>> 2, 3); Atomics.notify(i32, c >>> 2); }
    for (const w of this.workers) w.terminate();
  }
}

/** Blocks while i32[b] === value: Atomics.wait where allowed (Node, workers), else a spin. */
function waitWhile(i32: Int32Array, b: number, value: number): void {
  if (canBlock) {
    while (Atomics.load(i32, b) === value) Atomics.wait(i32, b, value, 1000);
    return;
  }
  while (Atomics.load(i32, b) === value) { /* spin: a browser's main thread may not block */ }
}

const canBlock = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Node's worker_threads (through process.getBuiltinModule, so no import), else Web Workers. */
function workerFactory(): (() => WorkerLike) | null {
  const proc = (globalThis as any).process;
  const wt = proc?.getBuiltinModule?.("node:worker_threads");
  if (wt?.Worker) return () => new wt.Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  const W = (globalThis as any).Worker;
  if (typeof W === "function" && typeof Blob === "function" && typeof URL?.createObjectURL === "function") {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    return () => new W(url, { type: "module" });
  }
  return null;
}

/**
 * Threads available here: hardware concurrency where the runtime has shared memory and this
 * thread may block on Atomics.wait. A browser's main thread may not block (and its workers start
 * only once it yields), so kernels there stay single-threaded.
 */
export function defaultThreadCount(): number {
  if (typeof SharedArrayBuffer === "undefined" || !canBlock) return 1;
  if ((globalThis as any).crossOriginIsolated === false) return 1;
  const proc = (globalThis as any).process;
  const os = proc?.getBuiltinModule?.("node:os");
  const n = os?.availableParallelism?.() ?? (globalThis as any).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(8, n));
}
