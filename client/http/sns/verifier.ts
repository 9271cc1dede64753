/**
 * Verification of SNS messages and confirmation of subscriptions. The signing certificate is fetched over
 * HTTPS only from an SNS host (`snsEndpointUrl`), once per URL (cached, concurrent fetches shared), and the
 * signature checked with SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) over `snsStringToSign`.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { type Agent, get } from 'node:https';
import { HttpError } from '../envelope';
import { type SnsMessage, snsEndpointUrl, snsStringToSign } from './message';

/** Options of `createSnsVerifier`. */
export interface SnsVerifierOptions {
  /** Topics accepted; empty accepts any topic whose messages verify. */
  topicArns: readonly string[];
  /**
   * The HTTPS agent certificate and confirmation requests go through. Production leaves it to Node's global
   * agent (system DNS and CAs); tests route it to a local server. The SNS host rule applies either way.
   */
  agent?: Agent;
  /** Certificates remembered. @default 100 */
  cacheSize?: number;
  /** Time limit of one HTTPS request, in ms. @default 5000 */
  timeoutMs?: number;
}

/** Verifies SNS messages and confirms subscriptions. */
export interface SnsVerifier {
  /** Resolves when `message` is authentic and from an accepted topic; otherwise throws an `HttpError`. */
  verify(message: SnsMessage): Promise<void>;
  /** Visits the SubscribeURL of a verified confirmation message (on an SNS host only). */
  confirm(message: SnsMessage): Promise<void>;
}

const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** Builds a verifier with its own certificate cache. */
export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const cache = new Map<string, Promise<KeyObject>>();
  const cacheSize = options.cacheSize ?? 100;
  const fetchText = (url: URL) => httpsGet(url, options.agent, options.timeoutMs ?? 5000);

  const publicKey = (url: URL): Promise<KeyObject> => {
    const cached = cache.get(url.href);
    if (cached) return cached;
    const loading = fetchText(url).then((pem) => createPublicKey(pem));
    // A failed fetch is forgotten at once, so that the next delivery (SNS retries) tries again.
    loading.catch(() => cache.delete(url.href));
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value ?? '');
    cache.set(url.href, loading);
    return loading;
  };

  return {
    async verify(message) {
      if (options.topicArns.length && !options.topicArns.includes(message.TopicArn)) {
        throw invalid('TopicArn', 'is not one of AURORA_MIGRATE_SNS_TOPIC_ARNS');
      }
      const certUrl = snsEndpointUrl(message.SigningCertURL);
      if (!certUrl || !certUrl.pathname.endsWith('.pem')) {
        throw invalid('SigningCertURL', 'must be an https://sns.<region>.amazonaws.com/….pem URL of SNS itself');
      }
      let key: KeyObject;
      try {
        key = await publicKey(certUrl);
      } catch (err) {
        throw new HttpError('UNAVAILABLE', 'the SNS signing certificate could not be fetched', undefined, {
          cause: err,
        });
      }
      const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
      const verifier = createVerify(algorithm).update(snsStringToSign(message), 'utf8');
      if (!verifier.verify(key, message.Signature, 'base64')) {
        throw invalid('Signature', 'does not verify against the certificate at SigningCertURL');
      }
    },

    async confirm(message) {
      const url = snsEndpointUrl(message.SubscribeURL ?? '');
      if (!url) throw invalid('SubscribeURL', 'must be an https://sns.<region>.amazonaws.com/ URL of SNS itself');
      try {
        await fetchText(url);
      } catch (err) {
        throw new HttpError('UNAVAILABLE', 'SNS did not accept the subscription confirmation', undefined, {
          cause: err,
        });
      }
    },
  };
}

function invalid(path: string, message: string): HttpError {
  return new HttpError('VALIDATION_ERROR', `the SNS message is not authentic: ${path} ${message}`, [{ path, message }]);
}

/** GET `url`; resolves with the body of a 200 answer (at most 64 KiB), rejects otherwise. */
function httpsGet(url: URL, agent: Agent | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ...(agent ? { agent } : {}), timeout: timeoutMs }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url.origin}${url.pathname} answered ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_CERTIFICATE_BYTES) request.destroy(new Error(`GET ${url.origin} answered more than 64 KiB`));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url.origin} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
