import { endpointUrlProblem, isPublicAddress } from './endpoint-address';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('endpointUrlProblem', () => {
  it('takes a public https URL', () => {
    expect(endpointUrlProblem('https://crm.example.com/hooks/instagram', false)).toBeNull();
    expect(endpointUrlProblem('https://93.184.216.34:8443/hooks', false)).toBeNull();
  });

  it('refuses plain http, private and loopback addresses, and this machine’s names', () => {
    expect(endpointUrlProblem('http://crm.example.com/hooks', false)).toBe('must be an https URL');
    for (const url of [
      'https://127.0.0.1/hooks',
      'https://[::1]:8443/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost:3000/hooks',
      'https://api.localhost/hooks',
      'https://[::ffff:192.168.0.1]/hooks',
    ]) {
      expect(endpointUrlProblem(url, false)).toMatch(/private, loopback or link-local/);
    }
  });

  it('takes plain http and private addresses when they are allowed', () => {
    expect(endpointUrlProblem('http://127.0.0.1:4000/hooks', true)).toBeNull();
    expect(endpointUrlProblem('ftp://127.0.0.1/hooks', true)).toBe('must be an http(s) URL');
  });

  it('refuses credentials in the URL and what is not a URL', () => {
    expect(endpointUrlProblem('https://user:pass@crm.example.com/hooks', false)).toBe(
      'must not carry a user name or password',
    );
    expect(endpointUrlProblem('crm.example.com/hooks', false)).toBe('must be an absolute URL');
  });
});
