/**
 * bench/export: exporting a datacenter whose one VM has a multi-GB disk — DCoD's exporter (VirtualBox
 * exports the OVA on the host, then it is streamed down over SFTP and hashed on the way) beside a plain
 * OpenSSH `sftp get` of the same OVA from the same host. The figures are the download throughput of each
 * and the exporter's peak RSS (this process: the service runs in it), and the CPU time each spends per GiB
 * (the lab's hosts share this machine's cores, so on a busy machine CPU per GiB is the steadier figure).
 * Rounds alternate plain and DCoD so both see the same load; the medians are printed. Then as many rounds
 * time the transfer alone, like for like: the VM's disk file on the host, by the exporter's `download()`
 * and by `sftp get`, without a `VBoxManage export` just before either (after the RSS is read).
 * Goals: >= 90% of plain SFTP; RSS < 200 MB. Run: `npm run bench:export` (as root); BENCH_EXPORT_MB sets
 * the disk size (default 2047: the lab's simulated VBoxManage reads a disk whole, and Node reads at most
 * 2 GiB - 1 bytes at once), BENCH_EXPORT_ROUNDS the rounds (default 3).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import { createService } from '../src/api/service';
import type { LabInfo } from '../e2e/lab/lab';
import { labPaths } from '../e2e/lab/plan';
import { sshHost } from '../e2e/support/lab';
import { download, intoFile } from '../src/bundle/remote-files';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { benchInLab, median, printRows, timed } from './support';

const SIZE_MB = Number(process.env.BENCH_EXPORT_MB ?? 2047);
const ROUNDS = Number(process.env.BENCH_EXPORT_ROUNDS ?? 3);
const mbps = (bytes: number, ms: number) => bytes / 2 ** 20 / (ms / 1000);

/** CPU seconds (user + system) of this process's waited-for children so far: /proc/self/stat cutime + cstime. */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of proc(5), in clock ticks (USER_HZ = 100)
}
const ownCpuSeconds = () => {
  const u = process.cpuUsage(); // all of this process's threads, the file sink's worker included
  return (u.user + u.system) / 1e6;
};

