/**
 * What every CLI command needs: output streams, configuration loaded once, a lazily connected Temporal client,
 * and the rule that turns a cluster identifier into a migration ID.
 */
import { type AppConfig, ConfigError, loadConfig } from '../../config/app-config';
import { workflowUiUrl } from '../../config/temporal-connection';
import { flushTracing } from '../../config/tracing';
import { migrationWorkflowId } from '../../workflows/ids';
import { connect, type MigrationClient } from '../temporal';
import { UsageError } from './exit-codes';

/** Where a command writes, and what it knows about its terminal. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal: live redraws instead of plain lines. */
  isTty: boolean;
}

/** Shared state of one CLI invocation. */
export class CliContext {
  private loadedConfig?: AppConfig;
  private connection?: Promise<MigrationClient>;

  constructor(
    readonly io: CliIo,
    readonly env: Record<string, string | undefined>,
  ) {}

  /** Settings, loaded on first use; a bad variable is a usage error naming it. */
  config(): AppConfig {
    if (!this.loadedConfig) {
      try {
        this.loadedConfig = loadConfig(this.env);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
    }
    return this.loadedConfig;
  }

  /** The Temporal client, connected on first use. */
  async client(): Promise<MigrationClient> {
    this.config();
    this.connection ??= connect(this.env);
    return this.connection;
  }

  /** A workflow ID as given, or the migration ID of a bare cluster identifier in the configured Region. */
  resolveId(idOrCluster: string): string {
    if (idOrCluster.includes(':')) return idOrCluster;
    const region = this.config().aws.region;
    if (!region) {
      throw new UsageError(`"${idOrCluster}" is not a migration ID; pass the full ID or set AWS_REGION`);
    }
    return migrationWorkflowId(region, idOrCluster);
  }

  /** The Web UI link of a migration, when the UI's URL is configured. */
  async uiUrl(workflowId: string): Promise<string | undefined> {
    const { config, target } = await this.client();
    return workflowUiUrl(config, target, workflowId);
  }

  /** Prints a value as pretty JSON. */
  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Prints lines. */
  lines(lines: string[]): void {
    this.io.out(`${lines.join('\n')}\n`);
  }

  /** Closes the Temporal connection, if one was opened, after sending the spans of this invocation. */
  async close(): Promise<void> {
    if (!this.connection) return;
    await flushTracing().catch(() => undefined);
    const { client } = await this.connection.catch(() => ({ client: undefined }));
    await client?.connection.close();
  }
}
