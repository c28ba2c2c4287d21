/**
 * `VBoxManage --version`: one line such as `7.0.6r155176`, `4.1.2_Ubuntur38459`, `6.1.26_OSEr145957`,
 * sometimes preceded (same stream, as captured) by a multi-line `WARNING: … vboxdrv …` block whose
 * continuation lines are indented with spaces or tabs. The banner of a bare `VBoxManage` carries the
 * version too ("… Command Line Management Interface Version 7.0.6").
 */
import { DcodError } from '../errors';

export interface VBoxVersion {
  /** The version line as printed. */
  readonly raw: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Text between the patch number and `r<rev>`: `_Ubuntu`, `_OSE`, `_BETA1`, or ''. */
  readonly suffix: string;
  readonly revision?: number;
  /** Warning blocks printed before the version, each as one string with its lines joined. */
  readonly warnings: readonly string[];
}

// The suffix is lazy so a distribution tag ending in "r" (`_Fedorar123`) still leaves `r<digits>` whole.
const VERSION_LINE = /^(\d+)\.(\d+)\.(\d+)(\S*?)(?:r(\d+))?$/;

export function parseVersion(text: string): VBoxVersion {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const index = lines.findLastIndex((l) => VERSION_LINE.test(l));
  const m = index < 0 ? null : VERSION_LINE.exec(lines[index]!);
  if (!m) throw new DcodError('VBOX_ERROR', `no version line in VBoxManage --version output: ${JSON.stringify(text.slice(0, 200))}`);
  return {
    raw: lines[index]!,
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    suffix: m[4]!,
    ...(m[5] === undefined ? {} : { revision: Number(m[5]) }),
    warnings: warningBlocks(lines.slice(0, index)),
  };
}

/** Groups `WARNING:` lines with their indented (now trimmed) continuations, blank lines included. */
function warningBlocks(lines: readonly string[]): string[] {
  const blocks: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('WARNING:')) blocks.push([line]);
    else if (line !== '') blocks.at(-1)?.push(line);
  }
  return blocks.map((b) => b.join(' '));
}

const BANNER = /Command Line Management Interface Version (\d+)\.(\d+)\.(\d+)(\S*)/;

/** The version in the banner printed by `VBoxManage` (and VBoxControl) with no arguments. */
export function parseBannerVersion(text: string): { major: number; minor: number; patch: number; suffix: string } | undefined {
  const m = BANNER.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), suffix: m[4]! } : undefined;
}

/** Compares two versions by major, minor, patch: negative, zero or positive. */
export function compareVersions(a: Pick<VBoxVersion, 'major' | 'minor' | 'patch'>, b: Pick<VBoxVersion, 'major' | 'minor' | 'patch'>): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
