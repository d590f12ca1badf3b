/**
 * The columnar form of the word count's source stage: `readText(…).flatMap((l) => l.split(' '))
 * .map((w) => [w, 1]).keyBy(0).sum(1)` (or `.count()`), run as one loop over the split's bytes.
 * Record by record, that chain makes a string per line, an array and a string per token and a
 * tuple per token, then hashes every fresh token string into the combiner's map; here tokens are
 * interned by their bytes (sources/text-tokens.ts) and each distinct token is looked up once per
 * interner, then counted in a typed array.
 *
 * It applies only when calling the functions could not give anything else: the flatMap and map
 * are recognised intrinsics (plan/intrinsics.ts), the input lines are strings (text splits), the
 * key is the tuple's first element and the aggregations sum its second (the literal) or count. The
 * partial entries are the generic combiner's to the last bit: the same keys in the same
 * first-seen order, sums added one record at a time in record order, and — for Flink-style
 * `sum(1)` — the same first record `[token, literal]`.
 */
import type { TaskContext } from '../../runtime/index.js';
import { abortReason } from '../../runtime/abort-reason.js';
import type { AggDef } from '../plan/logical.js';
import { newSplitStats, type FileSplit } from '../sources/index.js';
import { readTextTokens, splitsBytewise, type TokenRun } from '../sources/text-tokens.js';
import type { Batch, Column } from '../batch/index.js';
import { distinctKeyColumn, entryBatch } from './entry-batch.js';
import { DictionarySlots } from './dictionary-slots.js';
import type { TaskSpec, TaskStats } from './task-spec.js';

/** A task chain the token counter runs instead of its operators. */
export interface TokenCountPlan {
  splits: readonly FileSplit[];
  separator: string;
  /** The literal the map pairs each token with. */
  second: number;
  aggs: readonly AggDef[];
  /** Whether entries carry each key's first record (Flink-style `sum`). */
  keepFirst: boolean;
}

/** The token counter's plan for a task, or `undefined` when its input or chain is anything else. */
export function tokenCountPlan(spec: TaskSpec): TokenCountPlan | undefined {
  const input = spec.input;
  if (input.kind !== 'splits' || !input.splits.every((s) => s.format === 'text' && s.values === undefined)) return undefined;
  const [flat, map, agg, ...rest] = spec.chain;
  if (rest.length > 0 || flat?.op !== 'flatMap' || map?.op !== 'map' || agg?.op !== 'aggregate' || agg.phase !== 'partial') return undefined;
  const split = flat.fn.intrinsic;
  const pair = map.fn.intrinsic;
  if (split?.kind !== 'split' || !splitsBytewise(split.separator) || pair?.kind !== 'pair') return undefined;
  if (agg.key.kind !== 'field' || String(agg.key.field) !== '0') return undefined;
  if (!agg.aggs.every((a) => a.kind === 'count' || (a.kind === 'sum' && String(a.field) === '1'))) return undefined;
  return { splits: input.splits, separator: split.separator, second: pair.second, aggs: agg.aggs, keepFirst: agg.style === 'record' };
}

/**
 * Counts the tokens of the plan's splits, in split order; resolves to the partial entries, one per
 * distinct token in first-seen order, as the chain's combiner would have emitted them (as one
 * entry batch).
 */
export async function countTokens(plan: TokenCountPlan, stats: TaskStats, ctx: TaskContext): Promise<Batch> {
  const counter = new TokenCounter(plan.aggs.map((a) => (a.kind === 'count' ? 1 : plan.second)));
  for (const split of plan.splits) {
    for await (const run of readTextTokens(split, plan.separator, newSplitStats(), ctx.signal)) {
      stats.rowsIn += run.lines;
      counter.add(run);
      if (ctx.signal.aborted) throw abortReason(ctx.signal);
    }
  }
  return counter.entryBatch(plan.keepFirst ? plan.second : undefined);
}

