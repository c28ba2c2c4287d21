// `npm test`: every test, unit and end-to-end, against real parts. It typechecks and lints, builds the
// app, brings up the lab (real namespaces, sshd, dnsmasq), runs Vitest inside the lab's "laptop"
// namespace, always takes the lab down again, and ends with one line: `N passed, N failed`.
// Extra arguments go to Vitest (`npm test -- e2e/lab` runs only those files).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const LAB = process.env.DCOD_LAB ?? 'dcod';
const REPORT = path.join(root, 'reports', 'vitest.json');
const IMAGE_REPORT = path.join(root, 'reports', 'proxy-image.json');
const vitestArgs = process.argv.slice(2);

/** @param {string} title @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [opts] */
function step(title, cmd, args, opts = {}) {
  console.log(`\n== ${title}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return res.status ?? 1;
}

/** @param {string} title @param {string} cmd @param {string[]} args */
function must(title, cmd, args) {
  const status = step(title, cmd, args);
  if (status !== 0) {
    console.error(`\n${title} failed (exit ${status})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

if (process.getuid?.() !== 0) {
  console.error('npm test needs root: the lab creates network namespaces, bridges and sshd processes (see e2e/lab/README.md).');
  process.exit(1);
}

must('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
must('lint', 'npx', ['eslint', '.']);
must('build renderer', 'npx', ['vite', 'build', '--logLevel', 'warn']);
must('build electron shell', process.execPath, ['scripts/build-electron.mjs']);

const lab = (/** @type {string[]} */ ...args) => step(`lab ${args.join(' ')}`, process.execPath, ['e2e/lab/cli.mjs', ...args, '--name', LAB]);
const down = () => lab('down');
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { down(); process.exit(130); });

rmSync(REPORT, { force: true });
rmSync(IMAGE_REPORT, { force: true });
mkdirSync(path.dirname(REPORT), { recursive: true });

// The proxy appliance: built from the Debian archive and booted under QEMU. It needs the network to the
// archive, so it runs here, outside the lab's namespaces; its Debian tree is cached machine-wide.
const imageStatus = step('proxy appliance image (build twice, boot under QEMU, run the overlay on it)', 'npx', [
  'vitest', 'run', '--config', 'build/proxy-image/vitest.config.ts', '--project', 'image',
  '--reporter=default', '--reporter=json', `--outputFile.json=${IMAGE_REPORT}`,
], { env: { ...process.env, DCOD_PROXY_IMAGE_CACHE: process.env.DCOD_PROXY_IMAGE_CACHE ?? '/var/cache/dcod-proxy-image' } });

down(); // whatever a crashed run left behind
let vitestStatus = 1;
try {
  if (lab('up', '--hosts', '4', '--plain', '1') !== 0) throw new Error('the lab did not come up');
  vitestStatus = step('vitest (inside the lab laptop)', 'nsenter', [
    `--net=/run/netns/${LAB}-laptop`, '--',
    process.execPath, 'node_modules/vitest/vitest.mjs', 'run',
    '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT}`, ...vitestArgs,
  ], { env: { ...process.env, DCOD_LAB: LAB } });
} catch (err) {
  console.error(String(err));
} finally {
  down();
}

/**
 * Counts from one Vitest JSON report. Files that failed to load count as failures (their tests never
 * ran), and so do errors outside any test (an unhandled rejection, a crashed worker).
 * @param {string} file @param {number} status
 */
function counts(file, status) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    let failed = report.numFailedTests + report.testResults.filter((/** @type {{status: string, assertionResults: unknown[]}} */ f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    if (failed === 0 && status !== 0) {
      console.error(`vitest failed outside the tests (see "Unhandled Errors" above in ${path.basename(file)}): counted as one failure`);
      failed = 1;
    }
    return { passed: report.numPassedTests, failed };
  } catch {
    console.error(`no test report at ${file}`);
    return { passed: 0, failed: 1 };
  }
}

const all = [counts(REPORT, vitestStatus), counts(IMAGE_REPORT, imageStatus)];
const passed = all.reduce((n, c) => n + c.passed, 0);
const failed = all.reduce((n, c) => n + c.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
