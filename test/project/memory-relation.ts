// A relation kind that keeps rows in memory, for tests of the project layer that need no files:
// partitions by exact values, a version counter as fingerprint, and hooks to observe planning.
import { z } from 'zod';
import type { ProjectSchema } from '../../src/project/data-types.js';
import type { PartitionFilter, PartitionValues, Relation, RelationKind, Row } from '../../src/project/relations/relation.js';
import { fieldsSpec, partitionColumnsSpec } from '../../src/project/spec/common.js';

/** Rows by relation name, then by partition key ('' unpartitioned). */
export class MemoryData {
  readonly tables = new Map<string, Map<string, Row[]>>();
  version = 0;
  /** Schema calls in flight, and the most at once (mapping planning). */
  schemaCalls = 0;
  schemaPeak = 0;
  rows(name: string): Row[] {
    return [...(this.tables.get(name)?.values() ?? [])].flat();
  }
}

const spec = z.strictObject({
  schema: fieldsSpec,
  partitions: partitionColumnsSpec.default([]),
  rows: z.array(z.record(z.string(), z.unknown())).optional(),
  schemaDelayMs: z.number().default(0),
  failWrite: z.boolean().default(false),
});

const keyOf = (values: PartitionValues | undefined, columns: readonly string[]): string => columns.map((c) => `${c}=${String(values?.[c])}`).join(',');

function matches(row: Row, filter: PartitionFilter | undefined): boolean {
  for (const [column, condition] of Object.entries(filter ?? {})) {
    const value = row[column];
    if (condition.kind === 'values' && !condition.values.some((v) => String(v) === String(value))) return false;
    if (condition.kind === 'range' && ((condition.start !== undefined && Number(value) < Number(condition.start)) || (condition.end !== undefined && Number(value) >= Number(condition.end)))) return false;
  }
  return true;
}

/** The `memory` relation kind over `data`. */
export function memoryKind(data: MemoryData): RelationKind<z.infer<typeof spec>> {
  return {
    kind: 'memory',
    summary: 'rows in memory (tests)',
    spec,
    create(s, setup): Relation {
      const name = setup.name;
      const columns = s.partitions.map((p) => p.name);
      if (s.rows && !data.tables.has(name)) data.tables.set(name, new Map([['', s.rows]]));
      const schema: ProjectSchema = { fields: [...s.schema, ...s.partitions.map((p) => ({ name: p.name, type: p.type }))] };
      return {
        name,
        kind: 'memory',
        location: setup.location,
        partitionColumns: s.partitions,
        describe: () => `memory relation ${name}`,
        schema: async () => {
          data.schemaCalls++;
          data.schemaPeak = Math.max(data.schemaPeak, data.schemaCalls);
          await new Promise((r) => setTimeout(r, s.schemaDelayMs));
          data.schemaCalls--;
          return schema;
        },
        provides: (partition) => [{ kind: 'memory', name, ...(partition ? { partition: Object.fromEntries(Object.entries(partition).map(([k, v]) => [k, String(v)])) } : {}) }],
        requires: (filter) => {
          const single = Object.entries(filter ?? {}).flatMap(([k, c]) => (c.kind === 'values' && c.values.length === 1 ? [[k, String(c.values[0])] as const] : []));
          return [{ kind: 'memory', name, ...(single.length > 0 ? { partition: Object.fromEntries(single) } : {}) }];
        },
        exists: (_ctx, partition) => Promise.resolve(partition ? (data.tables.get(name)?.get(keyOf(partition, columns))?.length ?? 0) > 0 : data.tables.has(name)),
        fingerprint: () => Promise.resolve(`${name}@${data.rows(name).length}:${[...(data.tables.get(name)?.keys() ?? [])].join('|')}`),
        read: (ctx, filter) => Promise.resolve(ctx.env.fromCollection(data.rows(name).filter((r) => matches(r, filter)))),
        write: async (_ctx, dataset, options) => {
          const rows = await dataset.collect();
          if (s.failWrite) throw new Error(`memory relation ${name} refuses writes`);
          const table = data.tables.get(name) ?? new Map<string, Row[]>();
          const key = keyOf(options.partition, columns);
          const withPartition = rows.map((r) => ({ ...r, ...(options.partition ?? {}) }));
          table.set(key, options.mode === 'append' ? [...(table.get(key) ?? []), ...withPartition] : withPartition);
          data.tables.set(name, table);
          data.version++;
          return rows.length;
        },
        create: () => {
          if (!data.tables.has(name)) data.tables.set(name, new Map());
          return Promise.resolve();
        },
        truncate: (_ctx, partition) => {
          if (partition) data.tables.get(name)?.delete(keyOf(partition, columns));
          else data.tables.get(name)?.clear();
          return Promise.resolve();
        },
        destroy: () => {
          data.tables.delete(name);
          return Promise.resolve();
        },
      };
    },
  };
}
