import { describe, expect, it } from 'vitest';
import { buildProgram, commandModulesFor, COMMAND_MODULE_OF } from './main.ts';

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
});
