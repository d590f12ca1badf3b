/** The config of a project (and one of its jobs) for `weft config --explain -f <project>`. */
import type { ResolvedConfig } from '../../config/index.js';
import { builtinKinds } from '../../project/builtin-kinds.js';
import { readJob } from '../../project/jobs/job.js';
import { ProjectSession } from '../../project/session.js';

/** The settings of the project at `path` — with `job`, of that job — and the command line's `conf`. */
export async function projectConfig(path: string, job: string | undefined, profiles: readonly string[], conf: readonly string[]): Promise<ResolvedConfig> {
  const session = await ProjectSession.open({ path, kinds: builtinKinds(), profiles, conf, cwd: process.cwd() });
  return session.config(job === undefined ? undefined : readJob(session.project, job));
}
