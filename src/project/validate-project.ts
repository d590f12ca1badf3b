/**
 * `weft project validate`: everything that can be checked without running a job — every job and
 * its arguments, every target's spec, the target DAG of every phase (cycles), and every mapping a
 * target reads, planned with the job's variables (so expressions are type-checked against real
 * schemas). Mappings that read what a target of the same job writes are checked when that data
 * exists; entities no job uses are checked for their spec alone.
 */
import { ProjectError } from './errors.js';
import type { InstanceContext } from './execution/instance-context.js';
import { phaseDag } from './execution/target-graph.js';
import { expandInstances, describeParameters } from './jobs/instances.js';
import { readJob, type Job } from './jobs/job.js';
import { LIFECYCLES } from './phases.js';
import { resourceMatches } from './resources.js';
import type { ProjectSession } from './session.js';

/** One finding. */
export interface ValidationIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** What was checked and what was found. */
export interface ValidationReport {
  readonly checked: { relations: number; mappings: number; targets: number; jobs: number };
  readonly issues: readonly ValidationIssue[];
}

/** Validates the session's project (or one job with its arguments). */
export async function validateProject(session: ProjectSession, options: { job?: string; args?: readonly string[] } = {}): Promise<ValidationReport> {
  const issues: ValidationIssue[] = [];
  const seen = { relations: new Set<string>(), mappings: new Set<string>(), targets: new Set<string>() };
  const error = (e: unknown): void => void issues.push({ severity: 'error', message: (e as Error).message });
  const jobs = options.job ? [options.job] : [...session.project.jobs.keys()];
  for (const name of jobs) {
    let job: Job;
    try {
      job = readJob(session.project, name);
    } catch (e) {
      error(e);
      continue;
    }
    const instance = firstInstance(job, options.job ? (options.args ?? []) : [], issues);
    if (!instance) continue;
    const context = session.context({ job, instance, signal: new AbortController().signal });
    await checkJob(job, context, seen, issues);
  }
  checkUnused(session, seen, issues);
  const p = session.project;
  // One problem met from several places (a job and the unused check, several jobs) is one finding.
  const unique = [...new Map(issues.map((i) => [`${i.severity} ${i.message}`, i])).values()];
  return { checked: { relations: p.relations.size, mappings: p.mappings.size, targets: p.targets.size, jobs: jobs.length }, issues: unique };
}

function firstInstance(job: Job, args: readonly string[], issues: ValidationIssue[]) {
  const missing = job.parameters.filter((p) => p.default === undefined && !args.some((a) => a.startsWith(`${p.name}=`) || a.startsWith(`${p.name}:`)));
  if (missing.length > 0) {
    issues.push({ severity: 'warning', message: `job \`${job.name}\`: not checked in context — ${missing.map((p) => p.name).join(', ')} ha${missing.length === 1 ? 's' : 've'} no default; pass them: weft project validate --job ${job.name} ${missing.map((p) => `${p.name}=…`).join(' ')} (${describeParameters(job.parameters)})` });
    return undefined;
  }
  try {
    return expandInstances(job.name, job.parameters, args)[0];
  } catch (e) {
    issues.push({ severity: 'error', message: (e as Error).message });
    return undefined;
  }
}

async function checkJob(job: Job, context: InstanceContext, seen: Record<'relations' | 'mappings' | 'targets', Set<string>>, issues: ValidationIssue[]): Promise<void> {
  const targets = [];
  for (const { name } of job.targets) {
    seen.targets.add(name);
    try {
      const [target] = context.checkDefinitions([name]);
      // What it writes and reads, so a bad partition or a missing relation is found here too.
      for (const phase of LIFECYCLES.build) {
        target!.provides(phase, context);
        target!.requires(phase, context);
      }
      targets.push(target!);
    } catch (e) {
      issues.push({ severity: 'error', message: (e as Error).message });
    }
  }
  const all = new Set(targets.map((t) => t.name));
  for (const phase of LIFECYCLES.build) {
    try {
      phaseDag(phase, targets, all, context, context.config.get('weft.execution.scheduler.class'));
    } catch (e) {
      // The same loop shows in every phase that orders by it: report the first.
      issues.push({ severity: 'error', message: (e as Error).message });
      break;
    }
  }
  const written = targets.flatMap((t) => t.provides('build', context));
  for (const target of targets) {
    for (const mapping of target.mappings) {
      if (seen.mappings.has(mapping)) continue;
      seen.mappings.add(mapping);
      try {
        for (const read of context.relationReads(mapping)) seen.relations.add(read.relation);
        await context.mapping(mapping);
      } catch (e) {
        // A spec or expression error is an error; data that is not there (yet) only limits the check.
        if (e instanceof ProjectError) issues.push({ severity: 'error', message: e.message });
        else {
          const own = context.mappingRequires(mapping).some((r) => written.some((w) => resourceMatches(r, w)));
          const why = own ? ` — it reads what a target of job \`${job.name}\` writes, so it is checked fully once the job has built` : '';
          issues.push({ severity: 'warning', message: `mapping \`${mapping}\` (read by target \`${target.name}\`) could not be planned: ${(e as Error).message}${why}` });
        }
      }
    }
  }
}

function checkUnused(session: ProjectSession, seen: Record<'relations' | 'mappings' | 'targets', Set<string>>, issues: ValidationIssue[]): void {
  const context = session.context({ signal: new AbortController().signal });
  const check = (section: 'relations' | 'mappings' | 'targets', build: (name: string) => unknown): void => {
    for (const name of session.project[section].keys()) {
      if (seen[section].has(name)) continue;
      try {
        build(name);
      } catch (e) {
        const undefinedVariable = (e as { code?: string }).code === 'WEFT_UNDEFINED_VARIABLE';
        issues.push({
          severity: undefinedVariable ? 'warning' : 'error',
          message: undefinedVariable ? `${section.slice(0, -1)} \`${name}\` is used by no job and not checked: ${(e as Error).message}` : (e as Error).message,
        });
      }
    }
  };
  check('relations', (n) => context.relation(n));
  // Definitions and what they read (inputs that exist, no loops); data is not read.
  check('mappings', (n) => context.mappingRequires(n));
  check('targets', (n) => {
    const target = context.target(n);
    for (const phase of LIFECYCLES.build) target.provides(phase, context);
  });
}
