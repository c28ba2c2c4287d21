/**
 * Where the app finds the proxy appliance (build/proxy-image makes it; see its README): the OVA the user
 * names, or else the newest `dcod-proxy-<version>.ova` in `<config dir>/appliance/`. When a
 * `<file>.sha256` (sha256sum's format) lies beside it, the file must match it: a truncated download is
 * caught here rather than by VirtualBox on every host.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { configDir } from '../config-paths';
import { DcodError } from '../errors';

export const APPLIANCE_NAME = 'dcod-proxy';
const FILE_NAME = /^dcod-proxy-(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?\.ova$/;

export interface ApplianceFile {
  readonly path: string;
  readonly name: string;
  /** From the file name (`dcod-proxy-0.3.1.ova` → `0.3.1`); the file name itself when it has none. */
  readonly version: string;
  readonly bytes: number;
  readonly sha256: string;
}

export function defaultApplianceDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'appliance');
}

/** The version in an appliance file name, or undefined when the name isn't one. */
export function applianceVersion(fileName: string): string | undefined {
  const m = FILE_NAME.exec(fileName);
  return m ? `${m[1]}.${m[2]}.${m[3]}${m[4] ? `-${m[4]}` : ''}` : undefined;
}

/** Orders versions as semver does for what file names hold: numbers first, a pre-release below its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split(/-(.*)/s);
    return { nums: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The digest a sha256sum-format file gives for `fileName` (`<hex>  name` or `<hex> *name`). */
export function checksumFor(text: string, fileName: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m && path.basename(m[2]!) === fileName) return m[1]!.toLowerCase();
  }
  return undefined;
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function applianceFileAt(file: string): Promise<ApplianceFile> {
  const name = path.basename(file);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new DcodError('NOT_FOUND', `${file} is not a file`, { context: ['finding the proxy appliance'] });
  const digest = await sha256Of(file);
  const sums = await readFile(`${file}.sha256`, 'utf8').catch(() => undefined);
  if (sums !== undefined) {
    const expected = checksumFor(sums, name);
    if (expected === undefined) throw new DcodError('FILE_ERROR', `${file}.sha256 has no line for ${name}`, { context: ['checking the proxy appliance'] });
    if (expected !== digest) {
      throw new DcodError('FILE_ERROR', `${file} does not match ${name}.sha256 (sha256 ${digest}, expected ${expected}): download or copy it again`, {
        context: ['checking the proxy appliance'],
      });
    }
  }
  return { path: file, name, version: applianceVersion(name) ?? name, bytes: info.size, sha256: digest };
}

/** The appliance to install: `file` when given, else the newest one in `dir`. */
export async function locateAppliance(o: { readonly file?: string; readonly dir?: string } = {}): Promise<ApplianceFile> {
  if (o.file !== undefined) return applianceFileAt(path.resolve(o.file));
  const dir = o.dir ?? defaultApplianceDir();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => applianceVersion(n) !== undefined);
  if (names.length === 0) {
    throw new DcodError('NOT_FOUND', `no ${APPLIANCE_NAME}-<version>.ova in ${dir}: put the appliance there (npm run build:proxy-image makes it) or give its path`, {
      context: ['finding the proxy appliance'],
    });
  }
  const newest = names.reduce((a, b) => (compareVersions(applianceVersion(a)!, applianceVersion(b)!) >= 0 ? a : b));
  return applianceFileAt(path.join(dir, newest));
}
