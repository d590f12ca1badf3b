/**
 * The columnar fast path of the hash exchange: a typed batch whose key is a string, float64 or
 * int32 column is split into one typed batch per target partition by computing each row's target
 * from the key column (a string's key group once per dictionary entry) and taking rows by index —
 * no row objects, and the pieces travel as transferable buffers. Targets are exactly the generic
 * partitioner's (`operatorIndexForKey` of the key value, null as 0), and rows keep their order.
 */
import type { Batch, Column, Validity } from '../batch/index.js';
import { murmurHash, operatorIndexForKey, operatorIndexForKeyGroup } from '../key-groups.js';

/** The target partition of every row, or `undefined` when the key column does not fit the fast path. */
export function hashTargets(batch: Batch, field: string, maxParallelism: number, parallelism: number): Uint32Array | undefined {
  const index = batch.schema.fields.findIndex((f) => f.name === field);
  const column = index < 0 ? undefined : batch.columns[index];
  if (column === undefined || (column.type !== 'string' && column.type !== 'float64' && column.type !== 'int32')) return undefined;
  const n = batch.length;
  const out = new Uint32Array(n);
  const validity = column.validity;
  const nullTarget = operatorIndexForKey(null, maxParallelism, parallelism);
  if (column.type === 'string') {
    const byId = column.dictionary.map((text) => operatorIndexForKey(text, maxParallelism, parallelism));
    for (let i = 0; i < n; i++) out[i] = isValidAt(validity, i) ? byId[column.indices[i]!]! : nullTarget;
    return out;
  }
  const values = column.values;
  for (let i = 0; i < n; i++) {
    if (!isValidAt(validity, i)) out[i] = nullTarget;
    else {
      const v = values[i]!;
      // An integer in the int32 range hashes as Java's Integer: itself (-0 as 0).
      out[i] = (v | 0) === v ? operatorIndexForKeyGroup(maxParallelism, parallelism, murmurHash(v) % maxParallelism) : operatorIndexForKey(v, maxParallelism, parallelism);
    }
  }
  return out;
}

/** The batch split by `targets` into `count` batches (empty ones left out as `undefined`). */
export function splitByTargets(batch: Batch, targets: Uint32Array, count: number): Array<Batch | undefined> {
  const sizes = new Uint32Array(count);
  for (let i = 0; i < targets.length; i++) sizes[targets[i]!]!++;
  const rows = Array.from({ length: count }, (_, p) => new Uint32Array(sizes[p]!));
  const filled = new Uint32Array(count);
  for (let i = 0; i < targets.length; i++) {
    const p = targets[i]!;
    rows[p]![filled[p]!++] = i;
  }
  return rows.map((take) => (take.length === 0 ? undefined : takeRows(batch, take)));
}

/** The rows `take` of a batch, in that order. */
export function takeRows(batch: Batch, take: Uint32Array): Batch {
  // A column a batch holds twice (an entry's key and its first record's key) is taken once and stays shared.
  const taken = new Map<Column, Column>();
  const columns = batch.columns.map((c) => {
    let column = taken.get(c);
    if (column === undefined) taken.set(c, (column = takeColumn(c, take)));
    return column;
  });
  return { schema: batch.schema, length: take.length, columns };
}

function takeColumn(column: Column, take: Uint32Array): Column {
  const validity = takeValidity(column.type === 'any' ? undefined : column.validity, take);
  const extra = validity ? { validity } : {};
  switch (column.type) {
    case 'any':
      return { type: 'any', values: Array.from(take, (i) => column.values[i]) };
    case 'string': {
      // A compact dictionary: only the strings the taken rows use, in first-use order.
      const remap = new Int32Array(column.dictionary.length).fill(-1);
      const dictionary: string[] = [];
      const indices = new Int32Array(take.length);
      for (let k = 0; k < take.length; k++) {
        const id = column.indices[take[k]!]!;
        let to = remap[id]!;
        if (to < 0) {
          remap[id] = to = dictionary.length;
          dictionary.push(column.dictionary[id]!);
        }
        indices[k] = to;
      }
      return { type: 'string', indices, dictionary, ...extra };
    }
    case 'int32':
      return { type: 'int32', values: gather(column.values, new Int32Array(take.length), take), ...extra };
    case 'bool':
      return { type: 'bool', values: gather(column.values, new Uint8Array(take.length), take), ...extra };
    default:
      return { type: column.type, values: gather(column.values, new Float64Array(take.length), take), ...extra };
  }
}

function gather<T extends Float64Array | Int32Array | Uint8Array>(from: T, into: T, take: Uint32Array): T {
  for (let k = 0; k < take.length; k++) into[k] = from[take[k]!]!;
  return into;
}

function takeValidity(validity: Validity, take: Uint32Array): Validity {
  if (validity === undefined) return undefined;
  const out = new Uint8Array((take.length + 7) >> 3).fill(0xff);
  let nulls = 0;
  for (let k = 0; k < take.length; k++) {
    if (!isValidAt(validity, take[k]!)) {
      out[k >> 3]! &= ~(1 << (k & 7));
      nulls++;
    }
  }
  return nulls === 0 ? undefined : out;
}

function isValidAt(validity: Validity, i: number): boolean {
  return validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}
