// @ts-check
/**
 * The one place that makes a thread able to import TypeScript user modules: tsx's ESM loader, then
 * weft's `resolve` hook that loads a `.ts` file with `import` / `export` as ESM in a CommonJS
 * package (see `ts-format-hook.js`). Used by the `weft` command, by the worker bootstrap of a thread
 * or child process when weft runs from source, and lazily by a worker that meets a `.ts` module.
 *
 * Only tsx's ESM hooks: its CommonJS hooks would load a second copy of weft for a user module that
 * `require`s it. Plain JavaScript (type-checked through JSDoc) so that a worker started from
 * `src/` can import it before any TypeScript loader exists.
 */
import { register } from 'node:module';

/**
 * Set on `globalThis` once the loader is registered in this thread (a promise while it is being
 * registered). A global symbol, so two copies of weft in one thread (`src/` and `dist/`) register once.
 */
export const TSX_REGISTERED = Symbol.for('weft.tsxRegistered');

/** Whether a module URL or path names a TypeScript file. */
export const TYPESCRIPT_FILE = /\.(?:ts|mts|cts|tsx)$/;

/**
 * Registers tsx's ESM loader and the format hook in this thread, once; later calls share the first.
 *
 * @example
 * await registerTypeScriptLoader();
 * await import('./job.ts');
 * @returns {Promise<void>}
 */
export function registerTypeScriptLoader() {
  const holder = /** @type {{ [TSX_REGISTERED]?: boolean | Promise<void> }} */ (globalThis);
  const state = holder[TSX_REGISTERED];
  if (state === true) return Promise.resolve();
  if (state instanceof Promise) return state;
  const loading = import('tsx/esm/api').then((tsx) => {
    tsx.register();
    // Registered after tsx's hooks, so it runs first and sees tsx's answer.
    register('./ts-format-hook.js', import.meta.url);
    holder[TSX_REGISTERED] = true;
  });
  holder[TSX_REGISTERED] = loading;
  return loading;
}
