/** `console` target: prints the first rows of a mapping as a table in the build phase. */
import { z } from 'zod';
import type { Phase } from '../phases.js';
import type { Resource } from '../resources.js';
import { nameSpec } from '../spec/common.js';
import { formatRows } from './format-rows.js';
import { simpleTarget } from './simple-target.js';
import type { TargetContext, TargetKind } from './target.js';

const spec = z.strictObject({
  mapping: nameSpec,
  /** Rows to show. */
  limit: z.int().min(1).default(100),
  /** Columns to show, in order. @default all */
  columns: z.array(z.string()).optional(),
});

/** The `console` target kind. */
export const consoleTargetKind: TargetKind<z.infer<typeof spec>> = {
  kind: 'console',
  summary: 'prints the first rows of a mapping',
  spec,
  create: (s, setup) =>
    simpleTarget(setup, 'console', {
      phases: new Set<Phase>(['build']),
      mappings: [s.mapping],
      requires: (phase, ctx: TargetContext): Resource[] => (phase === 'build' ? ctx.mappingRequires(s.mapping) : []),
      execute: async (_phase, ctx) => {
        const output = await ctx.mapping(s.mapping);
        const rows = await output.dataset.first(s.limit);
        const columns = s.columns ?? output.schema.fields.map((f) => f.name);
        ctx.print(formatRows(columns, rows));
        return { rows: rows.length, message: `printed ${rows.length} rows` };
      },
    }),
};
