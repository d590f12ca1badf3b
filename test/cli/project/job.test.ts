import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YEARS, makeProject, weft, weftAsync } from './fixture.js';

interface RunJson {
  status: string;
  instances: Array<{ key: string; status: string; startedAt: number; endedAt: number; reason?: string; phases: Array<{ phase: string; targets: Array<{ target: string; status: string }> }> }>;
}

const json = (stdout: string): RunJson => JSON.parse(stdout) as RunJson;
const statuses = (run: RunJson, phase: string): string[] =>
  run.instances.flatMap((i) => i.phases.filter((p) => p.phase === phase).flatMap((p) => p.targets.map((t) => `${i.key} ${t.target}=${t.status}`)));

/** The most instances that overlapped in time. */
function maxOverlap(run: RunJson): number {
  const points = run.instances.flatMap((i) => [
    [i.startedAt, 1],
    [i.endedAt, -1],
  ]);
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let most = 0;
  for (const [, delta] of points) most = Math.max(most, (now += delta!));
  return most;
}

describe('weft job build', { timeout: 180_000 }, () => {
  it('builds a range (end exclusive) with -j 2, never more than 2 instances at once, summary after measurements', () => {
    const dir = makeProject();
    const r = weft(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2015', '-j', '2', '-D', 'delayMs=300', '--json', '--no-progress');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = json(r.stdout);
    expect(run.instances.map((i) => i.key)).toEqual(YEARS.map((y) => `year=${y}`));
    expect(maxOverlap(run)).toBe(2);
    expect(statuses(run, 'build').filter((s) => s.startsWith('year=2011'))).toEqual(['year=2011 measurements=succeeded', 'year=2011 summary=succeeded']);
    for (const y of YEARS) {
      expect(existsSync(join(dir, `out/measurements/year=${y}/_SUCCESS`))).toBe(true);
      expect(existsSync(join(dir, `out/summary/year=${y}/_SUCCESS`))).toBe(true);
    }
    expect(existsSync(join(dir, '.weft/state.db'))).toBe(true);
  });

  it('skips clean targets, rebuilds with --dirty downstream, runs only --target, and reruns what changed', () => {
    const dir = makeProject();
    expect(weft(dir, 'job', 'build', '-f', '.', 'main', '--no-progress').code).toBe(0);
    const again = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--json', '--no-progress').stdout);
    expect(statuses(again, 'build')).toEqual(['year=2011 measurements=clean', 'year=2011 summary=clean']);
    // A clean run is recorded (history lists it) and leaves the targets clean for the next run.
    const third = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--json', '--no-progress').stdout);
    expect(statuses(third, 'build')).toEqual(['year=2011 measurements=clean', 'year=2011 summary=clean']);
    const history = weft(dir, 'history', '-f', '.', '--instances', '-n', '1').stdout;
    expect(history).toMatch(/year=2011\s+succeeded\s+validate succeeded, create clean, build clean, verify succeeded/);
    const dirty = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--dirty', 'measurements', '--json', '--no-progress').stdout);
    expect(statuses(dirty, 'build')).toEqual(['year=2011 measurements=succeeded', 'year=2011 summary=succeeded']);
    const only = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--target', 'summary', '--force', '--json', '--no-progress').stdout);
    expect(statuses(only, 'build')).toEqual(['year=2011 summary=succeeded']);
    writeFileSync(join(dir, 'data/stations.csv'), 'station,country\ns1,DE\ns2,FR\ns3,FR\n');
    const changed = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--json', '--no-progress').stdout);
    expect(statuses(changed, 'build')).toEqual(['year=2011 measurements=clean', 'year=2011 summary=succeeded']);
    expect(weft(dir, 'history', '-f', '.', '--instances', '-n', '1').stdout).toMatch(/build succeeded \(1 clean\)/);
    expect(weft(dir, 'history', '-f', '.', '--job', 'main').stdout).toMatch(/main\s+build/);
    const typo = weft(dir, 'history', '-f', '.', '--job', 'mian');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--job: project `');
    expect(typo.stderr).toMatch(/has no job `mian` and no runs of one\. Did you mean `main`\? Its jobs: .*main/);
  });

  it('resumes a killed range run: only the instances that did not finish run again', async () => {
    const dir = makeProject();
    const child = weftAsync(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2015', '-D', 'delayMs=1500');
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the run did not finish its first instance in time: ${err}`)), 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (/main\[year=2012\] validate check_stations started/.test(err)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(join(dir, 'out/measurements/year=2014'))).toBe(false);
    const history = weft(dir, 'history', '-f', '.', '--instances');
    expect(history.stdout).toMatch(/main\s+build\s+year:end=2015 year:start=2011\s+killed/);
    const resumed = weft(dir, 'job', 'build', '-f', '.', 'main', 'year:end=2015', 'year:start=2011', '--resume', '--json', '--no-progress');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming run 1 \(killed, .*\): 3 of 4 instances to run/);
    const run = json(resumed.stdout);
    expect(run.instances.map((i) => `${i.key}:${i.reason ?? 'ran'}`)).toEqual(['year=2011:succeeded in the resumed run', 'year=2012:ran', 'year=2013:ran', 'year=2014:ran']);
    for (const y of YEARS) expect(existsSync(join(dir, `out/summary/year=${y}/_SUCCESS`))).toBe(true);
    const nothing = weft(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2015', '--resume', '--no-progress');
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toMatch(/nothing to resume/);
  });

  it('exits 1 for a failed target and, with --keep-going, skips only its dependents', () => {
    const dir = makeProject();
    writeFileSync(join(dir, 'data/stations.csv'), 'station,country\ns1,DE\ns1,FR\n');
    const strict = weft(dir, 'job', 'build', '-f', '.', 'main', '--no-progress');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/validate check_stations: .*1 of 2 assertions failed on mapping `stations`/);
    expect(strict.stdout).toMatch(/✗ unique\(station\): 1 keys occur more than once, e\.g\. s1 \(2×\)/);
    const going = json(weft(dir, 'job', 'build', '-f', '.', 'main', '--keep-going', '-D', 'delayMs=-1', '--json', '--no-progress').stdout);
    expect(statuses(going, 'build')).toEqual(['year=2011 measurements=failed', 'year=2011 summary=skipped']);
    // Skipped in build for a failure upstream, summary is skipped in verify too (it was never built).
    const verify = going.instances[0]!.phases.find((p) => p.phase === 'verify')!.targets;
    expect(verify.filter((t) => t.target === 'summary' || t.target === 'measurements').map((t) => `${t.target}=${t.status}`).sort()).toEqual(['measurements=skipped', 'summary=skipped']);
  });

  it('plans each distinct target graph once, naming the instances that share it', () => {
    const dir = makeProject();
    // Summaries read the measurements of 2011 only: the graph of 2011 differs from the others'.
    const model = readFileSync(join(dir, 'model.yml'), 'utf8');
    const fixed = model.replace(/( {2}measurements:\n {4}kind: read\n {4}relation: measurements\n {4}partitions: )\{ year: \$year \}/, '$1{ year: 2011 }');
    expect(fixed).not.toBe(model);
    writeFileSync(join(dir, 'model.yml'), fixed);
    const plan = weft(dir, 'plan', '-f', '.', 'main', 'year:start=2011', 'year:end=2014');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/targets of year=2011 \([^)]*\):\n/);
    expect(plan.stdout).toMatch(/targets of year=2012 \([^)]*\) — the same target graph for year=2013:\n/);
    expect(plan.stdout.match(/level 2: summary ← measurements/g)).toHaveLength(1);
  });

  it('prints the plan on --dry-run and writes nothing; truncate and destroy undo in reverse order', () => {
    const dir = makeProject();
    const dry = weft(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2013', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/job main of project cli_demo: 2 instances \(year=2011, year=2012\)/);
    expect(dry.stdout).toMatch(/weft\.execution\.executor\.class\s+parallel\s+project .*project\.yml:5:5/);
    expect(dry.stdout).toMatch(/level 2: summary ← measurements \(file:.*out\/measurements\[year=2011\]\)/);
    // Both instances have one target graph: it is shown once, for the first, naming the other.
    expect(dry.stdout).toMatch(/targets of year=2011 \(parallel executor.*\) — the same target graph for year=2012:\n/);
    expect(dry.stdout).not.toMatch(/targets of year=2012/);
    expect(dry.stdout).toMatch(/would do \(no state store yet: nothing is clean\):/);
    expect(dry.stdout).toMatch(/year=2012\s+1 to run\s+2 to run\s+2 to run\s+2 to run/);
    expect(dry.stdout).toMatch(/dry run: nothing was run or written\n$/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, '.weft'))).toBe(false);
    expect(weft(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2013', '--no-progress').code).toBe(0);
    // After the build, a dry run finds it clean; --dirty taints a target and everything downstream.
    const again = weft(dir, 'job', 'build', '-f', '.', 'main', 'year:start=2011', 'year:end=2014', '--dry-run');
    expect(again.stdout).toMatch(/year=2011\s+1 to run\s+2 clean\s+2 clean\s+2 to run/);
    expect(again.stdout).toMatch(/year=2013\s+1 to run\s+2 to run\s+2 to run\s+2 to run/);
    const dirty = json(weft(dir, 'job', 'build', '-f', '.', 'main', 'year=2011', '--dirty', 'measurements', '--dry-run', '--json').stdout);
    expect(statuses(dirty, 'build')).toEqual(['year=2011 measurements=would-run', 'year=2011 summary=would-run']);
    const summaryOnly = json(weft(dir, 'job', 'build', '-f', '.', 'main', 'year=2011', '--dirty', 'summary', '--dry-run', '--json').stdout);
    expect(statuses(summaryOnly, 'build')).toEqual(['year=2011 measurements=clean', 'year=2011 summary=would-run']);
    expect(readdirSync(join(dir, 'out/measurements'))).toEqual(['year=2011', 'year=2012']);
    const truncate = json(weft(dir, 'job', 'truncate', '-f', '.', 'main', 'year=2011', '--json', '--no-progress').stdout);
    expect(statuses(truncate, 'truncate')).toEqual(['year=2011 summary=succeeded', 'year=2011 measurements=succeeded']);
    expect(existsSync(join(dir, 'out/measurements/year=2011'))).toBe(false);
    expect(existsSync(join(dir, 'out/measurements/year=2012/_SUCCESS'))).toBe(true);
    expect(weft(dir, 'job', 'destroy', '-f', '.', 'main', '--no-progress').code).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });
});

