/**
 * What the target executor tells the state store, and asks of it — the narrow interface between
 * running a job and remembering it. `store-recorder.ts` implements it on a state store; tests and
 * `--dry-run` use {@link MemoryRecorder}.
 */
import type { Phase } from '../phases.js';

/** Final statuses of instances and targets. */
export type RecordStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** How one phase of one target ended last time, for the clean check. */
export interface LastTargetRun {
  readonly status: RecordStatus | 'running' | 'killed';
  readonly digest: string;
  readonly endedAt: number | undefined;
}

/** The records one job instance writes while it runs. */
export interface InstanceRecorder {
  beginTarget(phase: Phase, target: string, partitionKey: string, digest: string): Promise<void>;
  endTarget(phase: Phase, target: string, status: RecordStatus, error?: Error): Promise<void>;
  /**
   * Records that the clean check skipped this target's phase: a finished `skipped` record with the
   * digest it was checked against, so history lists it and the next clean check still finds it clean.
   */
  clean(phase: Phase, target: string, partitionKey: string, digest: string): Promise<void>;
  /** The last finished run of this target's phase for this partition, in any earlier run. */
  lastRun(phase: Phase, target: string, partitionKey: string): Promise<LastTargetRun | undefined>;
  /** True when `--resume` resumes a run in which this target's phase already succeeded. */
  doneBefore(phase: Phase, target: string): boolean;
  end(status: RecordStatus, error?: Error): Promise<void>;
}

/**
 * Keeps records in memory across the instances and runs of one process: for tests, `--dry-run`
 * and projects run without a store.
 */
export class MemoryRecords {
  readonly #runs = new Map<string, LastTargetRun>();
  /** Every call, in order, for tests: `begin build stations year=2013`. */
  readonly log: string[] = [];
  /** The final status of each instance, by key. */
  readonly instances = new Map<string, RecordStatus>();

  /** A recorder for one instance; `done` lists `phase/target` pairs that `--resume` may skip. */
  forInstance(instanceKey: string, done: Iterable<string> = []): InstanceRecorder {
    const finished = new Set(done);
    const running = new Map<string, { key: string; digest: string }>();
    return {
      beginTarget: (phase, target, partitionKey, digest) => {
        this.log.push(`begin ${phase} ${target} ${instanceKey}`.trimEnd());
        running.set(`${phase}/${target}`, { key: `${phase}/${target}/${partitionKey}`, digest });
        return Promise.resolve();
      },
      endTarget: (phase, target, status) => {
        this.log.push(`end ${phase} ${target} ${status} ${instanceKey}`.trimEnd());
        const run = running.get(`${phase}/${target}`);
        if (run) this.#runs.set(run.key, { status, digest: run.digest, endedAt: Date.now() });
        return Promise.resolve();
      },
      clean: (phase, target, partitionKey, digest) => {
        this.log.push(`clean ${phase} ${target} ${instanceKey}`.trimEnd());
        this.#runs.set(`${phase}/${target}/${partitionKey}`, { status: 'skipped', digest, endedAt: Date.now() });
        return Promise.resolve();
      },
      lastRun: (phase, target, partitionKey) => Promise.resolve(this.#runs.get(`${phase}/${target}/${partitionKey}`)),
      doneBefore: (phase, target) => finished.has(`${phase}/${target}`),
      end: (status) => {
        this.instances.set(instanceKey, status);
        return Promise.resolve();
      },
    };
  }
}
