/**
 * Who wrote a record, and whether that writer is still alive. A process killed with SIGKILL cannot
 * end its records, so readers decide: a `running` record whose owner is dead reads as `killed`.
 *
 * Liveness, in order:
 * 1. An owner that closed its store is dead (its unfinished records were abandoned).
 * 2. An owner on this machine *in this boot* (same hostname and Linux boot id) is alive exactly
 *    when its pid exists (`process.kill(pid, 0)`) and, where `/proc` tells, that pid started at the
 *    recorded moment — so a pid reused by an unrelated process does not count.
 * 3. An owner elsewhere (another host, or this host before a reboot) is alive while its heartbeat
 *    is younger than the lease: open stores refresh theirs every `heartbeatMs`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The identity an open store writes into its `owners` row. */
export interface OwnerIdentity {
  /** Random, unique per open store. */
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  /** Hostname plus the kernel's boot id: equal only on the same machine in the same boot. */
  readonly machine: string;
  /** Start of the process in kernel clock ticks since boot (Linux), or `null` where unknown. */
  readonly procStart: string | null;
}

/** An `owners` row as readers load it. */
export interface OwnerRow extends OwnerIdentity {
  readonly heartbeatAt: number;
  readonly closedAt: number | null;
}

/** How a reader decides liveness; the defaults probe real processes. */
export interface LivenessOptions {
  /** A heartbeat older than this marks an owner on another machine dead. @default 60000 */
  readonly leaseMs?: number;
  /** Clock used for lease checks. @default Date.now */
  readonly now?: () => number;
}

/** Default lease of an owner on another machine, in milliseconds. */
export const DEFAULT_LEASE_MS = 60_000;
/** Default interval between two heartbeats of an open store, in milliseconds. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown-boot';
  }
}

/** Field 22 of `/proc/<pid>/stat` (start time in clock ticks), or `null` where there is no such file. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; fields 3… follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

const thisMachine = `${os.hostname()}#${readBootId()}`;

/** A fresh identity for a store opened by this process. */
export function newOwnerIdentity(): OwnerIdentity {
  return {
    token: randomBytes(12).toString('hex'),
    pid: process.pid,
    host: os.hostname(),
    machine: thisMachine,
    procStart: processStartTicks(process.pid),
  };
}

/** True when a process with this pid exists and, where `/proc` can tell, started at `procStart`. */
function localProcessAlive(pid: number, procStart: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (procStart === null) return true;
  const now = processStartTicks(pid);
  return now === null || now === procStart;
}

/** Decides whether owners are alive, caching each answer for the duration of one read. */
export class LivenessProbe {
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, boolean>();

  constructor(options: LivenessOptions = {}) {
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** True when the owner may still end its records. */
  isAlive(owner: OwnerRow): boolean {
    const cached = this.#cache.get(owner.token);
    if (cached !== undefined) return cached;
    const alive = this.#decide(owner);
    this.#cache.set(owner.token, alive);
    return alive;
  }

  #decide(owner: OwnerRow): boolean {
    if (owner.closedAt !== null) return false;
    if (owner.machine === thisMachine) return localProcessAlive(owner.pid, owner.procStart);
    return this.#now() - owner.heartbeatAt <= this.#leaseMs;
  }
}
