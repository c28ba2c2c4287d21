import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doc } from '../model/document.testkit';
import { saveDocumentFile } from '../model/document-file';
import { observedHost, observedVm } from '../plan/observed.testkit';
import type { HostAccess } from '../snapshot/host-access';
import { exportBundle } from './export';

let dir: string | undefined;
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe('exportBundle, before any host is touched', () => {
  const datacenter = doc({ vms: [{ name: 'web', power: 'stopped' }, { name: 'db', power: 'stopped' }] });
  const access = (hosts: ReturnType<typeof observedHost>[]): HostAccess => ({
    inventory: async () => [],
    refresh: async () => hosts,
    runnerFor: () => Promise.reject(new Error('no host may be reached')),
  });

  it("blames a host that couldn't be read, not the document, for the VMs it can't see", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-export-test-'));
    const file = path.join(dir, 'datacenter.yaml');
    await saveDocumentFile(file, datacenter);
    const h2 = { ...observedHost({ host: 'h2', reachable: false }), error: { code: 'VBOX_ERROR' as const, message: 'VBoxManage list vms failed', retryable: true, context: [] } };
    const out = path.join(dir, 'bundle');
    await expect(exportBundle(access([observedHost({ host: 'h1', vms: [observedVm({ name: 'web', state: 'poweroff' })] }), h2]), file, out)).rejects.toMatchObject({
      code: 'VBOX_ERROR',
      message: 'VBoxManage list vms failed',
      context: ['export of dc', 'reading h2'],
    });
    // With every host read, a VM on none of them is the document's to fix.
    await expect(exportBundle(access([observedHost({ host: 'h1', vms: [observedVm({ name: 'web', state: 'poweroff' })] })]), file, out)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: "can't export dc: db is on no host; apply the document first",
    });
    expect(await readdir(dir)).toEqual(['datacenter.yaml']);
  });
});
