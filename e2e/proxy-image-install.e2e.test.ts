// Installing the proxy appliance on a lab VirtualBox host: the app finds the OVA in its folder, uploads
// it over SFTP on its SSH connection, imports it with VBoxManage and checks the VM it got. The OVA is a
// small one made by the image build's own packer (same descriptor, a 4 MiB disk): what is tested here
// is the installer and the OVA's format, not Debian.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidFrom } from '../build/proxy-image/descriptor';
import { packOva } from '../build/proxy-image/ova';
import { APPLIANCE, HARDWARE } from '../build/proxy-image/spec';
import { installAppliance, type InstallProgress } from '../src/appliance/install';
import { locateAppliance } from '../src/appliance/locate';
import { DcodError } from '../src/errors';
import { DMI_SYSTEM_PRODUCT } from '../src/overlay/appliance';
import { PROXY_PRODUCT } from '../src/overlay/names';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { currentLab, sshHost } from './support/lab';

const lab = currentLab();
const host = lab.hosts.find((h) => h.kind === 'virtualbox')!;
const VERSION = '0.0.1-lab';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcod-appliance-'));
const vms: string[] = [];
let runner: SshRunner;

function tinyAppliance(into: string): void {
  const raw = path.join(dir, 'disk.raw');
  const disk = Buffer.alloc(4 * 1024 * 1024);
  disk.write('not really Debian', 512);
  fs.writeFileSync(raw, disk);
  packOva({
    rawDisk: raw,
    ova: path.join(into, `${APPLIANCE}-${VERSION}.ova`),
    mtime: 1_700_000_000,
    level: 1,
    descriptor: {
      name: APPLIANCE,
      description: 'lab test appliance',
      ...HARDWARE,
      machineUuid: uuidFrom('lab vm'),
      disk: { uuid: uuidFrom('lab disk') },
      extradata: { [DMI_SYSTEM_PRODUCT]: PROXY_PRODUCT },
      product: { name: APPLIANCE, version: VERSION, vendor: 'DCoD' },
    },
  });
  fs.rmSync(raw);
}

async function vbox(command: string): Promise<string> {
  const res = await sshHost(host, `VBoxManage ${command}`);
  if (res.code !== 0) throw new Error(`VBoxManage ${command}: ${res.stderr}`);
  return res.stdout;
}

beforeAll(async () => {
  tinyAppliance(path.join(dir, 'appliance'));
  runner = new SshRunner(
    { host: host.address, port: host.port, username: lab.user, auth: { kind: 'key', privateKey: fs.readFileSync(lab.keyPath) }, shell: 'posix' },
    { knownHosts: await KnownHosts.open(undefined) },
  );
});

afterAll(async () => {
  for (const vm of vms) await sshHost(host, `VBoxManage unregistervm ${vm} --delete`);
  await sshHost(host, 'rm -rf .dcod');
  await runner?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('installing the proxy appliance on a VirtualBox host', () => {
  it('finds the newest OVA in the appliance folder and checks it against its .sha256', async () => {
    fs.copyFileSync(path.join(dir, 'appliance', `${APPLIANCE}-${VERSION}.ova`), path.join(dir, 'appliance', `${APPLIANCE}-0.0.0.ova`));
    const file = await locateAppliance({ dir: path.join(dir, 'appliance') });
    expect(file).toMatchObject({ name: `${APPLIANCE}-${VERSION}.ova`, version: VERSION });
    fs.rmSync(path.join(dir, 'appliance', `${APPLIANCE}-0.0.0.ova`));
  });

  it('uploads it with progress, imports it and verifies the VM: ICH9, 36 NICs, the proxy product', async () => {
    const file = await locateAppliance({ dir: path.join(dir, 'appliance') });
    const progress: InstallProgress[] = [];
    const vmName = `${APPLIANCE}-${VERSION}`;
    vms.push(vmName);
    const done = await installAppliance(runner, host.name, file, { onProgress: (p) => progress.push(p) });
    expect(done).toMatchObject({ vmName, uploaded: true, imported: true });
    expect(done.remoteOva).toMatch(new RegExp(`/\\.dcod/appliance/${APPLIANCE}-${VERSION}\\.ova$`));
    const uploads = progress.filter((p) => p.phase === 'upload');
    expect(uploads.at(-1)).toMatchObject({ percent: 100, bytes: file.bytes, totalBytes: file.bytes });
    expect(uploads.map((p) => p.percent)).toEqual([...uploads.map((p) => p.percent)].sort((a, b) => a - b));
    expect([...new Set(progress.map((p) => p.phase))]).toEqual(['check', 'upload', 'import', 'verify']);

    const info = await vbox(`showvminfo ${vmName} --machinereadable`);
    expect(info).toContain('chipset="ich9"');
    expect(info).toContain('nic36="null"');
    expect(info).toContain('nictype1="virtio"');
    expect(await vbox(`getextradata ${vmName} ${DMI_SYSTEM_PRODUCT}`)).toBe(`Value: ${PROXY_PRODUCT}\n`);
    expect((await sshHost(host, `ls -l .dcod/appliance/${file.name}`)).stdout).toContain(String(file.bytes));
  });

  it('does nothing on a host that already has it', async () => {
    const file = await locateAppliance({ dir: path.join(dir, 'appliance') });
    const again = await installAppliance(runner, host.name, file);
    expect(again).toMatchObject({ uploaded: false, imported: false });
  });

  it('imports another copy from the OVA already on the host, without uploading it again, and can remove it after', async () => {
    const file = await locateAppliance({ dir: path.join(dir, 'appliance') });
    vms.push('dcod-proxy-second');
    const second = await installAppliance(runner, host.name, file, { vmName: 'dcod-proxy-second', removeUpload: true });
    expect(second).toMatchObject({ vmName: 'dcod-proxy-second', uploaded: false, imported: true });
    expect(second.remoteOva).toBeUndefined();
    expect((await sshHost(host, `test -e .dcod/appliance/${file.name}`)).code).not.toBe(0);
  });

  it('refuses a VM of that name that is not the appliance, saying why', async () => {
    const file = await locateAppliance({ dir: path.join(dir, 'appliance') });
    await vbox('createvm --name not-a-proxy --register');
    vms.push('not-a-proxy');
    const err = await installAppliance(runner, host.name, file, { vmName: 'not-a-proxy' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DcodError);
    expect(err).toMatchObject({ code: 'INVALID_STATE' });
    expect(String(err)).toMatch(new RegExp(`installing the proxy appliance ${VERSION} on ${host.name}: the VM "not-a-proxy" is not the proxy appliance: its chipset is piix3, not ich9; it has \\d+ network adapters? enabled, not 36; its DMI system product is unset, not dcod-proxy`));
  });

  it('refuses an OVA that does not match its checksum file', async () => {
    const bad = path.join(dir, 'bad');
    tinyAppliance(bad);
    fs.appendFileSync(path.join(bad, `${APPLIANCE}-${VERSION}.ova`), 'x');
    await expect(locateAppliance({ dir: bad })).rejects.toMatchObject({ code: 'FILE_ERROR' });
  });
});
