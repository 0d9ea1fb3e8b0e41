import type { Command } from 'commander';
import { GodwitService } from '../../engine/service/godwit-service.ts';
import { startBrowserServer } from '../../server/browser-server.ts';
import { ensureRendererBuilt } from '../../server/renderer-build.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { note, say } from '../output.ts';
import { environmentsFromOptions, optionsOf, projectFromOptions, type CommonOptions } from '../context.ts';

export interface ServeOptions extends CommonOptions {
  demo?: boolean;
  port?: string;
}

/** The project to open at start: --project (or the current folder when only --url is given), the demo, or none. */
async function openAtStart(service: GodwitService, opts: ServeOptions): Promise<void> {
  if (opts.env?.length || opts.all) throw new GodwitError('bad-options', 'serve shows every environment of the project: --env and --all do not apply (use --url for an ad-hoc one).');
  if (opts.demo && (opts.project !== undefined || opts.url !== undefined)) throw new GodwitError('bad-options', 'Choose --demo or --project/--url, not both.');
  if (opts.demo) {
    await service.call('project/openDemo', {});
    return;
  }
  if (opts.project === undefined && opts.url === undefined) return;
  const dir = opts.project ?? process.cwd();
  // Refuse a bad project or URL now, in one line, rather than in the browser later. Without --url the app shows
  // every environment: none is chosen here (a project with staging and prod and no dev is fine).
  const project = await projectFromOptions({ ...opts, project: dir });
  if (opts.url !== undefined) environmentsFromOptions(project, opts);
  await service.call('project/open', { dir });
}

/** Starts browser mode and returns once it listens; the process then serves until interrupted. */
export async function serve(opts: ServeOptions): Promise<void> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!/^\d+$/.test(opts.port ?? '0') || port > 65535) throw new GodwitError('bad-options', `--port takes a port number, not "${opts.port}".`);
  const service = new GodwitService(opts.url === undefined ? {} : { adhocUrl: opts.url });
  await openAtStart(service, opts);
  const staticDir = await ensureRendererBuilt(note);
  const server = await startBrowserServer({ service, staticDir, port });
  say(`Godwit is running in browser mode at\n  ${server.url}\nOpen it in a browser on this machine (the token in the URL is required). Ctrl+C stops it.`);
  const stop = async () => {
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await new Promise(() => undefined);
}

export function registerServe(program: Command): void {
  program
    .command('build-ui')
    .description('Build the app\'s interface (dist/renderer) if a source file changed; npm start and serve do it too.')
    .action(async () => {
      say(await ensureRendererBuilt(note));
    });

  program
    .command('serve')
    .description('Serve the Godwit app in a browser on 127.0.0.1 (browser mode).')
    .option('-p, --project <dir>', 'open this project at start')
    .option('--url <url>', 'show this database as the project\'s only environment, "url" (project: --project or the current folder)')
    .option('--demo', 'open the demo project at start')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .addHelpText('after', `
The app and its API listen on 127.0.0.1 only; every request needs the random token in the printed URL.

Examples:
  $ godwit serve --demo
  $ godwit serve --project ~/code/shop --port 7311
  $ godwit serve --url postgresql://app@db.internal/shop`)
    // The program's own --project/--url take these options wherever they are written: read the merged ones.
    .action((_o, cmd: Command) => serve(optionsOf<ServeOptions>(cmd)));
}
