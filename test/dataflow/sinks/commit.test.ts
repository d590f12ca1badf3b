import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/batch.js';
import type { Batch } from '../../../src/dataflow/batch/batch.js';
import type { CommitStep, WriteJob } from '../../../src/dataflow/sinks/index.js';
import { SinkError, abortWrite, beginWrite, commitWrite, recoverWrite, writePart } from '../../../src/dataflow/sinks/index.js';
import { names, snapshot, tempDir } from './helpers.js';

/** Writes a previous output through the real API: `n` parts of one row each. */
async function writeOutput(target: string, jobId: string, n: number, tag: string): Promise<WriteJob> {
  const job = await beginWrite(target, jobId, {});
  await Promise.all(Array.from({ length: n }, (_, p) => writePart(job.stagingDir, p, 'csv', [valueBatch([{ tag, p }])], {})));
  return job;
}

async function marker(target: string): Promise<{ rows: number; committedAt: string }> {
  return JSON.parse(await readFile(join(target, '_SUCCESS'), 'utf8')) as { rows: number; committedAt: string };
}

describe('beginWrite', () => {
  it('makes a hidden staging directory next to the target', async () => {
    const root = await tempDir();
    const job = await beginWrite(join(root, 'out'), 'job-1', {});
    expect(job.path).toBe(join(root, 'out'));
    expect(job.stagingDir).toBe(join(root, '.out.weft-staging-job-1'));
    expect(await names(root)).toEqual(['.out.weft-staging-job-1']);
    expect(await names(job.stagingDir)).toEqual([]);
  });

  it('refuses an existing target when overwrite is false', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'out'));
    const begin = beginWrite(join(root, 'out'), 'j', { overwrite: false });
    await expect(begin).rejects.toBeInstanceOf(SinkError);
    await expect(begin).rejects.toMatchObject({ code: 'WEFT_SINK_TARGET_EXISTS' });
    await expect(begin).rejects.toThrow(/overwrite is false.*`overwrite: true`/s);
    expect(await names(root)).toEqual(['out']);
    // Without an existing target, overwrite: false is fine.
    await expect(beginWrite(join(root, 'fresh'), 'j', { overwrite: false })).resolves.toMatchObject({ path: join(root, 'fresh') });
  });

  it('refuses a missing or non-directory parent, and job ids that are not plain names', async () => {
    const root = await tempDir();
    await expect(beginWrite(join(root, 'missing', 'out'), 'j', {})).rejects.toMatchObject({ code: 'WEFT_SINK_PARENT' });
    await expect(beginWrite(join(root, 'missing', 'out'), 'j', {})).rejects.toThrow(/to exist.*mkdir -p/s);
    await writeFile(join(root, 'file'), 'x');
    await expect(beginWrite(join(root, 'file', 'out'), 'j', {})).rejects.toThrow(/to be a directory, but it is a file/);
    await expect(beginWrite(join(root, 'out'), '../escape', {})).rejects.toThrow(/job id/);
    await expect(beginWrite(join(root, 'out'), '', {})).rejects.toThrow(/job id/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a parent that is not writable', async () => {
    const root = await tempDir();
    const { chmod } = await import('node:fs/promises');
    await mkdir(join(root, 'ro'));
    await chmod(join(root, 'ro'), 0o500);
    try {
      await expect(beginWrite(join(root, 'ro', 'out'), 'j', {})).rejects.toThrow(/to be writable/);
    } finally {
      await chmod(join(root, 'ro'), 0o700);
    }
  });
});

