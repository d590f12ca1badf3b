// A program that runs work on a worker backend and closes it exits on its own, with code 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../fixtures/runtime/close-and-exit.ts', import.meta.url));

describe.each(['thread', 'process'])('%s backend', (kind) => {
  it('lets the program exit after close() even though idle workers do not keep it alive', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, kind], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('42\nclosed\n');
    expect(r.status).toBe(0);
  });
});
