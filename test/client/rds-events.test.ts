import { parseRdsEvent, RdsEventParseError } from '../../client';

const eventBridge = {
  version: '0',
  source: 'aws.rds',
  'detail-type': 'RDS DB Instance Event',
  region: 'eu-west-1',
  detail: {
    SourceType: 'DB_INSTANCE',
    SourceIdentifier: 'Orders-Writer',
    Message: 'DB instance created',
    EventID: 'RDS-EVENT-0005',
  },
};

describe('parseRdsEvent', () => {
  test('reads an EventBridge instance event, lower-casing the identifier', () => {
    expect(parseRdsEvent(eventBridge)).toEqual({
      region: 'eu-west-1',
      signal: {
        sourceType: 'db-instance',
        sourceId: 'orders-writer',
        message: 'DB instance created',
        eventId: 'RDS-EVENT-0005',
      },
    });
  });

  test('reads an SNS envelope around an EventBridge event', () => {
    const envelope = {
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:eu-west-1:1:t',
      Message: JSON.stringify(eventBridge),
    };
    expect(parseRdsEvent(envelope).signal.sourceId).toBe('orders-writer');
  });

  test('reads RDS’s own SNS message format, taking the Region from the ARN and the ID from the URL', () => {
    const message = {
      'Event Source': 'db-cluster',
      'Event Time': '2024-06-01 10:00:00.000',
      'Identifier Link': 'https://console.aws.amazon.com/rds/home?region=us-west-2#dbclusters:id=orders',
      'Source ID': 'orders',
      'Source ARN': 'arn:aws:rds:us-west-2:123456789012:cluster:orders',
      'Event ID': 'http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#RDS-EVENT-0170',
      'Event Message': 'DB cluster created',
    };
    expect(parseRdsEvent({ Type: 'Notification', Message: JSON.stringify(message) })).toEqual({
      region: 'us-west-2',
      signal: {
        sourceType: 'db-cluster',
        sourceId: 'orders',
        message: 'DB cluster created',
        eventId: 'RDS-EVENT-0170',
      },
    });
  });

  test.each([
    ['a non-RDS source', { ...eventBridge, source: 'aws.ec2' }],
    ['a snapshot event', { ...eventBridge, detail: { ...eventBridge.detail, SourceType: 'SNAPSHOT' } }],
    ['an SNS message that is not JSON', { Type: 'Notification', Message: 'hello' }],
    ['a list', []],
  ])('rejects %s with RdsEventParseError', (_name, body) => {
    expect(() => parseRdsEvent(body)).toThrow(RdsEventParseError);
  });
});
