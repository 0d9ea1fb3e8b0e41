import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
// Types only: ssh2 costs ~35 ms to load, which commands without a tunnel should not pay (loaded in connectSsh).
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { GodwitError } from '../util/errors.ts';
import { addKnownHost, checkHostKey, defaultKnownHostsFile, hostKeyFingerprint, knownHostsName } from './known-hosts.ts';

/** An environment's `"ssh"` block in godwit.json: the bastion the database is reached through. */
export interface SshSettings {
  host: string;
  port?: number | undefined;
  user: string;
  /** A private key file; `~/` is the home folder. */
  identityFile?: string | undefined;
  /** Use the running ssh-agent (SSH_AUTH_SOCK) instead of a key file. */
  agent?: boolean | undefined;
  /** Default ~/.ssh/known_hosts. */
  knownHostsFile?: string | undefined;
  /** The key's passphrase: `env:VAR` (the app can also give it from its secret store). */
  passphrase?: string | undefined;
}

export interface TunnelOptions {
  /** Environment name, for messages. */
  environment: string;
  /** A fingerprint the user accepted for an unknown host key (`--accept-host-key`); it is then added to known_hosts. */
  acceptHostKey?: string | undefined;
  /** The key passphrase when the settings hold none (the app's secret store). */
  passphrase?: string | undefined;
}

/** Fingerprints accepted for this process (the CLI's --accept-host-key). */
const acceptedForProcess = new Set<string>();
export function acceptHostKey(fingerprint: string): void {
  acceptedForProcess.add(fingerprint.trim());
}

const KEEPALIVE_MS = 15_000;
const READY_TIMEOUT_MS = 10_000;

const home = (p: string) => p.replace(/^~(?=\/|$)/, process.env.HOME ?? '~');

/** One SSH connection shared by every database connection of the sessions that hold it. */
export interface Tunnel {
  readonly where: string;
  /** A stream to host:port on the far side, for pg's `stream` option (pg calls connect(port, host) on it). */
  stream(): Duplex;
  release(): Promise<void>;
}

/** A Duplex that pg drives like a socket; its connect() opens a forwarded channel through the SSH connection. */
class ChannelStream extends Duplex {
  private channel: ClientChannel | undefined;
  /** ssh2 does not close open channels when the connection itself drops: pg would wait forever for an answer. */
  private readonly onTunnelGone = () => {
    this.destroy(Object.assign(new Error('Connection terminated unexpectedly: the SSH tunnel closed.'), { code: 'ECONNRESET' }));
  };
  constructor(private readonly client: Client) {
    super();
    client.once('close', this.onTunnelGone);
  }
  connect(port: number, host: string): this {
    this.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
      if (err) {
        this.destroy(Object.assign(new Error(`The SSH server could not open a connection to ${host}:${port}: ${err.message}`), { code: 'ECONNREFUSED' }));
        return;
      }
      this.channel = channel;
      channel.on('data', (d: Buffer) => {
        if (!this.push(d)) channel.pause();
      });
      channel.on('end', () => this.push(null));
      channel.on('close', () => this.destroy());
      channel.on('error', (e: Error) => this.destroy(e));
      this.emit('connect');
    });
    return this;
  }
  override _read(): void {
    this.channel?.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.channel) return cb(new Error('The SSH channel is not open.'));
    this.channel.write(chunk, cb);
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.channel?.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.client.off('close', this.onTunnelGone);
    this.channel?.destroy();
    cb(err);
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

interface Shared {
  client: Promise<Client>;
  refs: number;
  closed: boolean;
}
const open = new Map<string, Shared>();

function resolveSecret(value: string | undefined, what: string): string | undefined {
  if (!value?.startsWith('env:')) return value;
  const v = process.env[value.slice(4)];
  if (!v) throw new GodwitError('unset-variable', `${what} uses ${value}, but ${value.slice(4)} is not set.`);
  return v;
}

