/**
 * Resources: what a target produces and what it needs, per phase, so the target executor can infer
 * the order of targets without being told (Flowman's "provides" / "requires").
 *
 * A resource is a kind (`file`, `table`, `relation`), a name (a normalised path, a qualified table
 * name) and optionally partition values. A requirement is met by a provided resource of the same
 * kind and name whose partition values agree on every column both name: a write of `year=2013`
 * does not block a read of `year=2014`, while a read of the whole relation (no partition values)
 * waits for every partition write. File resources also match when one path lies inside the other
 * (a read of `/data` waits for a write of `/data/out`).
 */

/** One resource a target provides or requires. */
export interface Resource {
  /** e.g. `file`, `table`, `relation`. */
  readonly kind: string;
  /** A normalised path, a qualified table name, a relation name. */
  readonly name: string;
  /** Partition column → value (as text); absent or empty means the whole resource. */
  readonly partition?: Readonly<Record<string, string>>;
}

/** True when a target that requires `required` must wait for one that provides `provided`. */
export function resourceMatches(required: Resource, provided: Resource): boolean {
  if (required.kind !== provided.kind) return false;
  if (required.name !== provided.name && !(required.kind === 'file' && nestedPaths(required.name, provided.name))) return false;
  const a = required.partition ?? {};
  const b = provided.partition ?? {};
  for (const key of Object.keys(a)) {
    const other = b[key];
    if (other !== undefined && other !== a[key]) return false;
  }
  return true;
}

/** `file:/data/out[year=2013]` — how a resource reads in plans and cycle errors. */
export function formatResource(resource: Resource): string {
  const partition = Object.entries(resource.partition ?? {});
  const suffix = partition.length === 0 ? '' : `[${partition.map(([k, v]) => `${k}=${v}`).join(', ')}]`;
  return `${resource.kind}:${resource.name}${suffix}`;
}

/** True when one of two normalised absolute paths is the other or lies inside it. */
function nestedPaths(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.startsWith(short.endsWith('/') ? short : `${short}/`);
}
