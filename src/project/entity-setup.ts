/**
 * What building any entity (relation, mapping, target) from its spec may need besides the spec:
 * its name, the project directory, and where each part of the spec was written — so that even
 * errors found while building (an expression that does not parse, a partition value of the wrong
 * type) point at the user's `file:line:column`.
 */
import type { TextStart } from './load/yaml-file.js';
import type { SourceLocation } from './location.js';

/** The setup every kind's `create` receives. */
export interface EntitySetup {
  readonly name: string;
  /** Absolute directory of the project: relative paths in specs are resolved against it. */
  readonly projectDir: string;
  /** Where the entity is defined (its name). */
  readonly location: SourceLocation | undefined;
  /** The location of a value inside the spec by its path (e.g. `['partitions', 0, 'type']`). */
  readonly locate: (path: readonly (string | number)[]) => SourceLocation | undefined;
  /**
   * Where the text of the string at `path` starts, for parsers that point inside it (expressions);
   * `exact` when its characters map one to one to columns (no variable was replaced, no escapes).
   */
  readonly textStart: (path: readonly (string | number)[]) => (TextStart & { exact: boolean }) | undefined;
}
