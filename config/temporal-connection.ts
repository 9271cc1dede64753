/**
 * The Temporal connection, from the standard environment configuration (`TEMPORAL_ADDRESS`,
 * `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS_*`, `TEMPORAL_PROFILE` and the TOML config file),
 * and the clients built on it with the payload codec installed.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { AppConfig } from './app-config';
import { payloadCodecs } from './codec';
import { type Tracing, tracingClientInterceptors, tracingFromSettings } from './tracing';

/** Where and how to reach Temporal. */
export interface TemporalTarget {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

/** Reads the Temporal connection settings (env vars and profile file) once. */
export function loadTemporalTarget(env: Record<string, string | undefined> = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? 'localhost:7233' },
    namespace: namespace ?? 'default',
  };
}

/**
 * Connects a Temporal client whose payloads are encrypted with the configured codec keys, and which traces
 * its calls when tracing is configured (or `tracing` is given).
 */
export async function connectClient(
  target: TemporalTarget,
  config: AppConfig,
  tracing: Tracing | undefined = tracingFromSettings(config.telemetry),
): Promise<Client> {
  const { address, tls, apiKey, metadata } = target.connectionOptions;
  const connection = await Connection.connect({ address, tls, apiKey, metadata });
  return new Client({
    connection,
    namespace: target.namespace,
    dataConverter: { payloadCodecs: payloadCodecs(config.codecKeys) },
    interceptors: { workflow: tracingClientInterceptors(tracing) },
  });
}

/** The Web UI link of one workflow, when the UI's base URL is known. */
export function workflowUiUrl(config: AppConfig, target: TemporalTarget, workflowId: string): string | undefined {
  if (!config.webUiUrl) return undefined;
  return `${config.webUiUrl}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
