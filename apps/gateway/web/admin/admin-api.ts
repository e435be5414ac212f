import { errorMessage } from './format';

/** The admin token was refused (or is missing): the page asks for it again. */
export class Unauthorized extends Error {}

/** Any other failed request; `status` 0 when the gateway did not answer at all. */
export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'admin-token';

/** The admin token, kept for this tab's session only (sessionStorage): closing the tab forgets it. */
export const sessionToken = {
  read: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  write: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** The gateway's admin HTTP API with the bearer token; a 401 forgets the token and tells `onUnauthorized`. */
export class AdminApi {
  constructor(private readonly onUnauthorized: () => void) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = sessionToken.read();
    if (!token) throw new Unauthorized('no admin token');
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new RequestFailed(0, `the gateway did not answer (${error instanceof Error ? error.message : String(error)})`, undefined);
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) {
      sessionToken.clear();
      this.onUnauthorized();
      throw new Unauthorized(errorMessage(answer, 'the admin token was refused'));
    }
    if (!response.ok) throw new RequestFailed(response.status, errorMessage(answer, `${response.status} ${response.statusText}`), answer);
    return answer as T;
  }
}

/** 404 (not deployed yet) or 503 (its read model is not available): analytics panels say so and wait. */
export const analyticsMissing = (error: unknown): boolean => error instanceof RequestFailed && (error.status === 404 || error.status === 503);
