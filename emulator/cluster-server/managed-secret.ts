/**
 * The master user secret of a cluster restored with ManageMasterUserPassword, kept where RDS keeps it: in the
 * stack's Secrets Manager (moto's server mode), named `rds!cluster-<uuid>` with `{"username","password"}` as its
 * value, as RDS names and fills it. Its ARN is the cluster's MasterUserSecret.SecretArn; DeleteDBCluster deletes
 * it. The value goes only to Secrets Manager: never a log line, a response or the emulator's state file.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/** Where the emulator's Secrets Manager is (moto's endpoint in the stack). */
export interface SecretsManagerOptions {
  endpoint: string;
  /** @default the emulator's Region */
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Creates and deletes clusters' master user secrets. */
export class ManagedSecrets {
  private readonly client: SecretsManagerClient;

  constructor(options: SecretsManagerOptions & { region: string }) {
    const { endpoint, region, accessKeyId, secretAccessKey } = options;
    this.client = new SecretsManagerClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey } });
  }

  /** Stores the master credentials of the cluster; returns the secret's ARN. */
  async create(clusterArn: string, username: string, password: string): Promise<string> {
    const out = await this.client.send(
      new CreateSecretCommand({
        Name: `rds!cluster-${randomUUID()}`,
        Description: `Secret associated with primary RDS DB cluster: ${clusterArn}`,
        SecretString: JSON.stringify({ username, password }),
      }),
    );
    if (!out.ARN) throw new Error('Secrets Manager returned no ARN for the master user secret');
    return out.ARN;
  }

  /** Deletes the secret at once (RDS does when it deletes the cluster); one already gone is fine. */
  async remove(secretArn: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: secretArn, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }
}
