// The root file system image, made from a directory without mounting anything (mke2fs -d), and made
// reproducible: fixed UUID and directory-hash seed, every time stamp SOURCE_DATE_EPOCH. mke2fs fakes
// its own clock with E2FSPROGS_FAKE_TIME and adds files in sorted order, but it copies each file's
// ctime from the build tree (which no one can set) and stamps some reserved inodes with the real
// clock — a debugfs pass sets the times of every inode in use.
import fs from 'node:fs';
import { run } from '../../e2e/lab/run';

export interface Ext4Options {
  readonly bytes: number;
  readonly uuid: string;
  readonly label: string;
  /** SOURCE_DATE_EPOCH. */
  readonly epoch: number;
}

/**
 * The inodes in use, from `dumpe2fs` (its per-group "Free inodes: a-b, c" lines and the inodes per
 * group): every inode of the tree, hard links counted once, and the reserved ones.
 */
export function usedInodes(dumpe2fs: string): number[] {
  const perGroup = Number(/^Inodes per group:\s+(\d+)/m.exec(dumpe2fs)?.[1]);
  if (!Number.isInteger(perGroup) || perGroup <= 0) throw new Error('dumpe2fs output without "Inodes per group"');
  const groups = [...dumpe2fs.matchAll(/^Group (\d+):[^\n]*\n(?:[^\n]*\n)*?\s+Free inodes: ?([^\n]*)$/gm)];
  if (groups.length === 0) throw new Error('dumpe2fs output without groups');
  const used: number[] = [];
  for (const [, g, free] of groups) {
    const first = Number(g) * perGroup + 1;
    const isFree = new Set<number>();
    for (const part of (free ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      const [a, b = a] = part.split('-').map(Number) as [number, number?];
      for (let i = a; i <= b; i++) isFree.add(i);
    }
    for (let i = first; i < first + perGroup; i++) if (!isFree.has(i)) used.push(i);
  }
  return used;
}

/** debugfs's `-f` script setting the atime and ctime of these inodes (by number: no path quoting). */
export function timestampScript(inodes: readonly number[], epoch: number): string {
  return inodes.map((i) => `sif <${i}> ctime @${epoch}\nsif <${i}> atime @${epoch}\n`).join('');
}

export async function makeExt4(root: string, image: string, o: Ext4Options): Promise<void> {
  const env = { ...process.env, E2FSPROGS_FAKE_TIME: String(o.epoch), SOURCE_DATE_EPOCH: String(o.epoch) };
  fs.rmSync(image, { force: true });
  await run(
    [
      'mke2fs', '-q', '-F', '-t', 'ext4', '-b', '4096', '-m', '0', '-L', o.label, '-U', o.uuid,
      // Zero the inode tables now, so the kernel's lazy-init thread has nothing to write on first boot.
      '-E', `hash_seed=${o.uuid},root_owner=0:0,lazy_itable_init=0,nodiscard`,
      '-d', root, image, `${Math.floor(o.bytes / 1024)}k`,
    ],
    { env },
  );
  const script = `${image}.debugfs`;
  const dump = await run(['dumpe2fs', image], { env });
  fs.writeFileSync(script, timestampScript(usedInodes(dump.stdout), o.epoch));
  try {
    await run(['debugfs', '-w', '-f', script, image], { env });
  } finally {
    fs.rmSync(script, { force: true });
  }
  await run(['e2fsck', '-f', '-n', image], { env });
}
