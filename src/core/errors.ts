/**
 * One error class per kind of failure, so callers can catch precisely. Messages follow JAX's:
 * the op, the shapes/dtypes involved, and a remedy.
 */
export class TinyJaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** Incompatible or invalid shapes, bad axes. */
export class ShapeError extends TinyJaxError {}
/** Unknown or unsupported dtypes. */
export class DTypeError extends TinyJaxError {}
/** Out-of-range static indices. */
export class IndexError extends TinyJaxError {}
/** A traced value was used where a concrete value is needed (JAX's ConcretizationTypeError). */
export class ConcretizationTypeError extends TinyJaxError {}
/** A tracer escaped the transformation that made it (JAX's UnexpectedTracerError). */
export class UnexpectedTracerError extends TinyJaxError {}
/** Arrays on different devices, or a device that is missing. */
export class DeviceError extends TinyJaxError {}
/** An array used after dispose() or after being donated. */
export class DisposedArrayError extends TinyJaxError {}
/** A primitive has no rule for a transformation. */
export class NotImplementedError extends TinyJaxError {}
/** Backend memory is exhausted. */
export class OutOfMemoryError extends TinyJaxError {}
/** Invalid arguments that are neither shapes nor dtypes (e.g. options of the wrong type). */
export class ValueError extends TinyJaxError {}
