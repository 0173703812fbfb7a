import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newEndpointSecret } from '../endpoint-secret';
import { signedHeaders } from './webhook-signature';

/** The vector of the Standard Webhooks specification's reference libraries and of Svix's documentation. */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signedHeaders', () => {
  it('signs the Standard Webhooks test vector as the specification does', () => {
    const headers = signedHeaders(VECTOR.id, new Date(VECTOR.timestamp * 1000 + 999), VECTOR.body, [VECTOR.secret]);
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  it('is an HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed with the secret’s decoded bytes', () => {
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`).digest('base64');
    expect(VECTOR.signature).toBe(`v1,${mac}`);
  });

  it('sends one signature per secret during a rotation, and a receiver holding either accepts it', () => {
    const [fresh, previous] = [newEndpointSecret(), newEndpointSecret()];
    const body = JSON.stringify({ type: 'endpoint.test', timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders('019b0000-0000-7000-8000-000000000001', new Date(), body, [fresh, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [fresh, previous]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newEndpointSecret()).verify(body, { ...headers })).toThrow('No matching signature');
  });

  it('makes secrets of 24 random bytes, as whsec_ and base64', () => {
    const secret = newEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(newEndpointSecret()).not.toBe(secret);
  });
});
