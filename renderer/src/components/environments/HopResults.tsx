import type { ConnectionHopsDto } from '../../../../electron/shared/dto.ts';

const HOP_NAMES = { ssh: 'SSH', tls: 'TLS', auth: 'Authentication' } as const;

/** Test connection, hop by hop; an unknown bastion key is shown with its fingerprint to accept, a changed one never. */
export function HopResults({ result, onAccept }: { result: ConnectionHopsDto; onAccept: (fingerprint: string) => void }) {
  return (
    <div className="hops" role="status" data-testid="env-hops" ref={(el) => el?.scrollIntoView({ block: 'nearest' })}>
      <table>
        <tbody>
          {result.hops.map((h) => (
            <tr key={h.hop} data-hop={h.hop} data-ok={h.ok === null ? 'skipped' : String(h.ok)}>
              <th scope="row">{HOP_NAMES[h.hop]}</th>
              <td className={h.ok === null ? 'muted' : h.ok ? 'ok' : 'error'}>{h.ok === null ? '— not tried' : h.ok ? '✓ ok' : '✗ failed'}</td>
              <td>{h.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.hostKey?.status === 'unknown' && (
        <p>
          The bastion's host key is not in known_hosts: <code>{result.hostKey.fingerprint}</code>. Compare it with the one your
          administrator gave you before accepting.{' '}
          <button type="button" onClick={() => onAccept(result.hostKey!.fingerprint)}>Accept this host key</button>
        </p>
      )}
      {result.hostKey?.status === 'changed' && (
        <p className="error" role="alert">
          The bastion's host key has changed ({result.hostKey.fingerprint}): someone may be intercepting the connection.
          Godwit refuses it; fix known_hosts only once you know why it changed.
        </p>
      )}
    </div>
  );
}
