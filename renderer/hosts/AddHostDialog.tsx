import { useState, type FormEvent } from 'react';
import type { ApiClient } from '../../src/api/contract';
import { toDcodError } from '../../src/errors';
import { addHost } from '../store/hosts';
import CredentialFields from './CredentialFields';
import Field from './Field';
import { fieldErrorsOf, HOST_OSES, hostInputOf, type FieldErrors, type HostDraft, type HostOs } from './host-form';
import Modal from './Modal';

/**
 * The "Add host" form. The core validates (and answers BAD_REQUEST with what is wrong, shown by the field
 * it names); the password is sent once to `hosts.add`, which seals it in the keychain, and the field is
 * emptied after every submit, whatever the answer.
 */
export default function AddHostDialog({ client, initial, onClose }: { client: ApiClient; initial: HostDraft; onClose: () => void }) {
  const [draft, setDraft] = useState(initial);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<HostDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = hostInputOf(draft, password);
    if ('errors' in made) return setErrors(made.errors);
    setPassword('');
    setBusy(true);
    try {
      await addHost(client, made.input);
      onClose();
    } catch (err) {
      setErrors(fieldErrorsOf(toDcodError(err).toInfo()));
      setBusy(false);
    }
  };

  return (
    <Modal title="Add a VirtualBox host" testId="add-host-dialog" onClose={onClose}>
      <form className="host-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Name" error={errors.name} testId="add-host-name" hint="How DCoD calls it: letters, digits, . _ -">
            {(p) => <input {...p} value={draft.name} onChange={(e) => change({ name: e.target.value })} autoFocus spellCheck={false} data-testid="add-host-name" />}
          </Field>
          <Field label="Address" error={errors.address} testId="add-host-address">
            {(p) => <input {...p} value={draft.address} onChange={(e) => change({ address: e.target.value })} placeholder="192.168.1.20 or host.lan" spellCheck={false} data-testid="add-host-address" />}
          </Field>
          <Field label="SSH port" error={errors.port} testId="add-host-port">
            {(p) => <input {...p} value={draft.port} onChange={(e) => change({ port: e.target.value })} inputMode="numeric" data-testid="add-host-port" />}
          </Field>
          <Field label="Operating system" error={errors.os}>
            {(p) => (
              <select {...p} value={draft.os} onChange={(e) => change({ os: e.target.value as HostOs })} data-testid="add-host-os">
                {HOST_OSES.map((os) => (
                  <option key={os} value={os}>
                    {os}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <CredentialFields value={draft} password={password} errors={errors} testIdPrefix="add-host" onChange={change} onPassword={setPassword} />
        {errors.form && (
          <p className="form-error" role="alert" data-testid="add-host-error">
            {errors.form}
          </p>
        )}
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="add-host-submit">
            {busy ? 'Adding…' : 'Add host'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
