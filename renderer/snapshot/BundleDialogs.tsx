import { useEffect, useState } from 'react';
import type { ApiClient, BundleProgress } from '../../src/api/contract';
import { useEditor } from '../store/editor';
import ProgressBar from './ProgressBar';

/**
 * Export the datacenter to a bundle (a folder, or one file when its name ends in .dcod), or import one
 * onto the inventory's hosts — both with a
 * progress bar (bytes, rate, time left) and Cancel. An imported datacenter is applied, then opened on the
 * canvas.
 */
export default function BundleDialogs({ client, file, onError }: { client: ApiClient; file: string; onError: (message: string) => void }) {
  const [progress, setProgress] = useState<BundleProgress | null>(null);
  const [out, setOut] = useState('');
  const [bundle, setBundle] = useState('');
  const [target, setTarget] = useState('');
  const [done, setDone] = useState('');
  const running = progress !== null;

  useEffect(() => client.on('bundle.progress', setProgress), [client]);

  const run = (work: () => Promise<string>) => {
    setDone('');
    setProgress({ operation: 'export', phase: 'reading', doneBytes: 0, totalBytes: 0, bytesPerSecond: 0, etaSeconds: null });
    void work()
      .then(setDone, (e: Error) => onError(e.message))
      .finally(() => setProgress(null));
  };
  const exportNow = () =>
    run(async () => {
      const m = await client.call('bundle.export', { file, out: out.trim() });
      return `Exported ${m.vms.length} VMs and ${m.volumes.length} volumes to ${out.trim()}.`;
    });
  const importNow = () =>
    run(async () => {
      const r = await client.call('bundle.import', { bundle: bundle.trim(), file: target.trim() });
      const view = await client.call('plan.make', { file: r.file });
      const applied = await client.call('apply.run', { file: r.file, planId: view.planId });
      useEditor.getState().load(r.document);
      const moved = r.remapped.map((m) => ` VNI ${m.from} of ${m.switch} became ${m.to}.`).join('');
      return `Imported ${r.datacenter} onto ${new Set(Object.values(r.placement)).size} hosts${applied.ok ? '' : ' (the apply did not finish: see the activity log)'}.${moved}`;
    });

  return (
    <section className="dc-bundles" aria-label="Export and import">
      <div className="dc-row">
        <input aria-label="Bundle to export to" placeholder="export to a folder, or FILE.dcod" value={out} onChange={(e) => setOut(e.target.value)} disabled={running} />
        <button type="button" disabled={!file || !out.trim() || running} onClick={exportNow}>
          Export
        </button>
      </div>
      <div className="dc-row">
        <input aria-label="Bundle to import" placeholder="bundle folder or FILE.dcod" value={bundle} onChange={(e) => setBundle(e.target.value)} disabled={running} />
        <input aria-label="Document to write" placeholder="new datacenter.yaml" value={target} onChange={(e) => setTarget(e.target.value)} disabled={running} />
        <button type="button" disabled={!bundle.trim() || !target.trim() || running} onClick={importNow}>
          Import
        </button>
      </div>
      <ProgressBar progress={progress} onCancel={() => void client.call('bundle.cancel')} />
      {done && <p className="dc-done">{done}</p>}
    </section>
  );
}
