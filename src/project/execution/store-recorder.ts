/**
 * The recorder of one job instance on a state store: the instance, each target's phase with its
 * digest, clean checks against the last finished run of the same target, phase and partition, and
 * the targets `--resume` may skip.
 */
import type { JobInstance } from '../jobs/instances.js';
import type { Phase } from '../phases.js';
import type { StateStore } from '../store/index.js';
import type { InstanceRecorder, LastTargetRun } from './recorder.js';

/** Where an instance's records go. */
export interface StoreRecorderOptions {
  readonly store: StateStore;
  readonly batchId: number;
  readonly project: string;
  readonly job: string;
  readonly lifecycle: string;
  readonly instance: JobInstance;
  /** `phase/target` pairs that succeeded in the run being resumed. */
  readonly done?: ReadonlySet<string>;
}

/**
 * A recorder that reads a state store and writes nothing (`--dry-run`): clean checks see the
 * store's last runs; without a store every target reads as never built.
 */
export function readOnlyRecorder(store: StateStore | undefined, project: string, done?: ReadonlySet<string>): InstanceRecorder {
  const nothing = (): Promise<void> => Promise.resolve();
  return {
    beginTarget: nothing,
    endTarget: nothing,
    clean: nothing,
    lastRun: async (phase, target, partitionKey) => (store === undefined ? undefined : lastTargetRun(store, project, phase, target, partitionKey)),
    doneBefore: (phase, target) => done?.has(`${phase}/${target}`) === true,
    end: nothing,
  };
}

async function lastTargetRun(store: StateStore, project: string, phase: Phase, target: string, partitionKey: string): Promise<LastTargetRun | undefined> {
  const state = await store.targetState({ project, target, phase, partitionKey });
  return state === null ? undefined : { status: state.status, digest: state.digest, endedAt: state.endedAt ?? undefined };
}

/** Begins the instance's record and returns its recorder. */
export async function storeRecorder(options: StoreRecorderOptions): Promise<InstanceRecorder> {
  const { store, instance } = options;
  const instanceId = await store.beginInstance({
    batchId: options.batchId,
    project: options.project,
    job: options.job,
    instanceKey: instance.key,
    params: { ...instance.texts },
    lifecycle: options.lifecycle,
  });
  const running = new Map<string, number>();
  return {
    beginTarget: async (phase, target, partitionKey, digest) => {
      running.set(`${phase}/${target}`, await store.beginTarget({ instanceId, phase, target, partitionKey, digest }));
    },
    endTarget: async (phase, target, status, error) => {
      const id = running.get(`${phase}/${target}`);
      if (id !== undefined) await store.endTarget(id, status, error);
    },
    clean: async (phase, target, partitionKey, digest) => {
      await store.endTarget(await store.beginTarget({ instanceId, phase, target, partitionKey, digest }), 'skipped');
    },
    lastRun: (phase, target, partitionKey) => lastTargetRun(store, options.project, phase, target, partitionKey),
    doneBefore: (phase, target) => options.done?.has(`${phase}/${target}`) === true,
    end: (status, error) => store.endInstance(instanceId, status, error),
  };
}
