import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseParallelism } from '../../src/config/index.js';
import { configErrorOf } from './helpers.js';

const cpus = os.availableParallelism();

describe('parseParallelism', () => {
  it('reads whole numbers', () => {
    expect(parseParallelism('2', '-p')).toBe(2);
    expect(parseParallelism(' 16 ', '-p')).toBe(16);
  });

  it('reads percentages of the available CPUs, rounded down, at least 1', () => {
    expect(parseParallelism('50%', '-p')).toBe(Math.max(1, Math.floor(cpus / 2)));
    expect(parseParallelism('100%', '-p')).toBe(cpus);
    expect(parseParallelism('200%', '-p')).toBe(cpus * 2);
    expect(parseParallelism('0.1%', '-p')).toBe(1);
  });

  it.each(['0', '0%', '-1', '1.5', 'abc', '', '%', '9007199254740993'])('rejects %j naming where it came from', (text) => {
    const error = configErrorOf(() => parseParallelism(text, '--parallelism'));
    expect(error.message).toBe(
      `--parallelism: expected a parallelism as a whole number from 1 up (e.g. "4") or a percentage above 0 of the ` +
        `${cpus} available CPUs (e.g. "50%"), got ${JSON.stringify(text)}.`,
    );
    expect(error.where).toBe('--parallelism');
  });
});
