#!/usr/bin/env node
// The `weft` command. TypeScript user modules load through weft's TypeScript loader (tsx's ESM
// loader plus a hook for `.ts` files with import/export in CommonJS packages), registered here once.
import { registerTypeScriptLoader } from '../dist/runtime/typescript-loader.js';

await registerTypeScriptLoader();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
