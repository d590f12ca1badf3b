/**
 * Errors raised by the scheduler layer. Each class is registered with `registerErrorClass` so that
 * it keeps its class when it crosses a worker boundary (a nested submission from inside a thread
 * or process worker that names an unknown pool fails there with the same `instanceof`).
 */
import { UsageError, describeValue, registerErrorClass } from '../errors.js';

/** How {@link InvalidPoolConfigError} names the root pool, whose mode is the scheduler's `mode` option. */
export const ROOT_POOL = '(root)';

/** A task set named a pool that the scheduler's `pools` option does not define. */
export class UnknownPoolError extends UsageError {
  override name = 'UnknownPoolError';
  /** The pool name that was asked for. */
  readonly pool: string;
  constructor(pool: string, defined: readonly string[]) {
    const list = defined.map((name) => JSON.stringify(name)).join(', ');
    super(
      `Expected a scheduling pool that is defined (${list}), got ${JSON.stringify(pool)}. ` +
        `Define it under \`weft.scheduler.pools\` in weft.config.yaml (e.g. \`${pool}: { mode: FAIR, weight: 1 }\`) ` +
        `or in the scheduler's \`pools\` option, or use one of the defined pools.`,
      { code: 'WEFT_UNKNOWN_POOL' },
    );
    this.pool = pool;
  }
}

/** A pool's configuration is out of range: weight ≤ 0, minShare < 0, or an unknown mode. */
export class InvalidPoolConfigError extends UsageError {
  override name = 'InvalidPoolConfigError';
  /** The pool whose configuration is wrong. */
  readonly pool: string;
  /** The offending key: `mode`, `weight` or `minShare`. */
  readonly key: string;
  constructor(pool: string, key: 'mode' | 'weight' | 'minShare', expected: string, got: unknown) {
    super(
      `Expected \`${key}\` of scheduling pool ${JSON.stringify(pool)} to be ${expected}, got ${describeValue(got)}. ` +
        (pool === ROOT_POOL ? "Fix the scheduler's `mode` option." : `Fix \`pools[${JSON.stringify(pool)}]\` in the scheduler's options.`),
      { code: 'WEFT_INVALID_POOL_CONFIG' },
    );
    this.pool = pool;
    this.key = key;
  }
}

for (const cls of [UnknownPoolError, InvalidPoolConfigError]) registerErrorClass(cls.name, cls);
