/**
 * bench/export: exporting a datacenter whose one VM has a multi-GB disk — DCoD's exporter (VirtualBox
 * exports the OVA on the host, then it is streamed down over SFTP and hashed on the way) beside a plain
 * OpenSSH `sftp get` of the same OVA from the same host. The figures are the download throughput of each
 * and the exporter's peak RSS (this process: the service runs in it).
 * Goals: >= 90% of plain SFTP; RSS < 200 MB. Run: `npm run bench:export` (as root); BENCH_EXPORT_MB sets
 * the disk size (default 2047: the lab's simulated VBoxManage reads a disk whole, and Node reads at most
 * 2 GiB - 1 bytes at once).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import { createService } from '../src/api/service';
import type { LabInfo } from '../e2e/lab/lab';
import { labPaths } from '../e2e/lab/plan';
import { sshHost } from '../e2e/support/lab';
import { hashFile } from '../src/bundle/remote-files';
import { benchInLab, printRows, timed } from './support';

const SIZE_MB = Number(process.env.BENCH_EXPORT_MB ?? 2047);
const mbps = (bytes: number, ms: number) => bytes / 2 ** 20 / (ms / 1000);

async function measure(lab: LabInfo): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-bench-export-'));
  const on = async (command: string) => {
    const r = await sshHost('h1', command, { lab, timeoutMs: 900_000 });
    if (r.code !== 0) throw new Error(`${command}: ${r.stderr}`);
    return r.stdout;
  };
  try {
    // A DCoD VM of datacenter "bench" with a disk filled with SIZE_MB of data.
    await on(
      `set -e; cd "$HOME"; VBoxManage createvm --name big --groups /dcod/bench --register >/dev/null; VBoxManage setextradata big dcod/datacenter bench; VBoxManage setextradata big dcod/role vm; ` +
        `VBoxManage storagectl big --name SATA --add sata; VBoxManage createmedium disk --filename "$HOME/big.vdi" --size ${SIZE_MB} >/dev/null; ` +
        `VBoxManage storageattach big --storagectl SATA --port 0 --type hdd --medium "$HOME/big.vdi"; head -c ${SIZE_MB}M /dev/urandom > "$HOME/big.vdi"`,
    );
    const file = path.join(dir, 'datacenter.yaml');
    await writeFile(file, stringify({ apiVersion: 'dcod.dev/v1', kind: 'Datacenter', metadata: { name: 'bench' }, vms: [{ name: 'big', power: 'stopped', memoryMb: 64 }], placement: { big: 'h1' } }));

    // Plain: the same OVA, exported by VirtualBox, fetched by OpenSSH's sftp.
    await on('cd "$HOME" && VBoxManage export big --output "$HOME/plain.ova" >/dev/null');
    const plainBytes = Number((await on('stat -c %s "$HOME/plain.ova"')).trim());
    const got = path.join(dir, 'plain.ova');
    const plain = await timed(async () =>
      execFileSync('sftp', ['-q', '-F', '/dev/null', '-i', lab.keyPath, '-o', `UserKnownHostsFile=${labPaths(lab.dir).knownHosts}`, '-o', 'BatchMode=yes', '-b', '-', `${lab.user}@${lab.hosts[0]!.address}`], { input: `get plain.ova ${got}\n` }),
    );
    await on('rm -f "$HOME/plain.ova"');
    // The same bytes either way (VirtualBox's export is deterministic here): the exporter's SHA-256 must match.
    const plainSha = (await hashFile(got)).sha256;
    await rm(got, { force: true });

    const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
    try {
      const client = inProcessClient(core);
      for (const h of lab.hosts) {
        await client.call('hosts.add', { name: h.name, address: h.address, user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } });
      }
      let firstByte = 0;
      const off = client.on('bundle.progress', (p) => {
        if (p.phase === 'downloading' && firstByte === 0) firstByte = performance.now();
      });
      const rssBefore = process.resourceUsage().maxRSS;
      const out = path.join(dir, 'bundle');
      const total = await timed(() => client.call('bundle.export', { file, out }));
      off();
      const end = performance.now();
      const bytes = (await stat(path.join(out, 'vms/big.ova'))).size;
      const ourSha = total.value.files.find((f) => f.path === 'vms/big.ova')?.sha256;
      if (ourSha !== plainSha) console.log(`note: the OVAs differ (${ourSha?.slice(0, 12)} vs ${plainSha.slice(0, 12)}): VirtualBox stamped them differently`);
      const rssMb = process.resourceUsage().maxRSS / 1024;
      const downloadMs = end - firstByte;
      const ours = mbps(bytes, downloadMs);
      const theirs = mbps(plainBytes, plain.ms);
      printRows(`bench/export: one VM with a ${SIZE_MB} MiB disk (OVA ${(bytes / 2 ** 20).toFixed(0)} MiB), lab host h1 → laptop`, [
        { figure: 'download throughput (MiB/s)', dcod: ours.toFixed(1), baseline: `${theirs.toFixed(1)} (OpenSSH sftp get)`, ratio: `${((ours / theirs) * 100).toFixed(0)}%`, goal: '>= 90%' },
        { figure: 'whole export incl. VBoxManage export (s)', dcod: (total.ms / 1000).toFixed(1), baseline: '', goal: '' },
        { figure: 'exporter peak RSS (MB)', dcod: rssMb.toFixed(0), baseline: `${(rssBefore / 1024).toFixed(0)} before the export`, goal: '< 200' },
      ]);
    } finally {
      await core.close();
    }
  } finally {
    await on('VBoxManage unregistervm big --delete >/dev/null 2>&1; rm -f "$HOME/big.vdi" "$HOME/plain.ova"').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await benchInLab({ name: 'bexp', hosts: 1, cidr: '198.18.83.0/24' }, measure);
