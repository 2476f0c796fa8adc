import { Backend, DeviceBuffer, release } from "../backend/backend.js";
import { ShapedArray } from "./aval.js";
import { TypedArray } from "./dtype.js";
import { DisposedArrayError, ValueError } from "./errors.js";
import { formatArray } from "./format.js";
import { track, untrack } from "./memory.js";
import { JaxArray, Nested } from "./value.js";


/** An array with data on a device. Immutable; using it never consumes it. */
export class ConcreteArray extends JaxArray {
  private buf: DeviceBuffer | null;
  /** Set when the buffer was handed to a jitted program through donateArgnums. */
  private donatedTo: string | null = null;

  constructor(buf: DeviceBuffer, readonly aval: ShapedArray) {
    super();
    this.buf = buf;
    track(this, buf);
  }

  get device(): string { return this.buffer("device").backend.name; }
  get backend(): Backend { return this.buffer("device").backend; }
  get isDisposed(): boolean { return this.buf === null; }

  /** The device buffer; `op` names the caller in the error for a disposed array. */
  buffer(op: string): DeviceBuffer {
    if (this.buf === null) {
      const why = this.donatedTo
        ? `its buffer was donated to ${this.donatedTo} (donateArgnums)`
        : "it was disposed (dispose(), `using`, or the tidy() scope that created it ended)";
      throw new DisposedArrayError(
        `${op}: the array ${this.aval.str()} can no longer be used: ${why}. Keep a reference by returning it ` +
          `from tidy(), or don't dispose/donate arrays you still need.`,
      );
    }
    return this.buf;
  }

  /** Frees the array's memory now. Idempotent. */
  dispose(): void {
    if (this.buf === null) return;
    untrack(this);
    const b = this.buf;
    this.buf = null;
    release(b);
  }

  /** Gives the buffer away to `to` (a donated jit argument): the array becomes unusable. */
  donate(to: string): DeviceBuffer {
    const b = this.buffer(to);
    untrack(this);
    this.buf = null;
    this.donatedTo = to;
    return b;
  }

  /** A copy of the elements, row-major. Synchronous where the backend allows it. */
  dataSync(): TypedArray {
    return this.buffer("dataSync").backend.readSync(this.buffer("dataSync"), this.aval);
  }
  async data(): Promise<TypedArray> {
    const b = this.buffer("data");
    return b.backend.read(b, this.aval);
  }
  toArray(): Nested {
    return nest(this.dataSync(), this.aval);
  }
  async toArrayAsync(): Promise<Nested> {
    return nest(await this.data(), this.aval);
  }
  item(): number | boolean {
    if (this.size !== 1) {
      throw new ValueError(`item: can only convert an array of size 1 to a JS scalar, got shape [${this.shape}]. Index it first.`);
    }
    const v = this.dataSync()[0];
    return this.dtype === "bool" ? v !== 0 : v;
  }
  override toString(): string {
    if (this.buf === null) return `<disposed Array ${this.aval.str()}>`;
    return formatArray(this.dataSync(), this.shape, this.dtype, false);
  }
  /** numpy's repr, JAX flavoured: `Array([1., 2.], dtype=float32)`. */
  repr(): string {
    if (this.buf === null) return `<disposed Array ${this.aval.str()}>`;
    return formatArray(this.dataSync(), this.shape, this.dtype, true);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.repr(); }
}

function nest(data: TypedArray, aval: ShapedArray): Nested {
  const conv = aval.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  const shape = aval.shape;
  if (shape.length === 0) return conv(data[0]);
  let k = 0;
  const go = (d: number): Nested[] => {
    const out: Nested[] = [];
    for (let i = 0; i < shape[d]; i++) out.push(d === shape.length - 1 ? conv(data[k++]) : go(d + 1));
    return out;
  };
  return go(0);
}

/** Creates an array on `backend` from host data of the right dtype and length. */
export function fromHost(backend: Backend, data: TypedArray, aval: ShapedArray): ConcreteArray {
  const buf = backend.alloc(data.byteLength);
  backend.write(buf, data);
  return new ConcreteArray(buf, aval);
}
