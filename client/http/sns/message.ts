/**
 * The SNS HTTP(S) message format: recognising an SNS message, checking its fields, the string SNS signs, and
 * the rule for hosts SNS certificates and confirmation URLs may come from.
 * See https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html.
 */
import { HttpError } from '../envelope';

/** The SNS message types an HTTP(S) subscription receives. */
export const SnsMessageTypes = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;

/** One SNS message type. */
export type SnsMessageType = (typeof SnsMessageTypes)[number];

/** An SNS message whose fields have the shapes SNS sends (not yet verified). */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  /** Confirmation messages only. */
  Token?: string;
  /** Confirmation messages only. */
  SubscribeURL?: string;
}

/** Fields signed, in the order SNS concatenates them (`Name\nValue\n` each; Subject only when present). */
const SIGNED_FIELDS: Record<SnsMessageType, Array<keyof SnsMessage>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/**
 * True when `body` claims to be an SNS message (it names an SNS type, topic or signature). Such a body is
 * only ever accepted once its signature verifies: an envelope is never trusted by its shape.
 */
export function looksLikeSnsMessage(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return ['Type', 'TopicArn', 'Signature', 'SigningCertURL'].some((field) => field in body);
}

/** Checks the fields of an SNS message; a 400 names each missing or malformed field. */
export function readSnsMessage(body: Record<string, unknown>): SnsMessage {
  const details: Array<{ path: string; message: string }> = [];
  const type = body.Type;
  if (!SnsMessageTypes.includes(type as SnsMessageType)) {
    details.push({ path: 'Type', message: `must be one of ${SnsMessageTypes.join(', ')}` });
  }
  const required = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL'];
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') required.push('Token', 'SubscribeURL');
  for (const field of required) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      details.push({ path: field, message: 'is required: SNS messages are accepted only signed and complete' });
    }
  }
  if (body.Subject !== undefined && typeof body.Subject !== 'string') {
    details.push({ path: 'Subject', message: 'must be a string' });
  }
  if (body.SignatureVersion !== '1' && body.SignatureVersion !== '2') {
    details.push({ path: 'SignatureVersion', message: 'must be "1" (SHA1withRSA) or "2" (SHA256withRSA)' });
  }
  if (details.length) throw new HttpError('VALIDATION_ERROR', 'the SNS message is incomplete', details);
  return body as unknown as SnsMessage;
}

/** The exact string SNS signs for `message`. */
export function snsStringToSign(message: SnsMessage): string {
  let text = '';
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (value !== undefined) text += `${field}\n${value}\n`;
  }
  return text;
}

/**
 * SNS's own endpoints: `sns.<region>.amazonaws.com` (and `.amazonaws.com.cn` in China), the rule of AWS's
 * SNS message validators. Certificates and confirmation URLs are fetched from nowhere else.
 */
const SNS_HOST = /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/** The URL when it is `https://` on an SNS host with the default port, else undefined. */
export function snsEndpointUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const isSns = url.protocol === 'https:' && url.port === '' && !url.username && SNS_HOST.test(url.hostname);
  return isSns ? url : undefined;
}
