import { memo, useId, useState } from 'react';

/**
 * A host key waiting for the user's word. A key seen for the first time is checked against the host; a
 * CHANGED key can mean someone is intercepting the connection, so accepting it takes an explicit tick.
 */
function HostKeyPrompt({ name, fingerprint, changed, onAccept }: { name: string; fingerprint: string; changed: boolean; onAccept: (name: string, fingerprint: string) => void }) {
  const [understood, setUnderstood] = useState(false);
  const checkId = useId();
  return (
    <div className={changed ? 'host-key host-key-changed' : 'host-key'} data-testid="host-key" role={changed ? 'alert' : undefined}>
      {changed ? (
        <p>
          <strong>Warning: this host&apos;s key CHANGED.</strong> Someone may be intercepting the connection, or the host was
          reinstalled. Accept the new key only if you know why it changed.
        </p>
      ) : (
        <p>First connection: compare this fingerprint with the host&apos;s own before you trust it.</p>
      )}
      <code className="fingerprint" data-testid="host-key-fingerprint">
        {fingerprint}
      </code>
      {changed && (
        <label htmlFor={checkId} className="check">
          <input id={checkId} type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />I know why the key changed
        </label>
      )}
      <button type="button" className={changed ? 'danger' : 'primary'} disabled={changed && !understood} onClick={() => onAccept(name, fingerprint)} data-testid="host-accept-key">
        Accept key
      </button>
    </div>
  );
}

export default memo(HostKeyPrompt);
