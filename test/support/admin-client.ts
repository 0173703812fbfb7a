import request from 'supertest';
import type { TestApp } from './test-app';

/** The admin API as an operator calls it: with `Authorization: Bearer $ADMIN_API_TOKEN`. */
export function adminClient(t: TestApp) {
  const auth = `Bearer ${t.env.ADMIN_API_TOKEN}`;
  const agent = () => request(t.app.getHttpServer());
  return {
    get: (url: string) => agent().get(url).set('Authorization', auth),
    post: (url: string, body?: object) => agent().post(url).set('Authorization', auth).send(body),
    put: (url: string, body: object) => agent().put(url).set('Authorization', auth).send(body),
    delete: (url: string) => agent().delete(url).set('Authorization', auth),
  };
}
