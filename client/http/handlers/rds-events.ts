/**
 * `POST /events/rds`: RDS events as EventBridge API destinations send them (bearer token, JSON) and as an SNS
 * HTTP(S) subscription sends them (Basic credentials from the subscription URL, `text/plain`, signed). An SNS
 * message is acted on only once its signature verifies; a subscription confirmation is confirmed by visiting
 * its SubscribeURL, so that subscribing the endpoint needs no manual step.
 */
import { parseRdsEvent, sendRdsEvent } from '../../rds-events';
import { isBasicScheme } from '../auth';
import type { Handler } from '../deps';
import { HttpError, ok } from '../envelope';
import { looksLikeSnsMessage, readSnsMessage } from '../sns/message';

/** `POST /events/rds`. */
export const rdsEventHandler: Handler = async (request, reply, deps) => {
  const body = request.body;
  let event: unknown = body;
  let topicRegion: string | undefined;
  if (looksLikeSnsMessage(body)) {
    const message = readSnsMessage(body);
    await deps.sns.verify(message);
    const topicArn = message.TopicArn;
    if (message.Type === 'SubscriptionConfirmation') {
      await deps.sns.confirm(message);
      request.log.info({ topic_arn: topicArn }, 'SNS subscription confirmed');
      return ok({ confirmed: true, topic_arn: topicArn });
    }
    if (message.Type === 'UnsubscribeConfirmation') {
      request.log.info({ topic_arn: topicArn }, 'SNS unsubscribe confirmation received; nothing to do');
      return ok({ confirmed: false, topic_arn: topicArn });
    }
    event = parseMessage(message.Message);
    topicRegion = topicArn.split(':')[3] || undefined;
  } else if (isBasicScheme(request.headers.authorization)) {
    // Basic credentials are SNS's; SNS always sends its signed envelope (raw message delivery would not be).
    throw new HttpError('VALIDATION_ERROR', 'with Basic credentials the body must be a signed SNS message', [
      { path: 'Type', message: 'is required: turn raw message delivery off on the SNS subscription' },
    ]);
  }
  const parsed = parseRdsEvent(event);
  const region = parsed.region ?? topicRegion ?? deps.config.aws.region;
  if (!region) {
    throw new HttpError('VALIDATION_ERROR', 'the event names no region and AWS_REGION is not set', [
      { path: 'region', message: 'is required' },
    ]);
  }
  const delivered = await sendRdsEvent(deps.client, parsed.signal, region);
  void reply.code(202);
  return ok({ delivered });
};

function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError('VALIDATION_ERROR', 'the SNS message does not carry an RDS event', [
      { path: 'Message', message: 'is not JSON: SNS must carry the RDS event as a JSON string' },
    ]);
  }
}
