import type { OperationInput, OperationName, OperationOutput, ProgressEventDto, Result } from '../../../electron/shared/contract.ts';

/** What the Electron preload exposes: one function per operation, and a progress subscription. */
type Bridge = { [K in OperationName]: (input: OperationInput<K>) => Promise<Result<OperationOutput<K>>> } & {
  onProgress(listener: (e: ProgressEventDto) => void): () => void;
};

declare global {
  interface Window {
    godwit?: Bridge;
  }
}

/** The error the back end reported, kept whole so the UI can show it (and a failing statement) where it happened. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly failure?: Extract<Result<never>, { ok: false }>['error']['failure']) {
    super(message);
  }
}

/** Browser mode's token: from the URL godwit serve printed, then kept for reloads and removed from the address bar. */
function browserToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('godwit-token', fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  return sessionStorage.getItem('godwit-token') ?? '';
}

let token: string | undefined;

async function httpCall<K extends OperationName>(name: K, input: OperationInput<K>): Promise<Result<OperationOutput<K>>> {
  token ??= browserToken();
  const res = await fetch(`./api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-godwit-token': token }, body: JSON.stringify(input) });
  return (await res.json()) as Result<OperationOutput<K>>;
}

/** Calls an operation of the contract over IPC (Electron) or HTTP (browser mode). */
export async function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
  const bridge = window.godwit;
  const result = bridge ? await (bridge[name] as (i: OperationInput<K>) => Promise<Result<OperationOutput<K>>>)(input) : await httpCall(name, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.failure);
  return result.value;
}

/** Progress events of upgrades and rollbacks. */
export function onProgress(listener: (e: ProgressEventDto) => void): () => void {
  if (window.godwit) return window.godwit.onProgress(listener);
  token ??= browserToken();
  let closed = false;
  let ws: WebSocket | undefined;
  const connect = () => {
    const url = new URL(`./api/events?token=${token}`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(url);
    ws.onmessage = (m) => listener(JSON.parse(String(m.data)) as ProgressEventDto);
    ws.onclose = () => {
      if (!closed) setTimeout(connect, 1000);
    };
  };
  connect();
  return () => {
    closed = true;
    ws?.close();
  };
}
