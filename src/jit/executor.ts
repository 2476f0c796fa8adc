// Runs an optimized jaxpr on the Wasm backend: buffers in slots, each intermediate freed right
// after its last use (so the allocator hands the block to the next op), no per-element JS work.
import { Backend, DeviceBuffer, KernelArg, release, retain } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { keep } from "../core/memory.js";
import { Primitive } from "../core/primitive.js";
import { JaxArray } from "../core/value.js";
import { Atom, ClosedJaxpr, Literal, Var } from "../jaxpr/jaxpr.js";
import { fuse, FusableStep, FusedStep } from "./fusion.js";

/** One primitive application over buffer slots; `free` lists slots whose last use it is. */
type Step = FusableStep;

export class Executable {
  private steps: (Step | FusedStep)[] = [];
  private readonly nSlots: number;
  private readonly constSlots: [number, ConcreteArray][] = [];
  private readonly inSlots: number[];
  private readonly outSlots: number[];
  readonly outAvals: ShapedArray[];

  constructor(readonly program: ClosedJaxpr, donated: boolean[]) {
    const j = program.jaxpr;
    const slot = new Map<Var, number>();
    let n = 0;
    const slotOf = (v: Var) => { let s = slot.get(v); if (s === undefined) slot.set(v, (s = n++)); return s; };
    const litSlot = new Map<Literal, number>();
    const atomSlot = (a: Atom) => {
      if (a instanceof Literal) {
        let s = litSlot.get(a);
        if (s === undefined) { litSlot.set(a, (s = n++)); this.constSlots.push([s, keep(a.value) as ConcreteArray]); }
        return s;
      }
      return slotOf(a);
    };
    j.constvars.forEach((v, i) => this.constSlots.push([slotOf(v), keep(program.consts[i]) as ConcreteArray]));
    this.inSlots = j.invars.map(slotOf);
    for (const e of j.eqns) {
      this.steps.push({
        prim: e.prim, params: e.params, ins: e.inputs.map(atomSlot), inAvals: e.inputs.map((a) => a.aval),
        outs: e.outs.map(slotOf), outAvals: e.outs.map((o) => o.aval), free: [],
      });
    }
    this.outSlots = j.outs.map(atomSlot);
    this.outAvals = j.outs.map((o) => o.aval);
    this.nSlots = n;
    // Liveness: a slot dies after its last reader, unless it is an output, a constant, or an
    // argument the caller keeps (only donated arguments may be freed).
    const pinned = new Set<number>([...this.outSlots, ...this.constSlots.map(([s]) => s)]);
    this.inSlots.forEach((s, i) => { if (!donated[i]) pinned.add(s); });
    const last = new Map<number, number>();
    this.steps.forEach((st, k) => st.ins.forEach((s) => last.set(s, k)));
    this.steps.forEach((st, k) => st.outs.forEach((s) => { if (!last.has(s)) last.set(s, k); }));
    for (const [s, k] of last) if (!pinned.has(s)) this.steps[k].free.push(s);
    if (getBackend().runFused) {
      const lastRead = new Map<number, number>();
      this.steps.forEach((st, k) => st.ins.forEach((s) => lastRead.set(s, k)));
      const outSet = new Set(this.outSlots);
      this.steps = fuse(this.steps, (slot, k) => outSet.has(slot) || (lastRead.get(slot) ?? -1) > k);
    }
  }

  private ownsSlot(s: number, donated: boolean[]): boolean {
    if (this.constSlots.some(([x]) => x === s)) return false;
    const i = this.inSlots.indexOf(s);
    return i < 0 || donated[i];
  }

  /**
   * Runs the program on buffers of `args` (already checked against the traced avals). Buffers of
   * donated arguments belong to the program from here on; the others are only borrowed.
   */
  run(args: DeviceBuffer[], donated: boolean[]): ConcreteArray[] {
    const slots: (DeviceBuffer | undefined)[] = new Array(this.nSlots);
    for (const [s, c] of this.constSlots) slots[s] = c.buffer("jit");
    this.inSlots.forEach((s, i) => { slots[s] = args[i]; });
    const backend: Backend = args[0]?.backend ?? getBackend();
    try {
      for (const st of this.steps) {
        const ins: KernelArg[] = st.ins.map((s, i) => ({ buf: slots[s]!, aval: st.inAvals[i] }));
        let outs: DeviceBuffer[];
        const entry = st.prim.rules.impl ?? st.prim.rules.inline;
        if ("plan" in st) {
          outs = st.outAvals.map((a) => backend.alloc(a.size * 4));
          backend.runFused!(st.plan, ins.map((a) => a.buf), outs);
        } else if (entry) {
          // Nested programs (jit inside jit, control flow) run through their own entry point.
          const vals = ins.map((a) => new ConcreteArray(retain(a.buf), a.aval));
          const res = entry(vals, st.params) as ConcreteArray[];
          outs = res.map((r) => retain(r.buffer("jit")));
          for (const v of [...vals, ...res]) v.dispose();
        } else {
          outs = backend.execute(st.prim, st.params, ins, st.outAvals);
        }
        st.outs.forEach((s, i) => { slots[s] = outs[i]; });
        for (const s of st.free) { release(slots[s]!); slots[s] = undefined; }
      }
    } catch (e) {
      // Free what this run allocated (never the caller's arguments or the constants).
      slots.forEach((b, s) => { if (b && this.ownsSlot(s, donated)) release(b); });
      throw e;
    }
    // Slots written by steps (and donated arguments) own one reference each; an output takes it
    // over once, and any other use of the same buffer takes a new reference.
    const handed = new Set<number>();
    return this.outSlots.map((s, i) => {
      const b = slots[s]!;
      const owned = this.ownsSlot(s, donated) && !handed.has(s);
      handed.add(s);
      return new ConcreteArray(owned ? b : retain(b), this.outAvals[i]);
    });
  }
}

export type { JaxArray };
