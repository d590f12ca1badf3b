#!/usr/bin/env node
// The `weft` command. TypeScript user modules load through tsx's loader, registered here once.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
