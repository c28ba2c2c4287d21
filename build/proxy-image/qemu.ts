// Boots the appliance's disk under QEMU the way VirtualBox would present it to the guest: q35 (ICH9)
// machine, virtio NICs at VirtualBox's PCI slots for adapters 1–8, the configuration as SMBIOS strings
// (type 1 product = dcod-proxy, type 11 OEM string = dcod-config;…). Networking is QEMU's user mode
// with `restrict=on`: nothing the guest sends leaves QEMU; only the forwarded loopback port reaches
// the guest's sshd. For the boot test; not part of the image.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** PCI device numbers VirtualBox gives adapter slots 1–8 on bus 0 (BusAssignmentManager). */
export const VBOX_NIC_DEVICES = [3, 8, 9, 10, 16, 17, 18, 19] as const;

export interface QemuBoot {
  readonly disk: string;
  readonly diskFormat: 'vmdk' | 'raw';
  /** MACs of the NICs, slot 1 first (at most 8); slot 1 is the one with the forwarded SSH port. */
  readonly macs: readonly string[];
  readonly product: string;
  readonly oemStrings: readonly string[];
  readonly sshPort: number;
  readonly consoleLog: string;
  readonly memoryMB: number;
  /** 'tcg' (software, works anywhere) or 'kvm'. */
  readonly accel: 'tcg' | 'kvm';
}

export function qemuArgv(o: QemuBoot): string[] {
  if (o.macs.length < 1 || o.macs.length > VBOX_NIC_DEVICES.length) throw new Error('1 to 8 NICs');
  for (const s of o.oemStrings) if (s.includes(',')) throw new Error('an OEM string with a comma would need QEMU escaping');
  const argv = [
    'qemu-system-x86_64',
    '-machine', 'q35', '-accel', o.accel, '-m', String(o.memoryMB), '-smp', '1',
    '-display', 'none', '-monitor', 'none', '-serial', `file:${o.consoleLog}`, '-no-reboot',
    '-smbios', `type=1,product=${o.product}`,
    ...o.oemStrings.flatMap((s) => ['-smbios', `type=11,value=${s}`]),
    // snapshot=on: the guest's writes go to a temporary overlay, the image stays as built.
    '-drive', `file=${o.disk},format=${o.diskFormat},if=none,id=disk0,snapshot=on`,
    '-device', 'virtio-blk-pci,drive=disk0',
  ];
  o.macs.forEach((mac, i) => {
    const fwd = i === 0 ? `,hostfwd=tcp:127.0.0.1:${o.sshPort}-:22` : '';
    argv.push('-netdev', `user,id=net${i},restrict=on${fwd}`, '-device', `virtio-net-pci,netdev=net${i},mac=${mac},addr=${VBOX_NIC_DEVICES[i]!.toString(16)}.0`);
  });
  return argv;
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningVm {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Kills QEMU (and waits for it), whatever state it is in. */
  stop(): Promise<void>;
  console(): string;
}

export function startQemu(o: QemuBoot): RunningVm {
  fs.writeFileSync(o.consoleLog, '');
  const [file, ...args] = qemuArgv(o);
  const child = spawn(file as string, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (err) => {
      stderr += String(err);
      resolve(null);
    });
  });
  return {
    process: child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    console: () => `${fs.readFileSync(o.consoleLog, 'utf8')}${stderr ? `\n[qemu stderr]\n${stderr}` : ''}`,
  };
}
