#!/usr/bin/env node
// `npm run lab -- up|down|status|exec`: the lab's CLI, run from TypeScript source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./commands.ts');
process.exitCode = await main(process.argv.slice(2));
