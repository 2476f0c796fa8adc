// The Wasm module's exports: kernels only. Memory is managed from the host side.
export * from "./kernels/elementwise";
export * from "./kernels/movement";
export * from "./kernels/reduce";
export * from "./kernels/matmul";
export * from "./kernels/conv";
export * from "./kernels/roofline";
export * from "./kernels/threefry";
export * from "./kernels/erfinv";
export * from "./kernels/softmax";

/** First free byte after static data; the host allocator starts here. */
export function heapBase(): usize { return __heap_base; }
export * from "./kernels/fused";
export * from "./kernels/winograd";
export { set_scratch, scratch_bytes } from "./kernels/scratch";
