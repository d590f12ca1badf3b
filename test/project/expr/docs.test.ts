import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGGREGATE_FUNCTIONS } from '../../../src/project/expr/aggregate-functions.js';
import { FORBIDDEN_FUNCTIONS } from '../../../src/project/expr/date-functions.js';
import { SCALAR_FUNCTIONS } from '../../../src/project/expr/functions.js';
import { DATA_TYPE_ALIASES } from '../../../src/project/data-types.js';

const docs = readFileSync(new URL('../../../docs/expressions.md', import.meta.url), 'utf8');

describe('docs/expressions.md', () => {
  it('documents every function, every forbidden function and every type name', () => {
    const missing = [
      ...SCALAR_FUNCTIONS.map((def) => `\`${def.name}(`),
      ...AGGREGATE_FUNCTIONS.map((def) => `\`${def.name}(`),
      ...Object.keys(FORBIDDEN_FUNCTIONS).map((name) => `${name}()`),
      ...Object.keys(DATA_TYPE_ALIASES).map((name) => `\`${name}\``),
    ].filter((needle) => !docs.includes(needle));
    expect(missing).toEqual([]);
  });
});
