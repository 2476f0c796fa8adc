// pmap: maps f over the leading axis across devices, with collectives over axisName. Each CPU
// device runs its slice of the batch; today the slices run in this thread, so pmap is jit(vmap)
// with a named axis and JAX's device-count rules (issue: worker-thread devices).
import { ValueError } from "../core/errors.js";
import { flatten } from "../core/pytree.js";
import { JaxArray } from "../core/value.js";
import { jit } from "../jit/jit.js";
import { vmap, VmapOptions } from "./vmap.js";

let cpuDevices = 1;

/** Number of CPU devices pmap may use (JAX's --xla_force_host_platform_device_count). */
export function setCpuDeviceCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`cpu device count must be a positive integer, got ${n}.`);
  cpuDevices = n;
}
export function cpuDeviceCount(): number { return cpuDevices; }

export interface PmapOptions extends Pick<VmapOptions, "inAxes" | "outAxes"> {
  axisName?: string;
  /** Restrict to the first n devices. */
  devices?: number | unknown[];
}

export function pmap<F extends (...args: any[]) => any>(f: F, opts: PmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  const axisName = opts.axisName ?? "__pmap";
  const mapped = jit(vmap(f, { inAxes: opts.inAxes, outAxes: opts.outAxes, axisName }));
  return ((...args: unknown[]) => {
    const available = opts.devices === undefined ? cpuDevices : typeof opts.devices === "number" ? opts.devices : opts.devices.length;
    const [leaves] = flatten(args);
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
    const first = leaves.find((l) => l instanceof JaxArray) as JaxArray | undefined;
    const axis = typeof inAxes === "number" ? inAxes : 0;
    const n = first ? first.shape[axis < 0 ? axis + first.ndim : axis] : 0;
    if (n > available) {
      throw new ValueError(`compiling computation that requires ${n} logical devices, but only ${available} devices are available ` +
        `(num_replicas=${n}). Shard the leading axis to at most ${available}, or raise the CPU device count with config.update("cpuDeviceCount", ${n}).`);
    }
    return mapped(...(args as Parameters<F>));
  }) as any;
}
