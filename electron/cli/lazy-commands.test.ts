import { describe, expect, it } from 'vitest';
import { buildProgram, commandModulesFor, COMMAND_MODULE_OF } from './main.ts';
import { bundleFor, expectsWebAssembly } from './command-modules.ts';

const argv = (...args: string[]) => ['node', 'godwit', ...args];

describe('commands are loaded lazily, one module per command run', () => {
  it('knows the module of every command the full program has, and that module registers it', async () => {
    const all = (await buildProgram()).commands.map((c) => c.name());
    expect(all.length).toBeGreaterThan(10);
    // A command missing here would only be reachable through --help's full load: add it to COMMAND_MODULE_OF.
    expect(Object.keys(COMMAND_MODULE_OF).sort()).toEqual(all.filter((n) => n !== 'help').sort());
    for (const name of all.filter((n) => n !== 'help')) {
      const program = await buildProgram(argv('--url', 'postgresql://x@h/db', name));
      expect(program.commands.map((c) => c.name()), name).toContain(name);
      expect(program.commands.length, name).toBeLessThan(all.length);
    }
  });

  it('--version loads no command; help, no command or a mistyped one load them all, in --help order', async () => {
    expect(commandModulesFor(argv('--version'))).toEqual([]);
    expect(commandModulesFor(argv('-V'))).toEqual([]);
    const everything = commandModulesFor(argv('--help'));
    expect(commandModulesFor(argv())).toEqual(everything);
    expect(commandModulesFor(argv('stauts'))).toEqual(everything);
    expect(commandModulesFor(argv('help'))).toEqual(everything);
    expect((await buildProgram(argv('--help'))).commands.map((c) => c.name())).toEqual((await buildProgram()).commands.map((c) => c.name()));
  });

  it('an option value that is also a command name loads one more module, never one less', () => {
    expect(commandModulesFor(argv('--env', 'log', 'status'))).toEqual(['status', 'resolveLog']);
    expect(commandModulesFor(argv('help', 'tables'))).toEqual(['tables']);
  });

  it('tables and describe run from the smaller read bundle; any other command, help or --version from the whole CLI', () => {
    for (const args of [['tables'], ['describe', 't'], ['tables', '--plus', 'users*'], ['tables', '--help'], ['help', 'describe']]) {
      expect(bundleFor(argv('--url', 'postgresql://x@h/db', ...args)), args.join(' ')).toBe('cli-read');
    }
    // An option value naming another command (--env status) loads that module too: the whole CLI then.
    for (const args of [['status'], ['tables', '--env', 'status'], ['--version'], ['--help'], [], ['help'], ['tabels']]) {
      expect(bundleFor(argv(...args)), args.join(' ')).toBe('cli');
    }
  });

  it('expects WebAssembly for commands that parse SQL or run an engine, not for reads from a server (wasm-tiers.test.ts)', () => {
    for (const args of [['tables'], ['describe', 't'], ['status'], ['log'], ['backups'], ['compare', '--env', 'a', '--env', 'b'], ['--version']]) {
      expect(expectsWebAssembly(argv('--url', 'postgresql://x@h/db', ...args)), args.join(' ')).toBe(false);
    }
    for (const args of [['up'], ['down'], ['sql'], ['check'], ['new'], ['down-sql', 'm'], ['demo'], ['status', '--drift'], ['adopt-drift'], ['preflight'], ['rehearse'], ['--help'], []]) {
      expect(expectsWebAssembly(argv('--url', 'postgresql://x@h/db', ...args)), args.join(' ')).toBe(true);
    }
    // An option value naming a command that needs it: one more module, so yes.
    expect(expectsWebAssembly(argv('--env', 'up', 'tables'))).toBe(true);
  });
});

describe('bin/godwit.cjs', () => {
  it('bundles the whole CLI (no silent fallback to running from source) and starts from the bundle; bin/godwit.mjs runs it too', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const cache = mkdtempSync(join(tmpdir(), 'godwit-bundle-'));
    // Lists the built-in modules the process loaded, as it exits.
    const loaded = join(cache, 'loaded.cjs');
    writeFileSync(loaded, "process.on('exit', () => process.stderr.write(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).join('\\n')));");
    try {
      const run = (bin: string, ...args: string[]) => spawnSync(process.execPath, [...args, bin, '--version'], {
        encoding: 'utf8', env: { ...process.env, GODWIT_REQUIRE_BUNDLE: '1', GODWIT_BUNDLE_CACHE: cache },
      });
      const built = run('bin/godwit.cjs');
      expect(built.stderr).toBe('');
      expect(built.status).toBe(0);
      expect(built.stdout).toMatch(/^\d+\.\d+\.\d+/);
      for (const bin of ['bin/godwit.cjs', 'bin/godwit.mjs']) {
        const again = run(bin, '--require', loaded);
        expect(again.status).toBe(0);
        expect(again.stdout).toBe(built.stdout);
        const modules = again.stderr.split('\n');
        // What a command does not use is not loaded (bin/godwit.cjs: lazyLoads); bundling again would load both.
        expect(modules).not.toContain('NativeModule crypto');
        expect(modules).not.toContain('NativeModule child_process');
        expect(modules).toContain('NativeModule vm');
        expect(modules).not.toContain('NativeModule tls');
      }
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('bin/godwit.cjs run as a program', () => {
  it('starts Node without NODE_EXTRA_CA_CERTS, which Node 20 would read at start-up, unless NODE_OPTIONS picks a CA store', async () => {
    const { spawnSync } = await import('node:child_process');
    const missing = '/nonexistent/godwit-extra-ca.pem';
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: missing, NODE_OPTIONS: '' };
    // Node warns at start-up when it reads the variable and the file is missing: the sign that it read it.
    const viaNode = spawnSync(process.execPath, ['bin/godwit.cjs', '--version'], { encoding: 'utf8', env });
    expect(viaNode.stderr).toContain(missing);
    const asProgram = spawnSync('bin/godwit.cjs', ['--version'], { encoding: 'utf8', env });
    expect(asProgram.stderr).toBe('');
    expect(asProgram.status).toBe(0);
    expect(asProgram.stdout).toBe(viaNode.stdout);
    // With --use-openssl-ca Node loads the file as usual (and warns).
    const opensslCa = spawnSync('bin/godwit.cjs', ['--version'], { encoding: 'utf8', env: { ...env, NODE_OPTIONS: '--use-openssl-ca' } });
    expect(opensslCa.stderr).toContain(missing);
    // Arguments reach the CLI untouched, spaces and quotes included.
    const args = spawnSync('bin/godwit.cjs', ['--project', "/no such/pro'ject", 'status'], { encoding: 'utf8', env });
    expect(args.stderr).toContain("/no such/pro'ject");
  }, 60_000);
});
