/**
 * The RDS Query protocol as `@aws-sdk/client-rds` speaks it: form-encoded requests whose lists use the model's
 * member names (`Tags.Tag.1.Key`) and whose structs are flattened with dots, and XML response envelopes.
 */
import { invalidValue, missingParameter, type RdsFault } from './errors';

/** A parsed form: leaves are strings, dotted keys become nested nodes, list indexes become numeric keys. */
export type FormNode = string | { [key: string]: FormNode };

/** The RDS API namespace used on every envelope. */
export const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

/** Parses an `application/x-www-form-urlencoded` body (`+` is a space) into a tree keyed by dotted segments. */
export function parseForm(body: string): Record<string, FormNode> {
  const root: Record<string, FormNode> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const segments = key.split('.');
    let node: Record<string, FormNode> = root;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        // A bare key for an empty list (`Tags=`) must not erase members sent after it.
        if (typeof node[segment] !== 'object') node[segment] = value;
        return;
      }
      const child = node[segment];
      if (typeof child === 'object') {
        node = child;
      } else {
        const created: Record<string, FormNode> = {};
        node[segment] = created;
        node = created;
      }
    });
  }
  return root;
}

/** Typed readers over a parsed form, raising the service's faults for missing or malformed values. */
export class Params {
  constructor(readonly tree: Record<string, FormNode>) {}

  /** A string member, or undefined when absent. An empty string counts as absent. */
  optString(name: string): string | undefined {
    const value = this.tree[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** A required string member; `MissingParameter` when absent or blank. */
  string(name: string): string {
    const value = this.optString(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  /** A boolean member (`true`/`false`), or undefined. */
  optBoolean(name: string): boolean | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalidValue(`Invalid boolean value ${value} for parameter ${name}.`);
  }

  /** An integer member, or undefined. */
  optInteger(name: string): number | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw invalidValue(`Invalid value ${value} for parameter ${name}: not an integer.`);
    return Number(value);
  }

  /** A date-time member in ISO 8601, or undefined. */
  optDate(name: string): Date | undefined {
    const value = this.optString(name);
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw invalidValue(`Invalid value ${value} for parameter ${name}: not a date.`);
    return date;
  }

  /** True when the member was sent with a value; a bare key (an empty list or blank value) does not count. */
  isSet(name: string): boolean {
    const value = this.tree[name];
    return value !== undefined && value !== '';
  }

  /** A nested struct member (e.g. `ServerlessV2ScalingConfiguration.MinCapacity`), or undefined. */
  optStruct(name: string): Params | undefined {
    const value = this.tree[name];
    return typeof value === 'object' ? new Params(value) : undefined;
  }

  /** A list member as its items in index order; `member` is the model's member name (`Tag`, `member`, …). */
  list(name: string, member: string): FormNode[] {
    const wrapper = this.tree[name];
    if (typeof wrapper !== 'object') return [];
    const items = wrapper[member];
    if (typeof items !== 'object') return [];
    return Object.keys(items)
      .filter((key) => /^\d+$/.test(key))
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => items[key] as FormNode);
  }

  /** A list of strings. */
  stringList(name: string, member: string): string[] {
    return this.list(name, member).filter((item): item is string => typeof item === 'string');
  }

  /** A list of structs. */
  structList(name: string, member: string): Params[] {
    return this.list(name, member).flatMap((item) => (typeof item === 'object' ? [new Params(item)] : []));
  }
}

/** Escapes text for an XML element body or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A scalar value the XML writer renders; undefined renders nothing. */
export type XmlScalar = string | number | boolean | Date | undefined;

/** `<name>value</name>`, or '' for undefined; dates are ISO 8601. */
export function xmlField(name: string, value: XmlScalar): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>…children…</name>` from already-rendered children. */
export function xmlStruct(name: string, children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A wrapped list: `<wrapper><member>…</member>…</wrapper>`; items are rendered member bodies. */
export function xmlList(wrapper: string, member: string, items: string[]): string {
  return xmlStruct(
    wrapper,
    items.map((item) => `<${member}>${item}</${member}>`),
  );
}

/** The success envelope: `<OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse>`. */
export function successXml(action: string, result: string | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${RDS_XMLNS}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The error envelope the SDK maps to its exception classes by `<Code>`. */
export function errorXml(fault: RdsFault, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${RDS_XMLNS}"><Error>` +
    xmlField('Type', fault.type) +
    xmlField('Code', fault.code) +
    xmlField('Message', fault.message) +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** A wrapped list of escaped strings: `<wrapper><member>text</member>…</wrapper>`. */
export function xmlStringList(wrapper: string, member: string, values: string[]): string {
  return xmlStruct(
    wrapper,
    values.map((value) => xmlField(member, value)),
  );
}
