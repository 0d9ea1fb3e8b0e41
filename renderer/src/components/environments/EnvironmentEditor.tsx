import { useState } from 'react';
import { useApp } from '../../store/index.ts';
import { call } from '../../api/transport.ts';
import { Modal } from '../common/Modal.tsx';
import type { ConnectionHopsDto } from '../../../../electron/shared/dto.ts';
import { ReachFields } from './ReachFields.tsx';
import { HopResults } from './HopResults.tsx';
import { reachFormOf, reachInput } from './reach-form.ts';

/** Add, edit or remove an environment of godwit.json; passwords belong in env: variables, never in the file. */
export function EnvironmentEditor({ name }: { name: string | null }) {
  const { project, openDialog, setProject, refreshStatus } = useApp();
  const existing = project?.environments.find((e) => e.name === name);
  const [form, setForm] = useState({ name: existing?.name ?? '', url: existing?.url ?? 'env:DATABASE_URL', protected: existing?.protected ?? false, password: '' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [removing, setRemoving] = useState(false);
  const [typed, setTyped] = useState('');
  const [reach, setReach] = useState(() => reachFormOf(existing));
  const [hops, setHops] = useState<ConnectionHopsDto | null>(null);
  // The service refuses these on a protected environment without its exact name (as it refuses a run).
  const weakens = !!existing?.protected && (!form.protected || form.url !== existing.url || form.name !== existing.name);
  const close = () => openDialog(null);
  const save = async () => {
    try {
      setProject(await call('environments/save', { name: form.name, url: form.url, protected: form.protected, previousName: existing?.name, password: form.password || undefined, confirm: weakens ? typed : undefined, ...reachInput(reach, existing) }));
      close();
      await refreshStatus();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  const remove = async () => {
    try {
      setProject(await call('environments/remove', { name: existing!.name, confirm: existing!.protected ? typed : existing!.name }));
      close();
      await refreshStatus();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  const test = async () => {
    setHops(null);
    const r = await call('environments/test', { url: form.url, name: existing?.name, password: form.password || undefined }).catch((err: Error) => ({ ok: false, message: err.message }));
    setMessage({ ok: r.ok, text: r.message });
  };
  /** Hop by hop (SSH, TLS, authentication) as saved: tunnels and password commands live in godwit.json. */
  const testHops = async (acceptHostKey?: string) => {
    setMessage(null);
    try {
      setHops(await call('environments/testConnection', { name: existing!.name, password: form.password || undefined, ...(acceptHostKey ? { acceptHostKey } : {}) }));
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  return (
    <Modal open onClose={close} title={existing ? `Environment ${existing.name}` : 'New environment'} description="Saved in godwit.json beside the project. Use env:VARIABLE for URLs with passwords.">
      <form className="form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" /></label>
        <label>URL<input value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} required placeholder="env:DATABASE_URL, postgresql://user@host/db or embedded:name" /></label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} placeholder={existing?.passwordStored ? 'stored — leave empty to keep it' : 'optional'} />
          <span className="muted">{project?.secretStorage ? `Passwords are ${project.secretStorage}; never in godwit.json.` : ''}</span>
        </label>
        <ReachFields url={form.url} setUrl={(url) => setForm({ ...form, url })} form={reach} setForm={setReach} suggestVerifyFull={!!existing?.reach?.suggestVerifyFull} />
        <label className="check"><input type="checkbox" checked={form.protected} onChange={(e) => setForm({ ...form, protected: e.target.checked })} /> Protected (changes need the name typed)</label>
        {existing?.protected && (weakens || removing) && (
          <label>
            {removing ? `Removing the protected environment ${existing.name}` : `This unprotects, moves or renames the protected environment ${existing.name}`}: type its name to confirm
            <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Type the environment's name to confirm" data-testid="env-confirm-name" autoComplete="off" />
          </label>
        )}
        {removing && !existing?.protected && <p className="error" role="alert">Remove {existing?.name} from godwit.json? Its stored password is forgotten too.</p>}
        {message && <p className={message.ok ? 'ok' : 'error'} role="status">{message.text}</p>}
        {hops && <HopResults result={hops} onAccept={(fp) => void testHops(fp)} />}
        <div className="actions">
          <button type="button" onClick={() => void test()}>Test connection</button>
          {existing && <button type="button" onClick={() => void testHops()} title="SSH, TLS and authentication, one by one, as saved">Test each hop</button>}
          {existing && !removing && <button type="button" className="danger" onClick={() => { setRemoving(true); setTyped(''); }}>Remove…</button>}
          {existing && removing && (
            <>
              <button type="button" className="danger" data-testid="env-remove-confirm" disabled={existing.protected && typed !== existing.name} onClick={() => void remove()}>Remove {existing.name}</button>
              <button type="button" onClick={() => setRemoving(false)}>Keep it</button>
            </>
          )}
          <span className="spacer" />
          <button type="button" onClick={close}>Cancel</button>
          <button type="submit" className="primary" disabled={removing || (weakens && typed !== existing?.name)}>Save</button>
        </div>
      </form>
    </Modal>
  );
}
