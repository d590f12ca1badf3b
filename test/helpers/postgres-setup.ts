// Vitest global setup: probes the PostgreSQL test server once per run, prints the skip notice once
// (outside CI), and hands the result to every test file through `inject('weftPostgres')`.
import type { TestProject } from 'vitest/node';
import { probePostgres, skipNotice, type PostgresForTests } from './postgres-probe.js';

declare module 'vitest' {
  export interface ProvidedContext {
    weftPostgres: PostgresForTests;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const result = await probePostgres();
  if (!result.available && process.env.CI !== 'true') console.warn(skipNotice(result));
  project.provide('weftPostgres', result);
}