describe('writePart inside a job', () => {
  it('runs concurrently for the partitions of one job, each writing its own part', async () => {
    const root = await tempDir();
    const job = await beginWrite(join(root, 'out'), 'j', {});
    const parts = 4;
    let started = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    async function* partition(p: number): AsyncGenerator<Batch> {
      yield valueBatch([{ p, half: 1 }]);
      // Every writer must be mid-file before any finishes: a sequential writePart would hang here.
      if (++started === parts) release();
      await allStarted;
      yield valueBatch([{ p, half: 2 }]);
    }
    const results = await Promise.all(Array.from({ length: parts }, (_, p) => writePart(job.stagingDir, p, 'csv', partition(p), {})));
    expect(results.map((r) => r.rows)).toEqual([2, 2, 2, 2]);
    expect(await names(job.stagingDir)).toEqual(['part-00000.csv', 'part-00001.csv', 'part-00002.csv', 'part-00003.csv']);
    expect(await readFile(join(job.stagingDir, 'part-00002.csv'), 'utf8')).toBe('p,half\n2,1\n2,2\n');
  });

  it('lets the last complete attempt of a partition win when two attempts race', async () => {
    const root = await tempDir();
    const job = await beginWrite(join(root, 'out'), 'j', {});
    const rows = (tag: string): Batch[] => Array.from({ length: 20 }, (_, b) => valueBatch(Array.from({ length: 500 }, (_, i) => ({ tag, i: b * 500 + i }))));
    await Promise.all([writePart(job.stagingDir, 0, 'json', rows('a'), {}), writePart(job.stagingDir, 0, 'json', rows('b'), {})]);
    expect(await names(job.stagingDir)).toEqual(['part-00000.json']);
    const lines = (await readFile(join(job.stagingDir, 'part-00000.json'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(10_000);
    const tags = new Set(lines.map((l) => (JSON.parse(l) as { tag: string }).tag));
    expect(tags.size).toBe(1);
  });

  it('leaves no part file when its batches fail mid-way, and passes the failure through', async () => {
    const root = await tempDir();
    const job = await beginWrite(join(root, 'out'), 'j', {});
    const boom = new Error('user function failed');
    function* failing(): Generator<Batch> {
      yield valueBatch([{ a: 1 }]);
      throw boom;
    }
    await expect(writePart(job.stagingDir, 1, 'csv', failing(), {})).rejects.toBe(boom);
    expect(await names(job.stagingDir)).toEqual([]);
  });

  it('refuses to write into a job that was aborted', async () => {
    const root = await tempDir();
    const job = await beginWrite(join(root, 'out'), 'j', {});
    await abortWrite(job);
    await expect(writePart(job.stagingDir, 0, 'csv', [], {})).rejects.toMatchObject({ code: 'WEFT_SINK_STAGING' });
  });
});

describe('commitWrite and abortWrite', () => {
  it('moves the staged parts into place with a _SUCCESS marker', async () => {
    const root = await tempDir();
    const job = await writeOutput(join(root, 'out'), 'j1', 3, 'new');
    // A temp file that a crashed attempt left behind is not part of the output.
    await writeFile(join(job.stagingDir, '.part-00003.csv.dead.tmp'), 'half a ro');
    await commitWrite(job, 3);
    expect(await names(root)).toEqual(['out']);
    expect(await names(job.path)).toEqual(['_SUCCESS', 'part-00000.csv', 'part-00001.csv', 'part-00002.csv']);
    const m = await marker(job.path);
    expect(m.rows).toBe(3);
    expect(Number.isNaN(Date.parse(m.committedAt))).toBe(false);
  });

  it('replaces an existing output as a whole', async () => {
    const root = await tempDir();
    const target = join(root, 'out');
    await commitWrite(await writeOutput(target, 'old', 3, 'old'), 3);
    const job = await writeOutput(target, 'new', 1, 'new');
    await commitWrite(job, 1);
    expect(await names(target)).toEqual(['_SUCCESS', 'part-00000.csv']);
    expect(await readFile(join(target, 'part-00000.csv'), 'utf8')).toBe('tag,p\nnew,0\n');
    expect(await names(root)).toEqual(['out']);
  });

  it('abort removes the staged parts and keeps the previous output byte-identical', async () => {
    const root = await tempDir();
    const target = join(root, 'out');
    await commitWrite(await writeOutput(target, 'old', 2, 'old'), 2);
    const before = await snapshot(target);
    const job = await writeOutput(target, 'new', 5, 'new');
    await abortWrite(job);
    expect(await snapshot(target)).toEqual(before);
    expect(await names(root)).toEqual(['out']);
    await abortWrite(job); // twice is harmless
  });

  it('refuses a commit without staging (twice, or after abort) and a job whose staging dir beginWrite did not make', async () => {
    const root = await tempDir();
    const job = await writeOutput(join(root, 'out'), 'j', 1, 'x');
    await commitWrite(job, 1);
    await expect(commitWrite(job, 1)).rejects.toMatchObject({ code: 'WEFT_SINK_STAGING' });
    const foreign = join(root, 'precious');
    await mkdir(foreign);
    await writeFile(join(foreign, 'keep.txt'), 'keep');
    const forged: WriteJob = { path: join(root, 'out'), stagingDir: foreign };
    await expect(abortWrite(forged)).rejects.toThrow(/Pass the WriteJob that beginWrite returned/);
    await expect(commitWrite(forged, 1)).rejects.toBeInstanceOf(SinkError);
    expect(await names(foreign)).toEqual(['keep.txt']);
    await expect(commitWrite(await beginWrite(join(root, 'o2'), 'j', {}), -1)).rejects.toThrow(/row count/);
  });
});

describe('a failure in each commit step', () => {
  const steps: CommitStep[] = ['clean', 'marker', 'aside', 'swap', 'remove'];

  async function setup(): Promise<{ root: string; target: string; job: WriteJob; oldFiles: Record<string, string>; newFiles: Record<string, string> }> {
    const root = await tempDir();
    const target = join(root, 'out');
    await commitWrite(await writeOutput(target, 'old', 2, 'old'), 2);
    const oldFiles = await snapshot(target);
    const job = await writeOutput(target, 'new', 3, 'new');
    const newFiles = await snapshot(job.stagingDir);
    return { root, target, job, oldFiles, newFiles };
  }

  /** The target holds exactly the old output, or exactly the new one (plus its marker). */
  async function outcome(target: string, oldFiles: Record<string, string>, newFiles: Record<string, string>): Promise<'old' | 'new'> {
    const now = await snapshot(target);
    if (JSON.stringify(now) === JSON.stringify(oldFiles)) return 'old';
    const { _SUCCESS: success, ...parts } = now;
    expect(success).toBeDefined();
    expect(parts).toEqual(newFiles);
    return 'new';
  }

  for (const failAt of steps) {
    it(`${failAt}: the commit leaves either the old or the new output complete`, async () => {
      const { root, target, job, oldFiles, newFiles } = await setup();
      const commit = commitWrite(job, 3, {
        beforeStep(step) {
          if (step === failAt) throw new Error(`disk failed at ${step}`);
        },
      });
      if (failAt === 'remove') {
        // After the commit point the commit has succeeded; the old copy is a leftover.
        await commit;
        expect(await outcome(target, oldFiles, newFiles)).toBe('new');
        expect(await recoverWrite(target)).toBe('cleaned');
      } else {
        await expect(commit).rejects.toMatchObject({ name: 'SinkError', code: 'WEFT_SINK_COMMIT' });
        expect(await outcome(target, oldFiles, newFiles)).toBe('old');
        await abortWrite(job);
      }
      expect(await names(root)).toEqual(['out']);
    });

    it(`${failAt}: a crash there (no rollback) never loses both outputs, and recovery restores one`, async () => {
      const { root, target, job, oldFiles, newFiles } = await setup();
      const crashed = new Set<CommitStep>();
      const commit = commitWrite(job, 3, {
        beforeStep(step) {
          // From the failing step on, the process is "dead": every later step fails, rollback included.
          if (step === failAt || crashed.size > 0) {
            crashed.add(step);
            throw new Error(`crash at ${step}`);
          }
        },
      });
      await commit.catch(() => undefined);
      // On disk right after the crash: a complete old output and a complete new one exist somewhere.
      const aside = join(dirname(target), `.${basename(target)}.weft-old-new`);
      const places = [target, aside, job.stagingDir];
      const copies = await Promise.all(places.map((p) => snapshot(p).catch(() => undefined)));
      const hasOld = copies.some((c) => c !== undefined && JSON.stringify(c) === JSON.stringify(oldFiles));
      const hasNew = copies.some((c) => c !== undefined && Object.keys(newFiles).every((k) => c[k] === newFiles[k]));
      expect(hasOld || hasNew).toBe(true);
      if (failAt !== 'remove') expect(hasOld).toBe(true);
      // The next write to the same path (or an abort) repairs the directory.
      await recoverWrite(target);
      const result = await outcome(target, oldFiles, newFiles);
      expect(result).toBe(failAt === 'remove' ? 'new' : 'old');
      await abortWrite(job);
      expect(await names(root)).toEqual(['out']);
    });
  }

  it('beginWrite puts back an output that a crash left set aside', async () => {
    const root = await tempDir();
    const target = join(root, 'out');
    await commitWrite(await writeOutput(target, 'old', 1, 'old'), 1);
    const before = await snapshot(target);
    await rename(target, join(root, '.out.weft-old-crashed'));
    await expect(beginWrite(target, 'next', { overwrite: false })).rejects.toMatchObject({ code: 'WEFT_SINK_TARGET_EXISTS' });
    expect(await snapshot(target)).toEqual(before);
    expect(await names(root)).toEqual(['out']);
  });
});
