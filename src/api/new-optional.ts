// flax and haiku build a layer by calling its class (`nn.Dense(4)`, `hk.Linear(10)`); a JS class
// needs `new`. The exported layer classes take both: calling one constructs it. The proxy keeps
// `instanceof`, subclassing (`class Mine extends linen.Dense`) and the class's own name, which
// flax's and haiku's automatic module names come from.
export type NewOptional<C extends new (...args: any) => any> = C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

export function newOptional<C extends new (...args: any) => any>(cls: C): NewOptional<C> {
  return new Proxy(cls, { apply: (target, _self, args) => new target(...args) }) as NewOptional<C>;
}
