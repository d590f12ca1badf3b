/**
 * `validate` target: assertions on a mapping — row count, not-null, unique keys — run in the
 * validate phase (checking inputs before anything is built) or, with `phase: verify`, after the
 * build. Every assertion runs and is reported; the target fails if any fails, listing each.
 */
import { z } from 'zod';
import { ProjectError } from '../errors.js';
import type { Phase } from '../phases.js';
import { nameSpec } from '../spec/common.js';
import { parseAt } from '../mappings/expression-parsing.js';
import { assertionSpec, checkAssertion, runAssertion, type PreparedAssertion } from './assertions.js';
import { simpleTarget } from './simple-target.js';
import type { TargetKind } from './target.js';

const spec = z.strictObject({
  mapping: nameSpec,
  phase: z.enum(['validate', 'verify']).default('validate'),
  assertions: z.array(assertionSpec).min(1),
  /** `fail` fails the target when an assertion fails; `warn` only reports. */
  onFailure: z.enum(['fail', 'warn']).default('fail'),
});

/** The `validate` target kind. */
export const validateTargetKind: TargetKind<z.infer<typeof spec>> = {
  kind: 'validate',
  summary: 'assertions on a mapping (row count, not-null, unique keys, conditions), each reported',
  spec,
  create: (s, setup) => {
    const prepared: PreparedAssertion[] = s.assertions.map((a, i) => (a.kind === 'expression' ? { spec: a, condition: parseAt(setup, ['assertions', i, 'condition'], a.condition) } : { spec: a }));
    return simpleTarget(setup, 'validate', {
      phases: new Set<Phase>([s.phase]),
      mappings: [s.mapping],
      requires: (phase, ctx) => (phase === s.phase ? ctx.mappingRequires(s.mapping) : []),
      execute: async (_phase, ctx) => {
        const output = await ctx.mapping(s.mapping);
        prepared.forEach((a, i) => checkAssertion(a, output.schema, `target \`${setup.name}\`: assertion ${i + 1} on mapping \`${s.mapping}\``, setup.locate(['assertions', i])));
        const results = await Promise.all(prepared.map((a) => runAssertion(a, output.dataset, output.schema)));
        const failed = results.filter((r) => !r.passed);
        const report = results.map((r) => `  ${r.passed ? '✓' : '✗'} ${r.name}: ${r.detail}`).join('\n');
        if (failed.length > 0 && s.onFailure === 'fail') {
          throw new ProjectError(`target \`${setup.name}\`: ${failed.length} of ${results.length} assertions failed on mapping \`${s.mapping}\`:\n${report}`, {
            location: setup.location,
            code: 'WEFT_VALIDATION_FAILED',
          });
        }
        if (failed.length > 0) ctx.print(`weft: target ${setup.name}: ${failed.length} of ${results.length} assertions failed (onFailure: warn):\n${report}`);
        return { message: `${results.length - failed.length} of ${results.length} assertions passed` };
      },
    });
  },
};
