import { AUTH_METHODS, type Credentials, type FieldErrors } from './host-form';
import Field from './Field';

/**
 * User and credentials, shared by the Add host form and the Discover dialog. The password is the
 * caller's own state (never the store); the field doesn't let the browser offer to save it.
 */
export default function CredentialFields({ value, password, errors = {}, userHint, testIdPrefix, onChange, onPassword }: {
  value: Credentials;
  password: string;
  errors?: FieldErrors;
  userHint?: string;
  testIdPrefix: string;
  onChange: (patch: Partial<Credentials>) => void;
  onPassword: (password: string) => void;
}) {
  return (
    <>
      <Field label="User" error={errors.user} testId={`${testIdPrefix}-user`} {...(userHint ? { hint: userHint } : {})}>
        {(p) => <input {...p} value={value.user} onChange={(e) => onChange({ user: e.target.value })} autoComplete="off" spellCheck={false} data-testid={`${testIdPrefix}-user`} />}
      </Field>
      <fieldset className="auth-methods" aria-invalid={errors.method ? true : undefined}>
        <legend>Log in with</legend>
        {AUTH_METHODS.map((m) => (
          <label key={m.method} className="radio">
            <input
              type="radio"
              name={`${testIdPrefix}-method`}
              value={m.method}
              checked={value.method === m.method}
              onChange={() => onChange({ method: m.method })}
              data-testid={`${testIdPrefix}-method-${m.method}`}
            />
            {m.label}
          </label>
        ))}
        {errors.method && <span className="field-error">{errors.method}</span>}
      </fieldset>
      {value.method === 'password' && (
        <Field label="Password" error={errors.password} testId={`${testIdPrefix}-password`} hint="Kept in DCoD's keychain, never in a file.">
          {(p) => <input {...p} type="password" value={password} onChange={(e) => onPassword(e.target.value)} autoComplete="new-password" data-testid={`${testIdPrefix}-password`} />}
        </Field>
      )}
      {value.method === 'key' && (
        <Field label="Private key file" error={errors.keyFile} testId={`${testIdPrefix}-keyfile`} hint="A path on this machine, e.g. ~/.ssh/id_ed25519">
          {(p) => <input {...p} value={value.keyFile} onChange={(e) => onChange({ keyFile: e.target.value })} spellCheck={false} data-testid={`${testIdPrefix}-keyfile`} />}
        </Field>
      )}
      {value.method === 'agent' && <p className="field-hint">Uses the SSH agent DCoD was started with (SSH_AUTH_SOCK).</p>}
    </>
  );
}
