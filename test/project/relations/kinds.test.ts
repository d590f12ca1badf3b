import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../../src/project/errors.js';
import { RELATION_KINDS, relationKind } from '../../../src/project/relations/kinds.js';

describe('relation kinds', () => {
  it('finds each kind by name', () => {
    for (const [name, kind] of RELATION_KINDS) expect(relationKind(name)).toBe(kind);
    expect(relationKind('file').kind).toBe('file');
  });

  it('lists the known kinds for an unknown one', () => {
    expect(() => relationKind('hive')).toThrow(ProjectError);
    expect(() => relationKind('hive')).toThrow(new RegExp(`^unknown relation kind "hive": expected one of ${[...RELATION_KINDS.keys()].join(', ')} — file \\(`));
  });
});
