// Ports of the scenarios of Spark's PoolSuite, run against the pool tree directly (as Spark's suite does).
import { describe, expect, it } from 'vitest';
import { LeafNode, PoolNode, addRunning, fairCompare, pickLeaf, setPending } from '../../src/scheduler/pool.js';

/** A task set of `tasks` tasks for stage `stageId`, named as Spark names it. */
class FakeTaskSet extends LeafNode {
  started = 0;
  constructor(
    stageId: number,
    readonly tasks: number,
  ) {
    super(`TaskSet_${stageId}.0`, 0, stageId, stageId);
    setPending(this, true);
  }
}

function taskSet(stageId: number, tasks: number): FakeTaskSet {
  return new FakeTaskSet(stageId, tasks);
}

/** Spark's scheduleTaskAndVerifyId: the next task set gets one more running task. */
function scheduleNext(root: PoolNode): number {
  const leaf = pickLeaf(root) as FakeTaskSet | undefined;
  if (leaf === undefined) throw new Error('nothing pending');
  leaf.started++;
  addRunning(leaf, 1);
  if (leaf.started === leaf.tasks) setPending(leaf, false);
  return leaf.stageId;
}

function schedule(root: PoolNode, count: number): number[] {
  return Array.from({ length: count }, () => scheduleNext(root));
}

describe('PoolSuite scenarios', () => {
  it('FIFO Scheduler Test: task sets run in stage order', () => {
    const root = new PoolNode('', 'FIFO');
    for (const stage of [0, 1, 2]) root.add(taskSet(stage, 2));
    expect(schedule(root, 6)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('FIFO orders by job id before stage id', () => {
    const root = new PoolNode('', 'FIFO');
    root.add(new LeafNode('late job', 5, 0, 10));
    root.add(new LeafNode('early job, stage 3', 1, 3, 11));
    root.add(new LeafNode('early job, stage 1', 1, 1, 12));
    for (const child of root.children) setPending(child as LeafNode, true);
    expect(pickLeaf(root)?.name).toBe('early job, stage 1');
  });

  it('Fair Scheduler Test: pools 1 (minShare 2) and 2 (minShare 3) share by need, then running count, then name', () => {
    const root = new PoolNode('', 'FAIR');
    const pools = {
      default: new PoolNode('default', 'FIFO', 0, 1),
      '1': new PoolNode('1', 'FIFO', 2, 1),
      '2': new PoolNode('2', 'FIFO', 3, 1),
      '3': new PoolNode('3', 'FIFO', 0, 1),
    };
    for (const pool of Object.values(pools)) root.add(pool);
    pools['1'].add(taskSet(0, 1));
    pools['1'].add(taskSet(1, 1));
    pools['1'].add(taskSet(2, 2));
    pools['2'].add(taskSet(3, 2));
    pools['2'].add(taskSet(4, 2));
    expect(schedule(root, 8)).toEqual([0, 3, 3, 1, 4, 2, 2, 4]);
  });

  it('Nested Pool Test: FAIR pools inside FAIR pools', () => {
    const root = new PoolNode('', 'FAIR');
    const pool0 = new PoolNode('0', 'FAIR', 3, 1);
    const pool1 = new PoolNode('1', 'FAIR', 4, 1);
    root.add(pool0);
    root.add(pool1);
    const pool00 = new PoolNode('00', 'FAIR', 2, 2);
    const pool01 = new PoolNode('01', 'FAIR', 1, 1);
    pool0.add(pool00);
    pool0.add(pool01);
    const pool10 = new PoolNode('10', 'FAIR', 2, 2);
    const pool11 = new PoolNode('11', 'FAIR', 2, 1);
    pool1.add(pool10);
    pool1.add(pool11);
    const leaves: Array<[PoolNode, number]> = [
      [pool00, 0], [pool00, 1], [pool01, 2], [pool01, 3], [pool10, 4], [pool10, 5], [pool11, 6], [pool11, 7],
    ];
    for (const [pool, stage] of leaves) pool.add(taskSet(stage, 5));
    expect(schedule(root, 4)).toEqual([0, 4, 6, 2]);
  });

  it('keeps running counts up the tree and drops removed task sets from them', () => {
    const root = new PoolNode('', 'FAIR');
    const pool = new PoolNode('p', 'FIFO');
    root.add(pool);
    const set = taskSet(0, 3);
    pool.add(set);
    schedule(root, 2);
    expect([set.running, pool.running, root.running]).toEqual([2, 2, 2]);
    expect(root.pendingLeaves).toBe(1);
    pool.remove(set);
    expect([pool.running, root.running, root.pendingLeaves]).toEqual([0, 0, 0]);
    expect(pickLeaf(root)).toBeUndefined();
  });

  it('FAIR breaks ties between task sets by name, then by id', () => {
    const a = new LeafNode('same', 0, 0, 1);
    const b = new LeafNode('same', 0, 0, 2);
    const c = new LeafNode('alpha', 0, 0, 3);
    expect(fairCompare(a, b)).toBeLessThan(0);
    expect(fairCompare(c, a)).toBeLessThan(0);
  });
});
