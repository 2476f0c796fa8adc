import { JaxArray } from "../../core/value.js";

/** `values` as an array that destructures in order and also has each value under its name (JAX's named tuples). */
export function named<T>(values: JaxArray[], names: readonly string[]): T {
  names.forEach((n, i) => Object.defineProperty(values, n, { value: values[i], enumerable: false }));
  return values as unknown as T;
}
