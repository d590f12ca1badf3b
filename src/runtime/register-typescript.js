// @ts-check
/**
 * Registers the TypeScript loader on import: the `--import` of a child process and the first import
 * of a worker thread when weft runs from source (their entry is `worker-entry.ts`).
 */
import { registerTypeScriptLoader } from './typescript-loader.js';

await registerTypeScriptLoader();
