import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  configDirectory,
  normaliseApiUrl,
  readStoredCredentials,
  resolveApiTarget,
  writeStoredCredentials,
} from './cli-config.js';

describe('cli config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fledge-cli-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the folder: FLEDGE_CONFIG_DIR, else XDG_CONFIG_HOME/fledge, else ~/.config/fledge', () => {
    expect(configDirectory({ FLEDGE_CONFIG_DIR: '/etc/f', XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/etc/f');
    expect(configDirectory({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/fledge');
    expect(configDirectory({}, '/home/u')).toBe('/home/u/.config/fledge');
  });

  it('accepts the API URL with or without /graphql and trailing slashes', () => {
    for (const raw of ['http://api:4000', 'http://api:4000/', 'http://api:4000/graphql', 'http://api:4000/graphql/']) {
      expect(normaliseApiUrl(raw)).toBe('http://api:4000');
    }
    expect(normaliseApiUrl('https://x.example/fledge/graphql?x=1')).toBe('https://x.example/fledge');
    expect(() => normaliseApiUrl('ftp://api')).toThrow('http or https');
    expect(() => normaliseApiUrl('not a url')).toThrow('is not a URL');
  });

  it('writes credentials readable by the owner only, and reads them back', async () => {
    const folder = path.join(dir, 'nested', 'fledge');
    const file = await writeStoredCredentials(folder, { api: 'http://a', key: 'k1' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeFile(file, '{"api":"http://a","key":"k1"}', { mode: 0o644 });
    await writeStoredCredentials(folder, { api: 'http://b', key: 'k2' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ api: 'http://b', key: 'k2' });
    await expect(readStoredCredentials(folder)).resolves.toEqual({ api: 'http://b', key: 'k2' });
    await expect(readStoredCredentials(path.join(dir, 'none'))).resolves.toBeNull();
  });

  it('refuses a config file that is not one', async () => {
    const folder = path.join(dir, 'broken');
    await writeStoredCredentials(folder, { api: 'http://a', key: 'k' });
    await writeFile(path.join(folder, 'config.json'), '{"api": 3}');
    await expect(readStoredCredentials(folder)).rejects.toMatchObject({ reason: 'CONFIG_FILE_INVALID' });
  });

  it('lets the environment override the saved URL and key, each on its own', () => {
    const stored = { api: 'http://saved:4000', key: 'saved-key' };
    const fromFile = resolveApiTarget({}, stored);
    expect(fromFile.url).toBe('http://saved:4000');
    expect(fromFile.key?.reveal()).toBe('saved-key');
    const mixed = resolveApiTarget({ FLEDGE_API_URL: 'http://env:4000/graphql' }, stored);
    expect(mixed.url).toBe('http://env:4000');
    expect(mixed.key?.reveal()).toBe('saved-key');
    expect(resolveApiTarget({ FLEDGE_API_KEY: 'env-key' }, stored).key?.reveal()).toBe('env-key');
    expect(resolveApiTarget({}, null)).toEqual({ url: undefined, key: undefined });
    expect(() => resolveApiTarget({ FLEDGE_API_URL: 'nope' }, null)).toThrow('FLEDGE_API_URL');
    expect(String(resolveApiTarget({ FLEDGE_API_KEY: 'env-key' }, null).key)).toBe('[redacted]');
  });
});
