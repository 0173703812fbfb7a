import { accountNode, appSecretProof, asAccount, GraphApiHosts, secretsOf } from './account-request';
import type { GraphAccess } from './graph-api';
import { GraphApiError } from './graph-api-error';

const hosts = new GraphApiHosts('https://graph.instagram.com/v25.0', 'https://graph.facebook.com/v25.0');
const instagram: GraphAccess = { loginType: 'instagram', accessToken: 'IGAAExampleUserAccessToken' };
const facebook: GraphAccess = {
  loginType: 'facebook',
  accessToken: 'EAAGexamplePageAccessToken',
  appSecret: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  pageId: '102938475610293',
};

describe('appSecretProof', () => {
  it('is the HMAC-SHA256 of the token keyed with the app secret, in lowercase hex', () => {
    // echo -n EAAGexamplePageAccessToken | openssl dgst -sha256 -hmac 0a1b2c3d4e5f60718293a4b5c6d7e8f9
    expect(appSecretProof('EAAGexamplePageAccessToken', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')).toBe(
      '4a6311201651a8b1418e7197b5d86212a2e18332c3b98ba115b42af56fdaa140',
    );
  });

  it('changes with the token and with the secret', () => {
    const proof = appSecretProof('token-a', 'secret-a');
    expect(appSecretProof('token-b', 'secret-a')).not.toBe(proof);
    expect(appSecretProof('token-a', 'secret-b')).not.toBe(proof);
  });
});

describe('a request as the account makes it', () => {
  const request = { method: 'POST', url: '/x/messages', params: { fields: 'a,b' }, data: { recipient: { id: '1' } } };

  it('goes to graph.instagram.com for Instagram Login, as `me`, with the token in the header and no proof', () => {
    expect(accountNode(instagram)).toEqual({ path: 'me', name: 'me' });
    expect(asAccount(instagram, hosts, request)).toEqual({
      ...request,
      baseURL: 'https://graph.instagram.com/v25.0',
      headers: { Authorization: 'Bearer IGAAExampleUserAccessToken' },
      params: { fields: 'a,b' },
    });
  });

  it('goes to graph.facebook.com for Facebook Login, as its Page, with the token in the header and the proof beside the parameters', () => {
    expect(accountNode(facebook)).toEqual({ path: '102938475610293', name: '{page-id}' });
    expect(asAccount(facebook, hosts, request)).toEqual({
      ...request,
      baseURL: 'https://graph.facebook.com/v25.0',
      headers: { Authorization: 'Bearer EAAGexamplePageAccessToken' },
      params: { fields: 'a,b', appsecret_proof: '4a6311201651a8b1418e7197b5d86212a2e18332c3b98ba115b42af56fdaa140' },
    });
  });

  it('keeps the token out of the URL and the parameters', () => {
    for (const access of [instagram, facebook]) {
      const built = asAccount(access, hosts, { method: 'GET', url: '/me' });
      expect(
        `${built.baseURL}${built.url}?${new URLSearchParams(built.params as Record<string, string>)}`,
      ).not.toContain(access.accessToken);
    }
  });

  it('refuses a Page id that would address another object, before any call', () => {
    for (const pageId of ['../me', '1/messages', '', 'me']) {
      expect(() => accountNode({ ...facebook, pageId })).toThrow(GraphApiError);
    }
  });

  it('names what an error must never show: the token, and for a Page token the app secret and the proof', () => {
    expect(secretsOf(instagram)).toEqual(['IGAAExampleUserAccessToken']);
    expect(secretsOf(facebook)).toEqual([
      'EAAGexamplePageAccessToken',
      '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      '4a6311201651a8b1418e7197b5d86212a2e18332c3b98ba115b42af56fdaa140',
    ]);
  });
});
