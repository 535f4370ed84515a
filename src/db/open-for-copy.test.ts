import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLocation, isSameLocation, parseDatabaseLocation } from './open-for-copy.js';

describe('copy locations', () => {
  it('reads URLs as servers and anything else as data directories', () => {
    expect(parseDatabaseLocation('postgres://u:p@h:5432/db')).toEqual({
      url: 'postgres://u:p@h:5432/db',
      dataDir: '',
    });
    expect(parseDatabaseLocation('mysql://root@127.0.0.1/x').url).toBe('mysql://root@127.0.0.1/x');
    expect(parseDatabaseLocation('./basalt_data')).toEqual({ dataDir: resolve('basalt_data') });
    expect(parseDatabaseLocation('data:dir')).toEqual({ dataDir: resolve('data:dir') });
  });

  it('describes a location without its password', () => {
    expect(describeLocation(parseDatabaseLocation('postgres://u:secret@h/db'))).toBe(
      'postgres://u:***@h/db',
    );
    expect(describeLocation({ dataDir: '/srv/data' })).toBe('the SQLite database in /srv/data');
  });

  it('knows when both sides are the same database', () => {
    const dir = parseDatabaseLocation('./a');
    expect(isSameLocation(dir, parseDatabaseLocation('a/'))).toBe(true);
    expect(isSameLocation(dir, parseDatabaseLocation('./b'))).toBe(false);
    const url = parseDatabaseLocation('postgres://u@h:5432/db');
    expect(isSameLocation(url, parseDatabaseLocation('postgres://u@h:5432/db'))).toBe(true);
    expect(isSameLocation(url, parseDatabaseLocation('postgres://u@h:5432/other'))).toBe(false);
    expect(isSameLocation(url, dir)).toBe(false);
  });
});
