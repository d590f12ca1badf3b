/**
 * One scheduler, several kinds of worker. A run has one fixed set of slots; a step may still ask for
 * another backend than the run's default (`backend: 'process'` for a step that loads a native addon,
 * `async` for one that only waits on I/O). `BackendSet` is a {@link WorkerBackend} that routes each
 * task by `request.backend` to a backend of that kind, created on first use with the same number of
 * slots, so slot i is always the i-th unit of the run's parallelism whatever code runs in it.
 */
import type { BackendKind, FunctionRef } from './index.js';
import { startRun, type NestedSubmitHandler, type RunOptions, type RunSink, type TaskOutcome, type TaskRequest, type WorkerBackend } from './backend.js';
import { createBackend, type BackendOptions } from './create-backend.js';

export class BackendSet implements WorkerBackend {
  readonly kind: BackendKind;
  readonly slots: number;
  #options: BackendOptions;
  #backends = new Map<BackendKind, WorkerBackend>();
  #nested: NestedSubmitHandler | undefined;
  #closed = false;

  constructor(kind: BackendKind, options: BackendOptions) {
    this.kind = kind;
    this.slots = options.slots;
    this.#options = options;
  }

  /** The backend of one kind, started on first use. */
  get(kind: BackendKind = this.kind): WorkerBackend {
    let backend = this.#backends.get(kind);
    if (!backend) {
      backend = createBackend(kind, this.#options);
      if (this.#nested) backend.setNestedSubmitHandler(this.#nested);
      this.#backends.set(kind, backend);
    }
    return backend;
  }

  async prepare(refs: ReadonlyArray<{ fn: FunctionRef; label: string; backend?: BackendKind }>, signal?: AbortSignal): Promise<void> {
    const byKind = new Map<BackendKind, Array<{ fn: FunctionRef; label: string }>>();
    for (const ref of refs) {
      const kind = ref.backend ?? this.kind;
      let list = byKind.get(kind);
      if (!list) byKind.set(kind, (list = []));
      list.push(ref);
    }
    await Promise.all([...byKind].map(([kind, list]) => this.get(kind).prepare(list, signal)));
  }

  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    return this.get(request.backend ?? this.kind).run(request, options);
  }

  /** Runs on the request's backend, through its `start` when it has one. */
  start(request: TaskRequest, options: RunOptions, sink: RunSink): void {
    startRun(this.get(request.backend ?? this.kind), request, options, sink);
  }

  setNestedSubmitHandler(handler: NestedSubmitHandler): void {
    this.#nested = handler;
    for (const backend of this.#backends.values()) backend.setNestedSubmitHandler(handler);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#backends.values()].map((b) => b.close()));
  }
}