async function connectSsh(s: SshSettings, opts: TunnelOptions): Promise<Client> {
  const port = s.port ?? 22;
  const where = `${s.user}@${s.host}:${port}`;
  const knownHosts = home(s.knownHostsFile ?? defaultKnownHostsFile());
  const config: ConnectConfig = {
    host: s.host,
    port,
    username: s.user,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: 3,
    readyTimeout: READY_TIMEOUT_MS,
  };
  if (s.agent) {
    if (!process.env.SSH_AUTH_SOCK) throw new GodwitError('ssh-no-agent', `Environment "${opts.environment}": ssh.agent is set, but no ssh-agent is running (SSH_AUTH_SOCK is unset).`);
    config.agent = process.env.SSH_AUTH_SOCK;
  } else if (s.identityFile) {
    try {
      config.privateKey = readFileSync(home(s.identityFile));
    } catch (err) {
      throw new GodwitError('ssh-key-unreadable', `Environment "${opts.environment}": cannot read the SSH key ${s.identityFile} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const passphrase = resolveSecret(s.passphrase, `Environment "${opts.environment}" ssh.passphrase`) ?? opts.passphrase;
    if (passphrase) config.passphrase = passphrase;
  } else {
    throw new GodwitError('ssh-no-key', `Environment "${opts.environment}": ssh needs "identityFile" or "agent": true.`);
  }
  let refusal: GodwitError | undefined;
  config.hostVerifier = (key: Buffer) => {
    const verdict = checkHostKey(knownHosts, s.host, port, key);
    if (verdict === 'known') return true;
    const fp = hostKeyFingerprint(key);
    const accepted = opts.acceptHostKey?.trim() === fp || acceptedForProcess.has(fp) || process.env.GODWIT_ACCEPT_HOST_KEY?.trim() === fp;
    if (verdict === 'unknown' && accepted) {
      addKnownHost(knownHosts, s.host, port, key);
      return true;
    }
    const refused =
      verdict === 'changed'
        ? new GodwitError('ssh-host-key-changed', `The SSH host key of ${knownHostsName(s.host, port)} does not match ${knownHosts} (now ${fp}): refusing to connect.`, 'If the server was re-keyed, remove its old line from known_hosts.')
        : new GodwitError('ssh-host-key-unknown', `The SSH host ${knownHostsName(s.host, port)} is not in ${knownHosts}; its key fingerprint is ${fp}.`, `If that is the server's key, pass --accept-host-key ${fp} (or accept it in the app).`);
    refusal = Object.assign(refused, { hostKey: { fingerprint: fp, status: verdict } });
    return false;
  };
  const { Client: SshClient } = await import('ssh2');
  const client = new SshClient();
  return new Promise<Client>((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', (err: Error & { level?: string; code?: string }) => {
      client.end();
      if (refusal) return reject(refusal);
      if (err.level === 'client-authentication') {
        return reject(new GodwitError('ssh-auth-failed', `SSH: ${where} refused ${s.agent ? 'the agent\'s keys' : `the key ${s.identityFile}`}.`));
      }
      if (/passphrase|encrypted/i.test(err.message)) {
        return reject(new GodwitError('ssh-key-passphrase', `Environment "${opts.environment}": the SSH key ${s.identityFile} needs a passphrase (wrong or missing).`));
      }
      const why = err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' ? 'unknown host' : /timed out/i.test(err.message) ? 'no answer' : err.message;
      reject(new GodwitError('ssh-unreachable', `Cannot reach the SSH server ${where}: ${why}.`));
    });
    client.connect(config);
  });
}

/**
 * The SSH tunnel of an environment: opened on first use, shared by every connection (the session's own and the schema
 * engine's pool), closed when the last holder releases it. When the bastion drops, every channel closes, so pg sees a
 * lost connection and the apply path reports the outcome it reports for one.
 */
export async function acquireTunnel(s: SshSettings, opts: TunnelOptions): Promise<Tunnel> {
  const key = JSON.stringify([s.host, s.port ?? 22, s.user, s.identityFile ?? null, Boolean(s.agent), s.knownHostsFile ?? null]);
  let shared = open.get(key);
  if (!shared) {
    const entry: Shared = { client: connectSsh(s, opts), refs: 0, closed: false };
    shared = entry;
    open.set(key, entry);
    entry.client.then(
      (c) =>
        c.on('close', () => {
          entry.closed = true;
          if (open.get(key) === entry) open.delete(key);
        }),
      () => open.get(key) === entry && open.delete(key),
    );
  }
  shared.refs++;
  let client: Client;
  try {
    client = await shared.client;
  } catch (err) {
    shared.refs--;
    throw err;
  }
  const entry = shared;
  let released = false;
  return {
    where: `${s.user}@${s.host}:${s.port ?? 22}`,
    stream: () => new ChannelStream(client),
    async release() {
      if (released) return;
      released = true;
      if (--entry.refs > 0) return;
      if (open.get(key) === entry) open.delete(key);
      if (entry.closed) return; // the bastion dropped it already
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000); // ref'd: an unref'd wait would let the process exit mid-promise
        client.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        client.end();
      });
    },
  };
}

/** Tunnels open now (for tests: every session must have released its own). */
export function openTunnelCount(): number {
  return open.size;
}
