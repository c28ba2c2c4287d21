import { useState } from 'react';
import type { ApiClient } from '../../src/api/contract';
import { toDcodError } from '../../src/errors';
import { startCapture, stopCapture, useTraffic } from './store';

/** Start/stop a capture on one switch, then open it in Wireshark or save it. */
export default function CaptureControls({ client, vni }: { client: ApiClient; vni: number }) {
  const capture = useTraffic((s) => s.trafficCaptures[vni]);
  const [filter, setFilter] = useState('');
  const [saveTo, setSaveTo] = useState('');
  const [note, setNote] = useState<{ text: string; error?: boolean } | null>(null);
  const running = capture?.state === 'capturing';
  const act = (work: () => Promise<string | void>) => async () => {
    setNote(null);
    try {
      const text = await work();
      if (text) setNote({ text });
    } catch (err) {
      setNote({ text: toDcodError(err).toString(), error: true });
    }
  };

  return (
    <div className="traffic-capture" data-testid={`capture-${vni}`}>
      <input aria-label="BPF filter" placeholder="BPF filter (optional), e.g. icmp or arp" value={filter} disabled={running} onChange={(e) => setFilter(e.target.value)} />
      {running ? (
        <button type="button" className="danger" onClick={act(() => stopCapture(client, vni))}>
          Stop capture
        </button>
      ) : (
        <button type="button" onClick={act(() => startCapture(client, vni, filter))}>
          Capture
        </button>
      )}
      {capture && (
        <span className={capture.state === 'failed' ? 'traffic-bad' : 'muted'} data-testid={`capture-${vni}-status`}>
          {capture.state === 'failed' ? `failed: ${capture.error?.message ?? ''}` : `${capture.state}: ${capture.packets} packets from ${capture.sources.map((s) => s.name).join(', ')}`}
        </span>
      )}
      {capture && capture.state !== 'capturing' && capture.state !== 'failed' && (
        <span className="traffic-capture-after">
          <button type="button" onClick={act(async () => ((await client.call('capture.open', { id: capture.id })).opened ? 'opened in Wireshark' : `Wireshark is not installed; the capture is at ${capture.file}`))}>
            Open in Wireshark
          </button>
          <input aria-label="Save capture to" placeholder="save to… (a path on the core's machine)" value={saveTo} onChange={(e) => setSaveTo(e.target.value)} />
          <button type="button" disabled={!saveTo.trim()} onClick={act(async () => `saved to ${(await client.call('capture.save', { id: capture.id, to: saveTo })).file}`)}>
            Save
          </button>
        </span>
      )}
      {note && <span className={note.error ? 'traffic-bad' : 'muted'}>{note.text}</span>}
    </div>
  );
}
