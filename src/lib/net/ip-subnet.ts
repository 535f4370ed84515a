import { isIPv6 } from 'node:net';

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The 16-bit groups a part of an IPv6 text stands for (an embedded IPv4 address is two). */
function groupsOf(part: string): string[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
}

/**
 * The network a client address counts for: an IPv4 address itself (also when IPv4-mapped),
 * an IPv6 address's /64 prefix (`2001:db8:0:1::/64`), since one IPv6 client usually holds a
 * whole /64. Any other text is returned unchanged.
 */
export function clientNetworkOf(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const address = ip.split('%')[0] ?? ip;
  const [head = '', tail] = address.split('::');
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
