import { signBody } from '../../test/support/webhook-sender';
import { isValidSignature } from './signature';

describe('isValidSignature', () => {
  const secret = 'app-secret-A';
  // Meta escapes non-ASCII; the parsed and re-serialised form differs from what was signed.
  const raw = Buffer.from(
    '{"object":"instagram","entry":[{"id":"1","messaging":[{"message":{"text":"caf\\u00e9 \\ud83d\\ude00"}}]}]}',
  );

  it('accepts the signature over the exact bytes', () => {
    expect(isValidSignature(raw, signBody(raw, secret), secret)).toBe(true);
  });

  it('refuses a signature over the re-serialised JSON', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(reserialised.equals(raw)).toBe(false);
    expect(isValidSignature(raw, signBody(reserialised, secret), secret)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['sha1 only', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['no prefix', signBody(raw, secret).slice('sha256='.length)],
    ['uppercase hex', signBody(raw, secret).toUpperCase().replace('SHA256=', 'sha256=')],
    ['truncated', signBody(raw, secret).slice(0, -2)],
    ['two headers joined', `${signBody(raw, secret)}, ${signBody(raw, secret)}`],
    ['another secret', signBody(raw, 'app-secret-B')],
  ])('refuses a %s signature', (_case, header) => {
    expect(isValidSignature(raw, header, secret)).toBe(false);
  });

  it('refuses a tampered body', () => {
    const header = signBody(raw, secret);
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 3] ^= 0x01;
    expect(isValidSignature(tampered, header, secret)).toBe(false);
  });

  it('refuses a header array (repeated header)', () => {
    expect(isValidSignature(raw, [signBody(raw, secret)], secret)).toBe(false);
  });
});
