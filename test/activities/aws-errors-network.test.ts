import { connect } from 'node:net';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { awsErrorFacts, classifyAwsError, isTransientAwsError } from '../../activities/aws-errors';
import { FailureTypes } from '../../workflows/errors';
import { freePort } from '../../scripts/stack/ports';
import { testIamClient } from './preflight-helpers';

// Real network failures, in the shapes that reach the AWS error boundary without passing the SDK's retry
// middleware's rewrap (which jest's sandbox forces: see preflight-iam-kms.test.ts for that shape): fetch's own
// `TypeError: fetch failed` with the socket error as its cause (what the SDK's fetch handler rethrows in a
// worker process), and the socket error itself.

/** The error a real connection to a closed loopback port gets. */
async function refusedConnection(port: number): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', resolve);
    socket.on('connect', () => {
      socket.destroy();
      resolve(new Error(`something listens on ${port}`));
    });
  });
}

describe('network failures at the AWS error boundary', () => {
  test("fetch's 'fetch failed' around a refused connection is transient and names the socket's error", async () => {
    const port = await freePort();
    const err: unknown = await fetch(`http://127.0.0.1:${port}/`).then(
      () => new Error('fetch got an answer from a closed port'),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(isTransientAwsError(err)).toBe(true);
    const facts = awsErrorFacts(err);
    expect(facts.networkCode).toBe('ECONNREFUSED');
    expect(facts.message).toBe(`fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`);
    const failure = classifyAwsError(err, { operation: 'GetRole for the ingestion role' });
    expect(failure.type).toBe(FailureTypes.AwsTransient);
    expect(failure.nonRetryable).toBe(false);
  });

  test('a refused connection itself, and one inside an AggregateError, are transient', async () => {
    const port = await freePort();
    const refused = await refusedConnection(port);
    expect(awsErrorFacts(refused).networkCode).toBe('ECONNREFUSED');
    // Node's connect to every address of a name (IPv6 and IPv4) rejects with all of them in an AggregateError.
    const all = new AggregateError([refused, await refusedConnection(port)]);
    expect(isTransientAwsError(all)).toBe(true);
    expect(awsErrorFacts(all).networkCode).toBe('ECONNREFUSED');
  });

  test('an answered request is never taken for a network failure, whatever its message says', async () => {
    const iam = testIamClient();
    try {
      // moto answers 404 NoSuchEntityException, naming the role, whose name is a network code.
      const err: unknown = await iam.send(new GetRoleCommand({ RoleName: 'ECONNREFUSED' })).catch((e: unknown) => e);
      expect(awsErrorFacts(err)).toMatchObject({ name: 'NoSuchEntityException', httpStatus: 404 });
      expect(awsErrorFacts(err).message).toContain('ECONNREFUSED');
      expect(awsErrorFacts(err).networkCode).toBeUndefined();
      expect(isTransientAwsError(err)).toBe(false);
    } finally {
      iam.destroy();
    }
  });
});