/** OpenSSH's `sftp get` of a file in the lab user's home on h1. */
function sftpGet(lab: LabInfo, remote: string, local: string): void {
  execFileSync('sftp', ['-q', '-F', '/dev/null', '-i', lab.keyPath, '-o', `UserKnownHostsFile=${labPaths(lab.dir).knownHosts}`, '-o', 'BatchMode=yes', '-b', '-', `${lab.user}@${lab.hosts[0]!.address}`], { input: `get ${remote} ${local}\n` });
}

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

    const runner = new SshRunner(
      { host: lab.hosts[0]!.address, port: 22, username: lab.user, auth: { kind: 'key', privateKey: readFileSync(lab.keyPath) }, shell: 'posix' },
      { knownHosts: await KnownHosts.open(undefined) },
    );
    const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
    try {
      const client = inProcessClient(core);
      for (const h of lab.hosts) {
        await client.call('hosts.add', { name: h.name, address: h.address, user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } });
      }
      const rssBefore = process.resourceUsage().maxRSS;
      const rounds: { plain: number; ours: number; plainCpu: number; oursCpu: number; load: number }[] = [];
      let bytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Plain: the same OVA, exported by VirtualBox, fetched by OpenSSH's sftp.
        await on('cd "$HOME" && VBoxManage export big --output "$HOME/plain.ova" >/dev/null');
        const plainBytes = Number((await on('stat -c %s "$HOME/plain.ova"')).trim());
        const got = path.join(dir, 'plain.ova');
        const cpu0 = childrenCpuSeconds();
        const plain = await timed(async () => sftpGet(lab, 'plain.ova', got));
        const plainCpu = childrenCpuSeconds() - cpu0;
        await on('rm -f "$HOME/plain.ova"');
        await rm(got, { force: true });

        // DCoD: a fresh bundle folder each round (a re-run into the same one would skip the finished OVA).
        // Timed from the first byte to the last, as `sftp get` is: not the removal of the OVA on the host
        // after it (a 2 GiB unlink), which the plain side does after its clock stops too.
        let firstByte = 0;
        let lastByte = 0;
        let cpuAtFirstByte = 0;
        let cpuAtLastByte = 0;
        const off = client.on('bundle.progress', (p) => {
          if (p.phase !== 'downloading') return;
          if (firstByte === 0) {
            firstByte = performance.now();
            cpuAtFirstByte = ownCpuSeconds();
          }
          if (p.totalBytes > 0 && p.doneBytes === p.totalBytes) {
            lastByte = performance.now();
            cpuAtLastByte = ownCpuSeconds();
          }
        });
        const out = path.join(dir, `bundle-${round}`);
        await client.call('bundle.export', { file, out });
        const end = lastByte;
        const oursCpu = cpuAtLastByte - cpuAtFirstByte;
        off();
        bytes = (await stat(path.join(out, 'vms/big.ova'))).size;
        await rm(out, { recursive: true, force: true });
        const gib = bytes / 2 ** 30;
        rounds.push({
          plain: mbps(plainBytes, plain.ms),
          ours: mbps(bytes, end - firstByte),
          plainCpu: plainCpu / gib,
          oursCpu: oursCpu / gib,
          load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
        });
        const r = rounds.at(-1)!;
        console.log(`round ${round + 1}: plain ${r.plain.toFixed(0)} MiB/s (${r.plainCpu.toFixed(2)} CPU s/GiB), dcod ${r.ours.toFixed(0)} MiB/s (${r.oursCpu.toFixed(2)} CPU s/GiB), load ${r.load}`);
      }
      const m = (k: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[k]));
      const rssMb = process.resourceUsage().maxRSS / 1024; // the exporter's: read before the transfers below

      // The transfer alone, like for like: the disk file as it sits on the host, by DCoD's download (the
      // exporter's own code, without the export around it) and by `sftp get`, alternating.
      const transfers: { copy: number; sftp: number }[] = [];
      const disk = `${(await on('printf %s "$HOME"')).trim()}/big.vdi`;
      const copied = path.join(dir, 'copy.vdi');
      for (let round = 0; round < ROUNDS; round++) {
        const copy = await timed(() => download(runner, disk, intoFile(copied)));
        await rm(copied, { force: true });
        const sftp = await timed(async () => sftpGet(lab, 'big.vdi', copied));
        await rm(copied, { force: true });
        transfers.push({ copy: mbps(SIZE_MB * 2 ** 20, copy.ms), sftp: mbps(SIZE_MB * 2 ** 20, sftp.ms) });
        console.log(`transfer ${round + 1}: download() ${transfers.at(-1)!.copy.toFixed(0)} MiB/s, sftp get ${transfers.at(-1)!.sftp.toFixed(0)} MiB/s`);
      }
      const t = (k: 'copy' | 'sftp') => median(transfers.map((x) => x[k]));
      printRows(`bench/export: one VM with a ${SIZE_MB} MiB disk (OVA ${(bytes / 2 ** 20).toFixed(0)} MiB), lab host h1 → laptop, median of ${ROUNDS} alternating rounds, load average ${rounds.map((r) => r.load).join(', ')}`, [
        { figure: 'download throughput (MiB/s)', dcod: m('ours').toFixed(1), baseline: `${m('plain').toFixed(1)} (OpenSSH sftp get)`, ratio: `${((m('ours') / m('plain')) * 100).toFixed(0)}% (per round: ${rounds.map((r) => `${((r.ours / r.plain) * 100).toFixed(0)}%`).join(', ')})`, goal: '>= 90%' },
        { figure: 'the transfer alone (MiB/s)', dcod: `${t('copy').toFixed(1)} (download(), hashed)`, baseline: `${t('sftp').toFixed(1)} (sftp get)`, ratio: `${((t('copy') / t('sftp')) * 100).toFixed(0)}% (per round: ${transfers.map((x) => `${((x.copy / x.sftp) * 100).toFixed(0)}%`).join(', ')})`, goal: '' },
        { figure: 'laptop CPU per GiB downloaded (s)', dcod: `${m('oursCpu').toFixed(2)} (SSH, SHA-256, write)`, baseline: `${m('plainCpu').toFixed(2)} (sftp + ssh, no hash)`, goal: '' },
        { figure: 'exporter peak RSS (MB)', dcod: rssMb.toFixed(0), baseline: `${(rssBefore / 1024).toFixed(0)} before the exports`, goal: '< 200' },
      ]);
    } finally {
      await Promise.all([core.close(), runner.close()]);
    }
  } finally {
    await on('VBoxManage unregistervm big --delete >/dev/null 2>&1; rm -f "$HOME/big.vdi" "$HOME/plain.ova"').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await benchInLab({ name: 'bexp', hosts: 1, cidr: '198.18.83.0/24' }, measure);
