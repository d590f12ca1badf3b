// A `.ts` module with import/export in a CommonJS package (no "type": "module"): thread and process
// workers import it to find a step by id. weft's TypeScript loader must load it as an ES module: tsx
// alone loads it as CommonJS, which cannot require the ES modules it imports, nor await at top level.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendKind, WorkerBackend } from '../../src/runtime/backend.js';
import { createBackend } from '../../src/runtime/create-backend.js';
import { writeCommonJsPackage } from '../helpers/commonjs-package.js';

const moduleUrl = pathToFileURL(join(writeCommonJsPackage(), 'steps.ts')).href;

describe.each<BackendKind>(['thread', 'process'])('%s backend: a step in a CommonJS package', (kind) => {
  let backend: WorkerBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it('imports the .ts module as an ES module and runs the step found by id', async () => {
    backend = createBackend(kind, { slots: 1 });
    const outcome = await backend.run(
      { fn: { kind: 'module', moduleUrl, id: 'triple' }, mode: 'call', input: { x: 5 }, label: 'step "triple"' },
      { slot: 0, taskId: 1, signal: new AbortController().signal },
    );
    expect(outcome.value).toBe(15);
  });
});
