import type { Command } from 'commander';
import { GodwitService } from '../../engine/service/godwit-service.ts';
import { startBrowserServer } from '../../server/browser-server.ts';
import { ensureRendererBuilt } from '../../server/renderer-build.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { note, say } from '../output.ts';

export interface ServeOptions {
  project?: string;
  demo?: boolean;
  port?: string;
}

/** Starts browser mode and returns once it listens; the process then serves until interrupted. */
export async function serve(opts: ServeOptions): Promise<void> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GodwitError('bad-options', `--port takes a port number, not "${opts.port}".`);
  const staticDir = await ensureRendererBuilt(note);
  const service = new GodwitService();
  if (opts.project) await service.call('project/open', { dir: opts.project });
  else if (opts.demo) await service.call('project/openDemo', {});
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
    .option('--demo', 'open the demo project at start')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .addHelpText('after', `
The app and its API listen on 127.0.0.1 only; every request needs the random token in the printed URL.

Examples:
  $ godwit serve --demo
  $ godwit serve --project ~/code/shop --port 7311`)
    .action((opts: ServeOptions) => serve(opts));
}
