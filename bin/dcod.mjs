#!/usr/bin/env node
// The `dcod` command: the core's CLI, run from TypeScript source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
// Exit as soon as the verb is done: a keepalive timer or a half-closed SSH channel left by a failed host
// must never keep a finished command (or the script that ran it) waiting. stdout/stderr are synchronous
// for files and pipes on POSIX, so nothing printed is lost.
process.exit(await main(process.argv.slice(2)));