describe('bad input exits 2 with the position', { timeout: 120_000 }, () => {
  it('names the unknown job, parameter and the file position of a bad spec', () => {
    const dir = makeProject();
    const job = weft(dir, 'job', 'build', '-f', '.', 'mian');
    expect(job.code).toBe(2);
    expect(job.stderr).toMatch(/project `cli_demo` has no job `mian` \(did you mean `main`\?\); its jobs: main/);
    const none = weft(dir, 'job', 'build', '-f', '.', 'main', '--target', 'summ');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--target summ matches none of the targets of job `main` \(it must match a whole name: `summ\.\*` for names that start with it\); its targets: /);
    const partition = makeProject({ 'extra.yml': 'targets:\n  bad_partition:\n    kind: relation\n    mapping: stations\n    relation: measurements\n    partition: { yr: 2013 }\n' });
    writeFileSync(join(partition, 'project.yml'), 'name: p\nmodules: [model.yml, jobs.yml, extra.yml]\n');
    const badPartition = weft(partition, 'project', 'validate', '-f', '.');
    expect(badPartition.code).toBe(2);
    expect(badPartition.stderr).toMatch(/extra\.yml:6:16: target `bad_partition`: unknown partition column yr of relation measurements/);
    const arg = weft(dir, 'job', 'build', '-f', '.', 'main', 'year=20x1');
    expect(arg.code).toBe(2);
    expect(arg.stderr).toMatch(/year=20x1: expected a whole number such as 2013 for parameter `year` \(integer\), got "20x1"/);
    const bad = makeProject({ 'jobs.yml': 'jobs:\n  main:\n    targets: [summary, nope]\n' });
    const target = weft(bad, 'job', 'build', '-f', '.', 'main');
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/jobs\.yml:3:24: job `main` lists target `nope`, which is not defined/);
    const spec = makeProject({ 'extra.yml': 'mappings:\n  x:\n    kind: filter\n    input: raw\n    condition: "value >> 3"\n' });
    writeFileSync(join(spec, 'project.yml'), 'name: p\nmodules: [model.yml, jobs.yml, extra.yml]\n');
    const validate = weft(spec, 'project', 'validate', '-f', '.');
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/extra\.yml:5:\d+: /);
  });

  it('lists what each target provides and requires when targets form a cycle', () => {
    const dir = makeProject({
      'cycle.yml': `relations:
  a: { kind: file, format: csv, location: out/a }
  b: { kind: file, format: csv, location: out/b }
mappings:
  ra: { kind: read, relation: a }
  rb: { kind: read, relation: b }
targets:
  ta: { kind: relation, mapping: rb, relation: a }
  tb: { kind: relation, mapping: ra, relation: b }
jobs:
  loop: { targets: [ta, tb] }
`,
    });
    writeFileSync(join(dir, 'project.yml'), 'name: p\nmodules: [cycle.yml]\n');
    const r = weft(dir, 'job', 'build', '-f', '.', 'loop', '--no-progress');
    // Found before anything runs: exit 2, and no target created its folder.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cycle\.yml:8:3: the targets depend on each other in a cycle \(ta → tb → ta\) in the build phase/);
    expect(r.stderr).toMatch(/ta: provides file:.*out\/a; requires file:.*out\/b/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses before anything runs a before/after, a mapping or a mapping input that names nothing', () => {
    const dir = makeProject({
      'names.yml': `relations:
  a: { kind: file, format: csv, location: out/a }
  b: { kind: file, format: csv, location: out/b }
mappings:
  ra: { kind: read, relation: a }
  fa: { kind: filter, input: rx, condition: "x > 1" }
targets:
  ta: { kind: relation, mapping: ra, relation: b, after: [tz] }
  tb: { kind: relation, mapping: rz, relation: b }
  tc: { kind: relation, mapping: fa, relation: b }
jobs:
  after: { targets: [ta] }
  mapping: { targets: [tb] }
  input: { targets: [tc] }
`,
    });
    writeFileSync(join(dir, 'project.yml'), 'name: p\nmodules: [names.yml]\n');
    const after = weft(dir, 'job', 'build', '-f', '.', 'after', '--no-progress');
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/names\.yml:8:\d+: target `ta`: `after` names `tz`, which is not a target of the project \(did you mean `tb`\?\); its targets: tb, tc/);
    const mapping = weft(dir, 'job', 'build', '-f', '.', 'mapping', '--no-progress');
    expect(mapping.code).toBe(2);
    expect(mapping.stderr).toMatch(/names\.yml:9:3: target `tb` reads mapping `rz`, which does not exist; did you mean `ra`\? \(mappings: ra, fa\)/);
    const input = weft(dir, 'job', 'build', '-f', '.', 'input', '--no-progress');
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/names\.yml:6:3: mapping `fa` reads mapping `rx`, which does not exist/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    // project validate finds the same three, each once, though jobs and the unused check meet them again.
    const validate = weft(dir, 'project', 'validate', '-f', '.');
    expect(validate.code).toBe(2);
    for (const what of ['`after` names `tz`', 'reads mapping `rz`', 'reads mapping `rx`']) expect(validate.stderr.split(what)).toHaveLength(2);
  });
});
