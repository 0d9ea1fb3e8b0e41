import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

let memo: { file: string; cas: string[] | undefined } | undefined;

/**
 * The CAs Node trusts by default, with NODE_EXTRA_CA_CERTS's file: what a TLS connection that names no root
 * certificate of its own must trust. The `godwit` launcher starts Node without that variable (Node 20 parses every root
 * certificate at start-up when it is set, ~35–40 ms of every command), so the file is read here, once, when the
 * settings of a verified TLS connection without a root certificate of its own are first built (clientConfigFromUrl:
 * on connecting, and in the app also when an environment's connection path is shown). Undefined when the variable is unset or its file unreadable (Node would warn and trust its
 * own CAs alone: so does this), which leaves Node's default in place. Run as `node bin/godwit.cjs`, Node has loaded
 * the file itself; listing its certificates again changes nothing.
 */
export function defaultCasWithExtra(): string[] | undefined {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  if (memo?.file !== file) {
    let pem: string | undefined;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (err) {
      // Node's own words, which it would have printed at start-up.
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      pem = undefined;
    }
    memo = { file, cas: pem === undefined ? undefined : [...rootCertificates, pem] };
  }
  return memo.cas;
}
