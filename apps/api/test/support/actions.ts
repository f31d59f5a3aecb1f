import type { ChangesResponse, HistoryResponse, MessageInfo } from '@natter/contracts';
import request from 'supertest';
import { bearer, TestUser } from './clients';

/** REST helpers for message actions; each returns the supertest request so callers assert status. */
export const actionsApi = (url: string) => ({
  edit: (user: TestUser, messageId: string, body: unknown) =>
    request(url)
      .patch(`/api/messages/${messageId}`)
      .set(bearer(user))
      .send(body as object),
  delete: (user: TestUser, messageId: string, scope: string) =>
    request(url).delete(`/api/messages/${messageId}?for=${scope}`).set(bearer(user)),
  react: (user: TestUser, messageId: string, body: unknown) =>
    request(url)
      .put(`/api/messages/${messageId}/reaction`)
      .set(bearer(user))
      .send(body as object),
  unreact: (user: TestUser, messageId: string) =>
    request(url).delete(`/api/messages/${messageId}/reaction`).set(bearer(user)),
  history: async (user: TestUser, contactId: string, query = ''): Promise<HistoryResponse> =>
    (
      await request(url)
        .get(`/api/conversations/${contactId}/messages${query}`)
        .set(bearer(user))
        .expect(200)
    ).body,
  changes: (user: TestUser, contactId: string, since: string) =>
    request(url).get(`/api/conversations/${contactId}/changes`).query({ since }).set(bearer(user)),
});

/**
 * Follows `changes` from `cursor` until hasMore is false, applying each page to `state` the way
 * a client must: upsert by id, drop hidden ids. Returns the final cursor.
 */
export async function catchUp(
  url: string,
  user: TestUser,
  contactId: string,
  state: Map<string, MessageInfo>,
  cursor: string,
): Promise<string> {
  const api = actionsApi(url);
  for (let page = 0; page < 100; page++) {
    const body = (await api.changes(user, contactId, cursor).expect(200)).body as ChangesResponse;
    for (const message of body.messages) state.set(message.id, message);
    for (const id of body.hiddenIds) state.delete(id);
    cursor = body.cursor;
    if (!body.hasMore) return cursor;
  }
  throw new Error('changes never settled');
}

/** The whole conversation as the server shows it to `user`, keyed by id. */
export async function fullHistory(
  url: string,
  user: TestUser,
  contactId: string,
): Promise<Map<string, MessageInfo>> {
  const api = actionsApi(url);
  const all = new Map<string, MessageInfo>();
  let before = '';
  for (let page = 0; page < 100; page++) {
    const body = await api.history(user, contactId, `?limit=100${before}`);
    for (const message of body.messages) all.set(message.id, message);
    if (!body.hasMore || body.messages.length === 0) return all;
    before = `&before=${body.messages[0].seq}`;
  }
  throw new Error('history never ended');
}
