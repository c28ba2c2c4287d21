/**
 * Benchmarks run against a lab of their own (never the test lab), from inside its laptop namespace, and
 * print their figures side by side with a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { labDown, labUp, readLabInfo, type LabInfo } from '../e2e/lab/lab';
import type { LabOptions } from '../e2e/lab/plan';

const INSIDE = 'DCOD_BENCH_INSIDE';

/** Brings the lab up, re-runs this script inside its laptop, and takes the lab down whatever happens. */
export async function benchInLab(opts: LabOptions & { name: string }, measure: (lab: LabInfo) => Promise<void>): Promise<void> {
  if (process.env[INSIDE] === opts.name) {
    const lab = readLabInfo(opts.name);
    if (!lab) throw new Error(`lab ${opts.name} is not up`);
    await measure(lab);
    return;
  }
  await labUp(opts);
  try {
    const res = spawnSync('nsenter', [`--net=/run/netns/${opts.name}-laptop`, '--', process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [INSIDE]: opts.name, DCOD_LAB: opts.name },
    });
    process.exitCode = res.status ?? 1;
  } finally {
    await labDown(opts.name);
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Row {
  readonly figure: string;
  readonly dcod: string;
  readonly baseline: string;
  readonly ratio?: string;
  readonly goal: string;
}

export function printRows(title: string, rows: readonly Row[]): void {
  const cells = [['figure', 'dcod', 'baseline', 'ratio', 'goal'], ...rows.map((r) => [r.figure, r.dcod, r.baseline, r.ratio ?? '', r.goal])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  console.log(`\n${title}`);
  for (const c of cells) console.log(c.map((x, i) => x.padEnd(widths[i]!)).join('  '));
}
