/**
 * What the tests of real cluster servers share: an emulator in this process that runs them (its volumes in the
 * run's scratch folder, the run's S3 server and moto), and ways to look at a cluster's server from outside.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeDBClustersCommand, DescribeEventsCommand, type RDSClient } from '@aws-sdk/client-rds';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { RunningClusterServer } from '../../emulator/cluster-server/cluster-servers';
import type { EmulatorControl } from '../../emulator/control-client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { TEST_EMULATOR_TIMINGS } from '../setup/global-setup';
import { testSecretsClient, testStack } from '../helpers/stack';

/**
 * Starts an emulator with real cluster servers (auto mode: a mysqld of each installed major version); `timings`
 * override the test run's lifecycle durations (e.g. a slow instance, to act while the cluster is served).
 */
export async function startRealServerEmulator(
  timings: Partial<typeof TEST_EMULATOR_TIMINGS> = {},
): Promise<RunningEmulator> {
  const stack = testStack();
  return startEmulator({
    s3: stack.s3,
    dataDir: mkdtempSync(join(stack.scratchDir, 'emulator-volumes-')),
    secretsManager: stack.moto,
    timings: { ...TEST_EMULATOR_TIMINGS, ...timings },
    rateLimit: { enabled: false },
  });
}

/** The master credentials RDS keeps in the cluster's managed secret. */
export async function masterCredentials(secretArn: string): Promise<{ username: string; password: string }> {
  const secrets = testSecretsClient();
  try {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return JSON.parse(out.SecretString ?? '{}') as { username: string; password: string };
  } finally {
    secrets.destroy();
  }
}

/** The messages of a cluster's RDS events, oldest first. */
export async function clusterEventMessages(rds: RDSClient, clusterId: string): Promise<string[]> {
  const out = await rds.send(
    new DescribeEventsCommand({
      SourceType: 'db-cluster',
      SourceIdentifier: clusterId,
      StartTime: new Date(Date.now() - 3_600_000),
    }),
  );
  return (out.Events ?? []).map((e) => e.Message ?? '');
}

/** Polls DescribeDBClusters until the cluster leaves creating/migrating; returns its final status. */
export async function settledStatus(rds: RDSClient, clusterId: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
    const status = out.DBClusters?.[0]?.Status ?? 'unknown';
    if (status !== 'creating' && status !== 'migrating') return status;
    if (Date.now() > deadline) throw new Error(`cluster ${clusterId} still ${status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Polls the emulator until the cluster's mysqld is up; the server's record, or a failure after two minutes. */
export async function servedServer(control: EmulatorControl, clusterId: string): Promise<RunningClusterServer> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const served = (await control.clusterServers()).servers.find((s) => s.clusterId === clusterId);
    if (served) return served;
    if (Date.now() > deadline) throw new Error(`no server for ${clusterId} after two minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** True while a process with this PID exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
