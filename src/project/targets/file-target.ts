/**
 * `file` target: writes a mapping to a directory of CSV, JSON lines or Parquet part files in the
 * build phase, atomically (a failed write leaves the previous output); checks it in verify; removes
 * it in truncate and destroy.
 */
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Phase } from '../phases.js';
import { nameSpec } from '../spec/common.js';
import { ProjectError } from '../errors.js';
import { simpleTarget } from './simple-target.js';
import type { TargetKind } from './target.js';

const spec = z.strictObject({
  mapping: nameSpec,
  location: z.string().min(1),
  format: z.enum(['csv', 'json', 'parquet']).default('csv'),
  mode: z.enum(['overwrite', 'error_if_exists']).default('overwrite'),
});

/** The `file` target kind. */
export const fileTargetKind: TargetKind<z.infer<typeof spec>> = {
  kind: 'file',
  summary: 'writes a mapping to CSV, JSON lines or Parquet files in a directory',
  spec,
  create: (s, setup) => {
    const location = resolve(setup.projectDir, s.location);
    const resource = { kind: 'file', name: location };
    const committed = (): Promise<boolean> => stat(resolve(location, '_SUCCESS')).then(() => true, () => false);
    return simpleTarget(setup, 'file', {
      phases: new Set<Phase>(['build', 'verify', 'truncate', 'destroy']),
      mappings: [s.mapping],
      provides: (phase) => (phase === 'build' || phase === 'verify' || phase === 'truncate' || phase === 'destroy' ? [resource] : []),
      requires: (phase, ctx) => (phase === 'build' ? ctx.mappingRequires(s.mapping) : []),
      outputExists: (phase) => (phase === 'build' ? committed() : Promise.resolve(undefined)),
      execute: async (phase, ctx) => {
        if (phase === 'build') {
          const output = await ctx.mapping(s.mapping);
          const options = { overwrite: s.mode === 'overwrite' };
          const rows = await (s.format === 'csv' ? output.dataset.writeCsv(location, options) : s.format === 'json' ? output.dataset.writeJson(location, options) : output.dataset.writeParquet(location, options));
          return { rows, message: `wrote ${rows} rows to ${location}` };
        }
        if (phase === 'verify') {
          if (!(await committed())) throw new ProjectError(`target \`${setup.name}\`: verify failed: ${location} holds no committed output; build the target first`, { location: setup.location, code: 'WEFT_VERIFY_FAILED' });
          return { message: 'output present' };
        }
        await rm(location, { recursive: true, force: true });
        return { message: `removed ${location}` };
      },
    });
  },
};
