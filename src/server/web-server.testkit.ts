import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tempCore } from '../api/core.testkit';
import { startWebServer, type WebServer } from './web-server';

/**
 * A real web-mode server for one test file: a fresh core, a one-page renderer in a temp folder, started
 * before the file's tests and stopped after. Returns a getter, valid once the tests run.
 */
export function useTestServer(): () => WebServer {
  let server: WebServer | undefined;
  let root: string;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'dcod-web-'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>DCoD</title>');
    const temp = await tempCore();
    dispose = temp.dispose;
    server = await startWebServer({ service: temp.core, staticRoot: root });
  });
  afterAll(async () => {
    await server?.close();
    await dispose?.();
    await rm(root, { recursive: true, force: true });
  });
  return () => {
    if (!server) throw new Error('the test server starts in beforeAll');
    return server;
  };
}
