import { BlockList, isIP } from 'node:net';

/** A compiled list of IP addresses and CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`). */
export interface IpList {
  /** True when `ip` is one of the addresses or inside one of the ranges. */
  has(ip: string): boolean;
}

const compiled = new WeakMap<readonly string[], IpList>();

/** The address family of an IP text, or undefined when it is not an IP address. */
function familyOf(ip: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(ip);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** Splits `addr/bits` into its parts; undefined when it is not a valid CIDR range. */
function parseCidr(
  entry: string,
): { addr: string; bits: number; family: 'ipv4' | 'ipv6' } | undefined {
  const slash = entry.indexOf('/');
  if (slash < 0) return undefined;
  const addr = entry.slice(0, slash);
  const bitsText = entry.slice(slash + 1);
  const family = familyOf(addr);
  if (!family || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits <= (family === 'ipv4' ? 32 : 128) ? { addr, bits, family } : undefined;
}

/** True when `entry` is an IP address or a CIDR range. */
export function isIpOrCidr(entry: string): boolean {
  return familyOf(entry) !== undefined || parseCidr(entry) !== undefined;
}

/**
 * Compiles a list of IPs and CIDR ranges (invalid entries are ignored), once per array: the
 * settings replace their arrays on every change, so the cache follows them.
 */
export function ipList(entries: readonly string[]): IpList {
  let list = compiled.get(entries);
  if (list) return list;
  const blocks = new BlockList();
  for (const entry of entries) {
    const family = familyOf(entry);
    const cidr = family ? undefined : parseCidr(entry);
    if (family) blocks.addAddress(entry, family);
    else if (cidr) blocks.addSubnet(cidr.addr, cidr.bits, cidr.family);
  }
  list = {
    has(ip) {
      const family = familyOf(ip);
      return family !== undefined && blocks.check(ip, family);
    },
  };
  compiled.set(entries, list);
  return list;
}
