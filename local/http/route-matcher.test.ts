import { describe, expect, it } from 'vitest';
import { createRouteMatcher } from './route-matcher';

const routes = [
  { method: 'GET', path: '/profiles' },
  { method: 'GET', path: '/profiles/{profileId}' },
  { method: 'GET', path: '/profiles/export' },
  { method: 'PUT', path: '/profiles/{profileId}' },
  { method: 'ANY', path: '/files/{proxy+}' },
  { method: 'GET', path: '/files/{proxy+}' },
];
const match = createRouteMatcher(routes);

describe('route matching', () => {
  it('lets exact routes win over {param} routes', () => {
    expect(match('GET', '/profiles/export')?.route.path).toBe('/profiles/export');
    expect(match('GET', '/profiles/p-1')).toEqual({ route: routes[1], pathParameters: { profileId: 'p-1' } });
    expect(match('GET', '/profiles')).toEqual({ route: routes[0], pathParameters: {} });
  });

  it('matches on method, then ANY, and decodes parameters', () => {
    expect(match('PUT', '/profiles/a%20b')?.pathParameters).toEqual({ profileId: 'a b' });
    expect(match('GET', '/files/a/b.csv')).toEqual({
      route: routes[5],
      pathParameters: { proxy: 'a/b.csv' },
    });
    expect(match('POST', '/files/a/b.csv')?.route).toBe(routes[4]);
  });

  it('leaves the rest to $default', () => {
    expect(match('DELETE', '/profiles/p-1')).toBeUndefined();
    expect(match('GET', '/profiles/')).toBeUndefined();
    expect(match('GET', '/profiles/p-1/events')).toBeUndefined();
    expect(match('GET', '/nothing')).toBeUndefined();
  });
});
