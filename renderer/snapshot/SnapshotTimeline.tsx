import { useCallback, useEffect, useState } from 'react';
import type { ApiClient, SnapshotSummary } from '../../src/api/contract';

/**
 * The datacenter's snapshots, oldest first, with Take, Restore and Delete. A restore puts the VMs and the
 * document back, then applies the plan the core makes for it, so the overlay follows.
 */
export default function SnapshotTimeline({ client, file, onError }: { client: ApiClient; file: string; onError: (message: string) => void }) {
  const [list, setList] = useState<readonly SnapshotSummary[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [name, setName] = useState('');

  const refresh = useCallback(() => {
    if (file) void client.call('snapshot.list', { file }).then(setList, (e: Error) => onError(e.message));
  }, [client, file, onError]);
  useEffect(refresh, [refresh]);

  const run = (label: string, work: () => Promise<unknown>) => {
    setBusy(label);
    void work()
      .catch((e: Error) => onError(e.message))
      .finally(() => {
        setBusy(null);
        refresh();
      });
  };
  const restore = (s: SnapshotSummary) =>
    run(`Restoring ${s.name}…`, async () => {
      await client.call('snapshot.restore', { file, name: s.name });
      const view = await client.call('plan.make', { file });
      await client.call('apply.run', { file, planId: view.planId });
    });

  return (
    <section className="dc-snapshots" aria-label="Snapshots">
      <div className="dc-row">
        <input aria-label="Snapshot name" placeholder="name (optional)" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="button" className="primary" disabled={!file || busy !== null} onClick={() => run('Taking a snapshot…', () => client.call('snapshot.take', { file, ...(name.trim() ? { name: name.trim() } : {}) }).then(() => setName('')))}>
          Take snapshot
        </button>
        {busy && <span className="dc-busy">{busy}</span>}
      </div>
      <ol className="dc-timeline" data-testid="snapshot-timeline">
        {list.map((s) => (
          <li key={s.name}>
            <strong>{s.name}</strong> <time dateTime={s.takenAt}>{new Date(s.takenAt).toLocaleString()}</time> · {s.vms.length} VMs · document {s.docVersion.slice(0, 12)}
            <button type="button" disabled={busy !== null} onClick={() => restore(s)}>
              Restore
            </button>
            <button type="button" disabled={busy !== null} onClick={() => run(`Deleting ${s.name}…`, () => client.call('snapshot.delete', { file, name: s.name }))}>
              Delete
            </button>
          </li>
        ))}
        {list.length === 0 && <li className="dc-empty">No snapshots yet.</li>}
      </ol>
    </section>
  );
}
