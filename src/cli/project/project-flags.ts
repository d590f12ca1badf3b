/**
 * The flags every project command shares — `-f` (the project), `--profile`, `-D name=value`,
 * `--conf key=value` — and opening a session from them.
 */
import type { Command } from 'commander';
import { builtinKinds } from '../../project/builtin-kinds.js';
import { ProjectSession } from '../../project/session.js';
import type { EventStream } from '../../events.js';
import { collectConf } from '../flags.js';
import type { CommandIO } from '../io.js';

/** Flags of every project command. */
export interface ProjectFlags {
  file: string;
  profile: string[];
  define: string[];
  conf: string[];
}

/** Adds the shared project flags to `command`. */
export function projectOptions(command: Command): Command {
  return command
    .option('-f, --file <project>', 'the project directory (holding project.yml) or its project.yml', '.')
    .option('--profile <name>', 'activate a profile of the project (repeatable)', collectConf, [])
    .option('-D, --define <name=value>', 'set a variable, above the project and job environments (repeatable)', collectConf, [])
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, []);
}

/**
 * Opens the session the flags describe. Console targets print to stdout — to stderr with `json`,
 * so that stdout holds only the JSON result.
 */
export function openSession(flags: ProjectFlags, io: CommandIO, events?: EventStream, json = false): Promise<ProjectSession> {
  return ProjectSession.open({
    path: flags.file,
    kinds: builtinKinds(),
    profiles: flags.profile,
    defines: flags.define,
    conf: flags.conf,
    cwd: process.cwd(),
    print: (text) => (json ? io.stderr : io.stdout).write(`${text}\n`),
    ...(events ? { events } : {}),
  });
}