/** Per distinct token: a slot, and per aggregation the sum of its increments. */
class TokenCounter {
  readonly #increments: readonly number[];
  /** Token → slot. Keyed by the decoded string: two byte sequences that decode alike are one key. */
  readonly #slots = new Map<string, number>();
  readonly #keys: string[] = [];
  #sums: Float64Array[];
  /** The slots of the last run's dictionary entries. */
  readonly #slotByEntry = new DictionarySlots();
  /** Scratch: the slot of each token of the current run. */
  #runSlots = new Int32Array(0);
  /**
   * While the task has seen one dictionary whose strings all differ (see `ByteInterner.distinct`):
   * that dictionary, whose entries are the slots — entries are numbered in first-seen order too —
   * so no token needs a map lookup. `null` once a run did not allow it (then the map is used).
   */
  #direct: readonly string[] | undefined | null;
  /** Entries of the direct dictionary counted so far. */
  #directSize = 0;

  constructor(increments: readonly number[]) {
    this.#increments = increments;
    this.#sums = increments.map(() => new Float64Array(1024));
  }

  add(run: TokenRun): void {
    if (this.#direct !== null) {
      if (run.distinct && (this.#direct === undefined || this.#direct === run.dictionary)) return this.#addDirect(run);
      this.#leaveDirect();
    }
    const byEntry = this.#slotByEntry.of(run.dictionary);
    const { entries, length, dictionary } = run;
    if (this.#runSlots.length < length) this.#runSlots = new Int32Array(length);
    const slots = this.#runSlots;
    for (let i = 0; i < length; i++) {
      const entry = entries[i]!;
      let slot = byEntry[entry]!;
      if (slot < 0) byEntry[entry] = slot = this.#slot(dictionary[entry]!);
      slots[i] = slot;
    }
    for (let a = 0; a < this.#increments.length; a++) {
      const increment = this.#increments[a]!;
      const sums = this.#sums[a]!;
      for (let i = 0; i < length; i++) sums[slots[i]!]! += increment;
    }
  }

  /** Counts a run of the direct dictionary: every dictionary entry is a token of this run or an earlier one (see `TokenRun`). */
  #addDirect(run: TokenRun): void {
    this.#direct = run.dictionary;
    this.#directSize = run.dictionary.length;
    this.#reserve(this.#directSize);
    const { entries, length } = run;
    for (let a = 0; a < this.#increments.length; a++) {
      const increment = this.#increments[a]!;
      const sums = this.#sums[a]!;
      for (let i = 0; i < length; i++) sums[entries[i]!]! += increment;
    }
  }

  /** From here on, slots come from the map: it learns the direct dictionary's keys, which keep their slots. */
  #leaveDirect(): void {
    const dictionary = this.#direct;
    this.#direct = null;
    if (dictionary === undefined || dictionary === null) return;
    const byEntry = this.#slotByEntry.of(dictionary);
    for (let entry = 0; entry < this.#directSize; entry++) {
      const key = dictionary[entry]!;
      this.#slots.set(key, entry);
      this.#keys.push(key);
      byEntry[entry] = entry;
    }
  }

  /** The keys in slot order. */
  #keysInOrder(): readonly string[] {
    return this.#direct === undefined || this.#direct === null ? this.#keys : this.#direct.slice(0, this.#directSize);
  }

  #reserve(slots: number): void {
    if (slots <= this.#sums[0]!.length) return;
    const size = Math.max(slots, this.#sums[0]!.length * 2);
    this.#sums = this.#sums.map((sums) => {
      const next = new Float64Array(size);
      next.set(sums);
      return next;
    });
  }

  /**
   * The entries in first-seen order as one entry batch (entry-batch.ts); with `second`, each key's
   * first record is `[key, second]`.
   */
  entryBatch(second: number | undefined): Batch {
    const keys = this.#keysInOrder();
    const n = keys.length;
    const key = distinctKeyColumn(keys);
    const firsts: Column[] | undefined = second === undefined ? undefined : [key, { type: 'float64', values: new Float64Array(n).fill(second) }];
    return entryBatch({ length: n, key, firsts, accs: this.#sums.map((sums): Column => ({ type: 'float64', values: sums.slice(0, n) })) });
  }

  #slot(key: string): number {
    let slot = this.#slots.get(key);
    if (slot !== undefined) return slot;
    slot = this.#keys.length;
    this.#slots.set(key, slot);
    this.#keys.push(key);
    this.#reserve(slot + 1);
    return slot;
  }
}
