/** Reads a Salesforce Outbound Message (SOAP `notifications`) into plain records; see the Outbound Messaging WSDL. */
import { decodeUtf8, MalformedBodyError } from '../webhook';
import { XSI_NAMESPACE, XmlSyntaxError, readXml, type XmlElement } from './salesforce-xml';

export const OUTBOUND_NAMESPACE = 'http://soap.sforce.com/2005/09/outbound';
const SOAP_ENVELOPE_NAMESPACES = new Set([
  'http://schemas.xmlsoap.org/soap/envelope/',
  'http://www.w3.org/2003/05/soap-envelope',
]);
/** The WSDL allows 1–100 notifications per message. */
export const MAX_NOTIFICATIONS = 100;
const ORGANIZATION_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export interface OutboundNotification {
  /** The notification's own id: the same on every redelivery, so it is the dedupe key. */
  readonly id: string;
  /** The sObject's `xsi:type` without its prefix: `Lead`, `Contact`, `Account`, … */
  readonly objectType: string;
  /** Scalar fields by name (prefix dropped); `xsi:nil` → null. */
  readonly fields: Readonly<Record<string, string | null>>;
}

export interface OutboundMessage {
  readonly organizationId: string;
  readonly notifications: readonly OutboundNotification[];
}

/** The whole message, validated. Throws MalformedBodyError with a short reason. */
export function readOutboundMessage(rawBody: Buffer): OutboundMessage {
  const notifications = findNotifications(readDocument(rawBody));
  if (notifications === undefined) {
    throw new MalformedBodyError('salesforce: not an Outbound Message envelope');
  }
  const organizationId = organizationIdOf(notifications);
  if (organizationId === undefined) {
    throw new MalformedBodyError('salesforce: missing or invalid OrganizationId');
  }
  const items = notifications.children.filter((child) => isOutbound(child, 'Notification'));
  if (items.length === 0) throw new MalformedBodyError('salesforce: no Notification');
  if (items.length > MAX_NOTIFICATIONS) {
    throw new MalformedBodyError('salesforce: more than 100 notifications');
  }
  return { organizationId, notifications: items.map(readNotification) };
}

/**
 * Just the OrganizationId, for the signature-less verification: undefined when the body is XML but not a
 * message from an org. Throws MalformedBodyError, with the reason parse gives, when it is not XML at all.
 */
export function readOrganizationId(rawBody: Buffer): string | undefined {
  const notifications = findNotifications(readDocument(rawBody));
  return notifications === undefined ? undefined : organizationIdOf(notifications);
}

/**
 * Documents read, by the Buffer they came from: verify and then parse read the same body, and this spares
 * the second read. The entry goes with the request, and holds only while the bytes still decode to the
 * same text, so a Buffer reused or changed in between is read afresh.
 */
const documents = new WeakMap<Buffer, { readonly text: string; readonly root: XmlElement }>();

function readDocument(rawBody: Buffer): XmlElement {
  const text = decodeUtf8(rawBody, 'salesforce');
  const cached = documents.get(rawBody);
  if (cached?.text === text) return cached.root;
  let root: XmlElement;
  try {
    root = readXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      throw new MalformedBodyError(`salesforce: malformed XML (${error.message})`);
    }
    throw error;
  }
  documents.set(rawBody, { text, root });
  return root;
}

function findNotifications(envelope: XmlElement): XmlElement | undefined {
  const body =
    envelope.local === 'Envelope' && SOAP_ENVELOPE_NAMESPACES.has(envelope.namespace ?? '')
      ? envelope.children.find((child) => child.local === 'Body' && child.namespace === envelope.namespace)
      : undefined;
  return body?.children.find((child) => isOutbound(child, 'notifications'));
}

function organizationIdOf(notifications: XmlElement): string | undefined {
  const value = notifications.children.find((child) => isOutbound(child, 'OrganizationId'))?.text.trim();
  return value !== undefined && ORGANIZATION_ID.test(value) ? value : undefined;
}

function readNotification(notification: XmlElement, index: number): OutboundNotification {
  const id = notification.children.find((child) => isOutbound(child, 'Id'))?.text.trim();
  if (!id) throw new MalformedBodyError(`salesforce: notification ${index} has no Id`);
  const sObject = notification.children.find((child) => isOutbound(child, 'sObject'));
  if (sObject === undefined) throw new MalformedBodyError(`salesforce: notification ${index} has no sObject`);
  const xsiType = xsiAttribute(sObject, 'type');
  if (!xsiType) throw new MalformedBodyError(`salesforce: notification ${index} sObject has no xsi:type`);
  const entries: [string, string | null][] = [];
  for (const field of sObject.children) {
    // Outbound Messages carry scalar fields only; anything structured is not a field we can score.
    if (field.children.length > 0) continue;
    const nil = xsiAttribute(field, 'nil');
    entries.push([field.local, nil === 'true' || nil === '1' ? null : field.text]);
  }
  // fromEntries defines own properties, so a field named `__proto__` cannot reach the prototype.
  return { id, objectType: xsiType.slice(xsiType.indexOf(':') + 1), fields: Object.fromEntries(entries) };
}

function isOutbound(element: XmlElement, local: string): boolean {
  return element.local === local && element.namespace === OUTBOUND_NAMESPACE;
}

function xsiAttribute(element: XmlElement, local: string): string | undefined {
  return element.attributes.find(
    (attribute) => attribute.local === local && attribute.namespace === XSI_NAMESPACE,
  )?.value;
}
