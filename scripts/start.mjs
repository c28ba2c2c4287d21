// `npm start`: opens the app. Electron when its binary is present; otherwise (no binary could be
// downloaded, as on machines without GitHub access) web mode in the default browser. `--web` forces it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const forceWeb = process.argv.includes('--web');

/** Newest modification time under a folder, in ms. @param {string} dir */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** @param {string} cmd @param {string[]} args */
function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** The Electron binary's path, or undefined when it was never downloaded. */
function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  try {
    const bin = path.join(pkg, 'dist', readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const built = path.join(root, 'dist', 'renderer', 'index.html');
const sources = Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'src', 'api')), newest(path.join(root, 'assets')));
if (!existsSync(built) || statSync(built).mtimeMs < sources) run('npx', ['vite', 'build', '--logLevel', 'warn']);

const electron = forceWeb ? undefined : electronBinary();
if (electron) {
  run(process.execPath, ['scripts/build-electron.mjs']);
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceWeb) console.log('The Electron binary is not installed (fetch it with `npx install-electron --no` where GitHub is reachable); starting web mode.\n');
  const child = spawn(process.execPath, ['bin/dcod.mjs', 'serve', '--open'], { cwd: root, stdio: 'inherit' });
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
