import {
  evaluate,
  parsePolicyDocument,
  trustsService,
  wildcardMatch,
} from '../../activities/preflight/policy-evaluator';

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement }) as Parameters<typeof evaluate>[0][0];

describe('the fallback IAM policy evaluator', () => {
  test('wildcards: * spans characters, ? one; actions ignore case, resources do not', () => {
    expect(wildcardMatch('s3:Get*', 'S3:GETOBJECT', true)).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b/fu?l/*', 'arn:aws:s3:::b/full/x')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::B/*', 'arn:aws:s3:::b/x')).toBe(false);
  });

  test('an explicit Deny beats an Allow, and nothing allowed is not allowed', () => {
    const allow = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    expect(evaluate([allow], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('allowed');
    expect(evaluate([allow, deny], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('denied');
    expect(evaluate([deny], 's3:ListBucket', 'arn:aws:s3:::b')).toBe('not-allowed');
  });

  test('NotAction and NotResource invert the match', () => {
    const d = doc({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret*' });
    expect(evaluate([d], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('allowed');
    expect(evaluate([d], 'iam:GetRole', 'arn:aws:s3:::b/k')).toBe('not-allowed');
    expect(evaluate([d], 's3:GetObject', 'arn:aws:s3:::secret/k')).toBe('not-allowed');
  });

  test('a statement with a Condition is reported as conditional, never as allowed', () => {
    const d = doc({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    });
    expect(evaluate([d], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('conditional');
  });

  test('trust policies: RDS as service principal, in a list, or not at all; URL-encoded documents parse', () => {
    const rds = {
      Effect: 'Allow',
      Principal: { Service: ['ec2.amazonaws.com', 'rds.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    };
    expect(trustsService(doc(rds), 'rds.amazonaws.com')).toBe(true);
    expect(trustsService(doc({ ...rds, Principal: { Service: 'ec2.amazonaws.com' } }), 'rds.amazonaws.com')).toBe(
      false,
    );
    expect(trustsService(doc(rds, { ...rds, Effect: 'Deny' }), 'rds.amazonaws.com')).toBe(false);
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc(rds))))).toEqual(doc(rds));
  });
});
