// The committed JSON Schema and the generated blocks of docs/configuration.md must equal what the
// key table produces. After changing the table, refresh them with:
//   WEFT_UPDATE_GENERATED=1 npx vitest run test/config/generated.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_SCHEMA_PATH, SETTING_KEYS, configJsonSchema, configJsonSchemaText, envVarName } from '../../src/config/index.js';
import { renderGeneratedBlocks } from '../../src/config/reference.js';
import { CONFIG_LAYERS } from '../../src/config/resolve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const update = process.env.WEFT_UPDATE_GENERATED === '1';
const hint = 'out of date: run WEFT_UPDATE_GENERATED=1 npx vitest run test/config/generated.test.ts';

function checkGenerated(relative: string, render: (current: string) => string): void {
  const file = `${root}${relative}`;
  const current = readFileSync(file, 'utf8');
  const fresh = render(current);
  if (update && fresh !== current) writeFileSync(file, fresh);
  else expect(current, `${relative} is ${hint}`).toBe(fresh);
}

describe('generated artifacts', () => {
  it('schema/weft.config.schema.json equals the schema generated from the key table', () => {
    checkGenerated(CONFIG_SCHEMA_PATH, () => configJsonSchemaText());
  });

  it('docs/configuration.md lists every key and the precedence as the code has them', () => {
    checkGenerated('docs/configuration.md', renderGeneratedBlocks);
    const docs = readFileSync(`${root}docs/configuration.md`, 'utf8');
    for (const key of SETTING_KEYS) {
      expect(docs).toContain(`| \`${key}\` |`);
      expect(docs).toContain(envVarName(key));
    }
    const order = CONFIG_LAYERS.map((layer) => docs.indexOf(`**${layer.name}**`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('the JSON Schema accepts the nested, dotted and mixed forms and rejects unknown keys', () => {
    const schema = configJsonSchema();
    const accepts = (value: unknown): boolean => z.fromJSONSchema(schema).safeParse(value).success;
    expect(accepts({ weft: { scheduler: { mode: 'FAIR', pools: { etl: { weight: 2 } } } } })).toBe(true);
    expect(accepts({ 'weft.scheduler.mode': 'FAIR', 'weft.execution.executor.parallelism': '50%' })).toBe(true);
    expect(accepts({ weft: { 'scheduler.mode': 'FAIR', execution: { 'executor.parallelism': 4 } } })).toBe(true);
    expect(accepts({ weft: { scheduler: { mod: 'FAIR' } } })).toBe(false);
    expect(accepts({ 'weft.scheduler.mode': 'fair' })).toBe(true);
    expect(accepts({ weft: { scheduler: { pools: { etl: { mode: 'Fair' } } } } })).toBe(true);
    expect(accepts({ 'weft.scheduler.mode': 'fast' })).toBe(false);
    expect(accepts({ 'weft.task.maxFailures': 0 })).toBe(false);
  });
});

describe('project file schema', () => {
  it('schema/weft.project.schema.json equals the schema generated from the kinds', async () => {
    const { PROJECT_SCHEMA_PATH, projectJsonSchemaText } = await import('../../src/project/spec/json-schema.js');
    checkGenerated(PROJECT_SCHEMA_PATH, () => projectJsonSchemaText());
  });
});
