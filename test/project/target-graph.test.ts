import { describe, expect, it } from 'vitest';
import { phaseDag, targetEdges } from '../../src/project/execution/target-graph.js';
import type { Phase } from '../../src/project/phases.js';
import { resourceMatches, type Resource } from '../../src/project/resources.js';
import type { Target, TargetContext } from '../../src/project/targets/target.js';

const file = (name: string, partition?: Record<string, string>): Resource => ({ kind: 'file', name, ...(partition ? { partition } : {}) });

describe('resources', () => {
  it('a write of one partition blocks a read of that partition or of the whole relation, not of another partition', () => {
    const write2013 = file('/out/m', { year: '2013' });
    expect(resourceMatches(file('/out/m', { year: '2013' }), write2013)).toBe(true);
    expect(resourceMatches(file('/out/m', { year: '2014' }), write2013)).toBe(false);
    expect(resourceMatches(file('/out/m'), write2013)).toBe(true);
    expect(resourceMatches(file('/out/m', { year: '2014' }), file('/out/m'))).toBe(true);
    expect(resourceMatches(file('/out/m', { year: '2013', region: 'eu' }), write2013)).toBe(true);
    expect(resourceMatches({ kind: 'table', name: '/out/m' }, file('/out/m'))).toBe(false);
  });

  it('file paths match when one lies inside the other, by whole segments', () => {
    expect(resourceMatches(file('/data'), file('/data/out'))).toBe(true);
    expect(resourceMatches(file('/data/out/x'), file('/data/out'))).toBe(true);
    expect(resourceMatches(file('/data/outer'), file('/data/out'))).toBe(false);
  });
});

/** A target that writes and reads the given resources in build (and create) phases. */
function target(name: string, writes: Resource[], reads: Resource[], options: { phases?: Phase[]; after?: string[]; before?: string[] } = {}): Target {
  return {
    name,
    kind: 'test',
    location: undefined,
    description: undefined,
    before: options.before ?? [],
    after: options.after ?? [],
    phases: new Set(options.phases ?? ['create', 'build', 'verify', 'truncate', 'destroy']),
    mappings: [],
    relations: [],
    partitionKey: '',
    provides: (phase) => (phase === 'build' ? writes : []),
    requires: (phase) => (phase === 'build' ? reads : []),
    outputExists: () => Promise.resolve(undefined),
    execute: () => Promise.resolve({}),
  };
}

const ctx = {} as TargetContext;
const all = (targets: Target[]): Set<string> => new Set(targets.map((t) => t.name));
const deps = (targets: Target[], phase: Phase, selected = all(targets)): Record<string, string[]> =>
  Object.fromEntries(phaseDag(phase, targets, selected, ctx, 'dependency').nodes.map((n) => [n.id, [...n.deps]]));

describe('the target DAG of a phase', () => {
  const w2013 = target('write2013', [file('/m', { year: '2013' })], []);
  const r2014 = target('read2014', [], [file('/m', { year: '2014' })]);
  const rAll = target('readAll', [], [file('/m')]);
  const w2014 = target('write2014', [file('/m', { year: '2014' })], []);

  it('infers waits from partitions: 2014 reads wait only for 2014 writes, whole reads for every write', () => {
    expect(deps([w2013, r2014, rAll, w2014], 'build')).toEqual({ write2013: [], read2014: ['write2014'], readAll: ['write2013', 'write2014'], write2014: [] });
  });

  it('reverses the build order for truncate and destroy', () => {
    const out = phaseDag('truncate', [w2013, rAll], all([w2013, rAll]), ctx, 'dependency');
    expect(out.nodes.map((n) => [n.id, n.deps])).toEqual([
      ['readAll', []],
      ['write2013', ['readAll']],
    ]);
  });

  it('keeps the order through targets that do nothing in the phase or were not selected', () => {
    const a = target('a', [file('/a')], []);
    const b = target('b', [file('/b')], [file('/a')], { phases: ['build'] });
    const c = target('c', [], [file('/b')]);
    expect(deps([a, b, c], 'build', new Set(['a', 'c']))).toEqual({ a: [], c: ['a'] });
  });

  it('adds before/after and the manual scheduler chains the listed order', () => {
    const x = target('x', [], [], { after: ['y'] });
    const y = target('y', [], [], { before: ['z'] });
    const z = target('z', [], []);
    expect(deps([x, y, z], 'build')).toEqual({ x: ['y'], y: [], z: ['y'] });
    const manual = phaseDag('build', [z, x, y], all([x, y, z]), ctx, 'manual');
    expect(manual.nodes.map((n) => [n.id, n.deps])).toEqual([
      ['z', []],
      ['x', ['z']],
      ['y', ['x']],
    ]);
    expect(targetEdges('build', [x, y, z], ctx, 'dependency').map((e) => `${e.from}→${e.to} (${e.reason})`)).toEqual(['y→x (after)', 'y→z (before)']);
  });

  it('names every target on a cycle with what it provides and requires', () => {
    const p = target('p', [file('/p')], [file('/q')]);
    const q = target('q', [file('/q')], [file('/p')]);
    expect(() => phaseDag('build', [p, q], all([p, q]), ctx, 'dependency')).toThrow(
      /the targets depend on each other in a cycle \(p → q → p\) in the build phase:\n {2}p: provides file:\/p; requires file:\/q\n {2}q: provides file:\/q; requires file:\/p/,
    );
  });
});
