/**
 * AES-256-GCM payload codec: every payload Temporal stores (inputs, results, signals, heartbeat details) is
 * encrypted before it leaves the client or worker, so a MasterUserPassword never reaches history in plaintext.
 * Each encrypted payload names its key ID, so keys can rotate: encrypt with the first, decrypt with any.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKey } from './app-config';

const ENCODING = 'binary/encrypted';
const METADATA_ENCODING_KEY = 'encoding';
const METADATA_KEY_ID = 'encryption-key-id';

/** A payload names a key this process does not have. */
export class UnknownCodecKeyError extends Error {
  override readonly name = 'UnknownCodecKeyError';
  constructor(readonly keyId: string) {
    super(`payload was encrypted with key "${keyId}", which is not in AURORA_MIGRATE_CODEC_KEYS`);
  }
}

/** Encrypts payloads with the first key and decrypts with whichever key a payload names. */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return Promise.resolve(
      payloads.map((payload) => ({
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [METADATA_KEY_ID]: Buffer.from(id),
        },
        data: encrypt(temporal.api.common.v1.Payload.encode(payload).finish(), key),
      })),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || Buffer.from(encoding).toString() !== ENCODING) return payload;
        const keyId = Buffer.from(payload.metadata?.[METADATA_KEY_ID] ?? []).toString();
        const key = this.byId.get(keyId);
        if (!key) throw new UnknownCodecKeyError(keyId);
        return temporal.api.common.v1.Payload.decode(decrypt(payload.data ?? new Uint8Array(), key));
      }),
    );
  }
}

/** The codecs to install on a client or worker: one AES-GCM codec when keys are configured, none otherwise. */
export function payloadCodecs(keys: CodecKey[]): PayloadCodec[] {
  return keys.length > 0 ? [new AesGcmCodec(keys)] : [];
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(sealed: Uint8Array, key: Buffer): Uint8Array {
  const buf = Buffer.from(sealed);
  const iv = buf.subarray(0, IV_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}
