// How readers decide whether the owner of a `running` record is alive (no database involved).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LivenessProbe, newOwnerIdentity, processStartTicks, type OwnerRow } from '../../../src/project/store/owner.js';

const me = newOwnerIdentity();
const row = (patch: Partial<OwnerRow> = {}): OwnerRow => ({ ...me, token: `t${Math.random()}`, heartbeatAt: 1_000, closedAt: null, ...patch });

describe('owner liveness', () => {
  it('gives every open store its own token on this machine', () => {
    const other = newOwnerIdentity();
    expect(other.token).not.toBe(me.token);
    expect(other).toMatchObject({ pid: process.pid, host: me.host, machine: me.machine });
    expect(me.machine.startsWith(`${me.host}#`)).toBe(true);
  });

  it('asks the process table on this machine: a live pid is alive, an exited one is dead', () => {
    const probe = new LivenessProbe({ now: () => 10_000_000 });
    expect(probe.isAlive(row())).toBe(true);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(exited).toBeGreaterThan(0);
    expect(probe.isAlive(row({ pid: exited, procStart: null }))).toBe(false);
  });

  it.skipIf(processStartTicks(process.pid) === null)('treats a pid reused by another process as dead', () => {
    expect(new LivenessProbe().isAlive(row({ procStart: '1' }))).toBe(false);
  });

  it('treats an owner that closed its store as dead, wherever it runs', () => {
    expect(new LivenessProbe().isAlive(row({ closedAt: 5 }))).toBe(false);
    expect(new LivenessProbe({ now: () => 5 }).isAlive(row({ machine: 'other#boot', closedAt: 5 }))).toBe(false);
  });

  it('trusts the heartbeat of an owner on another machine (or before a reboot) until the lease runs out', () => {
    const elsewhere = row({ machine: 'other-host#some-boot', pid: 1, heartbeatAt: 100_000 });
    expect(new LivenessProbe({ now: () => 160_000 }).isAlive(elsewhere)).toBe(true);
    expect(new LivenessProbe({ now: () => 160_001 }).isAlive(elsewhere)).toBe(false);
    expect(new LivenessProbe({ now: () => 101_000, leaseMs: 500 }).isAlive(elsewhere)).toBe(false);
    const rebooted = row({ machine: `${me.host}#an-earlier-boot`, heartbeatAt: 0 });
    expect(new LivenessProbe({ now: () => 1_000_000 }).isAlive(rebooted)).toBe(false);
  });
});
