/**
 * The demo's proof that the rows arrived: connects to the writer endpoint RDS returned (the emulator's real
 * mysqld) with the master credentials from the cluster's managed secret, and prints each table's rows,
 * CHECKSUM TABLE and row digest on the source and on Aurora side by side. The password is read, used and
 * dropped: never printed.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MotoServerAddress } from '../stack/moto-server';
import type { SourceMysql } from '../stack/source-mysql';
import { SAMPLE_SCHEMA, SAMPLE_TABLES } from '../fixtures/real-data';
import type { MigrationResult } from '../../workflows/types';
import { compareTables, formatDataProof } from './data-proof';

/** Prints the comparison and how to connect; returns whether every table is equal. */
export async function printDataArrival(
  result: MigrationResult,
  source: SourceMysql,
  moto: MotoServerAddress,
): Promise<boolean> {
  const { Endpoint: host, Port: port, MasterUserSecretArn: secretArn } = result.cluster;
  if (!host || !port || !secretArn) {
    console.log('The cluster returned no endpoint or master secret: nothing to compare.\n');
    return false;
  }
  const secrets = new SecretsManagerClient({
    endpoint: moto.endpoint,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  let master: { username: string; password: string };
  try {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    master = JSON.parse(out.SecretString ?? '{}') as { username: string; password: string };
  } finally {
    secrets.destroy();
  }
  const tables = SAMPLE_TABLES.map((t) => `${SAMPLE_SCHEMA}.${t}`);
  let proof;
  try {
    proof = await compareTables(
      { host: source.host, port: source.port, user: source.admin.user, password: source.admin.password },
      { host, port, user: master.username, password: master.password },
      tables,
    );
  } catch (err) {
    console.log(`Could not read the tables on the Aurora writer ${host}:${port}: ${String(err)}\n`);
    return false;
  }
  console.log(`Data on the source (127.0.0.1:${source.port}) and on the Aurora writer (${host}:${port}):`);
  console.log(formatDataProof(proof));
  console.log(proof.equal ? '  every table is equal on both ends' : '  SOME TABLES DIFFER');
  // moto routes by the credential scope and checks no signature, so curl reads the secret; on AWS it is
  // `aws secretsmanager get-secret-value --secret-id <arn>`.
  const getSecret =
    `curl -s -H 'X-Amz-Target: secretsmanager.GetSecretValue' -H 'Content-Type: application/x-amz-json-1.1' ` +
    `-H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/${moto.region}/secretsmanager/aws4_request, ` +
    `SignedHeaders=host, Signature=0' -d '{"SecretId":"${secretArn}"}' ${moto.endpoint}`;
  console.log(`  connect: mysql -h ${host} -P ${port} -u ${master.username} -p shop`);
  console.log(`  password (the SecretString of the cluster's managed secret): ${getSecret}\n`);
  return proof.equal;
}
