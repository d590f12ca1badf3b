// A parsed expression travels to a worker thread as a message and is compiled there from the
// worker's own import of the (built) module: code is found, not sent.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { compileExpression, parseExpression } from '../../../src/project/expr/index.js';
import { COLUMNS } from './helpers.js';

const built = fileURLToPath(new URL('../../../dist/project/expr/index.js', import.meta.url));

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ compileExpression }) => {
  parentPort.on('message', ({ expression, columns, rows }) => {
    const evaluate = compileExpression(expression, columns);
    parentPort.postMessage(rows.map((row) => evaluate(row)));
  });
  parentPort.postMessage('ready');
});
`;

describe.skipIf(!existsSync(built))('expressions in a worker thread (built code)', () => {
  it('compiles a posted expression there and gives the in-process results', async () => {
    const expression = parseExpression("CASE WHEN d >= DATE '2013-01-01' THEN UPPER(s) || '-' || CAST(i * 2 AS string) END");
    const rows = [
      { d: new Date('2014-05-01T00:00:00Z'), s: 'ab', i: 3 },
      { d: new Date('2012-05-01T00:00:00Z'), s: 'ab', i: 3 },
      { d: null, s: 'x', i: 1 },
    ];
    const worker = new Worker(WORKER, { eval: true, workerData: { module: pathToFileURL(built).href } });
    try {
      const results = await new Promise<unknown>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (message: unknown) => {
          if (message === 'ready') worker.postMessage({ expression, columns: COLUMNS, rows });
          else resolve(message);
        });
      });
      const local = compileExpression(expression, COLUMNS);
      expect(results).toEqual(rows.map((row) => local(row)));
      expect(results).toEqual(['AB-6', null, null]);
    } finally {
      await worker.terminate();
    }
  });
});
