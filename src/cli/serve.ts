import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createService } from '../api/service';
import { DEFAULT_WATCHDOG_MS } from '../overlay/watchdog';
import { startWebServer } from '../server/web-server';

const RENDERER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app in web mode on 127.0.0.1 (the URL printed carries the access token)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)', (v) => Number.parseInt(v, 10), 0)
    .option('--open', 'open the URL in the default browser', false)
    .option('--watchdog <seconds>', 'how often to look for crashed or drifted overlay proxies of applied datacenters and restore them (0: never)', (v) => Number.parseFloat(v), DEFAULT_WATCHDOG_MS / 1000)
    .action(async (opts: { port: number; open: boolean; watchdog: number }) => {
      const service = await createService(opts.watchdog > 0 ? { overlayWatchdogMs: opts.watchdog * 1000 } : {});
      const server = await startWebServer({ service, staticRoot: RENDERER, port: opts.port });
      service.activity.add('info', 'core', `web mode listening on 127.0.0.1:${server.port}`);
      process.stdout.write(`DCoD is running in web mode. Open:\n\n    ${server.url}\n\n(Ctrl+C to stop)\n`);
      if (opts.open) openInBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(() => service.close()).then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/** Best effort: the URL is printed either way, so a missing opener is not an error. */
function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  const child = spawn(opener[0]!, opener.slice(1), { stdio: 'ignore', detached: true });
  child.on('error', () => process.stdout.write('(no browser opener found: open the URL above yourself)\n'));
  child.unref();
}
