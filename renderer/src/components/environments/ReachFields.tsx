import { SSL_MODES, sslModeOf, withSslMode, type ReachForm } from './reach-form.ts';

/** The connection path of an environment: TLS mode in the URL, an SSH bastion, a command that prints the password. */
export function ReachFields({ url, setUrl, form, setForm, suggestVerifyFull }: {
  url: string; setUrl: (url: string) => void; form: ReachForm; setForm: (f: ReachForm) => void; suggestVerifyFull: boolean;
}) {
  const postgresUrl = /^postgres(ql)?:\/\//.test(url);
  const set = (patch: Partial<ReachForm>) => setForm({ ...form, ...patch });
  return (
    <fieldset className="reach">
      <legend>Connection path</legend>
      {postgresUrl && (
        <label>
          TLS (sslmode, as libpq reads it)
          <select value={sslModeOf(url)} onChange={(e) => setUrl(withSslMode(url, e.target.value))} data-testid="env-sslmode">
            {SSL_MODES.map((m) => <option key={m} value={m}>{m || 'not set (prefer: no verification)'}</option>)}
          </select>
          {suggestVerifyFull && <span className="muted">A host that is not local: verify-full checks the server's certificate and name (add sslrootcert=… to the URL).</span>}
        </label>
      )}
      <label className="check">
        <input type="checkbox" checked={form.sshOn} onChange={(e) => set({ sshOn: e.target.checked })} data-testid="env-ssh-on" /> Through an SSH bastion
      </label>
      {form.sshOn && (
        <div className="ssh-fields">
          <label>SSH host<input value={form.sshHost} onChange={(e) => set({ sshHost: e.target.value })} required data-testid="env-ssh-host" /></label>
          <label>Port<input value={form.sshPort} onChange={(e) => set({ sshPort: e.target.value })} inputMode="numeric" pattern="[0-9]{1,5}" data-testid="env-ssh-port" /></label>
          <label>User<input value={form.sshUser} onChange={(e) => set({ sshUser: e.target.value })} required data-testid="env-ssh-user" /></label>
          <label>
            Authentication
            <select value={form.sshAuth} onChange={(e) => set({ sshAuth: e.target.value as ReachForm['sshAuth'] })} data-testid="env-ssh-auth">
              <option value="key">a private key file</option>
              <option value="agent">the ssh-agent</option>
            </select>
          </label>
          {form.sshAuth === 'key' && (
            <>
              <label>Key file<input value={form.identityFile} onChange={(e) => set({ identityFile: e.target.value })} required placeholder="~/.ssh/id_ed25519" data-testid="env-ssh-key" /></label>
              <label>Key passphrase<input type="password" autoComplete="new-password" value={form.sshPassphrase} onChange={(e) => set({ sshPassphrase: e.target.value })} placeholder="optional; kept like passwords, never in godwit.json" /></label>
            </>
          )}
          <label>known_hosts file<input value={form.knownHostsFile} onChange={(e) => set({ knownHostsFile: e.target.value })} placeholder="~/.ssh/known_hosts" /></label>
        </div>
      )}
      <label>
        Password command
        <input value={form.passwordCommand} onChange={(e) => set({ passwordCommand: e.target.value })} placeholder="optional, e.g. aws rds generate-db-auth-token …" data-testid="env-password-command" />
        <span className="muted">Run when a connection opens; its output is the password and is never shown or logged.</span>
      </label>
    </fieldset>
  );
}
