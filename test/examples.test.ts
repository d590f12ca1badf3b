import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const cwd = mkdtempSync(join(tmpdir(), 'weft-examples-'));

describe('examples run as the README says', () => {
  it.each(['basic.ts', 'batch.ts', 'in-step-parallel-map.ts'])('weft run examples/%s', (file) => {
    const r = spawnSync(process.execPath, [join(root, 'bin/weft.js'), 'run', join(root, 'examples', file), '--json', '--no-progress'], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { status: string; steps: unknown[] };
    expect(result.status).toBe('succeeded');
  });
});
