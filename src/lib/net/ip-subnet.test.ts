import { describe, expect, it } from 'vitest';
import { clientNetworkOf } from './ip-subnet.js';

describe('clientNetworkOf', () => {
  it('keeps IPv4 addresses, also IPv4-mapped ones', () => {
    expect(clientNetworkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetworkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetworkOf('not an ip')).toBe('not an ip');
  });

  it('reduces IPv6 addresses to their /64, however they are written', () => {
    const net = '2001:db8:0:1::/64';
    for (const ip of [
      '2001:db8:0:1::1',
      '2001:0db8:0000:0001:ffff:ffff:ffff:ffff',
      '2001:DB8:0:1:1:2:3:4',
      '2001:db8:0:1::1.2.3.4',
      '2001:db8::1:0:0:0:5',
      '2001:db8:0:1::1%eth0',
    ]) {
      expect(clientNetworkOf(ip)).toBe(net);
    }
    expect(clientNetworkOf('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(clientNetworkOf('::1')).toBe('0:0:0:0::/64');
    expect(clientNetworkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
