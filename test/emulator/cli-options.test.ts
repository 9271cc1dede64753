/** The emulator's flags for real cluster servers: what they turn on, and errors that name the flag and the fix. */
import { UsageError, parseEmulatorArgs } from '../../emulator/cli-options';

describe('the emulator command line for real cluster servers', () => {
  it('takes the data dir, the cluster server mode and the Secrets Manager from flags or variables', () => {
    const options = parseEmulatorArgs(
      ['--data-dir', '/tmp/volumes', '--cluster-servers=off', '--secrets-endpoint', 'http://127.0.0.1:5000'],
      { EMULATOR_SECRETS_ACCESS_KEY: 'k', EMULATOR_SECRETS_SECRET_KEY: 's' },
    );
    expect(options).toMatchObject({
      dataDir: '/tmp/volumes',
      clusterServers: 'off',
      secretsManager: { endpoint: 'http://127.0.0.1:5000', accessKeyId: 'k', secretAccessKey: 's' },
    });
    expect(parseEmulatorArgs([], {})).toMatchObject({ dataDir: undefined, secretsManager: undefined });
  });

  it('refuses a cluster server mode other than auto or off, naming the flag', () => {
    expect(() => parseEmulatorArgs(['--cluster-servers', 'on'], {})).toThrow(
      new UsageError('--cluster-servers must be auto or off, got on'),
    );
    expect(() => parseEmulatorArgs([], { EMULATOR_CLUSTER_SERVERS: 'yes' })).toThrow(
      /EMULATOR_CLUSTER_SERVERS must be auto or off, got yes/,
    );
  });

  it('refuses a Secrets Manager given in part, naming the missing flags', () => {
    expect(() => parseEmulatorArgs(['--secrets-endpoint', 'http://127.0.0.1:5000'], {})).toThrow(
      /managed master secrets need all of .*; missing --secrets-access-key, --secrets-secret-key/,
    );
  });
});
