import type { EnvironmentDto } from '../../../../electron/shared/dto.ts';

/** The editor's connection-path fields (SSH bastion, TLS mode, password command) as strings, the way inputs hold them. */
export interface ReachForm {
  sshOn: boolean;
  sshHost: string;
  sshPort: string;
  sshUser: string;
  sshAuth: 'key' | 'agent';
  identityFile: string;
  knownHostsFile: string;
  sshPassphrase: string;
  passwordCommand: string;
}

export const SSL_MODES = ['', 'disable', 'require', 'verify-ca', 'verify-full'] as const;

export function reachFormOf(env: EnvironmentDto | undefined): ReachForm {
  const ssh = env?.reach?.ssh ?? null;
  return {
    sshOn: ssh !== null,
    sshHost: ssh?.host ?? '',
    sshPort: String(ssh?.port ?? 22),
    sshUser: ssh?.user ?? '',
    sshAuth: ssh?.agent ? 'agent' : 'key',
    identityFile: ssh?.identityFile ?? '',
    knownHostsFile: ssh?.knownHostsFile ?? '',
    sshPassphrase: '',
    passwordCommand: env?.reach?.passwordCommand ?? '',
  };
}

/** What environments/save takes for them: null removes an SSH section or a command that was there. */
export function reachInput(form: ReachForm, existing: EnvironmentDto | undefined) {
  const ssh = form.sshOn
    ? {
        host: form.sshHost.trim(), port: Number(form.sshPort) || 22, user: form.sshUser.trim(),
        ...(form.sshAuth === 'agent' ? { agent: true } : { identityFile: form.identityFile.trim() }),
        ...(form.knownHostsFile.trim() ? { knownHostsFile: form.knownHostsFile.trim() } : {}),
      }
    : existing?.reach?.ssh ? null : undefined;
  const passwordCommand = form.passwordCommand.trim() ? form.passwordCommand.trim() : existing?.reach?.passwordCommand ? null : undefined;
  return { ssh, passwordCommand, sshPassphrase: form.sshOn && form.sshPassphrase ? form.sshPassphrase : undefined };
}

/** The URL's sslmode query parameter ('' when unset); env: and embedded: URLs have none. */
export function sslModeOf(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return '';
  return /[?&]sslmode=([^&]*)/.exec(url)?.[1] ?? '';
}

/** The URL with its sslmode set ('' removes it), other parameters kept in place. */
export function withSslMode(url: string, mode: string): string {
  const [base, query = ''] = url.split(/\?(.*)/s, 2) as [string, string?];
  const params = query.split('&').filter((p) => p && !p.startsWith('sslmode='));
  if (mode) params.push(`sslmode=${mode}`);
  return params.length ? `${base}?${params.join('&')}` : base;
}
