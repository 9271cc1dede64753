/**
 * The Temporal CLI dev server (server + Web UI) on loopback, with our search attributes registered at start.
 */
import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { searchAttributeRegistrations } from '../../workflows/ids';
import { temporalBinary } from './binaries';
import { spawnServer, waitForPort, type ChildServer } from './child-server';
import { freePort } from './ports';

/** Options of startTemporalDevServer. */
export interface TemporalDevServerOptions {
  /** Folder for the log (and the database when persistent). */
  dataDir: string;
  /** Keep workflows across restarts in `<dataDir>/temporal.db`. @default false */
  persistent?: boolean;
  /** @default a free port */
  port?: number;
  /** @default a free port; the UI is disabled when `headless` */
  uiPort?: number;
  headless?: boolean;
  /** Keep the server running after this process exits (see spawnServer). */
  detached?: boolean;
  env?: Record<string, string | undefined>;
}

/** A running dev server. */
export interface TemporalDevServer extends ChildServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  executable: string;
}

/** Starts `temporal server start-dev` and resolves once the default namespace answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const executable = temporalBinary(options.env);
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push(...searchAttributeRegistrations.flatMap((sa) => ['--search-attribute', sa]));
  if (options.persistent) args.push('--db-filename', join(options.dataDir, 'temporal.db'));
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  // Short caches so that search attributes and namespaces are visible at once after start.
  args.push('--dynamic-config-value', 'frontend.namespaceRPS=100000');
  const child = await spawnServer({
    name: 'temporal dev server',
    command: executable,
    args,
    logFile: join(options.dataDir, 'temporal.log'),
    env: options.env,
    detached: options.detached,
    ready: async () => {
      await waitForPort('127.0.0.1', port);
      await waitForNamespace(address, 'default');
    },
  });
  return {
    ...child,
    address,
    namespace: 'default',
    uiUrl: options.headless ? undefined : `http://127.0.0.1:${uiPort}`,
    executable,
  };
}

async function waitForNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await connection.close();
  }
}
