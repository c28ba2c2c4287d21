#!/usr/bin/env node
// The `dcod` command: the core's CLI, run from TypeScript source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
