import { describe, expect, it } from 'vitest';
import { tileSources } from './app.ts';
import { anonymous } from './test/harness.ts';

/** The content security policy: strict, with the map tile server's origin allowed only when one is configured. */
describe('content security policy', () => {
  it('allows images from the tile server of QIBU_MAP_TILE_URL, and nothing more', () => {
    expect(tileSources(undefined)).toEqual([]);
    expect(tileSources('https://tiles.example.gov.cn/{z}/{x}/{y}.png')).toEqual(['https://tiles.example.gov.cn']);
    expect(tileSources('https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}')).toEqual(['https://*.tianditu.gov.cn']);
    expect(tileSources('http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png')).toEqual(['http://10.1.2.3:8080']);
    expect(tileSources('https://a.{s}.example.com/{z}/{x}/{y}.png')).toEqual(['https:']);
    expect(tileSources('not a url')).toEqual([]);
  });

  it('sends a strict policy without a tile server', async () => {
    const res = await (await anonymous()).get('/api/health');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data: blob:;");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
