/**
 * The common shape of targets that act on a mapping without a relation of their own (console,
 * file, validate): fixed phases, resources from the mapping's reads, no clean check.
 */
import type { Phase } from '../phases.js';
import type { Resource } from '../resources.js';
import type { Target, TargetContext, TargetOutcome, TargetSetup } from './target.js';

/** What a simple target does. */
export interface SimpleTargetParts {
  readonly phases: ReadonlySet<Phase>;
  readonly mappings: readonly string[];
  readonly provides?: (phase: Phase, ctx: TargetContext) => Resource[];
  readonly requires?: (phase: Phase, ctx: TargetContext) => Resource[];
  readonly outputExists?: (phase: Phase, ctx: TargetContext) => Promise<boolean | undefined>;
  readonly execute: (phase: Phase, ctx: TargetContext) => Promise<TargetOutcome>;
}

/** A target from its setup and parts. */
export function simpleTarget(setup: TargetSetup, kind: string, parts: SimpleTargetParts): Target {
  return {
    name: setup.name,
    kind,
    location: setup.location,
    description: setup.description,
    before: setup.before,
    after: setup.after,
    phases: parts.phases,
    mappings: parts.mappings,
    relations: [],
    partitionKey: '',
    provides: parts.provides ?? (() => []),
    requires: parts.requires ?? (() => []),
    outputExists: parts.outputExists ?? (() => Promise.resolve(undefined)),
    execute: parts.execute,
  };
}
