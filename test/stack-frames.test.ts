import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userFrames, userPosition } from '../src/stack-frames.js';

const root = join(import.meta.dirname, '..');

describe('user frames of a stack', () => {
  it('keeps frames in the user’s files, as paths or file URLs, and drops weft, libraries and Node', () => {
    const stack = [
      'TypeError: nope',
      `    at parse (${pathToFileURL('/home/me/app/jobs.ts').href}:12:7)`,
      `    at run (${join(root, 'src/pipeline/executor.ts')}:40:3)`,
      `    at ${join(root, 'dist/runtime/worker-entry.js')}:9:1`,
      '    at Module.load (node:internal/modules/cjs/loader:1203:32)',
      '    at [nodejs.internal.kHybridDispatch] (node:internal/event_target:831:20)',
      '    at next (/home/me/app/node_modules/lib/index.js:3:3)',
      '    at /home/me/app/main.ts:4:9',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(userFrames(stack)).toEqual([`at parse (${pathToFileURL('/home/me/app/jobs.ts').href}:12:7)`, 'at /home/me/app/main.ts:4:9']);
    expect(userFrames(stack, 1)).toHaveLength(1);
    expect(userFrames(undefined)).toEqual([]);
    expect(userPosition('    at /home/me/app/main.ts:4:9')).toEqual({ file: '/home/me/app/main.ts', line: 4, column: 9 });
    expect(userPosition('    at Module.load (node:internal/modules/cjs/loader:1203:32)')).toBeUndefined();
  });
});
