import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../../src/ui/common/diagnostics.ts';

describe('withoutSecrets', () => {
  it('replaces every secret-looking text at any depth, and keeps flags that only say one is set', () => {
    const out = withoutSecrets({
      mqtt: { username: 'u', password: 'pw', passwordSaved: true, nested: { haToken: 'tok', secret: '' } },
    });
    expect(out).toEqual({
      mqtt: { username: 'u', password: '(removed)', passwordSaved: true, nested: { haToken: '(removed)', secret: '' } },
    });
    expect(withoutSecrets(undefined)).toBeUndefined();
  });
});
